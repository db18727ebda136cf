"""Working out and keeping the early warning's scores."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict

from django.db import transaction
from django.utils import timezone

from icc.cities.models import City
from icc.programmes.models import Programme
from icc.reports import risk, signals
from icc.reports.models import RiskScore


@transaction.atomic
def refresh_risks(*, programme: Programme, now: dt.datetime | None = None) -> list[RiskScore]:
    """Score every city of ``programme`` from its signals at ``now`` and keep the day's
    score (a second run the same day replaces it). Returns the scores of the cities that
    were not flagged at their latest score and are now."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    cities = list(City.objects.filter(programme=programme).order_by("pk"))
    counted = signals.gather(programme, cities, now=now)
    before = latest_scores([city.pk for city in cities])
    rows = [
        RiskScore(city=city, on=today, score=risk.assess(counted[city.pk]).score, signals=asdict(counted[city.pk]))
        for city in cities
    ]
    RiskScore.objects.filter(city__in=cities, on=today).delete()
    RiskScore.objects.bulk_create(rows)
    return [
        row
        for row in rows
        if row.score >= risk.FLAG_AT and (before.get(row.city_id) is None or before[row.city_id] < risk.FLAG_AT)
    ]


def latest_scores(city_ids: list[int]) -> dict[int, float]:
    """Each city's latest kept score (today's, if the scores were worked out today already)."""
    latest: dict[int, float] = {}
    rows = RiskScore.objects.filter(city_id__in=city_ids).order_by("city_id", "-on")
    for city_id, score in rows.values_list("city_id", "score"):
        latest.setdefault(city_id, score)
    return latest
