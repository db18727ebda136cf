"""Which open calls fit a roadmap action's funding gap, and why: pure Python, reasons as codes.

An action needs funding when its budget is more than what is secured for it. A call fits
the action when all of these hold:

- it is open: it has opened and its deadline is today or later;
- it shares a theme with the action (the themes of the action's city);
- the action's city is of a type the call admits, and in a country it admits (an empty
  list admits all);
- its deadline falls on or before the day the action ends, so the money can still serve it;
- its smallest grant is not more than the gap.

Of the calls that fit, an action keeps the ``limit`` whose deadlines come first: the ones
to act on next. Each kept match lists its reasons as :class:`Reason` codes with
parameters; the page words them in the reader's language.

The work is per city: the calls open to the city (type, country, theme) are found once and
sorted by deadline, then each action takes the first calls up to its own end date, so the
cost grows with actions × ``limit``, not actions × calls.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

LIMIT = 5
ZERO = Decimal(0)


@dataclass(frozen=True)
class Reason:
    code: str
    params: dict[str, object] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return {"code": self.code, "params": self.params}


@dataclass(frozen=True)
class Call:
    call_id: int
    theme_ids: frozenset[int]
    city_types: frozenset[str]  # empty: every type
    countries: frozenset[str]  # empty: every country
    opens_on: dt.date
    deadline: dt.date
    co_funding_rate: int
    min_amount: Decimal | None
    max_amount: Decimal | None


@dataclass(frozen=True)
class Need:
    action_id: int
    city_id: int
    city_type: str
    country: str
    theme_ids: frozenset[int]
    ends_on: dt.date
    gap: Decimal


@dataclass(frozen=True)
class Match:
    action_id: int
    city_id: int
    call_id: int
    rank: int
    gap: Decimal
    reasons: tuple[Reason, ...]


def gap(budget: Decimal | None, awarded: Decimal, *, secured: bool) -> Decimal:
    """What is still to be found: the budget less the awarded amounts; nothing when the
    action's funding is marked secured or it has no budget."""
    if budget is None or secured:
        return ZERO
    return max(budget - awarded, ZERO)


def is_open(call: Call, today: dt.date) -> bool:
    return call.opens_on <= today <= call.deadline


def _eligible(call: Call, city_type: str, country: str, theme_ids: frozenset[int]) -> bool:
    return (
        (not call.city_types or city_type in call.city_types)
        and (not call.countries or country in call.countries)
        and bool(call.theme_ids & theme_ids)
    )


def _call_reasons(call: Call, need: Need, today: dt.date) -> tuple[Reason, ...]:
    """The reasons that depend on the call and the city only (the same for every action of the city)."""
    return (
        Reason("theme", {"themes": sorted(call.theme_ids & need.theme_ids)}),
        Reason("city-type", {"type": need.city_type}) if call.city_types else Reason("any-city-type"),
        Reason("country", {"country": need.country}) if call.countries else Reason("any-country"),
        Reason("deadline", {"deadline": call.deadline.isoformat(), "days": (call.deadline - today).days}),
    )


def _action_reasons(call: Call, need: Need) -> tuple[Reason, ...]:
    reasons = [Reason("before-action-ends", {"ends_on": need.ends_on.isoformat()})]
    if call.max_amount is None:
        reasons.append(Reason("no-ceiling", {"gap": str(need.gap)}))
    elif call.max_amount >= need.gap:
        reasons.append(Reason("covers-gap", {"gap": str(need.gap), "max": str(call.max_amount)}))
    else:
        reasons.append(Reason("covers-part", {"gap": str(need.gap), "max": str(call.max_amount)}))
    if call.co_funding_rate < 100:
        own = (need.gap * (100 - call.co_funding_rate) / 100).quantize(Decimal("0.01"))
        reasons.append(Reason("co-funding", {"rate": call.co_funding_rate, "own_share": str(own)}))
    else:
        reasons.append(Reason("full-funding"))
    return tuple(reasons)


def _fits_amount(call: Call, need: Need) -> bool:
    return call.min_amount is None or call.min_amount <= need.gap


def match_city(needs: Sequence[Need], calls: Sequence[Call], today: dt.date, *, limit: int = LIMIT) -> list[Match]:
    """The matches of one city's ``needs`` among ``calls``: the needs share the city's type,
    country and themes."""
    if not needs:
        return []
    first = needs[0]
    themes = frozenset().union(*(n.theme_ids for n in needs))
    reachable = sorted(
        (c for c in calls if is_open(c, today) and _eligible(c, first.city_type, first.country, themes)),
        key=lambda c: (c.deadline, c.call_id),
    )
    deadlines = [c.deadline for c in reachable]
    shared: dict[int, tuple[Reason, ...]] = {}
    found: list[Match] = []
    for need in needs:
        if need.gap <= ZERO or need.ends_on < today:
            continue
        end = bisect.bisect_right(deadlines, need.ends_on)
        rank = 0
        for index in range(end):
            call = reachable[index]
            if not (call.theme_ids & need.theme_ids) or not _fits_amount(call, need):
                continue
            rank += 1
            if call.call_id not in shared:
                shared[call.call_id] = _call_reasons(call, need, today)
            reasons = shared[call.call_id] + _action_reasons(call, need)
            found.append(Match(need.action_id, need.city_id, call.call_id, rank, need.gap, reasons))
            if rank == limit:
                break
    return found


def match_all(needs: Iterable[Need], calls: Sequence[Call], today: dt.date, *, limit: int = LIMIT) -> list[Match]:
    """The matches of every need, city by city."""
    by_city: dict[int, list[Need]] = defaultdict(list)
    for need in needs:
        by_city[need.city_id].append(need)
    open_calls = [c for c in calls if is_open(c, today)]
    found: list[Match] = []
    for city_needs in by_city.values():
        found.extend(match_city(city_needs, open_calls, today, limit=limit))
    return found
