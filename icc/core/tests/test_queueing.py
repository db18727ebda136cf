"""Busy writes wait their turn on a lock file next to a SQLite database."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from icc.core import queueing
from icc.core.models import DataVersion


def _held_elsewhere(path: Path) -> bool:
    """Whether another open file of ``path`` could not take the lock now."""
    descriptor = os.open(path, os.O_RDWR)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    else:
        fcntl.flock(descriptor, fcntl.LOCK_UN)
        return False
    finally:
        os.close(descriptor)


@pytest.fixture
def file_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    if connection.vendor != "sqlite":
        pytest.skip("the lock file is for SQLite; PostgreSQL queues its writers itself")
    name = tmp_path / "icc.sqlite3"
    monkeypatch.setitem(connection.settings_dict, "NAME", str(name))
    monkeypatch.setattr(connection, "is_in_memory_db", lambda: False)
    monkeypatch.setattr(queueing, "_open", {})
    return Path(f"{name}-writers.lock")


def test_a_file_database_has_a_lock_file_beside_it(file_database: Path) -> None:
    assert queueing.lock_path() == file_database


@pytest.mark.django_db(transaction=True)
def test_the_lock_is_held_for_the_transaction_and_released_after(
    file_database: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[bool] = []
    real_atomic = queueing.transaction.atomic

    def watching_atomic(*args: Any, **kwargs: Any) -> Any:
        seen.append(_held_elsewhere(file_database))
        return real_atomic(*args, **kwargs)

    monkeypatch.setattr(queueing.transaction, "atomic", watching_atomic)
    with queueing.queued_atomic():
        assert _held_elsewhere(file_database)
        DataVersion.objects.count()
    assert seen == [True]
    assert not _held_elsewhere(file_database)


@pytest.mark.django_db(transaction=True)
def test_the_lock_is_released_when_the_transaction_fails(file_database: Path) -> None:
    with pytest.raises(ZeroDivisionError), queueing.queued_atomic():
        assert _held_elsewhere(file_database)
        _ = 1 / 0
    assert not _held_elsewhere(file_database)


def test_a_forked_worker_opens_the_lock_file_again(file_database: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = queueing._descriptor(file_database)
    assert queueing._descriptor(file_database) == first
    monkeypatch.setattr(queueing.os, "getpid", lambda: -1)
    assert queueing._descriptor(file_database) != first


@pytest.mark.django_db
def test_in_memory_or_inside_a_transaction_it_is_just_a_transaction() -> None:
    # The test database is in memory (SQLite) or PostgreSQL: no lock file.
    assert queueing.lock_path() is None
    with queueing.queued_atomic():
        assert connection.in_atomic_block
