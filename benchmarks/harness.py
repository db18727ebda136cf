"""What the in-process benchmarks share: a fresh database and a measured step."""

from __future__ import annotations

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


def setup_django(name: str) -> None:
    """Django on a fresh SQLite database in benchmarks/.work (or DATABASE_URL's, emptied)."""
    sys.path.insert(0, str(ROOT))
    WORK.mkdir(parents=True, exist_ok=True)
    database = WORK / f"{name}.sqlite3"
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


def measure(label: str, work: Callable[[], Any]) -> None:
    """Run ``work`` and print its wall time, SQL queries, Python allocations and peak RSS."""
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
    print(
        f"  {label:<40} {elapsed:7.2f} s {len(queries):6d} queries {peak / 1_048_576:7.1f} MiB allocated"
        f" {rss:6.0f} MiB peak RSS  {result}",
        flush=True,
    )
