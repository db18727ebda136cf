"""Benchmark: matching a funding catalogue of 5,000 calls against 136 cities' 27,000
roadmap actions, and a city's matches page.

    .venv/bin/python benchmarks/finance.py                       # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/icc_bench_finance .venv/bin/python benchmarks/finance.py

For PostgreSQL the database must exist (``createdb -h 127.0.0.1 -U postgres icc_bench_finance``);
it is emptied first. The benchmark makes an edition of 136 cities (core and mentor, EU and
international, ten countries, a track each and a secondary theme for one in three),
27,000 actions (seven in ten with a budget, one in ten of those marked secured, some
already finished or dropped), 2,000 applications (half of them awarded) and a catalogue
of 5,000 calls (one or two themes; a third limited to some city types, two in five to a
few countries; one in ten closed, one in ten not yet open; amounts and co-funding rates
of every kind). It then runs the background job that computes and stores every city's
matches (``recompute_matches``: reading, matching, deleting the old matches and writing the
new ones), and asks a city's matches page (``/en/cities/<pk>/funding/``, signed in as
the city's representative, through Django's test client) for its first and its last
page, --repeat times each, and prints the median and 95th percentile and the number of
queries. Targets: the job under 10 s, the page's p95 under 100 ms.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.harness import setup_django

TARGET_JOB_S = 10.0
TARGET_P95_MS = 100.0
PROGRAMMES = ["Horizon Europe", "Digital Europe", "LIFE", "ERDF", "Interreg Europe", "CEF", "European Urban Initiative"]


def build(calls: int, actions: int, applications: int) -> Any:
    import datetime as dt
    from decimal import Decimal

    from django.db import connection
    from django.utils import timezone

    from icc.accounts.models import Person
    from icc.cities.models import City, CityType
    from icc.finance.models import Application, ApplicationStatus, Call
    from icc.programmes.actions import create_programme
    from icc.roadmaps.models import Action, ActionStatus, FundingStatus, Opportunity

    today = timezone.localdate()
    programme = create_programme(name="Finance benchmark", slug="finance-bench", first_month=dt.date(today.year, 1, 1))
    themes = list(programme.themes.all())
    rng = random.Random(20261202)
    countries = ["ES", "DE", "FR", "IT", "PL", "PT", "NL", "SE", "GR", "CZ"]
    types = [CityType.EU_CORE] * 6 + [CityType.EU_MENTOR, CityType.INTERNATIONAL_CORE, CityType.INTERNATIONAL_MENTOR]
    City.objects.bulk_create(
        City(
            programme=programme,
            name=f"City {n:03d}",
            country=countries[n % len(countries)],
            time_zone="Europe/Berlin",
            type=types[n % len(types)],
            track=themes[n % len(themes)],
            population=rng.choice([40_000, 90_000, 150_000, 300_000, 800_000]),
        )
        for n in range(136)
    )
    cities = list(City.objects.filter(programme=programme).order_by("pk"))
    secondary = City.secondary_themes.through
    secondary.objects.bulk_create(
        secondary(city_id=city.pk, theme_id=themes[(n + 3) % len(themes)].pk)
        for n, city in enumerate(cities)
        if n % 3 == 0
    )
    Opportunity.objects.bulk_create(
        Opportunity(city=c, title="Greener, smarter services", need="Budgets") for c in cities
    )
    opportunities = dict(Opportunity.objects.filter(city__in=cities).values_list("city_id", "pk"))
    statuses = [ActionStatus.PLANNED] * 5 + [ActionStatus.IN_PROGRESS] * 3 + [ActionStatus.DONE, ActionStatus.DROPPED]
    batch = []
    for n in range(actions):
        city = cities[n % len(cities)]
        starts = today + dt.timedelta(days=rng.randint(-200, 300))
        with_budget = rng.random() < 0.7
        batch.append(
            Action(
                city=city,
                opportunity_id=opportunities[city.pk],
                title=f"Action {n}",
                starts_on=starts,
                ends_on=starts + dt.timedelta(days=rng.randint(60, 900)),
                budget=Decimal(rng.randrange(20_000, 5_000_000, 1_000)) if with_budget else None,
                funding_status=FundingStatus.SECURED if with_budget and rng.random() < 0.1 else "",
                status=rng.choice(statuses),
            )
        )
    Action.objects.bulk_create(batch, batch_size=2_000)
    author = Person.objects.create_user("organiser@bench.example", "benchmark-password", full_name="Organiser")
    made = []
    for n in range(calls):
        kind = rng.random()
        opens = today - dt.timedelta(days=rng.randint(1, 200)) if kind > 0.1 else today + dt.timedelta(days=20)
        deadline = (
            today - dt.timedelta(days=rng.randint(1, 30))
            if 0.1 < kind < 0.2
            else today + dt.timedelta(days=rng.randint(5, 700))
        )
        low = Decimal(rng.choice([0, 50_000, 100_000, 500_000])) if rng.random() < 0.7 else None
        high = (
            (low or Decimal(0)) + Decimal(rng.choice([200_000, 1_000_000, 4_000_000])) if rng.random() < 0.8 else None
        )
        made.append(
            Call(
                programme=programme,
                identifier=f"BENCH-{n:05d}",
                funding_programme=PROGRAMMES[n % len(PROGRAMMES)],
                title=f"Call {n}",
                opens_on=min(opens, deadline),
                deadline=deadline,
                city_types=" ".join(rng.sample([c.value for c in CityType], 2)) if rng.random() < 0.33 else "",
                countries=" ".join(rng.sample(countries, rng.randint(3, 8))) if rng.random() < 0.4 else "",
                co_funding_rate=rng.choice([50, 60, 70, 80, 85, 95, 100]),
                min_amount=low,
                max_amount=high,
                created_by=author,
                version=1,
            )
        )
    Call.objects.bulk_create(made, batch_size=2_000)
    made = list(Call.objects.filter(programme=programme))
    through = Call.themes.through
    through.objects.bulk_create(
        (through(call_id=c.pk, theme_id=t.pk) for c in made for t in rng.sample(themes, rng.randint(1, 2))),
        batch_size=5_000,
    )
    funded = list(Action.objects.filter(city__programme=programme, budget__isnull=False).values_list("pk", "city_id"))
    Application.objects.bulk_create(
        (
            Application(
                city_id=city_id,
                action_id=action_id,
                call=rng.choice(made),
                amount_requested=Decimal(100_000),
                status=ApplicationStatus.AWARDED if n % 2 else ApplicationStatus.REJECTED,
                amount_secured=Decimal(rng.choice([20_000, 100_000])) if n % 2 else None,
                applied_on=today - dt.timedelta(days=90),
                decided_on=today - dt.timedelta(days=10),
                version=1,
            )
            for n, (action_id, city_id) in enumerate(rng.sample(funded, min(applications, len(funded))))
        ),
        batch_size=2_000,
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # as autovacuum would soon after a bulk load
            for table in ("finance_call", "finance_call_themes", "roadmaps_action", "finance_application"):
                cursor.execute(f"ANALYZE {table}")
    return programme, cities


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, default=5_000)
    parser.add_argument("--actions", type=int, default=27_000)
    parser.add_argument("--applications", type=int, default=2_000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    if min(args.calls, args.actions, args.repeat) < 1 or args.applications < 0:
        parser.error("the sizes and --repeat must be at least 1")
    setup_django("finance")
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse
    from django.utils import translation

    from icc.accounts.models import Person
    from icc.cities.models import Role, RoleKind
    from icc.finance.models import FundingMatch
    from icc.finance.tasks import recompute_matches

    started = time.perf_counter()
    programme, cities = build(args.calls, args.actions, args.applications)
    print(
        f"{connection.vendor}: {args.calls:,} calls, {args.actions:,} actions of {len(cities)} cities, "
        f"{args.applications:,} applications built in {time.perf_counter() - started:.1f} s"
    )
    import config.wsgi  # noqa: F401 - the process starts as a served one does

    queries: list[str] = []

    def count(execute: Any, sql: str, sql_params: Any, many: bool, context: Any) -> Any:
        queries.append(sql)
        return execute(sql, sql_params, many, context)

    timings = []
    for run in ("first run", "again (replacing the stored matches)"):
        queries.clear()
        begun = time.perf_counter()
        with connection.execute_wrapper(count):
            stored = recompute_matches.enqueue(programme_id=programme.pk).return_value
        elapsed = time.perf_counter() - begun
        timings.append(elapsed)
        print(f"matching job, {run:<38} {elapsed:6.2f} s {len(queries):6d} queries {stored:,} matches stored")
    job = max(timings)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # as autovacuum does after a table's rows are replaced
            cursor.execute("ANALYZE finance_fundingmatch")

    busiest = (
        FundingMatch.objects.filter(city__programme=programme)
        .values_list("city_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    assert busiest is not None, "the catalogue gave no match"
    city_id, matches = busiest
    person = Person.objects.create_user("rep@bench.example", "benchmark-password", full_name="City representative")
    Role.objects.create(person=person, programme=programme, city_id=city_id, kind=RoleKind.CITY_REP)
    client = Client()
    client.force_login(person)
    with translation.override("en"):
        url = reverse("finance:matches", kwargs={"pk": city_id})
    last = (matches + 24) // 25
    print(f"matches page of the city with the most matches ({matches:,} matches, {last} pages)")
    print(f"{'page':<30} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    worst = 0.0
    for label, params in (("first page", {}), (f"last page ({last})", {"page": str(last)})):
        queries.clear()
        with connection.execute_wrapper(count):
            assert client.get(url, params).status_code == 200
        times = []
        for _ in range(args.repeat):
            begun = time.perf_counter()
            assert client.get(url, params).status_code == 200
            times.append((time.perf_counter() - begun) * 1000)
        p95 = statistics.quantiles(times, n=20)[18] if len(times) > 1 else times[0]
        worst = max(worst, p95)
        print(f"{label:<30} {statistics.median(times):>10.1f} {p95:>8.1f} {len(queries):>8}")
    job_verdict = "met" if job < TARGET_JOB_S else "MISSED"
    page_verdict = "met" if worst < TARGET_P95_MS else "MISSED"
    print(f"slowest matching job {job:.2f} s; target < {TARGET_JOB_S:.0f} s: {job_verdict}")
    print(f"slowest p95 {worst:.1f} ms; target p95 < {TARGET_P95_MS:.0f} ms: {page_verdict}")
    if "MISSED" in (job_verdict, page_verdict):
        sys.exit(1)


if __name__ == "__main__":
    main()
