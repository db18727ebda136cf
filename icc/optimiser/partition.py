"""The master problem of brain dates: set partitioning over clusters and single cities, packed into groups.

:class:`Master` holds the rows (each city in exactly one cluster or single; the
packing rows, see :mod:`icc.optimiser.brain_dates`) and one column per cluster added.
The same class is the LP of column generation (GLOP) and the integer program (SCIP);
:func:`pack` turns an integer solution into groups.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np
from ortools.linear_solver import pywraplp

from icc.optimiser.clusters import FloatArray
from icc.optimiser.lab import Lab


def shapes(low: int, high: int) -> list[tuple[int, ...]]:
    """Every multiset of part sizes (largest first) whose sum is a valid group size."""
    found: list[tuple[int, ...]] = []

    def grow(parts: tuple[int, ...], total: int) -> None:
        if parts and low <= total <= high:
            found.append(parts)
        for size in range(min(parts[-1] if parts else high, high - total), 0, -1):
            grow((*parts, size), total + size)

    grow((), 0)
    return found


def components(lab: Lab, group: Iterable[int]) -> list[tuple[int, ...]]:
    """The connected parts of a group in the pick graph, each sorted."""
    left = set(group)
    parts = []
    while left:
        stack = [min(left)]
        left.discard(stack[0])
        part = []
        while stack:
            city = stack.pop()
            part.append(city)
            for other in lab.neighbours.get(city, ()):
                if other in left:
                    left.discard(other)
                    stack.append(other)
        parts.append(tuple(sorted(part)))
    return parts


class Master:
    """The master problem over the clusters added so far: an LP (GLOP) or an integer program (SCIP)."""

    def __init__(self, lab: Lab, *, integer: bool) -> None:
        self.lab = lab
        self.integer = integer
        solver = pywraplp.Solver.CreateSolver("SCIP" if integer else "GLOP")
        if solver is None:
            raise RuntimeError("OR-Tools was built without SCIP or GLOP")
        self.solver = solver
        count, low, high = len(lab.cities), lab.low, lab.high
        self.fillers = low <= 2
        self.cover = [solver.Constraint(1, 1, f"c{i}") for i in range(count)]
        self.singles = [self._var(1, f"s{i}") for i in range(count)]
        for i, var in enumerate(self.singles):
            self.cover[i].SetCoefficient(var, 1)
        self.extra: dict[str, pywraplp.Variable] = {}
        self.shape_vars: dict[tuple[int, ...], pywraplp.Variable] = {}
        self.link: dict[int, pywraplp.Constraint] = {}
        if self.fillers:
            seated, alone, groups = self._var(count, "seated"), self._var(count, "alone"), self._var(count, "groups")
            self.extra = {"seated": seated, "alone": alone, "groups": groups}
            fill = solver.Constraint(0, 0, "fill")  # Σ singles = seated + alone
            for var in self.singles:
                fill.SetCoefficient(var, 1)
            fill.SetCoefficient(seated, -1)
            fill.SetCoefficient(alone, -1)
            self.spare = solver.Constraint(-solver.infinity(), 0, "spare")  # seated ≤ Σ spare seats
            self.spare.SetCoefficient(seated, 1)
            upper = solver.Constraint(-solver.infinity(), 0, "upper")
            upper.SetCoefficient(alone, 1)
            upper.SetCoefficient(groups, -high)
            lower = solver.Constraint(-solver.infinity(), 0, "lower")
            lower.SetCoefficient(alone, -1)
            lower.SetCoefficient(groups, low)
        else:
            self.link = {k: solver.Constraint(0, 0, f"k{k}") for k in range(1, high + 1)}
            for var in self.singles:
                self.link[1].SetCoefficient(var, 1)
            for shape in shapes(low, high):
                var = self._var(count // sum(shape), "shape" + "-".join(map(str, shape)))
                self.shape_vars[shape] = var
                for size, times in Counter(shape).items():
                    self.link[size].SetCoefficient(var, -times)
        self.objective = solver.Objective()
        self.objective.SetMaximization()
        self.columns: dict[tuple[int, ...], pywraplp.Variable] = {}

    def _var(self, upper: int, name: str) -> pywraplp.Variable:
        # LP columns have no upper bound, so that every reduced cost of a solved LP is ≤ 0.
        if self.integer:
            return self.solver.IntVar(0, upper, name)
        return self.solver.NumVar(0, self.solver.infinity(), name)

    def add(self, cluster: tuple[int, ...], score: int) -> bool:
        if cluster in self.columns:
            return False
        var = self._var(1, "x" + "_".join(map(str, cluster)))
        for city in cluster:
            self.cover[city].SetCoefficient(var, 1)
        if self.fillers:
            self.spare.SetCoefficient(var, -(self.lab.high - len(cluster)))
        else:
            self.link[len(cluster)].SetCoefficient(var, 1)
        self.objective.SetCoefficient(var, score)
        self.columns[cluster] = var
        return True

    def solve_lp(self) -> bool:
        status = self.solver.Solve()
        if status != pywraplp.Solver.OPTIMAL:
            self.solver.Reset()
            status = self.solver.Solve()
        return status == pywraplp.Solver.OPTIMAL

    def prices(self) -> FloatArray:
        """Each city's dual price, plus a 0 for the padding city."""
        return np.array([row.dual_value() for row in self.cover] + [0.0])

    def size_prices(self) -> FloatArray:
        """What a cluster of each size (index) pays to the packing rows."""
        high = self.lab.high
        if self.fillers:
            spare = self.spare.dual_value()
            return np.array([-(high - k) * spare for k in range(high + 1)])
        return np.array([0.0] + [self.link[k].dual_value() for k in range(1, high + 1)])

    def hint(self, groups: Sequence[Sequence[int]]) -> None:
        """Hint the integer program with a grouping whose clusters are all columns."""
        used: set[tuple[int, ...]] = set()
        single: set[int] = set()
        shape_count: Counter[tuple[int, ...]] = Counter()
        seated = alone = alone_groups = 0
        for group in groups:
            parts = components(self.lab, group)
            used.update(p for p in parts if len(p) > 1)
            lone = [p[0] for p in parts if len(p) == 1]
            single.update(lone)
            shape_count[tuple(sorted((len(p) for p in parts), reverse=True))] += 1
            if len(lone) == len(parts):
                alone += len(lone)
                alone_groups += 1
            else:
                seated += len(lone)
        variables = [*self.columns.values(), *self.singles]
        values = [float(c in used) for c in self.columns] + [float(i in single) for i in range(len(self.singles))]
        if self.fillers:
            variables += [self.extra["seated"], self.extra["alone"], self.extra["groups"]]
            values += [float(seated), float(alone), float(alone_groups)]
        else:
            variables += list(self.shape_vars.values())
            values += [float(shape_count[s]) for s in self.shape_vars]
        self.solver.SetHint(variables, values)

    def solve_integer(self, seconds: float, gap: float, seed: int) -> tuple[list[list[int]], int, float, bool] | None:
        """(groups, value, bound, proven) of the integer program over the current columns, or None."""
        self.solver.SetTimeLimit(max(100, int(1000 * seconds)))
        # Pseudo-cost branching: SCIP's default strong branching spends most of its time on these
        # degenerate set-partitioning LPs.
        self.solver.SetSolverSpecificParametersAsString(
            f"randomization/randomseedshift = {seed}\nbranching/pscost/priority = 100000000\n"
        )
        parameters = pywraplp.MPSolverParameters()
        parameters.SetDoubleParam(pywraplp.MPSolverParameters.RELATIVE_MIP_GAP, gap)
        status = self.solver.Solve(parameters)
        if status not in (pywraplp.Solver.OPTIMAL, pywraplp.Solver.FEASIBLE):
            return None
        value = round(self.objective.Value())
        proven = status == pywraplp.Solver.OPTIMAL and math.floor(self.objective.BestBound() + 1e-6) <= value
        clusters = [list(c) for c, var in self.columns.items() if var.solution_value() > 0.5]
        singles = [i for i, var in enumerate(self.singles) if var.solution_value() > 0.5]
        shape_count = {s: round(var.solution_value()) for s, var in self.shape_vars.items()}
        groups = pack(self.lab, clusters, singles, shape_count)
        if groups is None:
            raise RuntimeError("an integer brain-date solution must pack into groups")
        return groups, value, self.objective.BestBound(), proven


