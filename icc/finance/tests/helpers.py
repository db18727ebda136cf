"""Calls and actions for the tests of access to finance."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from icc.cities.models import City
from icc.finance.models import Call
from icc.programmes.models import Programme, Theme
from icc.roadmaps.models import Action, Opportunity

_counter = iter(range(1, 1_000_000))


def make_call(programme: Programme, *, themes: list[Theme] | None = None, **fields: Any) -> Call:
    today = timezone.localdate()
    n = next(_counter)
    values: dict[str, Any] = {
        "identifier": f"HORIZON-MISS-2027-CIT-{n:02d}",
        "funding_programme": "Horizon Europe",
        "title": f"Climate-neutral districts, pilot {n}",
        "opens_on": today - dt.timedelta(days=5),
        "deadline": today + dt.timedelta(days=90),
        "co_funding_rate": 70,
        "min_amount": Decimal(100_000),
        "max_amount": Decimal(2_000_000),
    }
    values.update(fields)
    call = Call.objects.create(programme=programme, **values)
    call.themes.set(themes if themes is not None else list(programme.themes.all()[:1]))
    return call


def make_action(city: City, *, budget: Decimal | int | None = 500_000, **fields: Any) -> Action:
    today = timezone.localdate()
    opportunity, _created = Opportunity.objects.get_or_create(
        city=city, title="Cut energy use", defaults={"need": "Bills are too high"}
    )
    values: dict[str, Any] = {
        "title": f"Retrofit public building {next(_counter)}",
        "starts_on": today,
        "ends_on": today + dt.timedelta(days=365),
        "budget": Decimal(budget) if budget is not None else None,
    }
    values.update(fields)
    return Action.objects.create(city=city, opportunity=opportunity, **values)
