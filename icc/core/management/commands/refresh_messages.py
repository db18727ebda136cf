"""Refresh the ``.po`` files from the code, for every translated language: the whole
platform's strings for the languages of ``PLATFORM_LANGUAGES``, the public pages' for the
others."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from icc.core.catalogues import (
    LOCALE,
    PLATFORM_LANGUAGES,
    ignored_paths,
    platform_ignored_paths,
    tidy_header,
    translated_languages,
)


class Command(BaseCommand):
    help = "Extract the translatable strings into locale/<language>/LC_MESSAGES/django.po (needs xgettext)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--language", action="append", help="Only this language (may be repeated).")

    def handle(self, *args: Any, **options: Any) -> None:
        languages = options["language"] or translated_languages()
        unknown = set(languages) - set(translated_languages())
        if unknown:
            raise CommandError(f"not a translated language of the LANGUAGES setting: {', '.join(sorted(unknown))}")
        LOCALE.mkdir(exist_ok=True)
        whole = [language for language in languages if language in PLATFORM_LANGUAGES]
        public = [language for language in languages if language not in PLATFORM_LANGUAGES]
        for group, ignored in ((whole, platform_ignored_paths()), (public, ignored_paths())):
            if not group:
                continue
            call_command(
                "makemessages",
                locale=group,
                ignore_patterns=ignored,
                no_obsolete=True,
                add_location="file",
                verbosity=options["verbosity"],
            )
        for language in languages:
            tidy_header(language)
