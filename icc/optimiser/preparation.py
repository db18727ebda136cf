"""The shared context of a TAG formation run: indices, pair scores and the checks of input.

:class:`Formation` finds input that is obviously infeasible before any solver runs and
says why (its ``reasons``), collects warnings (its ``notes``), and turns an assignment
of cities to mentors into TAGs and a :class:`~icc.optimiser.problem.TagResult`.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence

from icc.optimiser.problem import Reason, Status, TagGroup, TagProblem, TagResult, Tier
from icc.optimiser.scores import PREFERENCE_POINTS, preference_points, preference_rank, relatability, score_tags

Unit = tuple[int, str]  # a mentor (index) and one of its themes


def size_counts_possible(count: int, low: int, high: int, most: int) -> range:
    """Numbers of groups T with low·T ≤ count ≤ high·T and T ≤ most."""
    first = max(1, -(-count // high))
    last = min(most, count // low)
    return range(first, last + 1)


class Formation:
    """Indices, pair scores and the checks that find obviously infeasible input."""

    def __init__(self, problem: TagProblem) -> None:
        self.problem = problem
        self.settings = settings = problem.settings
        self.reasons: list[Reason] = []
        self.notes: list[Reason] = []
        self.theme_notes: list[Reason] = []
        self.cities = list(problem.cities)
        self.low = settings.min_size
        self.high = settings.max_size
        mentors = []
        for mentor in problem.mentors:
            if mentor.capacity < 1:
                self.notes.append(Reason.of("mentor-without-capacity", mentor=mentor.name))
            elif not mentor.themes:
                self.notes.append(Reason.of("mentor-without-theme", mentor=mentor.name))
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
            self.reasons.append(Reason.of("tag-sizes-invalid", low=settings.min_size, high=settings.max_size))
            return
        for code, ids in (
            ("repeated-core-cities", [c.id for c in self.cities]),
            ("repeated-mentors", [m.id for m in self.problem.mentors]),
        ):
            repeated = tuple(sorted(key for key, count in Counter(ids).items() if count > 1))
            if repeated:
                self.reasons.append(Reason.of(code, ids=repeated))
        if not self.cities:
            return
        if not self.mentors:
            self.reasons.append(Reason.of("no-mentor"))
            return
        for city in self.cities:
            unknown = tuple(m for m in city.preferences if m not in self.all_mentor_ids)
            if unknown:
                self.notes.append(Reason.of("unknown-preferences", city=city.name, mentors=unknown))
            if len(city.preferences) > len(PREFERENCE_POINTS):
                self.notes.append(Reason.of("too-many-preferences", city=city.name, limit=len(PREFERENCE_POINTS)))
        self._check_rules()

    def _check_rules(self) -> None:
        names = {c.id: c.name for c in self.cities} | {m.id: m.name for m in self.problem.mentors}
        pins = sorted(self.problem.pins)
        forbids = sorted(self.problem.forbids)
        for kind, pairs in (("pin", pins), ("forbid", forbids)):
            for city_id, mentor_id in pairs:
                if city_id not in self.city_index:
                    self.reasons.append(Reason.of(f"{kind}-unknown-city", city=city_id, mentor=mentor_id))
                elif mentor_id not in self.all_mentor_ids:
                    self.reasons.append(Reason.of(f"{kind}-unknown-mentor", city=names[city_id], mentor=mentor_id))
                elif kind == "pin" and mentor_id not in self.mentor_index:
                    self.reasons.append(Reason.of("pin-unusable-mentor", city=names[city_id], mentor=names[mentor_id]))
        if self.reasons:
            return
        for city_id, mentor_id in pins:
            if (city_id, mentor_id) in self.problem.forbids:
                self.reasons.append(Reason.of("pinned-and-forbidden", city=names[city_id], mentor=names[mentor_id]))
        by_city: dict[str, list[str]] = defaultdict(list)
        for city_id, mentor_id in pins:
            by_city[city_id].append(mentor_id)
        for city_id, mentor_ids in sorted(by_city.items()):
            if len(mentor_ids) > 1:
                self.reasons.append(
                    Reason.of(
                        "pinned-to-several",
                        city=names[city_id],
                        count=len(mentor_ids),
                        mentors=tuple(names[m] for m in mentor_ids),
                    )
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
                    Reason.of(
                        "pins-over-capacity",
                        count=count,
                        mentor=mentor.name,
                        capacity=mentor.capacity,
                        size=self.high,
                        places=mentor.capacity * self.high,
                    )
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
                self.reasons.append(Reason.of("all-mentors-forbidden", city=city.name))
        if total_tags * high < count:
            self.reasons.append(
                Reason.of("too-few-places", count=count, tags=total_tags, size=high, places=total_tags * high)
            )
        elif not size_counts_possible(count, low, high, total_tags):
            if count // low > total_tags:
                self.reasons.append(Reason.of("cannot-split-within", count=count, low=low, high=high, tags=total_tags))
            else:
                self.reasons.append(Reason.of("cannot-split", count=count, low=low, high=high))
        if self.need_both and count < 2 * low:
            self.reasons.append(Reason.of("too-few-for-both-kinds", count=count, low=low))
        shortages = self.theme_shortages()
        if self.settings.allow_theme_mismatch:
            self.theme_notes = shortages
        else:
            self.theme_notes = []
            self.reasons.extend(shortages)

    def theme_shortages(self) -> list[Reason]:
        """Themes whose mentors cannot take all their core cities."""
        found = []
        demand = Counter(city.theme for city in self.cities)
        for theme, count in sorted(demand.items()):
            mentors = [m for m in self.mentors if theme in m.themes]
            tags = sum(m.capacity for m in mentors)
            if not mentors:
                found.append(Reason.of("theme-without-mentor", theme=theme, count=count))
            elif tags * self.high < count:
                found.append(
                    Reason.of(
                        "theme-short-of-places",
                        theme=theme,
                        count=count,
                        tags=tags,
                        size=self.high,
                        places=tags * self.high,
                    )
                )
        return found

    # Helpers used by the solver and the greedy baseline -------------------------------

    def representable(self, count: int, capacity: int) -> bool:
        return count == 0 or bool(size_counts_possible(count, self.low, self.high, capacity))

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
        notes: Sequence[Reason] = (),
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
            extra.append(Reason.of("theme-mismatches", count=mismatched))
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


def infeasible(reasons: Sequence[Reason], notes: Sequence[Reason], started: float, method: str) -> TagResult:
    """A TAG result without groups, saying why."""
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
