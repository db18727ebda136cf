"""The indicator library, cities' values and maturity ratings, and peer comparison."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from icc.assessments import disclosure, scoring
from icc.assessments.models import (
    MAX_POPULATION,
    Direction,
    Indicator,
    IndicatorValue,
    MaturityRating,
    PeerPopulation,
    Round,
)
from icc.cities.models import City
from icc.cities.roles import CITY_EDIT_ROLES, is_programme_team, roles_of
from icc.core.formatting import format_number
from icc.core.models import AuditKind, record
from icc.programmes.models import Programme

if TYPE_CHECKING:
    from icc.accounts.models import Person

LIBRARY = Path(__file__).resolve().parent / "indicators.json"
# No statistic is shown over fewer peers' values than this.
MIN_PEERS = disclosure.MINIMUM


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
    """Store indicator values (indicator id → (value, year, source), None to clear) and maturity ratings.

    Submitted values are locked: changing or clearing one is refused (and nothing is saved)
    until the lead expert or the programme team reopens them, so that no city can move its
    value in and out of its peers' figures to read theirs.
    """
    current = {v.indicator_id: v for v in IndicatorValue.objects.select_for_update().filter(city=city, round=round)}
    for indicator_id, given in values.items():
        existing = current.get(indicator_id)
        if existing is not None and existing.submitted:
            if given is None or (existing.value, existing.year, existing.source) != given:
                raise ValidationError(str(LOCKED))
            continue
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
        action=AuditKind.INDICATORS_SUBMITTED if submit else AuditKind.INDICATORS_SAVED,
        actor=by,
        changes={"round": round, "values": len([v for v in values.values() if v]), "solutions": len(ratings)},
    )


LOCKED = gettext_lazy(
    "The submitted values are locked: they count in other cities' peer comparisons. "
    "Ask your lead expert or the programme team to reopen them to correct one."
)


@transaction.atomic
def reopen_values(*, city: City, round: str, by: Person) -> int:
    """Unlock the city's submitted values of a round; they leave peer comparisons until submitted again."""
    reopened = IndicatorValue.objects.filter(city=city, round=round, submitted=True).update(submitted=False)
    record(obj=city, action=AuditKind.INDICATORS_REOPENED, actor=by, changes={"round": round, "values": reopened})
    return reopened


def peer_band(city: City) -> tuple[int, int] | None:
    """The population band of ``city``'s peers, from the population the programme team confirmed.

    None when the programme team has not confirmed one: the peers are then the whole track.
    """
    confirmed = PeerPopulation.objects.filter(city=city).values_list("population", flat=True).first()
    return scoring.population_band(confirmed)


@transaction.atomic
def confirm_peer_population(*, city: City, population: int, by: Person) -> PeerPopulation:
    """Set the population ``city`` is compared by; only the programme team calls this."""
    if not 1 <= population <= MAX_POPULATION:
        raise ValidationError(
            _("The population must be between 1 and %(max)s.") % {"max": format_number(MAX_POPULATION, 0)}
        )
    confirmed, _created = PeerPopulation.objects.update_or_create(
        city=city, defaults={"population": population, "confirmed_by": by}
    )
    record(obj=city, action=AuditKind.PEER_POPULATION_CONFIRMED, actor=by, changes={"population": population})
    return confirmed


def _edited_by(viewer: Person | None, city: City) -> list[int]:
    """The cities whose values ``viewer`` can change, other than through the programme team.

    The programme team can read every city's values anyway; anyone else who can edit a
    peer (a lead expert coaching two cities of a track, say) could set and clear its value
    to read the others' from the difference, so that peer is left out of what they see.
    """
    if viewer is None or is_programme_team(viewer, city.programme):
        return []
    return list(roles_of(viewer).filter(kind__in=CITY_EDIT_ROLES, city__isnull=False).values_list("city_id", flat=True))


def comparison(city: City, indicators: list[Indicator], round: str, *, viewer: Person | None) -> list[dict[str, Any]]:
    """Each indicator: the city's submitted value beside what may be shown of its peers' values.

    Peers share the city's track and, once the programme team has confirmed the city's
    population, have a confirmed population between half and twice it: no city's own team
    can move itself or its peers in or out of a band. Only submitted values count. Peers
    that agreed to be named are listed with their values and left out of the figures, which
    would otherwise give away the others' values by subtraction; the figures are taken over
    the unnamed peers other than those ``viewer`` can edit, and show only as
    :func:`disclosure.peer_figures` allows.
    """
    band = peer_band(city)
    peers = City.objects.filter(programme_id=city.programme_id, track_id=city.track_id).exclude(pk=city.pk)
    if band is not None:
        peers = peers.filter(peer_population__population__gte=band[0], peer_population__population__lte=band[1])
    rows = IndicatorValue.objects.filter(
        Q(city__in=peers) | Q(city=city), indicator__in=indicators, round=round, submitted=True
    ).values_list("city_id", "city__name", "city__named_in_comparisons", "indicator_id", "value")
    edited = set(_edited_by(viewer, city))
    own: dict[int, Decimal] = {}
    named_values: dict[int, list[tuple[str, Decimal]]] = {}
    unnamed: dict[int, list[Decimal]] = {}
    for city_id, name, named, indicator_id, value in rows:
        if city_id == city.pk:
            own[indicator_id] = value
        elif named:
            named_values.setdefault(indicator_id, []).append((name, value))
        elif city_id not in edited:
            unnamed.setdefault(indicator_id, []).append(value)
    result = []
    for indicator in indicators:
        peer_values = named_values.get(indicator.pk, [])
        stats = disclosure.peer_figures(
            (disclosure.PeerValue(value, False) for value in unnamed.get(indicator.pk, [])),
            minimum=MIN_PEERS,
        )
        mine = own.get(indicator.pk)
        result.append(
            {
                "indicator": indicator,
                "value": mine,
                "stats": stats,
                "figures": [
                    ("lower_quartile", stats.lower_quartile),
                    ("median", stats.median),
                    ("upper_quartile", stats.upper_quartile),
                ],
                "position": disclosure.position(mine, stats, higher_is_better=indicator.direction == Direction.UP),
                "named": sorted((name, float(v)) for name, v in peer_values),
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
