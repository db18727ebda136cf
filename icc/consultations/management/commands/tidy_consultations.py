"""Erase personal answers past their date and unconfirmed answers past their link's life,
forget the hashes of the addresses answers were confirmed from once answering has ended,
and the per-address counts of hours that have ended."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from icc.consultations import actions
from icc.public.participation import forget_old_windows


class Command(BaseCommand):
    help = (
        "Erase personal answers kept past their date and answers never confirmed in time, and "
        "forget the per-address counts of past hours (run it daily)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        erased = actions.erase_personal_answers()
        forgotten = actions.forget_unconfirmed()
        keys = actions.forget_email_keys()
        windows = forget_old_windows()
        self.stdout.write(
            f"personal answers erased: {erased}; unconfirmed answers forgotten: {forgotten}; "
            f"address counts forgotten: {windows}; e-mail hashes forgotten: {keys}"
        )
