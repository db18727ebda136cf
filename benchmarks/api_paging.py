"""Benchmark: paging through KPI measurements with a personal access token, at scale.

    .venv/bin/python benchmarks/api_paging.py                  # 136 cities: 244,800 measurements
    .venv/bin/python benchmarks/api_paging.py --cities 20 --kpis 100 --limit 10

Builds the roadmap benchmark's cohort (benchmarks/roadmaps.py: per city 50 KPIs with 36
monthly measurements) in a fresh SQLite database under benchmarks/.work/ (or the one
DATABASE_URL names, emptied first), makes a token of the programme organiser with the
``kpis:read`` scope, and then pages through the measurements of ``--kpis`` KPIs spread
over every city, following each answer's ``next`` address, through Django's test client.
Every page is timed; the script prints median and 95th-percentile latency per page and
SQL queries per page, and fails if a page does not answer 200.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.harness import setup_django
from benchmarks.roadmaps import make_cohort


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cities", type=int, default=136)
    parser.add_argument("--kpis", type=int, default=500, help="KPIs whose measurements are paged through")
    parser.add_argument("--limit", type=int, default=10, help="measurements per page")
    args = parser.parse_args()
    setup_django("api_paging")
    from django.conf import settings
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from icc.api.actions import create_token
    from icc.api.models import Scope
    from icc.roadmaps.models import KPI, Measurement

    # The benchmark's requests are no abuse: lift the token's rate for the run.
    settings.API_TOKEN_RATE_LIMIT = 10**9
    started = time.perf_counter()
    with transaction.atomic():
        _programme, _city, organiser = make_cohort(args.cities)
    total = Measurement.objects.count()
    print(f"{args.cities} cities: {total:,} measurements, built in {time.perf_counter() - started:.1f} s")
    _token, secret = create_token(owner=organiser, name="benchmark", scopes=[Scope.KPIS])
    client = Client(headers={"authorization": f"Bearer {secret}"})
    ids = list(KPI.objects.order_by("pk").values_list("pk", flat=True))
    stride = max(len(ids) // max(args.kpis, 1), 1)
    chosen = ids[::stride][: args.kpis]
    client.get(f"/api/v1/kpis/{chosen[0]}/measurements")  # warm-up
    times: list[float] = []
    queries: list[int] = []
    read = 0
    for kpi_id in chosen:
        url: str | None = f"/api/v1/kpis/{kpi_id}/measurements?limit={args.limit}"
        while url:
            with CaptureQueriesContext(connection) as captured:
                begun = time.perf_counter()
                response = client.get(url)
                times.append(time.perf_counter() - begun)
            if response.status_code != 200:
                sys.exit(f"{url} answered {response.status_code}")
            queries.append(len(captured))
            body = response.json()
            read += len(body["results"])
            url = body["next"].removeprefix("http://testserver") if body["next"] else None
    p95 = statistics.quantiles(times, n=20)[-1] if len(times) >= 2 else times[0]
    print(f"paged through {read:,} measurements of {len(chosen)} KPIs in {len(times):,} pages of {args.limit}\n")
    print(f"  {'page of measurements':<28} {'median':>9} {'p95':>9} {'queries':>8}")
    label = f"limit={args.limit}"
    print(f"  {label:<28} {statistics.median(times) * 1000:7.1f} ms {p95 * 1000:7.1f} ms {max(queries):8d}")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak RSS of the process: {rss:.0f} MiB")
    if p95 > 0.1:
        sys.exit("p95 per page is over 100 ms")


if __name__ == "__main__":
    main()
