"""Greedy baselines: what a careful person would do by hand, to measure the optimiser against.

Neither baseline proves anything; both return only valid solutions (or say they found
none), so their scores are a floor the optimiser must reach.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict

from icc.optimiser.lab import Lab
from icc.optimiser.preparation import Formation, Unit, infeasible
from icc.optimiser.problem import BrainDateProblem, BrainDateResult, Reason, TagProblem, TagResult

# --------------------------------------------------------------------------------------
# TAG formation
# --------------------------------------------------------------------------------------


class Greedy:
    """Cities placed one by one on their best TAG theme of a mentor ("unit"), then sizes repaired.

    A unit is a mentor and one of its themes; its cities are cut into TAGs of that theme,
    so a unit of c cities needs ⌈c / max_size⌉ TAGs and is valid when those TAGs can
    each have ``min_size`` cities. A mentor's units together may not need more TAGs
    than its capacity.
    """

    def __init__(self, ctx: Formation) -> None:
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
    ctx = Formation(problem)
    if ctx.reasons:
        return infeasible(ctx.reasons, ctx.notes, started, "greedy")
    if not ctx.cities:
        return ctx.result([], status="optimal", method="greedy", started=started, proven=(True, True, True))
    assignment = Greedy(ctx).run()
    if assignment is None:
        return infeasible([Reason.of("greedy-failed")], ctx.notes, started, "greedy")
    return ctx.result(ctx.groups_for(assignment), status="feasible", method="greedy", started=started)


# --------------------------------------------------------------------------------------
# Brain dates
# --------------------------------------------------------------------------------------


def greedy_groups(lab: Lab) -> list[list[int]] | None:
    """Merge groups along the most interesting pairs, then fix groups that are too small."""
    low, high = lab.low, lab.high
    count = len(lab.cities)
    group_of = list(range(count))
    members: dict[int, list[int]] = {i: [i] for i in range(count)}
    between = lab.interest.between

    def gain(g: int, h: int) -> int:
        return sum(between(a, b) for a in members[g] for b in members[h])

    for (a, b), _score in sorted(lab.pairs.items(), key=lambda item: (-item[1], item[0])):
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
            (sum(between(c, d) for d in members[g]), c)
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
    lab = Lab(problem)
    if lab.reasons:
        return lab.infeasible(started, "greedy")
    groups = greedy_groups(lab)
    if groups is None:
        return lab.infeasible(started, "greedy", Reason.of("greedy-groups-failed"))
    return lab.result(groups, status="feasible", method="greedy", started=started)