def pack(
    lab: Lab, clusters: list[list[int]], singles: list[int], shape_count: dict[tuple[int, ...], int]
) -> list[list[int]] | None:
    """Groups of a valid size from the chosen clusters and single cities, or None if they do not pack.

    With ``min_size`` ≤ 2, as many single cities as the group sizes allow take spare
    seats in clusters, those that add most first (at an optimum none adds anything); the
    others form groups of their own, as even in size as possible. With larger groups the
    shapes of the solution say which parts go together.
    """
    low, high = lab.low, lab.high
    if low > 2:
        by_size: dict[int, list[list[int]]] = {1: [[i] for i in sorted(singles, reverse=True)]}
        for cluster in sorted(clusters, reverse=True):
            by_size.setdefault(len(cluster), []).append(cluster)
        packed = []
        for shape, times in sorted(shape_count.items()):
            for _ in range(times):
                if any(len(by_size.get(size, ())) < needed for size, needed in Counter(shape).items()):
                    return None
                packed.append([city for size in shape for city in by_size[size].pop()])
        return None if any(by_size.values()) else packed
    groups = [list(cluster) for cluster in clusters]
    spare = sum(high - len(group) for group in groups)
    left = sorted(singles)
    alone = next((r for r in range(max(0, len(left) - spare), len(left) + 1) if r == 0 or splits(r, low, high)), None)
    if alone is None:
        return None
    group_of = {city: index for index, group in enumerate(groups) for city in group}
    for _seat in range(len(left) - alone):
        best: tuple[tuple[int, int, int], int, int] | None = None
        for city in left:
            for other in sorted(lab.neighbours.get(city, ())):
                index = group_of.get(other, -1)
                if index >= 0 and len(groups[index]) < high:
                    gain = sum(lab.interest.between(city, member) for member in groups[index])
                    key = (gain, -index, -city)
                    if best is None or key > best[0]:
                        best = (key, city, index)
        if best is None:
            index = next(i for i, group in enumerate(groups) if len(group) < high)
            best = ((0, 0, 0), left[0], index)
        _key, city, index = best
        groups[index].append(city)
        group_of[city] = index
        left.remove(city)
    if left:
        count = next(m for m in range(1, len(left) + 1) if low * m <= len(left) <= high * m)
        groups.extend(left[k::count] for k in range(count))
    return groups


def splits(count: int, low: int, high: int) -> bool:
    """Whether ``count`` cities can form groups of ``low`` to ``high``."""
    return any(low * m <= count <= high * m for m in range(1, count + 1))


def valid(lab: Lab, groups: Sequence[Sequence[int]]) -> bool:
    """Whether ``groups`` place every city exactly once, in groups of a valid size."""
    placed = Counter(city for group in groups for city in group)
    return (
        set(placed) == set(range(len(lab.cities)))
        and all(times == 1 for times in placed.values())
        and all(lab.low <= len(group) <= lab.high for group in groups)
    )
