"""Forming thematic action groups (TAGs) and brain-date groups with CP-SAT.

TAG formation
-------------
Core cities are placed in TAGs of ``min_size`` to ``max_size`` cities, each led by one
mentor city; a mentor leads at most ``capacity`` TAGs and every TAG works on one theme
the mentor mentors (primary or secondary). Hard rules, never broken in a returned
solution: every core city is in exactly one TAG, every TAG has one mentor and a size in
range, capacities hold, pins hold and forbids are respected, and when both EU and
international mentors take part at least one TAG is led by each kind.

The objective has three tiers in strict priority:

1. *Theme* (minimised): a city costs 0 when its theme is its TAG's theme, 1 when the
   mentor mentors the city's theme but the TAG works on another of the mentor's themes,
   and 2 when the mentor does not mentor the city's theme at all. Theme match is thus
   judged per group (a TAG is the thematic engine, so its cities should share its theme)
   and, more heavily, per city–mentor pair. A mismatch is allowed but only taken when
   no allocation without it exists; it is reported as "different theme". With
   ``allow_theme_mismatch=False`` a city may only go to a mentor who mentors its theme
   (pins excepted) and theme shortages make the problem infeasible.
2. *Preferences* (maximised): 3 points for a city's 1st-choice mentor, 2 for its 2nd and
   1 for its 3rd.
3. *Relatability* (maximised): points per city–mentor pair for similar population, area
   and GDP per head, shared networks, same or neighbouring country, both EU or both
   international, plus 2 when the city's theme is one of the mentor's primary themes.

Strict priority is obtained lexicographically: tier 1 is solved, its optimum is added as
a constraint, then tier 2, then tier 3; each solve is hinted with the previous solution
(and the first with the greedy baseline). A tier fixed at a value that was not proven
optimal (time limit) is reported as such and the run's status is "feasible".

The model aggregates a mentor's TAG slots: instead of one variable per city and slot it
has one Boolean per city–mentor pair and, per mentor and theme, integer counts of TAGs
and of their seats. Because relatability and preferences depend only on the mentor,
every slot of a mentor is interchangeable; the counts are exactly what is needed to cut
the mentor's cities into valid TAGs afterwards, which removes slot symmetry entirely.
When tier 1 can reach zero the later tiers use a smaller model with only
theme-compatible pairs.

Brain dates
-----------
Each city ranks up to five other cities (whose projects it wants to discuss). Groups of
``min_size`` to ``max_size`` cities are formed; a group scores, for every ordered pair
where a picked b, 6 minus the rank (5 for a 1st pick down to 1 for a 5th), plus
``mutual_bonus`` for every pair that picked each other. Every city is placed, including
cities that picked no one and were picked by no one: they complete groups at no score.
See :func:`match_brain_dates` for the model.
"""

from __future__ import annotations

import math
import os
import time
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from ortools.graph.python import min_cost_flow
from ortools.sat.python import cp_model

Status = Literal["optimal", "feasible", "infeasible"]

# --------------------------------------------------------------------------------------
# Inputs
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CoreCity:
    """A core city to be placed in a TAG."""

    id: str
    name: str
    theme: str
    preferences: tuple[str, ...] = ()
    population: int = 0
    country: str = ""
    eu: bool = True
    area_km2: float | None = None
    gdp_per_head: float | None = None
    networks: frozenset[str] = frozenset()
    borders: frozenset[str] = frozenset()


@dataclass(frozen=True)
class MentorCity:
    """A mentor city that can lead up to ``capacity`` TAGs on the themes it mentors."""

    id: str
    name: str
    primary_themes: frozenset[str]
    secondary_themes: frozenset[str] = frozenset()
    eu: bool = True
    capacity: int = 1
    population: int = 0
    country: str = ""
    area_km2: float | None = None
    gdp_per_head: float | None = None
    networks: frozenset[str] = frozenset()
    borders: frozenset[str] = frozenset()

    @property
    def themes(self) -> frozenset[str]:
        return self.primary_themes | self.secondary_themes


@dataclass(frozen=True)
class FormationSettings:
    """Group sizes and solver limits for TAG formation.

    ``time_limit`` is in seconds for the whole run (all tiers); ``relative_gap`` is the
    gap at which the last tier may stop (0 asks for proven optimality); ``workers`` is
    the number of CP-SAT search workers (0 picks a number from the CPU count).
    """

    min_size: int = 5
    max_size: int = 7
    time_limit: float = 60.0
    relative_gap: float = 0.0
    allow_theme_mismatch: bool = True
    both_mentor_kinds: bool = True
    workers: int = 0
    seed: int = 0


@dataclass(frozen=True)
class TagProblem:
    """Everything TAG formation needs: cities, mentors, pinned and forbidden (city id, mentor id) pairs."""

    cities: tuple[CoreCity, ...]
    mentors: tuple[MentorCity, ...]
    pins: frozenset[tuple[str, str]] = frozenset()
    forbids: frozenset[tuple[str, str]] = frozenset()
    settings: FormationSettings = field(default_factory=FormationSettings)


# --------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TagGroup:
    """One TAG: its mentor, the mentor's slot number (0, 1, …), its theme and its cities."""

    mentor_id: str
    slot: int
    theme: str
    city_ids: tuple[str, ...]


@dataclass(frozen=True)
class Placement:
    """Why a city is in its TAG: the score of each tier and the same in words."""

    city_id: str
    mentor_id: str
    slot: int
    theme_penalty: int
    preference_rank: int | None
    relatability: int
    explanation: str


@dataclass(frozen=True)
class Tier:
    """The value reached in one objective tier and the best bound known for it."""

    name: str
    sense: Literal["min", "max"]
    value: int
    bound: int | None
    optimal: bool


@dataclass(frozen=True)
class TagResult:
    """The outcome of a TAG formation run.

    ``tiers`` holds theme (min), preferences (max) and relatability (max) in that order;
    ``bound`` and ``gap`` are those of the last tier (``None`` for the greedy baseline).
    ``reasons`` explains an infeasible run; ``notes`` carries warnings of a feasible one.
    """

    status: Status
    groups: tuple[TagGroup, ...]
    placements: tuple[Placement, ...]
    tiers: tuple[Tier, ...]
    bound: float | None
    gap: float | None
    seconds: float
    method: str
    reasons: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def objective(self) -> tuple[int, int, int]:
        """(theme penalty, preference points, relatability points), or (0, 0, 0) when infeasible."""
        if not self.tiers:
            return (0, 0, 0)
        return (self.tiers[0].value, self.tiers[1].value, self.tiers[2].value)

    @property
    def rank_key(self) -> tuple[int, int, int]:
        """A key that sorts better solutions higher (theme penalty negated)."""
        penalty, preferences, relatability = self.objective
        return (-penalty, preferences, relatability)

    def placement(self, city_id: str) -> Placement:
        for placement in self.placements:
            if placement.city_id == city_id:
                return placement
        raise KeyError(city_id)


# --------------------------------------------------------------------------------------
# Scores
# --------------------------------------------------------------------------------------

PREFERENCE_POINTS = (3, 2, 1)
PRIMARY_THEME_POINTS = 2
MAX_RELATABILITY = 4 + 2 + 2 + 6 + 3 + 1 + PRIMARY_THEME_POINTS


