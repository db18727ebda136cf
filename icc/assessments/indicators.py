"""The indicator library, cities' values and maturity ratings, and peer comparison."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Q

from icc.assessments import scoring
from icc.assessments.models import Direction, Indicator, IndicatorValue, MaturityRating, Round
from icc.cities.models import City
from icc.core.models import record
from icc.programmes.models import Programme

if TYPE_CHECKING:
    from icc.accounts.models import Person

LIBRARY = Path(__file__).resolve().parent / "indicators.json"


@transaction.atomic
def load_indicator_library(*, programme: Programme) -> int:
    """Add the library's indicators for the edition's tracks; existing ones are left as edited."""
    data = json.loads(LIBRARY.read_text(encoding="utf-8"))
    themes = {t.slug: t for t in programme.themes.all()}
    existing = set(programme.indicators.values_list("key", flat=True))
    created = 0
    for track in data["tracks"]:
        theme = themes.get(track["track"])
        if theme is None:
            continue
        for order, item in enumerate(track["indicators"]):
            if item["key"] in existing:
                continue
            Indicator.objects.create(programme=programme, theme=theme, order=order, **item)
            created += 1
    return created


def indicators_for(city: City) -> list[Indicator]:
    if city.track_id is None:
        return []
    return list(Indicator.objects.filter(programme_id=city.programme_id, theme_id=city.track_id))


@transaction.atomic
def save_values(
    *,
    city: City,
    round: str,
    values: dict[int, tuple[Decimal, int, str] | None],
    ratings: list[tuple[str, int, int]],
    submit: bool,
    by: Person,
) -> None:
    """Store indicator values (indicator id → (value, year, source), None to clear) and maturity ratings."""
    current = {v.indicator_id: v for v in IndicatorValue.objects.filter(city=city, round=round)}
    for indicator_id, given in values.items():
        existing = current.get(indicator_id)
        if given is None:
            if existing is not None:
                existing.delete()
            continue
        value, year, source = given
        if existing is None:
            existing = IndicatorValue(city=city, indicator_id=indicator_id, round=round)
        existing.value, existing.year, existing.source, existing.entered_by = value, year, source, by
        existing.submitted = existing.submitted or submit
        existing.save()
    if submit:
        IndicatorValue.objects.filter(city=city, round=round).update(submitted=True)
    MaturityRating.objects.filter(city=city, round=round).delete()
    MaturityRating.objects.bulk_create(
        MaturityRating(city=city, round=round, solution=solution, level=level, target=target)
        for solution, level, target in ratings
    )
    record(
        obj=city,
        action="indicator values submitted" if submit else "indicator values saved",
        actor=by,
        changes={"round": round, "values": len([v for v in values.values() if v]), "solutions": len(ratings)},
    )


def comparison(city: City, indicators: list[Indicator], round: str) -> list[dict[str, Any]]:
    """Each indicator: the city's submitted value beside its peers' median and quartiles.

    Peers share the city's track and have between half and twice its population; only
    submitted values count, and a peer is named only if it agreed.
    """
    band = scoring.population_band(city.population)
    peers = City.objects.filter(programme_id=city.programme_id, track_id=city.track_id).exclude(pk=city.pk)
    if band is not None:
        peers = peers.filter(population__gte=band[0], population__lte=band[1])
    rows = IndicatorValue.objects.filter(
        Q(city__in=peers) | Q(city=city), indicator__in=indicators, round=round, submitted=True
    ).values_list("city_id", "city__name", "city__named_in_comparisons", "indicator_id", "value")
    own: dict[int, Decimal] = {}
    others: dict[int, list[tuple[str | None, float]]] = {}
    for city_id, name, named, indicator_id, value in rows:
        if city_id == city.pk:
            own[indicator_id] = value
        else:
            others.setdefault(indicator_id, []).append((name if named else None, float(value)))
    result = []
    for indicator in indicators:
        peer_values = others.get(indicator.pk, [])
        stats = scoring.peer_statistics(v for _name, v in peer_values)
        mine = own.get(indicator.pk)
        position = None
        if mine is not None and stats.median is not None:
            better = float(mine) > stats.median if indicator.direction == Direction.UP else float(mine) < stats.median
            position = "better" if better else ("same" if float(mine) == stats.median else "worse")
        result.append(
            {
                "indicator": indicator,
                "value": mine,
                "stats": stats,
                "position": position,
                "named": sorted((name, v) for name, v in peer_values if name),
            }
        )
    return result


def round_comparison(city: City, indicators: list[Indicator]) -> list[dict[str, Any]]:
    """Each indicator: baseline against re-run, and whether it moved the desired way."""
    values = {(v.indicator_id, v.round): v for v in IndicatorValue.objects.filter(city=city, indicator__in=indicators)}
    rows = []
    for indicator in indicators:
        before, after = values.get((indicator.pk, Round.BASELINE)), values.get((indicator.pk, Round.RERUN))
        change = after.value - before.value if before and after else None
        improved = None
        if change is not None and change != 0:
            improved = (change > 0) == (indicator.direction == Direction.UP)
        rows.append(
            {"indicator": indicator, "baseline": before, "rerun": after, "change": change, "improved": improved}
        )
    return rows
