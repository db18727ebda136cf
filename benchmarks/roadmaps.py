"""Benchmark: a city's roadmap and KPI pages, and the programme's KPI overview, at scale.

    .venv/bin/python benchmarks/roadmaps.py                 # 136 cities, 200 actions, 50 KPIs × 36 months
    .venv/bin/python benchmarks/roadmaps.py --cities 20 --repeat 10

In a fresh SQLite database under benchmarks/.work/ (or the one DATABASE_URL names,
emptied first), every city gets 200 actions (each tied to two KPIs, a solution and the
action before it) and 50 KPIs with 36 monthly measurements. Pages are then requested
through Django's test client, signed in as a programme organiser: each several times,
reporting median and 95th-percentile latency, SQL queries per request and the process's
peak RSS.
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.harness import setup_django

ACTIONS = 200
KPIS = 50
MONTHS = 36


def make_cohort(size: int) -> Any:
    from django.utils import timezone

    from icc.accounts.models import Person
    from icc.cities.models import City, Organisation, Role, RoleKind
    from icc.programmes.actions import create_programme
    from icc.roadmaps.models import KPI, Action, Measurement, Opportunity, Solution

    today = timezone.localdate()
    programme = create_programme(
        name="Benchmark edition", slug="bench", first_month=dt.date(today.year - 1, today.month, 1)
    )
    themes = list(programme.themes.all())
    cycles = list(programme.cycles.all())
    City.objects.bulk_create(
        City(
            programme=programme,
            name=f"City {n:04d}",
            country="DE",
            time_zone="Europe/Berlin",
            track=themes[n % len(themes)],
            population=50_000 + (n * 7919) % 900_000,
        )
        for n in range(size)
    )
    cities = list(City.objects.filter(programme=programme))
    organiser = Person.objects.create_user("organiser@bench.example", "benchmark-password", full_name="Organiser")
    Role.objects.create(person=organiser, programme=programme, kind=RoleKind.PROGRAMME_TEAM)
    Organisation.objects.bulk_create(
        Organisation(city=c, name=f"{c.name} Hub", sector="innovation-hub") for c in cities
    )
    Opportunity.objects.bulk_create(
        Opportunity(city=c, title=f"Opportunity {i}", need="A need of the city", rank=i + 1)
        for c in cities
        for i in range(5)
    )
    Solution.objects.bulk_create(
        Solution(city=c, name=f"Solution {i}", priority=i < 3) for c in cities for i in range(6)
    )
    baseline = today - dt.timedelta(days=31 * (MONTHS + 1))
    KPI.objects.bulk_create(
        KPI(
            city=c,
            name=f"KPI {i}",
            unit="%",
            direction="up" if i % 2 else "down",
            baseline_value=Decimal(50),
            baseline_date=baseline,
            baseline_source="Statistics office",
            target_value=Decimal(70) if i % 2 else Decimal(30),
            target_date=today + dt.timedelta(days=700),
        )
        for c in cities
        for i in range(KPIS)
    )
    kpis: dict[int, list[int]] = {}
    for kpi_id, city_id in KPI.objects.values_list("id", "city_id"):
        kpis.setdefault(city_id, []).append(kpi_id)
    for city in cities:
        Measurement.objects.bulk_create(
            (
                Measurement(
                    kpi_id=kpi_id,
                    date=baseline + dt.timedelta(days=31 * (m + 1)),
                    value=Decimal(50 + (m * (1 if i % 2 else -1)) * Decimal("0.4")),
                    source="Statistics office",
                )
                for i, kpi_id in enumerate(kpis[city.pk])
                for m in range(MONTHS)
            ),
            batch_size=2000,
        )
    opportunities: dict[int, list[int]] = {}
    for pk, city_id in Opportunity.objects.values_list("id", "city_id"):
        opportunities.setdefault(city_id, []).append(pk)
    organisations = dict(Organisation.objects.values_list("city_id", "id"))
    Action.objects.bulk_create(
        Action(
            city=c,
            opportunity_id=opportunities[c.pk][i % 5],
            title=f"Action {i}",
            owner_organisation_id=organisations[c.pk],
            starts_on=cycles[i % 3].starts_on,
            ends_on=cycles[i % 3].starts_on + dt.timedelta(days=60),
            cycle=cycles[i % 3],
            budget=Decimal(1000 + i),
            enablers=["data"],
        )
        for c in cities
        for i in range(ACTIONS)
    )
    solutions: dict[int, list[int]] = {}
    for pk, city_id in Solution.objects.values_list("id", "city_id"):
        solutions.setdefault(city_id, []).append(pk)
    action_kpis, action_solutions, dependencies = [], [], []
    previous: dict[int, int] = {}
    for pk, city_id in Action.objects.order_by("pk").values_list("id", "city_id"):
        own = kpis[city_id]
        action_kpis += [
            Action.kpis.through(action_id=pk, kpi_id=own[pk % KPIS]),
            Action.kpis.through(action_id=pk, kpi_id=own[(pk + 7) % KPIS]),
        ]
        action_solutions.append(Action.solutions.through(action_id=pk, solution_id=solutions[city_id][pk % 3]))
        if city_id in previous:
            dependencies.append(Action.depends_on.through(from_action_id=pk, to_action_id=previous[city_id]))
        previous[city_id] = pk
    Action.kpis.through.objects.bulk_create(action_kpis, batch_size=5000)
    Action.solutions.through.objects.bulk_create(action_solutions, batch_size=5000)
    Action.depends_on.through.objects.bulk_create(dependencies, batch_size=5000)
    return programme, cities[0], organiser


def timed(client: Any, url: str, repeat: int) -> tuple[list[float], int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    queries = 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(captured)
    return times, queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cities", type=int, default=136)
    parser.add_argument("--repeat", type=int, default=20, help="requests per page")
    args = parser.parse_args()
    setup_django("roadmaps")
    from django.db import transaction
    from django.test import Client
    from django.urls import reverse

    from icc.roadmaps.models import KPI, Action, Measurement

    started = time.perf_counter()
    with transaction.atomic():
        programme, city, organiser = make_cohort(args.cities)
    print(
        f"{args.cities} cities: {Action.objects.count():,} actions, {KPI.objects.count():,} KPIs, "
        f"{Measurement.objects.count():,} measurements, built in {time.perf_counter() - started:.1f} s\n"
    )
    client = Client()
    client.force_login(organiser)
    kpi = KPI.objects.filter(city=city).first()
    action = Action.objects.filter(city=city).first()
    assert kpi is not None and action is not None
    pages = [
        ("city KPI dashboard", reverse("roadmaps:kpis", kwargs={"pk": city.pk})),
        ("roadmap list", reverse("roadmaps:roadmap", kwargs={"pk": city.pk})),
        ("roadmap timeline", reverse("roadmaps:roadmap", kwargs={"pk": city.pk}) + "?view=timeline"),
        ("KPI with 36 measurements", reverse("roadmaps:kpi", kwargs={"pk": kpi.pk})),
        ("action", reverse("roadmaps:action", kwargs={"pk": action.pk})),
        ("cycle plan", reverse("roadmaps:cycle", kwargs={"pk": city.pk, "number": 2})),
        ("enablers to performance", reverse("roadmaps:chain", kwargs={"pk": city.pk})),
        ("programme KPI overview", reverse("roadmaps:programme_kpis", kwargs={"slug": programme.slug})),
        ("KPIs as NGSI-LD", reverse("roadmaps:kpi_export", kwargs={"pk": city.pk, "fmt": "jsonld"})),
        ("roadmap as Excel", reverse("roadmaps:roadmap_export", kwargs={"pk": city.pk, "fmt": "xlsx"})),
    ]
    print(f"  {'page':<28} {'median':>9} {'p95':>9} {'queries':>8}")
    for label, url in pages:
        client.get(url)  # warm-up
        times, queries = timed(client, url, args.repeat)
        p95 = statistics.quantiles(times, n=20)[-1] if len(times) >= 2 else times[0]
        print(f"  {label:<28} {statistics.median(times) * 1000:7.1f} ms {p95 * 1000:7.1f} ms {queries:8d}", flush=True)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak RSS of the process: {rss:.0f} MiB")


if __name__ == "__main__":
    main()
