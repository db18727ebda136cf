"""Work out the day's funding matches and early-warning scores, make the day's notices and
send the e-mail digests due, for a daily timer (cron, systemd).

The background worker does the same every day when its backend can wait (see
``icc.inbox.tasks``); running both, or this twice, sends nobody a second digest.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from icc.inbox.digest import send_digests
from icc.inbox.models import Frequency
from icc.inbox.scan import scan
from icc.inbox.tasks import refresh_figures


class Command(BaseCommand):
    help = "Make the day's inbox notices and send the e-mail digests that are due."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--frequency",
            choices=[Frequency.DAILY, Frequency.WEEKLY],
            help="Send only the daily or only the weekly digests (both by default).",
        )
        parser.add_argument("--no-scan", action="store_true", help="Send digests without making the day's notices.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["no_scan"]:
            flagged = refresh_figures()
            self.stdout.write(
                f"funding matches and early-warning scores worked out again: {flagged} cities newly flagged"
            )
            made = scan()
            self.stdout.write("notices: " + ", ".join(f"{name} {count}" for name, count in made.items()))
        for run in send_digests(frequency=options["frequency"]):
            self.stdout.write(
                f"{run.frequency} digests for {run.period}: {run.sent} sent, {run.empty} with nothing to show"
            )
