"""Queue the inbox's daily run for the background worker, unless one is queued already."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from icc.inbox.tasks import next_run, schedule


class Command(BaseCommand):
    help = "Queue the inbox's daily run (notices and digests) for the background worker."

    def handle(self, *args: Any, **options: Any) -> None:
        if schedule():
            self.stdout.write(f"inbox: daily run queued for {next_run():%Y-%m-%d %H:%M %Z}")
        else:
            self.stdout.write("inbox: a daily run is queued already, or the task backend runs work at once")
