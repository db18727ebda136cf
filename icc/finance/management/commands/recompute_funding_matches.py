"""Compute every edition's funding matches again: run daily, so that calls that opened
or closed since yesterday, and roadmap changes that sent no signal, are taken into account."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from icc.finance import matched
from icc.programmes.models import Programme


class Command(BaseCommand):
    help = "Compute the funding matches of every edition's cities again."

    def handle(self, *args: Any, **options: Any) -> None:
        for programme in Programme.objects.all():
            stored = matched.recompute(programme_id=programme.pk)
            self.stdout.write(f"{programme.slug}: {stored} matches")
