"""Refresh the public side's ``.po`` files from the code, for every translated language."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from icc.core.catalogues import LOCALE, ignored_paths, tidy_header, translated_languages


class Command(BaseCommand):
    help = "Extract the public pages' strings into locale/<language>/LC_MESSAGES/django.po (needs xgettext)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--language", action="append", help="Only this language (may be repeated).")

    def handle(self, *args: Any, **options: Any) -> None:
        languages = options["language"] or translated_languages()
        unknown = set(languages) - set(translated_languages())
        if unknown:
            raise CommandError(f"not a translated language of the LANGUAGES setting: {', '.join(sorted(unknown))}")
        LOCALE.mkdir(exist_ok=True)
        call_command(
            "makemessages",
            locale=languages,
            ignore_patterns=ignored_paths(),
            no_obsolete=True,
            no_fuzzy_matching=True,
            add_location="file",
            verbosity=options["verbosity"],
        )
        for language in languages:
            tidy_header(language)
