"""Erase personal answers past their date and unconfirmed answers past their link's life."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from icc.consultations import actions


class Command(BaseCommand):
    help = "Erase personal answers kept past their date and answers never confirmed in time (run it daily)."

    def handle(self, *args: Any, **options: Any) -> None:
        erased = actions.erase_personal_answers()
        forgotten = actions.forget_unconfirmed()
        self.stdout.write(f"personal answers erased: {erased}; unconfirmed answers forgotten: {forgotten}")
