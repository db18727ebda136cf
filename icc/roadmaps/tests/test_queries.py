"""The pages read a fixed number of queries, however many actions and measurements a city has."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from icc.roadmaps.models import KPI, Action, Measurement, Opportunity, Solution

pytestmark = pytest.mark.django_db


def grow(roadmap: Any, *, actions: int, kpis: int, measurements: int) -> None:
    """Add actions (each linked to KPIs, a solution and the previous action) and measured KPIs."""
    cast = roadmap.cast
    city = cast.city_a
    cycles = list(cast.programme.cycles.all())
    start = roadmap.kpi.baseline_date
    new_kpis = [
        KPI.objects.create(
            city=city,
            name=f"KPI {actions}-{i}",
            unit="%",
            direction="up",
            baseline_value=Decimal(10),
            baseline_date=start,
            baseline_source="Survey",
            target_value=Decimal(20),
            target_date=start + dt.timedelta(days=900),
        )
        for i in range(kpis)
    ]
    Measurement.objects.bulk_create(
        Measurement(kpi=kpi, date=start + dt.timedelta(days=30 * (m + 1)), value=Decimal(10 + m), source="Survey")
        for kpi in new_kpis
        for m in range(measurements)
    )
    opportunity = Opportunity.objects.create(city=city, title=f"Opportunity {actions}", need="A need", rank=2)
    solution = Solution.objects.create(city=city, name=f"Solution {actions}", priority=True)
    previous = roadmap.owned
    for i in range(actions):
        cycle = cycles[i % len(cycles)]
        action = Action.objects.create(
            city=city,
            opportunity=opportunity,
            title=f"Action {i}",
            owner_person=cast.people["rep_a"] if i % 2 else None,
            owner_organisation=None if i % 2 else cast.organisation_a,
            starts_on=cycle.starts_on,
            ends_on=cycle.starts_on + dt.timedelta(days=40),
            cycle=cycle,
            budget=Decimal(1000),
            spent=Decimal(100),
            enablers=["data"],
        )
        action.kpis.set([new_kpis[i % len(new_kpis)], roadmap.kpi] if new_kpis else [roadmap.kpi])
        action.solutions.set([solution, roadmap.solution])
        action.depends_on.add(previous)
        previous = action


def count(client: Any, url: str, **params: Any) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200, url
    return len(captured)


PAGES = [
    ("roadmaps:roadmap", "city", {}),
    ("roadmaps:roadmap", "city", {"view": "timeline"}),
    ("roadmaps:roadmap_export", "city-xlsx", {}),
    ("roadmaps:kpis", "city", {}),
    ("roadmaps:kpi_export", "city-xlsx", {}),
    ("roadmaps:kpi_export", "city-jsonld", {}),
    ("roadmaps:kpi", "kpi", {}),
    ("roadmaps:action", "action", {}),
    ("roadmaps:cycle", "cycle", {}),
    ("roadmaps:chain", "city", {}),
    ("roadmaps:strategy", "city", {}),
    ("roadmaps:programme_kpis", "programme", {}),
    ("roadmaps:mine", "none", {}),
]


def _url(name: str, kind: str, roadmap: Any) -> str:
    city = roadmap.cast.city_a.pk
    kwargs: dict[str, Any] = {
        "city": {"pk": city},
        "city-xlsx": {"pk": city, "fmt": "xlsx"},
        "city-jsonld": {"pk": city, "fmt": "jsonld"},
        "kpi": {"pk": roadmap.kpi.pk},
        "action": {"pk": roadmap.owned.pk},
        "cycle": {"pk": city, "number": 2},
        "programme": {"slug": roadmap.cast.programme.slug},
        "none": {},
    }[kind]
    return reverse(name, kwargs=kwargs)


@pytest.mark.parametrize(("name", "kind", "params"), PAGES, ids=[f"{n}-{k}-{p}" for n, k, p in PAGES])
def test_query_count_is_flat_in_actions_and_measurements(roadmap: Any, name: str, kind: str, params: dict) -> None:
    client = roadmap.cast.client_for("organiser" if kind != "none" else "stakeholder")
    url = _url(name, kind, roadmap)
    grow(roadmap, actions=3, kpis=2, measurements=2)
    small = count(client, url, **params)
    grow(roadmap, actions=60, kpis=15, measurements=24)
    assert Action.objects.count() > 60 and Measurement.objects.count() > 360
    assert count(client, url, **params) == small
