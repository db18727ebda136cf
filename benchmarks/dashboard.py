"""Benchmark: the programme office's dashboard with the full demo programme.

    .venv/bin/python benchmarks/dashboard.py              # 50 requests each way
    .venv/bin/python benchmarks/dashboard.py --repeat 200 --reuse-database

In a fresh SQLite database under benchmarks/.work/ (or the one DATABASE_URL names, emptied
first), ``migrate`` and ``load_demo`` build the demo edition (118 cities with their
deliverables, events, KPIs, TAGs and surveys), as ``python3 dev.py up`` does, and the demo's
closed surveys are released as icc/dashboard/demo.py releases them. The dashboard
is then requested through Django's test client, signed in as the demo organiser:

- computed: the cache emptied before every request, so each one reads the data, draws the
  charts and the map and renders the page (what the first visitor after a change waits for);
- cached: the page as every later visitor gets it until the data changes (the content is
  kept under the data version, see icc/core/dataversion.py).

As in the server (config/wsgi.py), everything loaded before the first measured request is
moved out of the garbage collector's sight. It prints the median and 95th-percentile latency, the SQL queries per request and the
process's peak RSS, and exits 1 if a p95 misses the target of 100 ms.
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.harness import WORK, setup_django

TARGET_P95_MS = 100.0


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def timed(client: Any, url: str, repeat: int, *, clear: bool) -> tuple[list[float], int]:
    """Latencies of ``repeat`` requests, and the SQL queries of one more, counted apart: the
    debug cursor that counts them quotes every parameter and would add to the time."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    for _ in range(repeat):
        if clear:
            cache.clear()
        started = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
    if clear:
        cache.clear()
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return times, len(captured)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=50, help="requests each way (default: 50)")
    parser.add_argument(
        "--reuse-database",
        action="store_true",
        help="keep the demo database of an earlier run (benchmarks/.work/dashboard.sqlite3) if there is one",
    )
    args = parser.parse_args()
    database = WORK / "dashboard.sqlite3"
    reuse = args.reuse_database and database.exists() and "DATABASE_URL" not in os.environ
    started = time.perf_counter()
    if reuse:
        os.environ["DATABASE_URL"] = f"sqlite:///{database}"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")
        os.environ["ALLOWED_HOSTS"] = "testserver"
        import django

        django.setup()
    else:
        setup_django("dashboard")
        from django.core.management import call_command

        call_command("load_demo", "--quiet-sign-ins")
    from django.test import Client
    from django.urls import reverse

    from icc.accounts.models import Person
    from icc.cities.demo import PERSONA_EMAILS
    from icc.cities.models import City
    from icc.dashboard.demo import record_demo_dashboard
    from icc.programmes.models import Programme

    programme = Programme.objects.order_by("pk").first()
    assert programme is not None, "the demo programme did not load"
    # What load_demo does once it calls it; releasing is done once, so a reused database keeps its release.
    record_demo_dashboard(programme=programme)
    print(
        f"{programme.name}: {City.objects.filter(programme=programme).count()} cities, "
        f"{'reused' if reuse else 'built'} in {time.perf_counter() - started:.1f} s\n"
    )
    client = Client()
    client.force_login(Person.objects.get(email=PERSONA_EMAILS["organiser"]))
    url = reverse("dashboard:dashboard", kwargs={"slug": programme.slug})
    client.get(url)  # the first request loads the URL map, the templates and the outlines
    # As config/wsgi.py does in the server before it forks: what is loaded so far lives as
    # long as the process, so garbage collections during a request need not walk it. Here
    # that includes what load_demo left behind, which the server never holds.
    gc.collect()
    gc.freeze()
    print(f"  {'dashboard':<28} {'median':>9} {'p95':>9} {'queries':>8}")
    failed = False
    for label, clear in (("computed (cache emptied)", True), ("cached (same data)", False)):
        times, queries = timed(client, url, args.repeat, clear=clear)
        median, p95 = statistics.median(times) * 1000, _percentile(times, 0.95) * 1000
        failed |= p95 >= TARGET_P95_MS
        print(f"  {label:<28} {median:7.1f} ms {p95:7.1f} ms {queries:8d}", flush=True)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"\n  target: p95 under {TARGET_P95_MS:.0f} ms; peak RSS {rss:.0f} MiB; {os.getloadavg()[0]:.1f} load average"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
