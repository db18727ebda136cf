"""The review of a cycle: what was done, what it cost, which KPIs moved, plan against reality."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch

from icc.assessments.models import Direction
from icc.cities.models import City
from icc.programmes.models import Cycle
from icc.roadmaps import kpis as kpi_figures
from icc.roadmaps.models import KPI, Action, ActionStatus, CyclePlan, Measurement


def cycle_review(city: City, cycle: Cycle) -> dict[str, Any]:
    """What happened in ``cycle``: actions done, budget used, KPIs moved, plan against reality.

    It reads a fixed number of queries, however many actions and measurements the city has.
    """
    in_cycle = list(Action.objects.filter(city=city, cycle=cycle).select_related("cycle").order_by("title"))
    statuses = dict.fromkeys(ActionStatus.values, 0)
    for action in in_cycle:
        statuses[action.status] += 1
    plan = CyclePlan.objects.filter(city=city, cycle=cycle).first()
    return {
        "cycle": cycle,
        "actions": in_cycle,
        "statuses": [(ActionStatus(value).label, count) for value, count in statuses.items()],
        "budget": sum((a.budget or Decimal(0) for a in in_cycle), Decimal(0)),
        "spent": sum((a.spent or Decimal(0) for a in in_cycle), Decimal(0)),
        "moved": kpis_moved(city, cycle),
        "plan": plan,
        "planned": planned_against_actual(city, cycle, plan),
    }


def kpis_moved(city: City, cycle: Cycle) -> list[dict[str, Any]]:
    """Each KPI of ``city`` known at both ends of ``cycle``, with its change and whether it went the right way."""
    kpi_list = KPI.objects.filter(city=city).prefetch_related(
        Prefetch("measurements", queryset=Measurement.objects.order_by("date"))
    )
    moved = []
    for kpi in kpi_list:
        series = list(kpi.measurements.all())
        before = kpi_figures.value_on(kpi, series, cycle.starts_on)
        after = kpi_figures.value_on(kpi, series, cycle.ends_on)
        if before is None or after is None:
            continue
        change = after - before
        better = (change > 0) if kpi.direction == Direction.UP else (change < 0)
        moved.append({"kpi": kpi, "before": before, "after": after, "change": change, "better": change and better})
    return moved


def planned_against_actual(city: City, cycle: Cycle, plan: CyclePlan | None) -> list[dict[str, Any]]:
    """Each action the kept plan put in ``cycle``, beside the action as it is now (None if removed).

    The snapshot keeps its dates as ISO 8601 text; each item also carries them as dates, for
    the page to write them the reader's way.
    """
    if plan is None:
        return []
    now = {a.pk: a for a in Action.objects.filter(city=city).select_related("cycle")}
    return [
        {
            "line": line,
            "actual": now.get(line["id"]),
            "starts_on": _date(line.get("starts_on")),
            "ends_on": _date(line.get("ends_on")),
        }
        for line in plan.snapshot.get("actions", [])
        if line.get("cycle") == cycle.number
    ]


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None
