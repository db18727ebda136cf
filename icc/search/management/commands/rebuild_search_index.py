from typing import Any

from django.core.management.base import BaseCommand

from icc.search.indexing import rebuild


class Command(BaseCommand):
    help = "Build every search entry again from the data (after bulk imports or restoring a backup)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"search entries: {rebuild()}")
