"""Searching everything a signed-in person may open, in one box.

What a person types is never handed to the database's query language: it is cut into
words (letters and digits), at most :data:`MAX_WORDS` of them, each searched as a prefix,
all of them required. So quotes, ``*``, ``NEAR``, ``OR`` or unbalanced brackets are just
words or nothing, and 10,000 characters are the first few words.

Who finds what follows the pages' own rules, taken from the apps' access modules: a
city, its actions and KPIs if one may open the city's page (or owns the action); a
toolbox item if it is shared with one; a message if one is in its channel; a marketplace
solution or challenge if the marketplace shows it to one; a person only for the programme
team of their programme, as the people pages are theirs. Titles come first: see :func:`_best`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Lookup, Q
from django.db.models.expressions import RawSQL

from icc.search.folding import fold
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
    """What ``person`` may find: ids the query checks against, and for toolbox items,
    messages and marketplace content the owning app's own query (compiled SQL and its
    parameters). ``item_programmes`` are the programmes whose whole toolbox is open to
    them (their programme team), checked by a column instead of a subquery."""

    cities: list[int]
    actions: list[int]
    team_programmes: list[int]
    item_programmes: list[int]
    items_sql: str
    items_params: tuple[Any, ...]
    posts_sql: str
    posts_params: tuple[Any, ...]
    solutions_sql: str
    solutions_params: tuple[Any, ...]
    challenges_sql: str
    challenges_params: tuple[Any, ...]


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
    from icc.channels.access import openable_posts
    from icc.cities.access import visible_city_ids
    from icc.cities.models import RoleKind
    from icc.cities.roles import roles_of
    from icc.library.access import may_use_library, visible_items
    from icc.library.models import Item
    from icc.marketplace.access import visible_challenges, visible_solutions
    from icc.marketplace.models import Challenge, Solution
    from icc.programmes.models import Programme
    from icc.roadmaps.models import Action

    programmes = list(
        (
            Programme.objects.all()
            if person.is_superuser
            else Programme.objects.filter(roles__person_id=int(person.pk or 0))
        ).distinct()
    )
    teams = roles_of(person).filter(kind=RoleKind.PROGRAMME_TEAM).values_list("programme", flat=True)
    team_programmes = [p.pk for p in programmes] if person.is_superuser else list(teams)
    # Each app's own queryset, one per programme, joined by OR into one WHERE (``|``), so
    # that the check of an entry is a primary-key lookup with plain conditions.
    items, solutions, challenges = Item.objects.none(), Solution.objects.none(), Challenge.objects.none()
    whole_toolbox = []
    for programme in programmes:
        if not may_use_library(person, programme):
            continue
        if programme.pk in team_programmes:
            whole_toolbox.append(programme.pk)
        else:
            items |= visible_items(person, programme, read_once=True)
        solutions |= visible_solutions(person, programme)
        challenges |= visible_challenges(person, programme)
    items_sql, items_params = _compiled(items)
    posts_sql, posts_params = _compiled(openable_posts(person, None, read_once=True))
    solutions_sql, solutions_params = _compiled(solutions)
    challenges_sql, challenges_params = _compiled(challenges)
    owned = list(Action.objects.owned_by(person).values_list("pk", flat=True))
    return Scope(
        sorted(visible_city_ids(person)),
        owned,
        team_programmes,
        whole_toolbox,
        items_sql,
        items_params,
        posts_sql,
        posts_params,
        solutions_sql,
        solutions_params,
        challenges_sql,
        challenges_params,
    )


def _compiled(queryset: Any) -> tuple[str, tuple[Any, ...]]:
    """The SQL of ``queryset`` narrowed to the entry's own object (``e.object_id``), for an
    ``EXISTS`` the database answers by primary key for each matching entry only; or a
    subquery of no rows when nothing is in reach."""
    try:
        own = queryset.filter(pk=RawSQL("e.object_id", ())).order_by()
        sql, params = own.values("pk").query.sql_with_params()
    except EmptyResultSet:
        return NOTHING, ()
    return sql, tuple(params)


@dataclass(frozen=True)
class Hit:
    kind: str
    object_id: int
    title: str
    city_id: int | None


# Who may find an entry, in both databases' SQL: each ``{…}`` list test is how the backend
# tests a value against a list passed as one parameter.
_REACH = """(
    (e.kind IN ('city', 'kpi') AND e.city_id {cities})
    OR (e.kind = 'action' AND (e.city_id {cities} OR e.object_id {actions}))
    OR (e.kind = 'item' AND (e.programme_id {item_programmes} OR EXISTS ({items_sql})))
    OR (e.kind = 'post' AND EXISTS ({posts_sql}))
    OR (e.kind = 'solution' AND EXISTS ({solutions_sql}))
    OR (e.kind = 'need' AND EXISTS ({challenges_sql}))
    OR (e.kind = 'person' AND e.programme_id {team_programmes})
)"""


def _reach(scope: Scope, in_list: str, as_list: Any) -> tuple[str, list[Any]]:
    """The reach clause and its parameters, in the order they appear in it."""
    sql = _REACH.format(
        cities=in_list,
        actions=in_list,
        item_programmes=in_list,
        team_programmes=in_list,
        items_sql=scope.items_sql,
        posts_sql=scope.posts_sql,
        solutions_sql=scope.solutions_sql,
        challenges_sql=scope.challenges_sql,
    )
    params: list[Any] = [
        as_list(scope.cities),
        as_list(scope.cities),
        as_list(scope.actions),
        as_list(scope.item_programmes),
        *scope.items_params,
        *scope.posts_params,
        *scope.solutions_params,
        *scope.challenges_params,
        as_list(scope.team_programmes),
    ]
    return sql, params


def _sqlite_match(terms: list[str], *, title_only: bool = False) -> str:
    phrase = " ".join('"' + t.replace('"', '""') + '"*' for t in terms)
    return f"title : ({phrase})" if title_only else phrase


def _postgres_match(terms: list[str]) -> str:
    # Each term is letters and digits only (see ``words``): safe inside to_tsquery. Folded as
    # the stored words are (see ``folding``).
    return " & ".join(f"{fold(t)}:*" for t in terms)


def _ranked(terms: list[str], scope: Scope, limit: int, *, title_only: bool, skip: list[int]) -> list[tuple[Any, ...]]:
    """One ranked query: entries whose words (or, with ``title_only``, whose titles)
    hold every term, that ``person`` may open, except the ``skip`` entry ids."""
    if connection.vendor == "postgresql":
        reach, reach_params = _reach(scope, "= ANY(%s)", list)
        words = "e.title_words" if title_only else "e.words"  # stored and indexed (see the migrations)
        sql = f"""
            SELECT e.id, e.kind, e.object_id, e.title, e.city_id
            FROM search_entry e, to_tsquery('simple'::regconfig, %s) q
            WHERE {words} @@ q AND NOT e.id = ANY(%s) AND {reach}
            ORDER BY ts_rank({words}, q) DESC, e.id LIMIT %s
        """  # noqa: S608 - fixed clauses and the apps' own compiled queries, values as parameters
        params = [_postgres_match(terms), skip, *reach_params, limit]
    else:
        reach, reach_params = _reach(scope, "IN (SELECT value FROM json_each(%s))", json.dumps)
        sql = f"""
            SELECT e.id, e.kind, e.object_id, e.title, e.city_id
            FROM search_entry_fts f CROSS JOIN search_entry e ON e.id = f.rowid
            WHERE search_entry_fts MATCH %s AND e.id NOT IN (SELECT value FROM json_each(%s)) AND {reach}
            ORDER BY f.rank LIMIT %s
        """  # noqa: S608 - fixed clauses and the apps' own compiled queries, values as parameters
        params = [_sqlite_match(terms, title_only=title_only), json.dumps(skip), *reach_params, limit]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def _best(terms: list[str], scope: Scope, limit: int) -> list[tuple[Any, ...]]:
    """Entries with every term in their title first, then those with the terms anywhere,
    each group by the database's own relevance ranking. Ranking only the titles first keeps
    a word that is in half of all texts from having every one of its matches ranked."""
    rows = _ranked(terms, scope, limit, title_only=True, skip=[])
    if len(rows) < limit:
        rows += _ranked(terms, scope, limit - len(rows), title_only=False, skip=[row[0] for row in rows])
    return rows


def matching_id_list(kind: str, text: str) -> list[int]:
    """The ids of ``kind``'s entries holding every word of ``text``, read once: for a
    page that filters several queries by them (see :func:`among`)."""
    found = _matching(kind, text)
    if found is None:
        return []
    with connection.cursor() as cursor:
        cursor.execute(*found)
        return [row[0] for row in cursor.fetchall()]


class AmongIds(Lookup):
    """``field__among=[ids]``: the value is one of ``ids``, passed as one parameter (not one
    per id): an array compared with ``= ANY`` on PostgreSQL, a JSON array read by
    ``json_each`` on SQLite. Registered on integer fields by the search app."""

    lookup_name = "among"
    prepare_rhs = False  # a list of ids, not one value of the field

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, params = self.process_lhs(compiler, connection)
        ids = [int(pk) for pk in self.rhs]
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s::bigint[])", [*params, ids]
        return f"{lhs} IN (SELECT value FROM json_each(%s))", [*params, json.dumps(ids)]  # noqa: S608 - a column


def among(ids: list[int]) -> Q:
    """A filter to the rows whose primary key is one of ``ids`` (see :class:`AmongIds`)."""
    return Q(pk__among=ids)


# On SQLite the full-text table comes first (CROSS JOIN keeps the order): the other way
# round, the planner may run the whole MATCH again for each entry.


def _matching(kind: str, text: str) -> tuple[str, tuple[str, str]] | None:
    terms = words(text)
    if not terms:
        return None
    if connection.vendor == "postgresql":
        sql = (
            "SELECT e.object_id FROM search_entry e"
            " WHERE e.kind = %s AND e.words @@ to_tsquery('simple'::regconfig, %s)"
        )
        return sql, (kind, _postgres_match(terms))
    sql = (
        "SELECT e.object_id FROM search_entry_fts f CROSS JOIN search_entry e ON e.id = f.rowid"
        " WHERE search_entry_fts MATCH %s AND e.kind = %s"
    )
    return sql, (_sqlite_match(terms), kind)


def matching_ids(kind: str, text: str) -> RawSQL:
    """A subquery of the ids of ``kind``'s entries holding every word of ``text``, for a
    queryset's ``pk__in``: the owning app filters by its own rules around it."""
    found = _matching(kind, text)
    return RawSQL(*found) if found else RawSQL(NOTHING, ())  # noqa: S611 - fixed SQL, values as parameters


def search(person: Person | AnonymousUser, text: str, *, limit: int = LIMIT) -> list[Hit]:
    """The best matches of ``text`` that ``person`` may open, best first."""
    terms = words(text)
    if not terms or not person.is_authenticated:
        return []
    rows = _best(terms, scope_of(person), limit)
    return [Hit(kind, object_id, title, city_id) for _id, kind, object_id, title, city_id in rows]


__all__ = ["Entry", "Hit", "Kind", "search"]
