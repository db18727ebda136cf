"""Benchmark: generating every city's schedule, and rendering the cohort view.

    .venv/bin/python benchmarks/journey.py              # 136 cities, then 1,000
    .venv/bin/python benchmarks/journey.py --cities 136 # one size only

Each size runs in a fresh SQLite database under benchmarks/.work/ (or the database
DATABASE_URL names, which is emptied first). Prints wall time, SQL queries, the peak
memory Python allocated during the step and the process's peak RSS so far, for the first
generation, a second (no-op) generation, and the cohort view.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / ".work"
sys.path.insert(0, str(ROOT))


def setup_django(size: int) -> None:
    WORK.mkdir(parents=True, exist_ok=True)
    database = WORK / f"journey-{size}.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{database}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")
    os.environ["ALLOWED_HOSTS"] = "testserver"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", "--no-input", verbosity=0)
    if not os.environ["DATABASE_URL"].startswith("sqlite"):
        call_command("flush", "--no-input", verbosity=0)


def measure(label: str, work: Callable[[], Any]) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    tracemalloc.start()
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        result = work()
    elapsed = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    row = {"step": label, "seconds": elapsed, "queries": len(queries), "peak_mib": peak / 1_048_576, "result": result}
    print(
        f"  {label:<30} {elapsed:7.2f} s {len(queries):6d} queries {peak / 1_048_576:7.1f} MiB allocated"
        f" {rss:7.0f} MiB process peak RSS  {result}",
        flush=True,
    )
    return row


def make_cohort(size: int) -> Any:
    import datetime as dt

    from icc.accounts.models import Person
    from icc.cities.models import City, CityType, Role, RoleKind
    from icc.programmes.actions import create_programme

    programme = create_programme(name="Benchmark edition", slug="bench", first_month=dt.date(2025, 9, 1))
    themes = list(programme.themes.all())
    implementation = programme.phases.get(key="implementation")
    types = [CityType.EU_CORE] * 8 + [CityType.INTERNATIONAL_CORE, CityType.EU_MENTOR]
    City.objects.bulk_create(
        City(
            programme=programme,
            name=f"City {n:04d}",
            country="DE",
            time_zone=["Europe/Berlin", "Europe/Lisbon", "Asia/Seoul", "America/Toronto"][n % 4],
            type=types[n % len(types)],
            former_dcc=types[n % len(types)] == CityType.EU_CORE and n % 4 == 0,
            track=themes[n % len(themes)],
            current_phase=implementation,
        )
        for n in range(size)
    )
    organiser = Person.objects.create_user(email="organiser@bench.example", full_name="Organiser")
    Role.objects.create(person=organiser, programme=programme, kind=RoleKind.PROGRAMME_TEAM)
    return programme, organiser


def run(size: int) -> list[dict[str, Any]]:
    from django.test import Client
    from django.urls import reverse

    from icc.journey.actions import generate_schedules, install_template

    print(f"\n{size} cities", flush=True)
    programme, organiser = make_cohort(size)
    install_template(programme=programme)
    rows = [
        measure("generate all schedules", lambda: generate_schedules(programme=programme)),
        measure("regenerate (nothing changes)", lambda: generate_schedules(programme=programme)),
    ]
    client = Client()
    client.force_login(organiser)
    url = reverse("journey:cohort", kwargs={"slug": programme.slug})

    def render() -> str:
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        return f"{len(response.content) // 1024} KiB"

    render()
    rows.append(measure("render the cohort view", render))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cities", type=int, action="append", help="cohort size (repeatable); default 136 and 1000")
    args = parser.parse_args()
    sizes = args.cities or [136, 1000]
    if len(sizes) > 1:
        # Each size needs its own fresh process (Django is set up once per process).
        import subprocess

        for size in sizes:
            subprocess.run([sys.executable, __file__, "--cities", str(size)], check=True)
        return
    os.environ.setdefault("TZ", "UTC")
    setup_django(sizes[0])
    run(sizes[0])


if __name__ == "__main__":
    main()
