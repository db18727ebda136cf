"""Benchmark: a city's final report and the programme report of a 136-city cohort.

    .venv/bin/python benchmarks/reports.py
    .venv/bin/python benchmarks/reports.py --reuse-database

In a fresh SQLite database under benchmarks/.work/ (or the one DATABASE_URL names, emptied
first), ``migrate`` and ``load_demo`` build the demo edition. The cohort is then brought to
136 cities (the missing ones copied from demo cities with their KPIs, measurements and
actions), and the demo city with the most KPIs is given a whole second round: a re-run of
every assessment it submitted and of its indicator values.

Each report is then made the way the worker makes it, in a process of its own started for
that one job (``--make <id>``), so that its figures are the job's alone: wall time from
asking for the snapshot to the stored PDF and Word files, SQL queries, and the process's
peak resident memory (everything the job touched, Django and WeasyPrint included; a fresh
process of Django alone holds about 95 MiB). Exits 1
if a figure misses its target: the final report in under 5 s and 300 MB, the programme
report in under 2 minutes.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.harness import WORK, setup_django

COHORT = 136
FINAL_SECONDS, FINAL_MIB = 5.0, 300.0
PROGRAMME_SECONDS = 120.0


def _reuse(database: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")
    os.environ["ALLOWED_HOSTS"] = "testserver"
    import django

    django.setup()


def _peak_rss_mib() -> float:
    """This process's peak resident memory. Not ``getrusage``'s: Linux carries a parent's
    peak over into the process it starts, while the kernel's high-water mark starts anew."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def make(report_id: int) -> None:
    """The worker's job for one report, in this process; prints its figures as JSON."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from icc.reports.actions import make_report

    # The worker imports WeasyPrint with its first report and keeps it; its import is
    # timed apart so that the job's time is what every report after the first takes.
    started = time.perf_counter()
    import weasyprint  # noqa: F401

    imported = time.perf_counter() - started
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        report = make_report(report_id=report_id)
    elapsed = time.perf_counter() - started
    assert report is not None and report.status == "ready", report and report.error
    print(
        json.dumps(
            {
                "seconds": elapsed,
                "import_seconds": imported,
                "queries": len(queries),
                "rss_mib": _peak_rss_mib(),
                "pdf_kib": report.pdf.size / 1024,
                "pages": report.pdf.open("rb").read().count(b"/Type /Page\n") or None,
            }
        )
    )


def _grow_cohort(programme: Any) -> int:
    """Copy demo cities, with their KPIs, measurements and actions, until the cohort has 136."""
    from icc.cities.models import City
    from icc.roadmaps.models import KPI, Action, Measurement, Opportunity

    cities = list(City.objects.filter(programme=programme).order_by("pk"))
    added = 0
    rng = random.Random(16)
    while len(cities) + added < COHORT:
        model = cities[added % len(cities)]
        copy = City.objects.get(pk=model.pk)
        copy.pk = None
        copy.name = f"{model.name} {added + 2}"
        copy.latitude = (model.latitude or Decimal(50)) + Decimal(f"{rng.uniform(-0.5, 0.5):.4f}")
        copy.save()
        for kpi in KPI.objects.filter(city=model):
            measurements = list(kpi.measurements.all())
            kpi.pk, kpi.city = None, copy
            kpi.save()
            Measurement.objects.bulk_create(
                [Measurement(kpi=kpi, date=m.date, value=m.value, source=m.source) for m in measurements]
            )
        opportunities = {}
        for opportunity in Opportunity.objects.filter(city=model):
            old = opportunity.pk
            opportunity.pk, opportunity.city = None, copy
            opportunity.save()
            opportunities[old] = opportunity
        for action in Action.objects.filter(city=model):
            action.pk, action.city, action.opportunity = None, copy, opportunities[action.opportunity_id]
            action.save()
        added += 1
    return added


def _second_round(city: Any) -> None:
    """A re-run of every assessment the city submitted, a little better than its baseline."""
    from icc.assessments.models import Answer, IndicatorValue, Response, ResponseStatus, Round

    for baseline in Response.objects.filter(city=city, round=Round.BASELINE, status=ResponseStatus.SUBMITTED):
        answers = list(baseline.answers.all())
        rerun, _created = Response.objects.update_or_create(
            city=city, instrument=baseline.instrument, round=Round.RERUN, defaults={"status": ResponseStatus.SUBMITTED}
        )
        rerun.answers.all().delete()
        Answer.objects.bulk_create(
            [
                Answer(
                    response=rerun,
                    question_id=a.question_id,
                    value=min(5, a.value + 1) if isinstance(a.value, int) else a.value,
                    unknown=a.unknown,
                )
                for a in answers
            ]
        )
    for value in IndicatorValue.objects.filter(city=city, round=Round.BASELINE):
        IndicatorValue.objects.update_or_create(
            city=city,
            indicator_id=value.indicator_id,
            round=Round.RERUN,
            defaults={"value": value.value * Decimal("1.1"), "year": value.year + 2, "submitted": True},
        )


HEAVY_KPIS, HEAVY_ACTIONS, MONTHS = 40, 120, 30


def _heavy(city: Any) -> None:
    """Bring the city to 40 KPIs measured every month for 30 months and 120 actions, a
    large city's final report (the demo's cities have a handful of each)."""
    import datetime as dt

    from icc.roadmaps.models import KPI, Action, ActionStatus, Measurement

    model = KPI.objects.filter(city=city).first()
    action = Action.objects.filter(city=city).first()
    assert model is not None and action is not None, "the demo city has a KPI and an action"
    rng = random.Random(5)
    start = model.baseline_date
    for n in range(KPI.objects.filter(city=city).count(), HEAVY_KPIS):
        kpi = KPI.objects.get(pk=model.pk)
        kpi.pk, kpi.name = None, f"{model.name} ({n + 1})"
        kpi.save()
        level = float(kpi.baseline_value)
        rows = []
        for month in range(1, MONTHS + 1):
            level *= 1 + rng.uniform(-0.03, 0.05)
            day = start + dt.timedelta(days=30 * month)
            rows.append(Measurement(kpi=kpi, date=day, value=Decimal(f"{level:.4f}"), source="benchmark"))
        Measurement.objects.bulk_create(rows)
    statuses = [ActionStatus.DONE, ActionStatus.IN_PROGRESS, ActionStatus.PLANNED, ActionStatus.DELAYED]
    for n in range(Action.objects.filter(city=city).count(), HEAVY_ACTIONS):
        copy = Action.objects.get(pk=action.pk)
        copy.pk, copy.title, copy.status = None, f"{action.title} ({n + 1})", statuses[n % len(statuses)]
        copy.spent = Decimal(rng.randrange(0, 200_000))
        copy.save()


def _run_job(report_id: int, database: Path) -> dict[str, float]:
    env = {**os.environ, "DATABASE_URL": os.environ["DATABASE_URL"]}
    out = subprocess.run(
        [sys.executable, __file__, "--make", str(report_id), "--database", str(database)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--reuse-database", action="store_true", help="keep an earlier run's benchmarks/.work/reports.sqlite3"
    )
    parser.add_argument("--make", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--database", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    database = WORK / "reports.sqlite3"
    if args.make is not None:
        if "DATABASE_URL" not in os.environ:
            _reuse(args.database or database)
        else:
            _reuse_settings()
        make(args.make)
        return 0
    reuse = args.reuse_database and database.exists() and "DATABASE_URL" not in os.environ
    started = time.perf_counter()
    if reuse:
        _reuse(database)
    else:
        setup_django("reports")
        from django.core.management import call_command

        call_command("load_demo", "--quiet-sign-ins")
    from django.db.models import Count

    from icc.accounts.models import Person
    from icc.cities.demo import PERSONA_EMAILS
    from icc.cities.models import City
    from icc.programmes.models import Programme
    from icc.reports.models import Report, ReportKind

    programme = Programme.objects.order_by("pk").first()
    assert programme is not None, "the demo programme did not load"
    added = 0 if reuse else _grow_cohort(programme)
    city = City.objects.filter(programme=programme).annotate(n=Count("kpis")).order_by("-n", "pk").first()
    assert city is not None
    if not reuse:
        _second_round(city)
        _heavy(city)
    organiser = Person.objects.get(email=PERSONA_EMAILS["organiser"])
    cities = City.objects.filter(programme=programme).count()
    print(
        f"{programme.name}: {cities} cities ({added} copied), {'reused' if reuse else 'built'} in "
        f"{time.perf_counter() - started:.0f} s; final report of {city.name} "
        f"({city.kpis.count()} KPIs, {city.actions.count()} actions)\n"
    )
    # Queued as request_report queues them, for the job started below to make.
    final = Report.objects.create(city=city, kind=ReportKind.FINAL, language="en", requested_by=organiser)
    cohort = Report.objects.create(
        programme=programme, kind=ReportKind.PROGRAMME, language="en", requested_by=organiser
    )
    from django.db import connections

    connections.close_all()
    print(f"  {'report':<34} {'time':>8} {'queries':>8} {'peak RSS':>10} {'PDF':>8}   target")
    imports = []
    failed = False
    for label, report, seconds, mib in (
        (f"final report ({city.name})", final, FINAL_SECONDS, FINAL_MIB),
        (f"programme report ({cities} cities)", cohort, PROGRAMME_SECONDS, None),
    ):
        figures = _run_job(report.pk, database)
        imports.append(figures["import_seconds"])
        missed = figures["seconds"] >= seconds or (mib is not None and figures["rss_mib"] >= mib)
        failed |= missed
        target = f"< {seconds:.0f} s" + (f", < {mib:.0f} MB" if mib else "")
        print(
            f"  {label:<34} {figures['seconds']:6.2f} s {figures['queries']:8.0f} {figures['rss_mib']:6.0f} MiB"
            f" {figures['pdf_kib']:5.0f} KiB   {target}: {'missed' if missed else 'met'}",
            flush=True,
        )
    print(
        f"\n  WeasyPrint's import, once a worker process, not in the times: {max(imports):.2f} s;"
        f" {os.getloadavg()[0]:.1f} load average"
    )
    return 1 if failed else 0


def _reuse_settings() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")
    os.environ["ALLOWED_HOSTS"] = "testserver"
    import django

    django.setup()


if __name__ == "__main__":
    sys.exit(main())
