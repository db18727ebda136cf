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
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.harness import measure, setup_django


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


def run(size: int) -> None:
    from django.test import Client
    from django.urls import reverse

    from icc.journey.actions import generate_schedules, install_template

    print(f"\n{size} cities", flush=True)
    programme, organiser = make_cohort(size)
    install_template(programme=programme)
    measure("generate all schedules", lambda: generate_schedules(programme=programme))
    measure("regenerate (nothing changes)", lambda: generate_schedules(programme=programme))
    client = Client()
    client.force_login(organiser)
    url = reverse("journey:cohort", kwargs={"slug": programme.slug})

    def render() -> str:
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        return f"{len(response.content) // 1024} KiB"

    render()
    measure("render the cohort view", render)


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
    setup_django(f"journey-{sizes[0]}")
    run(sizes[0])


if __name__ == "__main__":
    main()
