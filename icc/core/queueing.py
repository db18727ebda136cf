"""Writes that arrive by the hundred a second, queued in turn on SQLite.

SQLite takes one writer at a time. A writer that finds the database locked does not wait
in line: SQLite's busy handler puts it to sleep for 1, 2, 5 … up to 100 ms and tries
again, so under a poll on the evening news a few answers wait far longer than the rest,
and the slowest hundredth of them takes hundreds of milliseconds although each write
holds the lock for under a millisecond. :func:`queued_atomic` makes those writers wait
on a lock file next to the database instead: the kernel wakes the next one as soon as
the last one is done.

PostgreSQL takes concurrent writers itself: there it is ``transaction.atomic()`` and
nothing more, as it is inside a transaction already open and for a database without a
file (SQLite in memory, as the tests use).
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import DEFAULT_DB_ALIAS, connections, transaction

# Per process (a worker forked from a parent must not share the parent's open file: the
# lock belongs to the open file, so parent and children would all hold it at once).
_open: dict[str, tuple[int, int]] = {}


def lock_path(using: str = DEFAULT_DB_ALIAS) -> Path | None:
    """The lock file of a SQLite database stored in a file; None for any other database."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return None
    name = str(connection.settings_dict["NAME"] or "")
    in_memory = getattr(connection, "is_in_memory_db", lambda: True)()
    if not name or name == ":memory:" or name.startswith("file:") or in_memory:
        return None
    return Path(f"{name}-writers.lock")


def _descriptor(path: Path) -> int:
    key = str(path)
    found = _open.get(key)
    if found is not None and found[0] == os.getpid():
        return found[1]
    descriptor = os.open(key, os.O_RDWR | os.O_CREAT, 0o600)
    _open[key] = (os.getpid(), descriptor)
    return descriptor


@contextmanager
def queued_atomic(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """``transaction.atomic()``, entered in turn with the other writers of a SQLite file."""
    path = lock_path(using)
    if path is None or connections[using].in_atomic_block:
        with transaction.atomic(using=using):
            yield
        return
    descriptor = _descriptor(path)
    fcntl.flock(descriptor, fcntl.LOCK_EX)
    try:
        with transaction.atomic(using=using):
            yield
    finally:
        fcntl.flock(descriptor, fcntl.LOCK_UN)