def ordinal(number: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 21st…"""
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def preference_rank(city: CoreCity, mentor_id: str) -> int | None:
    """1, 2 or 3 when the city asked for the mentor at that rank, else None."""
    for index, wanted in enumerate(city.preferences[: len(PREFERENCE_POINTS)]):
        if wanted == mentor_id:
            return index + 1
    return None


def preference_points(rank: int | None) -> int:
    return PREFERENCE_POINTS[rank - 1] if rank else 0


def _ratio(a: float | None, b: float | None) -> float | None:
    if a is None or b is None or a <= 0 or b <= 0:
        return None
    return max(a, b) / min(a, b)


def relatability(city: CoreCity, mentor: MentorCity) -> tuple[int, list[str]]:
    """Tier-3 points of a city–mentor pair and the reasons in words."""
    points = 0
    words: list[str] = []
    ratio = _ratio(city.population, mentor.population)
    if ratio is not None:
        for limit, score, label in (
            (1.5, 4, "similar size"),
            (2.0, 3, "similar size"),
            (3.0, 2, "fairly similar size"),
            (5.0, 1, "somewhat similar size"),
        ):
            if ratio <= limit:
                points += score
                words.append(label)
                break
    ratio = _ratio(city.area_km2, mentor.area_km2)
    if ratio is not None:
        if ratio <= 1.5:
            points += 2
            words.append("similar area")
        elif ratio <= 2.5:
            points += 1
            words.append("fairly similar area")
    ratio = _ratio(city.gdp_per_head, mentor.gdp_per_head)
    if ratio is not None:
        if ratio <= 1.2:
            points += 2
            words.append("similar GDP per head")
        elif ratio <= 1.5:
            points += 1
            words.append("fairly similar GDP per head")
    shared = sorted(city.networks & mentor.networks)
    if shared:
        points += 3 * min(2, len(shared))
        label = "network" if len(shared) == 1 else "networks"
        words.append(f"both in the same {label} ({', '.join(shared)})")
    if city.country and city.country == mentor.country:
        points += 3
        words.append("same country")
    elif city.country and mentor.country and (mentor.country in city.borders or city.country in mentor.borders):
        points += 2
        words.append("neighbouring countries")
    if city.eu == mentor.eu:
        points += 1
        words.append("both in the EU" if city.eu else "both outside the EU")
    if city.theme in mentor.primary_themes:
        points += PRIMARY_THEME_POINTS
    return points, words


def theme_penalty(city: CoreCity, mentor: MentorCity, tag_theme: str) -> int:
    """0 when the city shares its TAG's theme, 1 when only the mentor mentors it, 2 otherwise."""
    if city.theme == tag_theme:
        return 0
    return 1 if city.theme in mentor.themes else 2


def _theme_words(city: CoreCity, mentor: MentorCity, tag_theme: str) -> str:
    level = "a primary" if city.theme in mentor.primary_themes else "a secondary"
    if city.theme == tag_theme:
        return f"same theme ({city.theme}, {level} theme of the mentor)"
    if city.theme in mentor.themes:
        return f"different theme: the TAG works on {tag_theme}; the mentor also mentors {city.theme}, {level} theme"
    return f"different theme: the TAG works on {tag_theme} and the mentor does not mentor {city.theme}"


def explain_placement(
    city: CoreCity, mentor: MentorCity, tag_theme: str, *, pinned: bool = False
) -> tuple[int, int | None, int, str]:
    """(theme penalty, preference rank, relatability points, explanation) of one placement."""
    penalty = theme_penalty(city, mentor, tag_theme)
    rank = preference_rank(city, mentor.id)
    points, words = relatability(city, mentor)
    parts: list[str] = []
    if pinned:
        parts.append("pinned by the programme team")
    parts.append(_theme_words(city, mentor, tag_theme))
    if rank:
        parts.append(f"{ordinal(rank)} preference")
    elif city.preferences:
        parts.append("not among its preferences")
    else:
        parts.append("no preferences voiced")
    parts.extend(words or ["little in common in size, networks or geography"])
    return penalty, rank, points, "; ".join(parts)


# --------------------------------------------------------------------------------------
# Shared preparation
# --------------------------------------------------------------------------------------


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def _names(items: Iterable[str], limit: int = 5) -> str:
    values = list(items)
    shown = ", ".join(values[:limit])
    return shown + (f" and {len(values) - limit} more" if len(values) > limit else "")


def _size_counts_possible(count: int, low: int, high: int, most: int) -> range:
    """Numbers of TAGs T with low·T ≤ count ≤ high·T and T ≤ most."""
    first = max(1, -(-count // high))
    last = min(most, count // low)
    return range(first, last + 1)


class _Formation:
    """Indices, pair scores and the checks that find obviously infeasible input."""

    def __init__(self, problem: TagProblem) -> None:
        self.problem = problem
        self.settings = settings = problem.settings
        self.reasons: list[str] = []
        self.notes: list[str] = []
        self.theme_notes: list[str] = []
        self.cities = list(problem.cities)
        self.low = settings.min_size
        self.high = settings.max_size
        mentors = []
        for mentor in problem.mentors:
            if mentor.capacity < 1:
                self.notes.append(f"{mentor.name} has no capacity and leads no TAG.")
            elif not mentor.themes:
                self.notes.append(f"{mentor.name} mentors no theme and leads no TAG.")
            else:
                mentors.append(mentor)
        self.mentors = mentors
        self.city_index = {city.id: i for i, city in enumerate(self.cities)}
        self.theme_of = {city.id: city.theme for city in self.cities}
        self.mentor_index = {mentor.id: j for j, mentor in enumerate(self.mentors)}
        self.all_mentor_ids = {mentor.id for mentor in problem.mentors}
        self.pinned: dict[int, int] = {}
        self.forbidden: set[tuple[int, int]] = set()
        self._check_input()
        if self.reasons:
            return
        self.kinds = {mentor.eu for mentor in self.mentors}
        self.need_both = settings.both_mentor_kinds and len(self.kinds) == 2
        self.options: list[list[int]] = []
        self.mismatch: set[tuple[int, int]] = set()
        self.pref: dict[tuple[int, int], int] = {}
        self.rel: dict[tuple[int, int], int] = {}
        for i, city in enumerate(self.cities):
            allowed: list[int] = []
            candidates = [self.pinned[i]] if i in self.pinned else range(len(self.mentors))
            for j in candidates:
                mentor = self.mentors[j]
                if (i, j) in self.forbidden:
                    continue
                thematic = city.theme in mentor.themes
                if not thematic and not settings.allow_theme_mismatch and i not in self.pinned:
                    continue
                allowed.append(j)
                if not thematic:
                    self.mismatch.add((i, j))
                self.pref[i, j] = preference_points(preference_rank(city, mentor.id))
                self.rel[i, j] = relatability(city, mentor)[0]
            self.options.append(allowed)
        self._check_structure()

    # The checks -----------------------------------------------------------------------

    def _check_input(self) -> None:
        settings = self.settings
        if settings.min_size < 1 or settings.max_size < settings.min_size:
            self.reasons.append(
                f"TAG sizes must satisfy 1 ≤ smallest ≤ largest; got {settings.min_size} to {settings.max_size}."
            )
            return
        for label, ids in (
            ("core city", [c.id for c in self.cities]),
            ("mentor", [m.id for m in self.problem.mentors]),
        ):
            repeated = sorted(key for key, count in Counter(ids).items() if count > 1)
            if repeated:
                self.reasons.append(f"Each {label} must appear once; repeated: {_names(repeated)}.")
        if not self.cities:
            return
        if not self.mentors:
            self.reasons.append("There is no mentor city that can lead a TAG.")
            return
        for city in self.cities:
            unknown = [m for m in city.preferences if m not in self.all_mentor_ids]
            if unknown:
                self.notes.append(f"{city.name} asked for unknown mentors ({_names(unknown)}); ignored.")
            if len(city.preferences) > len(PREFERENCE_POINTS):
                self.notes.append(f"{city.name} voiced more than 3 preferences; only the first 3 count.")
        self._check_rules()

    def _check_rules(self) -> None:
        names = {c.id: c.name for c in self.cities} | {m.id: m.name for m in self.problem.mentors}
        pins = sorted(self.problem.pins)
        forbids = sorted(self.problem.forbids)
        for kind, pairs in (("Pinned", pins), ("Forbidden", forbids)):
            for city_id, mentor_id in pairs:
                if city_id not in self.city_index:
                    self.reasons.append(f"{kind} pair ({city_id}, {mentor_id}) names an unknown core city.")
                elif mentor_id not in self.all_mentor_ids:
                    self.reasons.append(f"{kind} pair ({names[city_id]}, {mentor_id}) names an unknown mentor.")
                elif kind == "Pinned" and mentor_id not in self.mentor_index:
                    self.reasons.append(
                        f"{names[city_id]} is pinned to {names[mentor_id]}, which cannot lead a TAG "
                        "(no capacity or no theme)."
                    )
        if self.reasons:
            return
        for city_id, mentor_id in pins:
            if (city_id, mentor_id) in self.problem.forbids:
                self.reasons.append(f"{names[city_id]} is both pinned to and forbidden from {names[mentor_id]}.")
        by_city: dict[str, list[str]] = defaultdict(list)
        for city_id, mentor_id in pins:
            by_city[city_id].append(mentor_id)
        for city_id, mentor_ids in sorted(by_city.items()):
            if len(mentor_ids) > 1:
                self.reasons.append(
                    f"{names[city_id]} is pinned to {len(mentor_ids)} mentors "
                    f"({_names(names[m] for m in mentor_ids)}) but can be in only one TAG."
                )
            else:
                self.pinned[self.city_index[city_id]] = self.mentor_index[mentor_ids[0]]
        for city_id, mentor_id in forbids:
            if mentor_id in self.mentor_index:
                self.forbidden.add((self.city_index[city_id], self.mentor_index[mentor_id]))
        load = Counter(self.pinned.values())
        for j, count in sorted(load.items()):
            mentor = self.mentors[j]
            if count > mentor.capacity * self.high:
                self.reasons.append(
                    f"{_plural(count, 'core city', 'core cities')} are pinned to {mentor.name}, which can lead at most "
                    f"{_plural(mentor.capacity, 'TAG')} of up to {self.high} cities ({mentor.capacity * self.high} places)."
                )

    def _check_structure(self) -> None:
        count = len(self.cities)
        if count == 0:
            return
        low, high = self.low, self.high
        total_tags = sum(mentor.capacity for mentor in self.mentors)
        for i, allowed in enumerate(self.options):
            if not allowed:
                city = self.cities[i]
                if not self.settings.allow_theme_mismatch and not any(city.theme in m.themes for m in self.mentors):
                    continue  # reported per theme below
                self.reasons.append(f"{city.name} cannot go to any mentor: every mentor is forbidden for it.")
        if total_tags * high < count:
            self.reasons.append(
                f"There are {count} core cities but the mentors can lead at most {_plural(total_tags, 'TAG')} "
                f"of up to {high} cities ({total_tags * high} places)."
            )
        elif not _size_counts_possible(count, low, high, total_tags):
            self.reasons.append(
                f"{count} core cities cannot be split into TAGs of {low} to {high} cities"
                + (f" with at most {_plural(total_tags, 'TAG')}." if count // low > total_tags else ".")
            )
        if self.need_both and count < 2 * low:
            self.reasons.append(
                f"Both EU and international mentors take part, so at least two TAGs are needed, but "
                f"{count} core cities cannot fill two TAGs of at least {low}."
            )
        shortages = self.theme_shortages()
        if self.settings.allow_theme_mismatch:
            self.theme_notes = shortages
        else:
            self.theme_notes = []
            self.reasons.extend(shortages)

    def theme_shortages(self) -> list[str]:
        """Themes whose mentors cannot take all their core cities, in words."""
        found = []
        demand = Counter(city.theme for city in self.cities)
        for theme, count in sorted(demand.items()):
            mentors = [m for m in self.mentors if theme in m.themes]
            tags = sum(m.capacity for m in mentors)
            if not mentors:
                found.append(
                    f"Theme '{theme}' has {_plural(count, 'core city', 'core cities')} but no mentor mentors it."
                )
            elif tags * self.high < count:
                found.append(
                    f"Theme '{theme}' has {count} core cities but its mentors can lead at most "
                    f"{_plural(tags, 'TAG')} of up to {self.high} cities ({tags * self.high} places)."
                )
        return found

    # Helpers used by the solver and the greedy baseline -------------------------------

    def representable(self, count: int, capacity: int) -> bool:
        return count == 0 or bool(_size_counts_possible(count, self.low, self.high, capacity))

    def weight(self, i: int, j: int) -> int:
        """The three tiers of a pair folded into one number, for greedy ordering."""
        penalty = 2 if (i, j) in self.mismatch else 0
        return -1_000_000 * penalty + 1_000 * self.pref[i, j] + self.rel[i, j]

    def groups_for(self, assignment: Mapping[int, int]) -> list[TagGroup]:
        """Cut each mentor's cities into TAGs, giving as many cities as possible their own theme's TAG."""
        by_mentor: dict[int, list[int]] = defaultdict(list)
        for i, j in assignment.items():
            by_mentor[j].append(i)
        groups: list[TagGroup] = []
        for j in sorted(by_mentor):
            groups.extend(self._cut(j, sorted(by_mentor[j])))
        return groups

    def _cut(self, j: int, members: list[int]) -> list[TagGroup]:
        mentor = self.mentors[j]
        themes = sorted(mentor.themes)
        count = len(members)
        of_theme = Counter(self.cities[i].theme for i in members)
        # best[(tags, seats)] = (matched, plan as ((theme, tags, seats), …))
        best: dict[tuple[int, int], tuple[int, tuple[tuple[str, int, int], ...]]] = {(0, 0): (0, ())}
        for theme in themes:
            step: dict[tuple[int, int], tuple[int, tuple[tuple[str, int, int], ...]]] = {}
            for (tags, seats), (matched, plan) in best.items():
                for more in range(mentor.capacity - tags + 1):
                    sizes = [0] if more == 0 else range(self.low * more, min(self.high * more, count - seats) + 1)
                    for size in sizes:
                        key = (tags + more, seats + size)
                        value = matched + min(size, of_theme[theme])
                        entry = (value, (*plan, (theme, more, size)) if more else plan)
                        if key not in step or value > step[key][0]:
                            step[key] = entry
            best = step
        finals = [(value, -tags, plan) for (tags, seats), (value, plan) in best.items() if seats == count and tags > 0]
        if not finals:
            raise ValueError(f"{count} cities cannot form TAGs for {mentor.name}")
        _value, _tags, plan = max(finals, key=lambda item: (item[0], item[1]))

        def order(i: int) -> tuple[int, int, str]:
            return (-self.pref.get((i, j), 0), -self.rel.get((i, j), 0), self.cities[i].id)

        remaining = sorted(members, key=order)
        seats_of: dict[str, list[int]] = {}
        for theme, _more, size in plan:
            own = [i for i in remaining if self.cities[i].theme == theme][:size]
            seats_of[theme] = own
            taken = set(own)
            remaining = [i for i in remaining if i not in taken]
        for theme, _more, size in plan:
            while len(seats_of[theme]) < size:
                seats_of[theme].append(remaining.pop(0))
        groups = []
        slot = 0
        for theme, more, size in plan:
            people = sorted(
                seats_of[theme], key=lambda i: (self.cities[i].country, self.cities[i].population, self.cities[i].id)
            )
            start = 0
            for k in range(more):
                take = size // more + (1 if k < size % more else 0)
                ids = tuple(self.cities[i].id for i in people[start : start + take])
                groups.append(TagGroup(mentor_id=mentor.id, slot=slot, theme=theme, city_ids=ids))
                start += take
                slot += 1
        return groups

    def result(
        self,
        groups: Sequence[TagGroup],
        *,
        status: Status,
        method: str,
        started: float,
        bounds: Sequence[int | None] = (None, None, None),
        proven: Sequence[bool] = (False, False, False),
        notes: Sequence[str] = (),
    ) -> TagResult:
        score = score_tags(self.problem, groups)
        values = (score.theme_penalty, score.preferences, score.relatability)
        tiers = tuple(
            Tier(name=name, sense=sense, value=value, bound=bound, optimal=is_optimal)  # type: ignore[arg-type]
            for name, sense, value, bound, is_optimal in zip(
                ("theme", "preferences", "relatability"), ("min", "max", "max"), values, bounds, proven, strict=True
            )
        )
        last = bounds[2]
        gap = None if last is None else abs(last - values[2]) / max(1, abs(values[2]))
        extra = list(self.notes)
        if score.theme_penalty and self.theme_notes:
            extra.extend(self.theme_notes)
        mismatched = sum(1 for p in score.placements if p.theme_penalty)
        if mismatched:
            extra.append(f"{_plural(mismatched, 'core city', 'core cities')} had to join a TAG of a different theme.")
        extra.extend(notes)
        return TagResult(
            status=status,
            groups=tuple(groups),
            placements=score.placements,
            tiers=tiers,
            bound=None if last is None else float(last),
            gap=gap,
            seconds=time.perf_counter() - started,
            method=method,
            notes=tuple(extra),
        )


def _infeasible(reasons: Sequence[str], notes: Sequence[str], started: float, method: str) -> TagResult:
    return TagResult(
        status="infeasible",
        groups=(),
        placements=(),
        tiers=(),
        bound=None,
        gap=None,
        seconds=time.perf_counter() - started,
        method=method,
        reasons=tuple(reasons),
        notes=tuple(notes),
    )


@dataclass(frozen=True)
class TagScore:
    """Tier values of a set of TAGs, with an explained placement per city."""

    theme_penalty: int
    preferences: int
    relatability: int
    placements: tuple[Placement, ...]


def score_tags(problem: TagProblem, groups: Iterable[TagGroup]) -> TagScore:
    """Score TAGs independently of how they were found (hard rules are not checked here)."""
    cities = {city.id: city for city in problem.cities}
    mentors = {mentor.id: mentor for mentor in problem.mentors}
    pins = set(problem.pins)
    placements = []
    totals = [0, 0, 0]
    for group in groups:
        mentor = mentors[group.mentor_id]
        for city_id in group.city_ids:
            city = cities[city_id]
            penalty, rank, points, words = explain_placement(
                city, mentor, group.theme, pinned=(city_id, mentor.id) in pins
            )
            totals[0] += penalty
            totals[1] += preference_points(rank)
            totals[2] += points
            placements.append(Placement(city_id, mentor.id, group.slot, penalty, rank, points, words))
    placements.sort(key=lambda p: p.city_id)
    return TagScore(totals[0], totals[1], totals[2], tuple(placements))


def tag_violations(problem: TagProblem, groups: Sequence[TagGroup]) -> list[str]:
    """Every hard rule the TAGs break, in words (an empty list for a valid solution)."""
    settings = problem.settings
    mentors = {mentor.id: mentor for mentor in problem.mentors}
    found = []
    seen: Counter[str] = Counter()
    home: dict[str, str] = {}
    per_mentor: Counter[str] = Counter()
    slots: set[tuple[str, int]] = set()
    for group in groups:
        mentor = mentors.get(group.mentor_id)
        if mentor is None:
            found.append(f"TAG led by unknown mentor {group.mentor_id}")
            continue
        if (group.mentor_id, group.slot) in slots:
            found.append(f"{mentor.name} slot {group.slot} used twice")
        slots.add((group.mentor_id, group.slot))
        per_mentor[group.mentor_id] += 1
        if not settings.min_size <= len(group.city_ids) <= settings.max_size:
            found.append(f"TAG of {mentor.name} has {len(group.city_ids)} cities")
        if group.theme not in mentor.themes:
            found.append(f"TAG of {mentor.name} works on {group.theme}, which it does not mentor")
        for city_id in group.city_ids:
            seen[city_id] += 1
            home[city_id] = group.mentor_id
    for mentor_id, count in per_mentor.items():
        if count > mentors[mentor_id].capacity:
            found.append(f"{mentors[mentor_id].name} leads {count} TAGs, more than {mentors[mentor_id].capacity}")
    for city in problem.cities:
        if seen[city.id] != 1:
            found.append(f"{city.name} is in {seen[city.id]} TAGs")
        elif (
            not settings.allow_theme_mismatch
            and (city.id, home[city.id]) not in problem.pins
            and city.theme not in mentors[home[city.id]].themes
        ):
            found.append(f"{city.name} is with a mentor who does not mentor {city.theme}")
    extra = set(seen) - {city.id for city in problem.cities}
    if extra:
        found.append(f"unknown cities placed: {_names(sorted(extra))}")
    for city_id, mentor_id in problem.pins:
        if home.get(city_id) != mentor_id:
            found.append(f"pin ({city_id}, {mentor_id}) broken")
    for city_id, mentor_id in problem.forbids:
        if home.get(city_id) == mentor_id:
            found.append(f"forbid ({city_id}, {mentor_id}) broken")
    usable = [m for m in problem.mentors if m.capacity >= 1 and m.themes]
    if settings.both_mentor_kinds and problem.cities and len({m.eu for m in usable}) == 2:
        kinds = {mentors[group.mentor_id].eu for group in groups if group.mentor_id in mentors}
        if len(kinds) < 2:
            found.append("TAGs are not led by both EU and international mentors")
    return found


# --------------------------------------------------------------------------------------
# Greedy baseline
# --------------------------------------------------------------------------------------

Unit = tuple[int, str]


class _Greedy:
    """Cities placed one by one on their best TAG theme of a mentor ("unit"), then sizes repaired.

    A unit is a mentor and one of its themes; its cities are cut into TAGs of that theme,
    so a unit of c cities needs ⌈c / max_size⌉ TAGs and is valid when those TAGs can
    each have ``min_size`` cities. A mentor's units together may not need more TAGs
    than its capacity.
    """

    def __init__(self, ctx: _Formation) -> None:
        self.ctx = ctx
        self.count: Counter[Unit] = Counter()
        self.unit_of: dict[int, Unit] = {}
        self.members: dict[Unit, set[int]] = defaultdict(set)
        self.tags = [0] * len(ctx.mentors)
        self.protected: set[Unit] = set()
        self.allowed_cities: dict[int, list[int]] = defaultdict(list)
        for i, allowed in enumerate(ctx.options):
            for j in allowed:
                self.allowed_cities[j].append(i)

    def weight(self, i: int, unit: Unit) -> int:
        j, theme = unit
        ctx = self.ctx
        city_theme = ctx.cities[i].theme
        penalty = 0 if city_theme == theme else (1 if city_theme in ctx.mentors[j].themes else 2)
        return -1_000_000 * penalty + 1_000 * ctx.pref[i, j] + ctx.rel[i, j]

    def units(self, i: int) -> list[Unit]:
        return [(j, theme) for j in self.ctx.options[i] for theme in sorted(self.ctx.mentors[j].themes)]

    def _need(self, value: int) -> int:
        return -(-value // self.ctx.high)

    def fits(self, unit: Unit, delta: int) -> bool:
        j = unit[0]
        value = self.count[unit]
        tags = self.tags[j] - self._need(value) + self._need(value + delta)
        return tags <= self.ctx.mentors[j].capacity

    def unit_ok(self, unit: Unit, value: int) -> bool:
        if value == 0:
            return unit not in self.protected
        return self.ctx.low * self._need(value) <= value

    def add(self, i: int, unit: Unit) -> None:
        j = unit[0]
        self.tags[j] += self._need(self.count[unit] + 1) - self._need(self.count[unit])
        self.count[unit] += 1
        self.members[unit].add(i)
        self.unit_of[i] = unit

    def remove(self, i: int) -> None:
        unit = self.unit_of.pop(i)
        j = unit[0]
        self.tags[j] += self._need(self.count[unit] - 1) - self._need(self.count[unit])
        self.count[unit] -= 1
        self.members[unit].discard(i)

    def move(self, i: int, unit: Unit) -> None:
        self.remove(i)
        self.add(i, unit)

    def run(self) -> dict[int, int] | None:
        ctx = self.ctx
        for i, j in ctx.pinned.items():
            if j not in ctx.options[i]:
                return None
            candidates = [u for u in self.units(i) if self.fits(u, 1)]
            if not candidates:
                return None
            self.add(i, max(candidates, key=lambda u, i=i: self.weight(i, u)))  # type: ignore[misc]
        if ctx.need_both and not self._seed_kinds():
            return None
        free = [i for i in range(len(ctx.cities)) if i not in self.unit_of]
        own = sorted(
            (
                (self.weight(i, (j, ctx.cities[i].theme)), i, j)
                for i in free
                for j in ctx.options[i]
                if ctx.cities[i].theme in ctx.mentors[j].themes
            ),
            key=lambda item: (-item[0], item[1], item[2]),
        )
        for _weight, i, j in own:
            unit = (j, ctx.cities[i].theme)
            if i not in self.unit_of and self.fits(unit, 1):
                self.add(i, unit)
        for i in range(len(ctx.cities)):
            if i not in self.unit_of:
                candidates = [u for u in self.units(i) if self.fits(u, 1)]
                if not candidates:
                    return None
                self.add(i, max(candidates, key=lambda u, i=i: self.weight(i, u)))  # type: ignore[misc]
        if not self._repair():
            return None
        return {i: unit[0] for i, unit in self.unit_of.items()}

    def _seed_kinds(self) -> bool:
        """Give each kind of mentor (EU, international) one TAG's worth of its best-suited cities."""
        ctx = self.ctx
        for kind in (True, False):
            if any(ctx.mentors[j].eu == kind for (j, _theme), value in self.count.items() if value):
                continue
            best: tuple[int, Unit, list[int]] | None = None
            for j, mentor in enumerate(ctx.mentors):
                if mentor.eu != kind:
                    continue
                for theme in sorted(mentor.themes):
                    unit = (j, theme)
                    free = [i for i in self.allowed_cities[j] if i not in self.unit_of]
                    free.sort(key=lambda i, unit=unit: -self.weight(i, unit))  # type: ignore[misc]
                    chosen = free[: ctx.low]
                    if len(chosen) < ctx.low:
                        continue
                    total = sum(self.weight(i, unit) for i in chosen)
                    if best is None or total > best[0]:
                        best = (total, unit, chosen)
            if best is None:
                return False
            for i in best[2]:
                self.add(i, best[1])
            self.protected.add(best[1])
        return True

    def _repair(self) -> bool:
        ctx = self.ctx
        for _round in range(4 * len(ctx.cities) + 20):
            bad = [u for u, value in self.count.items() if not self.unit_ok(u, value)]
            bad += [u for u in self.protected if self.count[u] == 0]
            if not bad:
                return True
            unit = min(bad, key=lambda u: (self.count[u], u))
            j = unit[0]
            progressed = False
            most = ctx.mentors[j].capacity * ctx.high
            target = next(
                (v for v in range(self.count[unit] + 1, most + 1) if self.unit_ok(unit, v)),
                None,
            )
            if target is not None:
                donors = sorted(
                    (self.weight(i, self.unit_of[i]) - self.weight(i, unit), i)
                    for i in self.allowed_cities[j]
                    if self.unit_of[i] != unit
                )
                for _loss, i in donors:
                    if self.count[unit] >= target:
                        break
                    source = self.unit_of[i]
                    spare = self.unit_ok(source, self.count[source] - 1) or not self.unit_ok(source, self.count[source])
                    if spare and self.fits(unit, 1):
                        self.move(i, unit)
                        progressed = True
                if self.unit_ok(unit, self.count[unit]):
                    continue
            lower = next((v for v in range(self.count[unit] - 1, -1, -1) if self.unit_ok(unit, v)), None)
            if lower is not None:
                for i in sorted(self.members[unit], key=lambda i: self.weight(i, unit)):
                    if self.count[unit] <= lower:
                        break
                    receivers = [
                        (self.weight(i, u), u)
                        for u in self.units(i)
                        if u != unit and self.count[u] and self.unit_ok(u, self.count[u] + 1) and self.fits(u, 1)
                    ]
                    if receivers:
                        self.move(i, max(receivers)[1])
                        progressed = True
            if not progressed:
                return False
        return False


def greedy_tags(problem: TagProblem) -> TagResult:
    """A simple baseline: each city takes its best free place, then group sizes are repaired."""
    started = time.perf_counter()
    ctx = _Formation(problem)
    if ctx.reasons:
        return _infeasible(ctx.reasons, ctx.notes, started, "greedy")
    if not ctx.cities:
        return ctx.result([], status="optimal", method="greedy", started=started, proven=(True, True, True))
    assignment = _Greedy(ctx).run()
    if assignment is None:
        return _infeasible(
            ["The greedy heuristic could not form valid TAGs for this input."], ctx.notes, started, "greedy"
        )
    return ctx.result(ctx.groups_for(assignment), status="feasible", method="greedy", started=started)


# --------------------------------------------------------------------------------------
# CP-SAT models for TAG formation
# --------------------------------------------------------------------------------------

LARGE_MODEL = 1_000
CANDIDATES = int(os.environ.get("KK", "8"))


def _workers(requested: int, default: int) -> int:
    return requested if requested > 0 else default


def _solver(settings: FormationSettings, deadline: float, gap: float, size: int) -> cp_model.CpSolver:
    """A CP-SAT solver for the time left; big models skip presolve and give the LP every constraint at once."""
    solver = cp_model.CpSolver()
    parameters = solver.parameters
    parameters.max_time_in_seconds = max(0.05, deadline - time.perf_counter())
    parameters.num_workers = _workers(settings.workers, 1)
    parameters.random_seed = settings.seed
    parameters.relative_gap_limit = gap
    if size > LARGE_MODEL:
        parameters.cp_model_presolve = False
        parameters.add_lp_constraints_lazily = False
    return solver


class _TagModel:
    """The aggregated model: a Boolean per allowed city–mentor pair and counts per mentor and theme.

    Per mentor and theme, ``tags`` counts its TAGs on that theme and ``open`` says there
    is at least one; a city can only join an open mentor–theme (the strong,
    facility-location form of the constraint, which keeps the LP bound tight).

    With ``exact_theme`` only pairs where the mentor mentors the city's theme exist and
    every city sits in a TAG of its own theme, so tier 1 is zero by construction.
    Otherwise, per mentor and theme, ``seats`` counts the cities (of any theme) in its
    TAGs on that theme and ``matched`` those of that theme among them.
    """

    def __init__(self, ctx: _Formation, *, exact_theme: bool, only: Sequence[Collection[int]] | None = None) -> None:
        self.ctx = ctx
        self.model = model = cp_model.CpModel()
        low, high = ctx.low, ctx.high
        self.x: dict[tuple[int, int], cp_model.IntVar] = {}
        for i, allowed in enumerate(ctx.options):
            for j in allowed:
                if exact_theme and (i, j) in ctx.mismatch:
                    continue
                if only is not None and j not in only[i]:
                    continue
                self.x[i, j] = model.new_bool_var(f"x{i}_{j}")
        per_city: dict[int, list[cp_model.IntVar]] = defaultdict(list)
        per_mentor: dict[int, list[tuple[int, cp_model.IntVar]]] = defaultdict(list)
        for (i, j), var in self.x.items():
            per_city[i].append(var)
            per_mentor[j].append((i, var))
        for i in range(len(ctx.cities)):
            model.add_exactly_one(per_city[i])
        self.tags: dict[Unit, cp_model.IntVar] = {}
        self.open: dict[Unit, cp_model.IntVar] = {}
        self.seats: dict[Unit, cp_model.IntVar] = {}
        self.matched: dict[Unit, cp_model.IntVar] = {}
        self.used: dict[int, cp_model.IntVar] = {}
        unmatched: list[cp_model.LinearExprT] = []
        for j, mentor in enumerate(ctx.mentors):
            pairs = per_mentor.get(j, [])
            of_theme: dict[str, list[cp_model.IntVar]] = defaultdict(list)
            for i, var in pairs:
                of_theme[ctx.cities[i].theme].append(var)
            tag_vars = []
            if exact_theme:
                for theme in sorted(mentor.themes):
                    members = of_theme.get(theme, [])
                    most = min(mentor.capacity, len(members) // low)
                    if most == 0:
                        for var in members:
                            model.add(var == 0)
                        continue
                    tags = model.new_int_var(0, most, f"t{j}_{theme}")
                    is_open = model.new_bool_var(f"o{j}_{theme}")
                    self.tags[j, theme] = tags
                    self.open[j, theme] = is_open
                    tag_vars.append(tags)
                    model.add(sum(members) >= low * tags)
                    model.add(sum(members) <= high * tags)
                    model.add(tags >= is_open)
                    model.add(tags <= most * is_open)
                    for var in members:
                        model.add(var <= is_open)
            elif pairs:
                used = model.new_bool_var(f"u{j}")
                self.used[j] = used
                for _i, var in pairs:
                    model.add(var <= used)
                total = sum(var for _i, var in pairs)
                seat_vars = []
                most = min(mentor.capacity, len(pairs) // low)
                for theme in sorted(mentor.themes):
                    own = of_theme.get(theme, [])
                    tags = model.new_int_var(0, most, f"t{j}_{theme}")
                    seats = model.new_int_var(0, high * most, f"s{j}_{theme}")
                    matched = model.new_int_var(0, min(high * most, len(own)), f"q{j}_{theme}")
                    model.add(seats >= low * tags)
                    model.add(seats <= high * tags)
                    model.add(matched <= seats)
                    model.add(matched <= sum(own))
                    self.tags[j, theme] = tags
                    self.seats[j, theme] = seats
                    self.matched[j, theme] = matched
                    tag_vars.append(tags)
                    seat_vars.append(seats)
                    unmatched.append(sum(own) - matched)
                model.add(sum(seat_vars) == total)
                model.add(sum(tag_vars) >= used)
            if tag_vars:
                model.add(sum(tag_vars) <= mentor.capacity)
        count = len(ctx.cities)
        all_tags = list(self.tags.values())
        model.add(sum(all_tags) >= -(-count // high))
        model.add(sum(all_tags) <= count // low)
        if ctx.need_both:
            for kind in (True, False):
                model.add(sum(var for (j, _t), var in self.tags.items() if ctx.mentors[j].eu == kind) >= 1)
        self.theme_cost: cp_model.LinearExprT = 0
        if not exact_theme:
            self.theme_cost = sum(2 * var for pair, var in self.x.items() if pair in ctx.mismatch) + sum(unmatched)  # type: ignore[operator]
        self.preferences: cp_model.LinearExprT = sum(
            ctx.pref[pair] * var for pair, var in self.x.items() if ctx.pref[pair]
        )
        self.relatability: cp_model.LinearExprT = sum(
            ctx.rel[pair] * var for pair, var in self.x.items() if ctx.rel[pair]
        )

    def variables(self) -> list[cp_model.IntVar]:
        return [
            *self.x.values(),
            *self.tags.values(),
            *self.open.values(),
            *self.seats.values(),
            *self.matched.values(),
            *self.used.values(),
        ]

    def hint_assignment(self, assignment: Mapping[int, int]) -> None:
        """Hint every variable from the TAGs cut from ``assignment``."""
        model = self.model
        model.clear_hints()
        for (i, j), var in self.x.items():
            model.add_hint(var, assignment.get(i) == j)
        tags: Counter[Unit] = Counter()
        seats: Counter[Unit] = Counter()
        matched: Counter[Unit] = Counter()
        for group in self.ctx.groups_for(assignment):
            key = (self.ctx.mentor_index[group.mentor_id], group.theme)
            tags[key] += 1
            seats[key] += len(group.city_ids)
            matched[key] += sum(1 for c in group.city_ids if self.ctx.theme_of[c] == group.theme)
        for key, var in self.tags.items():
            model.add_hint(var, tags[key])
        for key, var in self.open.items():
            model.add_hint(var, tags[key] > 0)
        for key, var in self.seats.items():
            model.add_hint(var, seats[key])
        for key, var in self.matched.items():
            model.add_hint(var, matched[key])
        used = set(assignment.values())
        for j, var in self.used.items():
            model.add_hint(var, j in used)

    def assignment(self, solver: cp_model.CpSolver) -> dict[int, int]:
        return {i: j for (i, j), var in self.x.items() if solver.boolean_value(var)}


class _PreferenceModel:
    """Tier 2 without theme mismatches, with interchangeable cities pooled.

    Only a city's preferred mentors matter for tier 2, so a city that voiced no usable
    preference, is not pinned and has no forbidden mentor of its theme is represented
    only by a count: per theme, the pool of such cities (plus any city that ends up with
    none of its preferred mentors) is spread over the theme's mentors by integer flows.
    The model is exact for tier 2 and tiny. Its infeasibility proves that some theme
    mismatch is unavoidable.
    """

    def __init__(self, ctx: _Formation) -> None:
        self.ctx = ctx
        self.model = model = cp_model.CpModel()
        low, high = ctx.low, ctx.high
        thematic: dict[str, list[int]] = defaultdict(list)
        for j, mentor in enumerate(ctx.mentors):
            for theme in mentor.themes:
                thematic[theme].append(j)
        self.y: dict[tuple[int, int], cp_model.IntVar] = {}
        self.pooled: dict[int, cp_model.IntVar] = {}
        self.anonymous: dict[str, list[int]] = defaultdict(list)
        counts: dict[Unit, list[cp_model.IntVar]] = defaultdict(list)
        pool_terms: dict[str, list[cp_model.IntVar]] = defaultdict(list)
        for i, city in enumerate(ctx.cities):
            allowed = [j for j in ctx.options[i] if (i, j) not in ctx.mismatch]
            restricted = i in ctx.pinned or allowed != thematic.get(city.theme, [])
            preferred = [j for j in allowed if ctx.pref[i, j]]
            if not restricted and not preferred:
                self.anonymous[city.theme].append(i)
                continue
            chosen = allowed if restricted else preferred
            row = []
            for j in chosen:
                var = model.new_bool_var(f"y{i}_{j}")
                self.y[i, j] = var
                counts[j, city.theme].append(var)
                row.append(var)
            if not restricted:
                pool = model.new_bool_var(f"p{i}")
                self.pooled[i] = pool
                pool_terms[city.theme].append(pool)
                row.append(pool)
            model.add_exactly_one(row)
        self.flow: dict[Unit, cp_model.IntVar] = {}
        themes = {city.theme for city in ctx.cities}
        for theme in sorted(themes):
            size = len(self.anonymous.get(theme, [])) + len(pool_terms.get(theme, []))
            flows = []
            for j in thematic.get(theme, []):
                top = min(size, ctx.mentors[j].capacity * high)
                var = model.new_int_var(0, top, f"f{j}_{theme}")
                self.flow[j, theme] = var
                counts[j, theme].append(var)
                flows.append(var)
            model.add(sum(flows) == len(self.anonymous.get(theme, [])) + sum(pool_terms.get(theme, [])))
        self.tags: dict[Unit, cp_model.IntVar] = {}
        per_mentor: dict[int, list[cp_model.IntVar]] = defaultdict(list)
        for (j, theme), terms in sorted(counts.items()):
            mentor = ctx.mentors[j]
            most = mentor.capacity
            tags = model.new_int_var(0, most, f"t{j}_{theme}")
            is_open = model.new_bool_var(f"o{j}_{theme}")
            self.tags[j, theme] = tags
            per_mentor[j].append(tags)
            model.add(sum(terms) >= low * tags)
            model.add(sum(terms) <= high * tags)
            model.add(tags >= is_open)
            model.add(tags <= most * is_open)
            for var in terms:
                if (j, theme) in self.flow and var is self.flow[j, theme]:
                    model.add(var <= most * high * is_open)
                else:
                    model.add(var <= is_open)
        for j, tag_vars in per_mentor.items():
            model.add(sum(tag_vars) <= ctx.mentors[j].capacity)
        if ctx.need_both:
            for kind in (True, False):
                model.add(sum(var for (j, _t), var in self.tags.items() if ctx.mentors[j].eu == kind) >= 1)
        self.objective = sum(ctx.pref[pair] * var for pair, var in self.y.items() if ctx.pref[pair])
        model.maximize(self.objective)

    def assignment(self, solver: cp_model.CpSolver) -> dict[int, int] | None:
        """The best placement for the solution's TAG counts (pooled cities included), by a min-cost flow."""
        return _flow_assignment(self.ctx, {unit: solver.value(var) for unit, var in self.tags.items()})


def _flow_assignment(ctx: _Formation, tags: Mapping[Unit, int]) -> dict[int, int] | None:
    """The placement with the most preference points, then relatability points, for fixed TAG counts.

    Every city goes to a mentor–theme of its own theme; a mentor–theme with n TAGs takes
    between n·min_size and n·max_size cities. With the TAG counts fixed this is a
    transportation problem, solved exactly as a min-cost flow (lower bounds become
    node demands). Returns None when the counts admit no placement.
    """
    count = len(ctx.cities)
    units = sorted(unit for unit, value in tags.items() if value)
    node = {unit: count + k for k, unit in enumerate(units)}
    sink = count + len(units)
    weight = MAX_RELATABILITY * count + 1
    flow = min_cost_flow.SimpleMinCostFlow()
    arcs: list[tuple[int, int, int]] = []
    for i, city in enumerate(ctx.cities):
        flow.set_node_supply(i, 1)
        for j in ctx.options[i]:
            unit = (j, city.theme)
            if unit in node:
                cost = -(weight * ctx.pref[i, j] + ctx.rel[i, j])
                arcs.append((flow.add_arc_with_capacity_and_unit_cost(i, node[unit], 1, cost), i, j))
    lower_total = 0
    for unit in units:
        lower, upper = ctx.low * tags[unit], ctx.high * tags[unit]
        flow.add_arc_with_capacity_and_unit_cost(node[unit], sink, upper - lower, 0)
        flow.set_node_supply(node[unit], -lower)
        lower_total += lower
    flow.set_node_supply(sink, -(count - lower_total))
    if count < lower_total or flow.solve() != flow.OPTIMAL:
        return None
    return {i: j for arc, i, j in arcs if flow.flow(arc)}


@dataclass
class _TierRun:
    value: int
    bound: int
    proven: bool
    assignment: dict[int, int]


def _run_tier(
    tag_model: _TagModel,
    objective: cp_model.LinearExprT,
    *,
    maximize: bool,
    deadline: float,
    gap: float,
    settings: FormationSettings,
) -> tuple[str, _TierRun | None]:
    model = tag_model.model
    if maximize:
        model.maximize(objective)
    else:
        model.minimize(objective)
    solver = _solver(settings, deadline, gap, len(tag_model.x))
    status = solver.solve(model)
    if status in (cp_model.INFEASIBLE, cp_model.MODEL_INVALID):
        return "infeasible", None
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return "unknown", None
    value = round(solver.objective_value)
    bound = round(solver.best_objective_bound)
    proven = status == cp_model.OPTIMAL and bound == value
    model.clear_hints()
    for var in tag_model.variables():
        model.add_hint(var, solver.value(var))
    return "ok", _TierRun(value=value, bound=bound, proven=proven, assignment=tag_model.assignment(solver))


def _warm_start(
    ctx: _Formation, start: dict[int, int], floor: int, deadline: float, settings: FormationSettings
) -> dict[int, int]:
    """Improve ``start`` on a model with each city's most relatable mentors only, when the full model is large.

    Each city keeps its ``CANDIDATES`` most relatable mentors of its theme, every mentor
    it asked for and its mentor in ``start``. The smaller model finds good solutions far
    faster; the full model then only has to confirm them, and its bound is the one
    reported.
    """
    only: list[set[int]] = []
    for i, allowed in enumerate(ctx.options):
        own = [j for j in allowed if (i, j) not in ctx.mismatch]
        best = sorted(own, key=lambda j: (-ctx.rel[i, j], j))[:CANDIDATES]
        only.append(set(best) | {j for j in own if ctx.pref[i, j]} | {start[i]})
    if sum(map(len, only)) <= LARGE_MODEL or sum(map(len, only)) == len(ctx.pref):
        return start
    small = _TagModel(ctx, exact_theme=True, only=only)
    small.hint_assignment(start)
    small.model.add(small.preferences >= floor)
    small.model.maximize(small.relatability)
    solver = _solver(settings, time.perf_counter() + (deadline - time.perf_counter()) / 2, 0.0, len(small.x))
    if solver.solve(small.model) in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return small.assignment(solver)
    return start


def form_tags(problem: TagProblem) -> TagResult:
    """Form TAGs optimally, tier by tier, with CP-SAT.

    Tier 2 is first solved on the pooled model, whose feasibility proves that tier 1 is
    zero; tier 3 then runs on the full pair model with tier 2 held at its optimum. When
    no mismatch-free allocation exists, all three tiers run on the general model. An
    infeasible result with reasons is returned (never an exception) when the hard rules
    cannot all hold. The status is "optimal" when every tier is proven optimal and
    "feasible" when a tier ran out of time or stopped at ``relative_gap``.
    """
    started = time.perf_counter()
    settings = problem.settings
    deadline = started + settings.time_limit
    ctx = _Formation(problem)
    if ctx.reasons:
        return _infeasible(ctx.reasons, ctx.notes, started, "cp-sat")
    if not ctx.cities:
        return ctx.result([], status="optimal", method="cp-sat", started=started, proven=(True, True, True))

    notes: list[str] = []
    bounds: list[int | None] = []
    proven: list[bool] = []
    pooled = _PreferenceModel(ctx)
    # Tier 2 gets at most half of the time so that tier 3 always runs.
    solver = _solver(settings, started + settings.time_limit / 2, 0.0, len(pooled.y))
    status = solver.solve(pooled.model)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        bounds += [0, round(solver.best_objective_bound)]
        proven += [True, status == cp_model.OPTIMAL]
        floor = round(solver.objective_value)
        if status != cp_model.OPTIMAL:
            notes.append("The preference tier was not proven optimal within the time limit.")
        decoded = pooled.assignment(solver)
        if decoded is None:
            raise RuntimeError("TAG counts of a feasible pooled solution must admit a placement")
        fallback = _warm_start(ctx, decoded, floor, deadline, settings)
        tag_model = _TagModel(ctx, exact_theme=True)
        tag_model.hint_assignment(fallback)
        tag_model.model.add(tag_model.preferences >= floor)
        objectives = [(tag_model.relatability, "relatability")]
    else:
        tag_model = _TagModel(ctx, exact_theme=False)
        greedy = _Greedy(ctx).run()
        if greedy is not None:
            tag_model.hint_assignment(greedy)
        outcome, run = _run_tier(
            tag_model,
            tag_model.theme_cost,
            maximize=False,
            deadline=started + settings.time_limit / 3,
            gap=0.0,
            settings=settings,
        )
        if run is None:
            if outcome == "unknown" and time.perf_counter() < deadline:
                outcome, run = _run_tier(
                    tag_model, tag_model.theme_cost, maximize=False, deadline=deadline, gap=0.0, settings=settings
                )
            if run is None:
                return _infeasible(_diagnose(ctx, outcome, settings.time_limit), ctx.notes, started, "cp-sat")
        bounds.append(run.bound)
        proven.append(run.proven)
        if not run.proven:
            notes.append("The theme tier was not proven optimal within the time limit.")
        tag_model.model.add(tag_model.theme_cost <= run.value)
        fallback = run.assignment
        objectives = [(tag_model.preferences, "preference"), (tag_model.relatability, "relatability")]

    assignment = fallback
    for objective, label in objectives:
        last = label == "relatability"
        remaining = deadline - time.perf_counter()
        outcome, run = _run_tier(
            tag_model,
            objective,
            maximize=True,
            deadline=deadline if last else time.perf_counter() + remaining / 2,
            gap=settings.relative_gap if last else 0.0,
            settings=settings,
        )
        if run is None:
            notes.append(f"The {label} tier found no solution within the time limit; the previous tier's is kept.")
            bounds.append(None)
            proven.append(False)
            continue
        assignment = run.assignment
        bounds.append(run.bound)
        proven.append(run.proven)
        if not last:
            tag_model.model.add(objective >= run.value)
            if not run.proven:
                notes.append(f"The {label} tier was not proven optimal within the time limit.")

    status_word: Status = "optimal" if all(proven) else "feasible"
    return ctx.result(
        ctx.groups_for(assignment),
        status=status_word,
        method="cp-sat",
        started=started,
        bounds=bounds,
        proven=proven,
        notes=notes,
    )


def _diagnose(ctx: _Formation, outcome: str, time_limit: float) -> list[str]:
    """Specific reasons why the solver found no allocation, found by relaxing one rule at a time."""
    if outcome == "unknown":
        return [
            f"No valid allocation was found within the time limit of {time_limit:g} s, "
            "and the solver could not prove that none exists."
        ]
    problem = ctx.problem
    settings = problem.settings
    relaxations: list[tuple[str, TagProblem]] = []
    if problem.pins:
        relaxations.append(("pins", replace(problem, pins=frozenset())))
    if problem.forbids:
        relaxations.append(("forbids", replace(problem, forbids=frozenset())))
    if ctx.need_both:
        relaxations.append(("kinds", replace(problem, settings=replace(settings, both_mentor_kinds=False))))
    if not settings.allow_theme_mismatch:
        relaxations.append(("themes", replace(problem, settings=replace(settings, allow_theme_mismatch=True))))
    messages = {
        "pins": "The pinned pairs cannot all hold together with the TAG sizes and mentor capacities.",
        "forbids": "The forbidden pairs leave too few suitable places to form TAGs of a valid size.",
        "kinds": "At least one TAG must be led by an EU mentor and one by an international mentor, "
        "and the other rules leave no way to do both.",
        "themes": "Cities may only join mentors who mentor their theme, and the cities of the themes cannot "
        "be cut into TAGs of a valid size that way.",
    }
    reasons = [messages[key] for key, relaxed in relaxations if _feasible(relaxed)]
    return reasons or ["The pins, forbids, TAG sizes and mentor capacities cannot all hold together."]


def _feasible(problem: TagProblem) -> bool:
    ctx = _Formation(problem)
    if ctx.reasons:
        return False
    tag_model = _TagModel(ctx, exact_theme=False)
    solver = _solver(problem.settings, time.perf_counter() + 5.0, 0.0, len(tag_model.x))
    return solver.solve(tag_model.model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)


# --------------------------------------------------------------------------------------
# Brain dates
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LabCity:
    """A city at a cross-city lab and the cities whose projects it picked, best first."""

    id: str
    name: str
    picks: tuple[str, ...] = ()


@dataclass(frozen=True)
class BrainDateSettings:
    """Group sizes, scoring and solver limits for brain dates."""

    min_size: int = 2
    max_size: int = 5
    picks: int = 5
    mutual_bonus: int = 3
    time_limit: float = 20.0
    relative_gap: float = 0.0
    workers: int = 0
    seed: int = 0


@dataclass(frozen=True)
class BrainDateProblem:
    cities: tuple[LabCity, ...]
    settings: BrainDateSettings = field(default_factory=BrainDateSettings)


@dataclass(frozen=True)
class BrainDateGroup:
    city_ids: tuple[str, ...]
    score: int
    explanation: str


@dataclass(frozen=True)
class BrainDateResult:
    """The outcome of brain-date matching; ``bound`` and ``gap`` are ``None`` for the greedy baseline."""

    status: Status
    groups: tuple[BrainDateGroup, ...]
    objective: int
    bound: float | None
    gap: float | None
    seconds: float
    method: str
    reasons: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


class _Lab:
    """Pair interest from the picks, and the checks for impossible input."""

    def __init__(self, problem: BrainDateProblem) -> None:
        self.problem = problem
        self.settings = settings = problem.settings
        self.cities = list(problem.cities)
        self.index = {city.id: i for i, city in enumerate(self.cities)}
        self.reasons: list[str] = []
        self.notes: list[str] = []
        low, high = settings.min_size, settings.max_size
        if low < 1 or high < low:
            self.reasons.append(f"Group sizes must satisfy 1 ≤ smallest ≤ largest; got {low} to {high}.")
            return
        repeated = sorted(key for key, count in Counter(c.id for c in self.cities).items() if count > 1)
        if repeated:
            self.reasons.append(f"Each city must appear once; repeated: {_names(repeated)}.")
            return
        count = len(self.cities)
        if count and not _size_counts_possible(count, low, high, count):
            self.reasons.append(
                f"{_plural(count, 'city takes', 'cities take')} part, which cannot be split into groups of "
                f"{low} to {high}."
            )
        # ranks[(a, b)] = ranks at which a picked b
        self.ranks: dict[tuple[int, int], list[int]] = defaultdict(list)
        for a, city in enumerate(self.cities):
            for rank, picked in enumerate(city.picks[: settings.picks], start=1):
                b = self.index.get(picked)
                if b is None:
                    self.notes.append(f"{city.name} picked an unknown city ({picked}); ignored.")
                elif b == a:
                    self.notes.append(f"{city.name} picked itself; ignored.")
                else:
                    self.ranks[a, b].append(rank)
            if len(city.picks) > settings.picks:
                self.notes.append(f"{city.name} made more than {settings.picks} picks; only the first count.")
        self.interest: dict[tuple[int, int], int] = {}
        for a, b in self.ranks:
            key = (min(a, b), max(a, b))
            if key not in self.interest:
                self.interest[key] = self.pair_score(*key)
        self.neighbours: dict[int, set[int]] = defaultdict(set)
        for a, b in self.interest:
            self.neighbours[a].add(b)
            self.neighbours[b].add(a)

    def weight(self, rank: int) -> int:
        return self.settings.picks + 1 - rank

    def pair_score(self, a: int, b: int) -> int:
        forward = sum(self.weight(r) for r in self.ranks.get((a, b), []))
        backward = sum(self.weight(r) for r in self.ranks.get((b, a), []))
        bonus = self.settings.mutual_bonus if forward and backward else 0
        return forward + backward + bonus

    def group_score(self, members: Sequence[int]) -> int:
        total = 0
        for x, a in enumerate(members):
            for b in members[x + 1 :]:
                total += self.interest.get((min(a, b), max(a, b)), 0)
        return total

    def explain(self, members: Sequence[int]) -> str:
        names = [self.cities[i].name for i in members]
        parts = []
        member_set = set(members)
        for a in members:
            for b in members:
                ranks = self.ranks.get((a, b))
                if not ranks:
                    continue
                words = " and ".join(ordinal(r) for r in ranks)
                reverse = self.ranks.get((b, a))
                if reverse and a < b:
                    back = " and ".join(ordinal(r) for r in reverse)
                    parts.append(
                        f"{names[members.index(a)]} picked {names[members.index(b)]} ({words}) and "
                        f"{names[members.index(b)]} picked {names[members.index(a)]} ({back})"
                    )
                elif not reverse:
                    parts.append(f"{names[members.index(a)]} picked {names[members.index(b)]} ({words})")
        linked = {a for a, b in self.ranks if a in member_set and b in member_set}
        linked |= {b for a, b in self.ranks if a in member_set and b in member_set}
        fillers = [self.cities[i].name for i in members if i not in linked]
        if fillers:
            verb = "completes" if len(fillers) == 1 else "complete"
            parts.append(
                f"{_names(fillers)} {verb} the group: no pick links {'it' if len(fillers) == 1 else 'them'} here"
            )
        return "; ".join(parts)

    def result(
        self,
        groups: Sequence[Sequence[int]],
        *,
        status: Status,
        method: str,
        started: float,
        bound: int | None = None,
        notes: Sequence[str] = (),
    ) -> BrainDateResult:
        ordered = sorted((sorted(group) for group in groups), key=lambda g: g[0])
        built = tuple(
            BrainDateGroup(
                city_ids=tuple(self.cities[i].id for i in group),
                score=self.group_score(group),
                explanation=self.explain(group),
            )
            for group in ordered
        )
        objective = sum(group.score for group in built)
        gap = None if bound is None else abs(bound - objective) / max(1, abs(objective))
        return BrainDateResult(
            status=status,
            groups=built,
            objective=objective,
            bound=None if bound is None else float(bound),
            gap=gap,
            seconds=time.perf_counter() - started,
            method=method,
            notes=(*self.notes, *notes),
        )


def _brain_infeasible(lab: _Lab, started: float, method: str) -> BrainDateResult:
    return BrainDateResult(
        status="infeasible",
        groups=(),
        objective=0,
        bound=None,
        gap=None,
        seconds=time.perf_counter() - started,
        method=method,
        reasons=tuple(lab.reasons),
        notes=tuple(lab.notes),
    )


def score_brain_dates(problem: BrainDateProblem, groups: Iterable[Sequence[str]]) -> int:
    """The objective of a grouping given as city ids."""
    lab = _Lab(problem)
    return sum(lab.group_score([lab.index[c] for c in group]) for group in groups)


def _greedy_groups(lab: _Lab) -> list[list[int]] | None:
    """Merge groups along the most interesting pairs, then fix groups that are too small."""
    low, high = lab.settings.min_size, lab.settings.max_size
    count = len(lab.cities)
    group_of = list(range(count))
    members: dict[int, list[int]] = {i: [i] for i in range(count)}

    def gain(g: int, h: int) -> int:
        return sum(lab.interest.get((min(a, b), max(a, b)), 0) for a in members[g] for b in members[h])

    for (a, b), _score in sorted(lab.interest.items(), key=lambda item: (-item[1], item[0])):
        g, h = group_of[a], group_of[b]
        if g != h and len(members[g]) + len(members[h]) <= high:
            for c in members.pop(h):
                group_of[c] = g
                members[g].append(c)
    for _round in range(2 * count + 5):
        small = [g for g in members if len(members[g]) < low]
        if not small:
            break
        g = min(small, key=lambda s: (len(members[s]), s))
        partners = [h for h in members if h != g and len(members[h]) + len(members[g]) <= high]
        if partners:
            h = max(partners, key=lambda p: (gain(g, p), len(members[p]) < low, -p))
            for c in members.pop(g):
                group_of[c] = h
                members[h].append(c)
            continue
        # Borrow cities from groups that can spare one.
        donors = [
            (sum(lab.interest.get((min(c, d), max(c, d)), 0) for d in members[g]), c)
            for h in members
            if h != g and len(members[h]) > low
            for c in members[h]
        ]
        if not donors:
            return None
        _gain, c = max(donors)
        members[group_of[c]].remove(c)
        group_of[c] = g
        members[g].append(c)
    if any(not low <= len(group) <= high for group in members.values()):
        return None
    return list(members.values())


def greedy_brain_dates(problem: BrainDateProblem) -> BrainDateResult:
    """Baseline: join the most interested pairs first, then merge or top up groups that are too small."""
    started = time.perf_counter()
    lab = _Lab(problem)
    if lab.reasons:
        return _brain_infeasible(lab, started, "greedy")
    groups = _greedy_groups(lab)
    if groups is None:
        lab.reasons.append("The greedy heuristic could not form groups of a valid size.")
        return _brain_infeasible(lab, started, "greedy")
    return lab.result(groups, status="feasible", method="greedy", started=started)


def match_brain_dates(problem: BrainDateProblem) -> BrainDateResult:
    """Form brain-date groups maximising mutual interest with CP-SAT.

    Cities are numbered and every group is represented by its lowest-numbered member,
    its leader: ``member[l, j]`` says city j is in the group led by l ≤ j, which removes
    all group symmetry. A Boolean per pair with interest (only pairs where one picked
    the other) says the two share a group and is linked to the membership Booleans; a
    city has at most ``max_size - 1`` partners, which tightens the bound.
    """
    started = time.perf_counter()
    lab = _Lab(problem)
    settings = lab.settings
    if lab.reasons:
        return _brain_infeasible(lab, started, "cp-sat")
    count = len(lab.cities)
    if count == 0:
        return lab.result([], status="optimal", method="cp-sat", started=started, bound=0)
    low, high = settings.min_size, settings.max_size
    model = cp_model.CpModel()
    member: dict[tuple[int, int], cp_model.IntVar] = {}
    for lead in range(count):
        for j in range(lead, count):
            member[lead, j] = model.new_bool_var(f"m{lead}_{j}")
    for j in range(count):
        model.add_exactly_one([member[lead, j] for lead in range(j + 1)])
    for lead in range(count):
        leads = member[lead, lead]
        followers = [member[lead, j] for j in range(lead + 1, count)]
        for var in followers:
            model.add_implication(var, leads)
        model.add(sum(followers) >= (low - 1) * leads)
        model.add(sum(followers) <= (high - 1) * leads)
    together: dict[tuple[int, int], cp_model.IntVar] = {}
    for (a, b), _score in lab.interest.items():
        var = model.new_bool_var(f"z{a}_{b}")
        together[a, b] = var
        for lead in range(a + 1):
            model.add(member[lead, a] == member[lead, b]).only_enforce_if(var)
        for lead in range(a + 1, b + 1):
            model.add_implication(var, ~member[lead, b])
    for a in range(count):
        incident = [together[min(a, b), max(a, b)] for b in lab.neighbours.get(a, ())]
        if len(incident) > high - 1:
            model.add(sum(incident) <= high - 1)
    model.maximize(sum(lab.interest[pair] * var for pair, var in together.items()))

    greedy = _greedy_groups(lab)
    if greedy is not None:
        leader = {}
        for group in greedy:
            for i in group:
                leader[i] = min(group)
        for (lead, j), var in member.items():
            model.add_hint(var, leader[j] == lead)
        for (a, b), var in together.items():
            model.add_hint(var, leader[a] == leader[b])

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = settings.time_limit
    solver.parameters.num_workers = _workers(settings.workers, 2)
    solver.parameters.random_seed = settings.seed
    solver.parameters.relative_gap_limit = settings.relative_gap
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        if status == cp_model.INFEASIBLE:
            lab.reasons.append("No grouping satisfies the group sizes.")
        else:
            lab.reasons.append(f"No grouping was found within the time limit of {settings.time_limit:g} s.")
        return _brain_infeasible(lab, started, "cp-sat")
    groups: dict[int, list[int]] = defaultdict(list)
    for (lead, j), var in member.items():
        if solver.boolean_value(var):
            groups[lead].append(j)
    bound = math.floor(solver.best_objective_bound + 1e-6)
    value = round(solver.objective_value)
    result_status: Status = "optimal" if status == cp_model.OPTIMAL and bound <= value else "feasible"
    return lab.result(list(groups.values()), status=result_status, method="cp-sat", started=started, bound=bound)


__all__ = [
    "BrainDateGroup",
    "BrainDateProblem",
    "BrainDateResult",
    "BrainDateSettings",
    "CoreCity",
    "FormationSettings",
    "LabCity",
    "MentorCity",
    "Placement",
    "TagGroup",
    "TagProblem",
    "TagResult",
    "TagScore",
    "Tier",
    "explain_placement",
    "form_tags",
    "greedy_brain_dates",
    "greedy_tags",
    "match_brain_dates",
    "preference_rank",
    "relatability",
    "score_brain_dates",
    "score_tags",
    "tag_violations",
]
