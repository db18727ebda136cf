"""Compile the public side's translation catalogues (``locale/*/LC_MESSAGES/django.po``)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from icc.core.catalogues import compile_all


class Command(BaseCommand):
    help = "Compile the translation catalogues that changed (no GNU gettext needed)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--force", action="store_true", help="Compile every catalogue.")

    def handle(self, *args: Any, **options: Any) -> None:
        written = compile_all(force=options["force"])
        if options["verbosity"]:
            self.stdout.write(f"translations compiled: {', '.join(written) or 'none changed'}")
