"""Erase the e-mail addresses of idea authors kept past their date; for a daily timer where
the task backend cannot defer work to that day."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from icc.ideas.actions import erase_expired_emails


class Command(BaseCommand):
    help = "Erase the e-mail addresses of idea authors whose date has passed."

    def handle(self, *args: Any, **options: Any) -> None:
        erased = erase_expired_emails()
        self.stdout.write(f"{erased} e-mail address(es) erased")
