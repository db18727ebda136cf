"""Refresh the public side's ``.po`` files from the code, for every translated language."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from icc.core.catalogues import LOCALE, ignored_paths, tidy_header, translated_languages


class Command(BaseCommand):
    help = "Extract the public pages' strings into locale/<language>/LC_MESSAGES/django.po (needs xgettext)."

    def handle(self, *args: Any, **options: Any) -> None:
        LOCALE.mkdir(exist_ok=True)
        call_command(
            "makemessages",
            locale=translated_languages(),
            ignore_patterns=ignored_paths(),
            no_obsolete=True,
            add_location="file",
            verbosity=options["verbosity"],
        )
        for language in translated_languages():
            tidy_header(language)
