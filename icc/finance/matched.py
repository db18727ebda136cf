"""The stored matches, computed from the database through :mod:`icc.finance.matching`.

Everything is read in a handful of queries (the open calls with their themes, the cities
with theirs, the actions, the awarded amounts), matched in memory, and written back in
batches in one transaction, so a city's page never sees half a computation.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone

from icc.cities.models import City
from icc.finance import matching
from icc.finance.models import Application, ApplicationStatus, Call, FundingMatch
from icc.roadmaps.models import OPEN_STATUSES, Action, FundingStatus

BATCH = 2_000


def open_calls(programme_id: int, today: dt.date) -> list[matching.Call]:
    rows = list(
        Call.objects.filter(programme_id=programme_id, opens_on__lte=today, deadline__gte=today).values_list(
            "pk", "city_types", "countries", "opens_on", "deadline", "co_funding_rate", "min_amount", "max_amount"
        )
    )
    themes: dict[int, set[int]] = defaultdict(set)
    for call_id, theme_id in Call.themes.through.objects.filter(call__in=[r[0] for r in rows]).values_list(
        "call_id", "theme_id"
    ):
        themes[call_id].add(theme_id)
    return [
        matching.Call(
            call_id=pk,
            theme_ids=frozenset(themes.get(pk, ())),
            city_types=frozenset(types.split()),
            countries=frozenset(countries.split()),
            opens_on=opens_on,
            deadline=deadline,
            co_funding_rate=rate,
            min_amount=low,
            max_amount=high,
        )
        for pk, types, countries, opens_on, deadline, rate, low, high in rows
    ]


def needs(programme_id: int, today: dt.date, city_ids: list[int] | None = None) -> list[matching.Need]:
    """Every open action of the programme's cities (or of ``city_ids``) with a funding gap."""
    cities = City.objects.filter(programme_id=programme_id)
    if city_ids is not None:
        cities = cities.filter(pk__in=city_ids)
    city_rows = {
        pk: (kind, country, track)
        for pk, kind, country, track in cities.values_list("pk", "type", "country", "track_id")
    }
    themes: dict[int, set[int]] = defaultdict(set)
    for city_id, (_kind, _country, track) in city_rows.items():
        if track is not None:
            themes[city_id].add(track)
    for city_id, theme_id in City.secondary_themes.through.objects.filter(city__in=list(city_rows)).values_list(
        "city_id", "theme_id"
    ):
        themes[city_id].add(theme_id)
    actions = Action.objects.filter(
        city__in=list(city_rows), status__in=OPEN_STATUSES, budget__gt=0, ends_on__gte=today
    ).exclude(funding_status=FundingStatus.SECURED)
    awarded = dict(
        Application.objects.filter(action__in=actions, status=ApplicationStatus.AWARDED)
        .values_list("action_id")
        .annotate(total=Sum("amount_secured"))
        .order_by()
    )
    found = []
    for pk, city_id, budget, ends_on in actions.values_list("pk", "city_id", "budget", "ends_on"):
        kind, country, _track = city_rows[city_id]
        gap = matching.gap(budget, awarded.get(pk) or Decimal(0), secured=False)
        if gap > 0:
            found.append(
                matching.Need(
                    action_id=pk,
                    city_id=city_id,
                    city_type=kind,
                    country=country,
                    theme_ids=frozenset(themes.get(city_id, ())),
                    ends_on=ends_on,
                    gap=gap,
                )
            )
    return found


def recompute(*, programme_id: int, city_ids: list[int] | None = None) -> int:
    """Compute the matches of the programme's cities (or of ``city_ids``) again; the number stored."""
    today = timezone.localdate()
    found = matching.match_all(needs(programme_id, today, city_ids), open_calls(programme_id, today), today)
    now = timezone.now()
    stamp = connection.ops.adapt_datetimefield_value(now) if connection.vendor != "postgresql" else now
    # Written with one prepared statement: tens of thousands of rows, no model instances.
    rows = [
        (m.city_id, m.action_id, m.call_id, m.rank, str(m.gap), json.dumps([r.as_dict() for r in m.reasons]), stamp)
        for m in found
    ]
    table = connection.ops.quote_name(FundingMatch._meta.db_table)
    columns = ", ".join(
        connection.ops.quote_name(c)
        for c in ("city_id", "action_id", "call_id", "rank", "gap", "reasons", "computed_at")
    )
    insert = f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s, %s, %s, %s)"  # noqa: S608 - names, not input
    with transaction.atomic():
        stale = FundingMatch.objects.filter(city__programme_id=programme_id)
        if city_ids is not None:
            stale = stale.filter(city__in=city_ids)
        if not rows and not stale.exists():
            return 0  # nothing stored, nothing to store: no write, so the data version stays
        stale.delete()
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # COPY streams the rows in one statement: a fraction of the time of inserts.
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                for start in range(0, len(rows), BATCH):
                    cursor.executemany(insert, rows[start : start + BATCH])
    return len(rows)


def secured_of(action: Action) -> Decimal:
    """What is secured for ``action``: its awarded amounts, or its whole budget when its
    funding is marked secured."""
    if action.funding_status == FundingStatus.SECURED:
        return action.budget or Decimal(0)
    total = Application.objects.filter(action=action, status=ApplicationStatus.AWARDED).aggregate(
        total=Sum("amount_secured")
    )["total"]
    return total or Decimal(0)
