"""Cache what is slow to render, and never show it after the data behind it changed.

Every INSERT, UPDATE or DELETE on a table of the platform's data (whatever issues it: a
model's ``save()``, a queryset's ``update()``, ``bulk_create``, raw SQL) raises
:class:`~icc.core.models.DataVersion` by one in the same transaction, once per
transaction. Fragments are cached under the version read at the start of the request, so
a committed change makes them unreachable at once in every worker process, and a change
that is rolled back rolls its bump back with it. Tables that change on every visit
(sessions, sign-in attempts, the task queue) do not count.

Reading the version costs one indexed query per request; cached fragments themselves
live in Django's cache (per process without Redis, shared with it).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable
from typing import Any, TypeVar, cast

from django.core.cache import cache
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.http import HttpRequest
from django.utils import timezone, translation

T = TypeVar("T")
_MISSING = object()
TABLE = "core_dataversion"
# Citizens' answers and votes arrive by the hundred a second when a poll is on the news:
# they do not touch what cached pages show (results are counted live).
PARTICIPATION_TABLES = ("public_addresswindow", "consultations_submission", "consultations_answer", "ideas_ideavote")
# When a person last opened the toolbox or a channel changes on every visit, and a person's
# inbox (its notices, read or not, and their digest) with every notice: none shows on a
# cached page.
PERSONAL_TABLES = ("library_visit", "channels_visit", "inbox_")
IGNORED_PREFIXES = (
    "django_session",
    "django_migrations",
    "axes_",
    "django_tasks",
    TABLE,
    *PARTICIPATION_TABLES,
    *PERSONAL_TABLES,
)
# How long an unreachable fragment may sit in the cache before it is evicted anyway.
FRAGMENT_SECONDS = 60 * 60
_WRITE = re.compile(r'^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+"?([\w.]+)"?', re.IGNORECASE)
# An upsert, so that a database emptied by a test or a flush starts counting again.
_BUMP = (
    'INSERT INTO "core_dataversion" ("id", "number") VALUES (1, 1) '
    'ON CONFLICT ("id") DO UPDATE SET "number" = "core_dataversion"."number" + 1'
)


# Set when the version is read; a write after a read on the same connection (which sees
# its own uncommitted writes) bumps again even inside one transaction.
READ_FLAG = "icc_data_version_read"


def _written_table(sql: str) -> str | None:
    match = _WRITE.match(sql)
    return match.group(1) if match else None


def _bumped() -> None:
    """Marks, in the connection's on-commit list, that this transaction already bumped."""


class _Bumper:
    def __init__(self, connection: BaseDatabaseWrapper) -> None:
        self.connection = connection
        self.table_exists = False

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        result = execute(sql, params, many, context)
        table = _written_table(sql) if isinstance(sql, str) else None
        if table and not table.startswith(IGNORED_PREFIXES) and self._counting() and not self._already_bumped():
            with self.connection.cursor() as cursor:
                cursor.execute(_BUMP)
            if self.connection.in_atomic_block:
                # Removed by Django with the savepoint or transaction it belongs to, so a
                # rolled-back bump is not mistaken for one that will be committed.
                self.connection.on_commit(_bumped)
        return result

    def _counting(self) -> bool:
        """False until the migration that creates the version table has run."""
        if not self.table_exists:
            with self.connection.cursor() as cursor:
                self.table_exists = TABLE in self.connection.introspection.table_names(cursor)
        return self.table_exists

    def _already_bumped(self) -> bool:
        """Bumped in the live transaction, and nobody on this connection read the version since."""
        if not self.connection.in_atomic_block or getattr(self.connection, READ_FLAG, False):
            setattr(self.connection, READ_FLAG, False)
            return False
        return any(entry[1] is _bumped for entry in self.connection.run_on_commit)


def install(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """Connected to ``connection_created``: watch the writes of every new connection."""
    if not any(isinstance(wrapper, _Bumper) for wrapper in connection.execute_wrappers):
        connection.execute_wrappers.append(_Bumper(connection))


def current(request: HttpRequest | None = None, *, using: str = "default") -> int:
    """The data version, read once per request."""
    if request is not None and hasattr(request, "_icc_data_version"):
        return int(request._icc_data_version)
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute('SELECT "number" FROM "core_dataversion" WHERE "id" = 1')
        row = cursor.fetchone()
    setattr(connection, READ_FLAG, True)
    number = int(row[0]) if row else 0
    if request is not None:
        request._icc_data_version = number  # type: ignore[attr-defined]
    return number


def page_key(request: HttpRequest, page: str, pk: object, today: dt.date) -> str:
    """What a page's content depends on besides the data: who reads it, in which language
    and time zone, on which day, with which query string."""
    query = hashlib.sha256(repr(sorted(request.GET.lists())).encode()).hexdigest()[:32]
    user = getattr(request, "user", None)
    reader = user.pk if user is not None and user.is_authenticated else "-"
    where = f"{translation.get_language()}:{timezone.get_current_timezone_name()}:{today.isoformat()}"
    return f"{page}:{pk}:{reader}:{where}:{query}"


def cached(key: str, version: int, compute: Callable[[], T]) -> T:
    """``compute()``'s result (a rendered fragment, or something picklable), cached under
    ``key`` for data ``version``."""
    full_key = f"icc:fragment:{version}:{key}"
    value = cache.get(full_key, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(full_key, value, FRAGMENT_SECONDS)
    return cast(T, value)
