"""Searching everything a signed-in person may open, in one box.

What a person types is never handed to the database's query language: it is cut into
words (letters and digits), at most :data:`MAX_WORDS` of them, each searched as a prefix,
all of them required. So quotes, ``*``, ``NEAR``, ``OR`` or unbalanced brackets are just
words or nothing, and 10,000 characters are the first few words.

Who finds what follows the pages' own rules, taken from the apps' access modules: a
city, its actions and KPIs if one may open the city's page (or owns the action); a
toolbox item if it is shared with one; a message if one is in its channel; a person only for the programme team of their
programme, as the people pages are theirs.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import EmptyResultSet
from django.db import connection

from icc.search.models import Entry, Kind

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from icc.accounts.models import Person

MAX_WORDS = 8
MAX_WORD = 40
LIMIT = 30
# A subquery of no rows, for someone with no toolbox in reach.
NOTHING = "SELECT 0 WHERE 1 = 0"
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


@dataclass(frozen=True)
class Scope:
    """What ``person`` may find: ids the query checks against, and the toolbox items they
    may open as the toolbox's own query (compiled SQL and its parameters)."""

    cities: list[int]
    actions: list[int]
    team_programmes: list[int]
    items_sql: str
    items_params: tuple[Any, ...]
    posts_sql: str
    posts_params: tuple[Any, ...]


def words(text: str) -> list[str]:
    return [w[:MAX_WORD] for w in _WORD.findall((text or "")[:2000])][:MAX_WORDS]


def scope_of(person: Person | AnonymousUser) -> Scope:
    """What ``person`` may find, kept under the data version (a change of roles, channels,
    items or cities makes it unreachable at once); read afresh inside a transaction."""
    from icc.core import dataversion

    if connection.in_atomic_block or not person.is_authenticated:
        return _scope(person)
    return dataversion.cached(f"search-scope:{person.pk}", dataversion.current(), lambda: _scope(person))


def _scope(person: Person | AnonymousUser) -> Scope:
    from django.db.models import Q

    from icc.channels.access import openable_posts
    from icc.cities.access import visible_city_ids
    from icc.cities.models import RoleKind
    from icc.cities.roles import roles_of
    from icc.library.access import may_use_library, visible_items
    from icc.library.models import Item
    from icc.programmes.models import Programme
    from icc.roadmaps.models import Action

    programmes = (
        Programme.objects.all()
        if person.is_superuser
        else Programme.objects.filter(roles__person_id=int(person.pk or 0))
    )
    teams = roles_of(person).filter(kind=RoleKind.PROGRAMME_TEAM).values_list("programme", flat=True)
    team_programmes = [p.pk for p in programmes.distinct()] if person.is_superuser else list(teams)
    reach = Q(pk__in=[])
    for programme in programmes.distinct():
        if may_use_library(person, programme):
            reach |= Q(pk__in=visible_items(person, programme).values("pk"))
    try:
        items_sql, items_params = Item.objects.filter(reach).values("pk").query.sql_with_params()
    except EmptyResultSet:  # no toolbox in reach
        items_sql, items_params = NOTHING, ()
    posts_sql, posts_params = _compiled(openable_posts(person, None))
    owned = list(Action.objects.owned_by(person).values_list("pk", flat=True))
    return Scope(
        sorted(visible_city_ids(person)),
        owned,
        team_programmes,
        items_sql,
        tuple(items_params),
        posts_sql,
        posts_params,
    )


def _compiled(queryset: Any) -> tuple[str, tuple[Any, ...]]:
    """The SQL of a queryset of ids, or a subquery of no rows when nothing is in reach."""
    try:
        sql, params = queryset.values("pk").query.sql_with_params()
    except EmptyResultSet:
        return NOTHING, ()
    return sql, tuple(params)


@dataclass(frozen=True)
class Hit:
    kind: str
    object_id: int
    title: str
    city_id: int | None


def _sqlite(terms: list[str], scope: Scope, limit: int) -> list[tuple[Any, ...]]:
    match = " ".join('"' + t.replace('"', '""') + '"*' for t in terms)
    sql = f"""
        SELECT e.kind, e.object_id, e.title, e.city_id
        FROM search_entry_fts f JOIN search_entry e ON e.id = f.rowid
        WHERE search_entry_fts MATCH %s AND (
            (e.kind IN ('city', 'kpi') AND e.city_id IN (SELECT value FROM json_each(%s)))
            OR (e.kind = 'action' AND (e.city_id IN (SELECT value FROM json_each(%s))
                                       OR e.object_id IN (SELECT value FROM json_each(%s))))
            OR (e.kind = 'item' AND e.object_id IN ({scope.items_sql}))
            OR (e.kind = 'post' AND e.object_id IN ({scope.posts_sql}))
            OR (e.kind = 'person' AND e.programme_id IN (SELECT value FROM json_each(%s)))
        )
        ORDER BY f.rank LIMIT %s
    """  # noqa: S608 - the toolbox's own compiled query, its values passed as parameters
    cities = json.dumps(scope.cities)
    params: list[Any] = [
        match,
        cities,
        cities,
        json.dumps(scope.actions),
        *scope.items_params,
        *scope.posts_params,
        json.dumps(scope.team_programmes),
        limit,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def _postgres(terms: list[str], scope: Scope, limit: int) -> list[tuple[Any, ...]]:
    # Each term is letters and digits only (see ``words``): safe inside to_tsquery.
    query = " & ".join(f"{t}:*" for t in terms)
    document = "e.words"  # the stored tsvector column (see the migration)
    sql = f"""
        SELECT e.kind, e.object_id, e.title, e.city_id
        FROM search_entry e, to_tsquery('simple'::regconfig, %s) q
        WHERE {document} @@ q AND (
            (e.kind IN ('city', 'kpi') AND e.city_id = ANY(%s))
            OR (e.kind = 'action' AND (e.city_id = ANY(%s) OR e.object_id = ANY(%s)))
            OR (e.kind = 'item' AND e.object_id IN ({scope.items_sql}))
            OR (e.kind = 'post' AND e.object_id IN ({scope.posts_sql}))
            OR (e.kind = 'person' AND e.programme_id = ANY(%s))
        )
        ORDER BY ts_rank({document}, q) DESC, e.id LIMIT %s
    """  # noqa: S608 - a fixed expression and the toolbox's own compiled query, its values as parameters
    params: list[Any] = [
        query,
        scope.cities,
        scope.cities,
        scope.actions,
        *scope.items_params,
        *scope.posts_params,
        scope.team_programmes,
        limit,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def search(person: Person | AnonymousUser, text: str, *, limit: int = LIMIT) -> list[Hit]:
    """The best matches of ``text`` that ``person`` may open, best first."""
    terms = words(text)
    if not terms or not person.is_authenticated:
        return []
    scope = scope_of(person)
    run = _postgres if connection.vendor == "postgresql" else _sqlite
    return [Hit(kind, object_id, title, city_id) for kind, object_id, title, city_id in run(terms, scope, limit)]


__all__ = ["Entry", "Hit", "Kind", "search"]
