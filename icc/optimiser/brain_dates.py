"""Brain dates, proven optimal: set partitioning over clusters of the pick graph.

Formulation
-----------
A pair of cities adds to its group's score only when one picked the other, so a group
scores the sum of its *clusters*, the connected parts of the pick graph inside it.
Every grouping is thus exactly a partition of the cities into clusters (connected sets
of 2 to ``max_size`` cities, see :mod:`icc.optimiser.clusters`) and single cities
(score 0), plus a way to pack them into groups of ``min_size`` to ``max_size``. Packing
depends only on sizes:

* ``min_size`` ≤ 2: every cluster is a group of its own; a single city takes a spare
  seat of a cluster (up to ``max_size`` − its size per cluster) or joins other single
  cities in ``m`` groups of their own, with ``min_size``·m ≤ their number ≤ ``max_size``·m.
* ``min_size`` > 2: per *shape* (a multiset of part sizes adding up to a valid group
  size) an integer count of groups of that shape; the clusters of each size chosen (and
  the single cities) are exactly those the shapes use.

The master problem is max Σ score(C)·x_C with every city in exactly one cluster or
single, and the packing rows. Its LP relaxation is solved by column generation with
GLOP: the duals price each city and each size, a cluster's reduced cost is its score
minus the prices of its cities and of its size, and clusters of positive reduced cost
join the LP until none is left. Every grouping's value is then the LP value plus the
reduced costs (all ≤ 0) of its columns, so the LP value, rounded down, bounds every
grouping; before convergence ``LP + (number of clusters) · (best reduced cost)`` does.

Candidate clusters come from a scan of every connected set (listed once with numpy),
or, past ``MAX_POOL`` of them (large ``max_size``), from a greedy heuristic backed by
an exact CP-SAT pricing model.

The integer master over the generated clusters is solved with SCIP, hinted with the
better of the greedy grouping and a dive in the LP (fix the largest fractional cluster,
solve again). When its value reaches the bound, the grouping is optimal. Otherwise
only clusters of reduced cost ≥ value + 1 − LP can be part of a better grouping; they
are added and SCIP solves again, and its optimum over them is the optimum overall.
Time is shared: column generation at most ``PRICING_SHARE`` of the limit, the first
integer solve half of what is left, the closing solve the rest. Anything short of a
proof is reported as "feasible" with the bound reached.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from ortools.linear_solver import pywraplp

from icc.optimiser.clusters import (
    SCALE,
    Pool,
    enumerate_clusters,
    enumerate_with_cp_sat,
    price_greedily,
    price_with_cp_sat,
)
from icc.optimiser.greedy import greedy_groups
from icc.optimiser.lab import Lab
from icc.optimiser.partition import Master, components, pack, valid
from icc.optimiser.problem import BrainDateProblem, BrainDateResult, Reason, Status

METHOD = "column-generation"
# Beyond this many clusters, CP-SAT prices the columns instead of a scan of all of them.
MAX_POOL = 3_000_000
# The closing integer solve is skipped when it would need more columns than this.
MAX_CLOSING = 250_000
TOLERANCE = 1e-7
# Share of the time limit that column generation may use; the integer solves get the rest.
PRICING_SHARE = 0.6


class _Search:
    """Column generation for the LP bound, then the integer solves."""

    def __init__(self, lab: Lab, started: float) -> None:
        self.lab = lab
        self.settings = lab.settings
        self.deadline = started + self.settings.time_limit
        self.pricing_deadline = started + PRICING_SHARE * self.settings.time_limit
        self.pool: Pool | None = enumerate_clusters(lab, MAX_POOL)
        self.lp = Master(lab, integer=False)
        self.scores: dict[tuple[int, ...], int] = {}
        # An upper bound on every grouping's value. To begin with: a city's share of its group's
        # score is half its interest in the others, at most half its max_size − 1 best pairs.
        best_pairs: dict[int, list[int]] = {}
        for (a, b), value in lab.pairs.items():
            best_pairs.setdefault(a, []).append(value)
            best_pairs.setdefault(b, []).append(value)
        self.bound = sum(sum(sorted(values, reverse=True)[: lab.high - 1]) for values in best_pairs.values()) / 2
        self.lp_value = math.inf
        self.converged = False
        self.prices = np.zeros(len(lab.cities) + 1)
        self.size_prices = np.zeros(lab.high + 1)
        self.in_lp = np.zeros(0, dtype=bool)
        # Reduced costs below this count as none; CP-SAT prices are rounded, which its bound allows for.
        self.tolerance = TOLERANCE if self.pool is not None else TOLERANCE + 2 * (lab.high + 1) / SCALE

    def score(self, cluster: tuple[int, ...]) -> int:
        if cluster not in self.scores:
            self.scores[cluster] = self.lab.group_score(cluster)
        return self.scores[cluster]

    def add(self, cluster: tuple[int, ...]) -> bool:
        return self.lp.add(cluster, self.score(cluster))

    def generate(self, start: Sequence[Sequence[int]] | None) -> None:
        """Add clusters of positive reduced cost until none is left or time is up."""
        for group in start or ():
            for part in components(self.lab, group):
                if len(part) > 1:
                    self.add(part)
        self.in_lp = np.zeros(len(self.pool) if self.pool is not None else 0, dtype=bool)
        most_clusters = len(self.lab.neighbours) // 2
        while True:
            if not self.lp.solve_lp():
                return
            value = self.lp.objective.Value()
            self.prices, self.size_prices = self.lp.prices(), self.lp.size_prices()
            clusters, best, proven = self.price()
            self.bound = min(self.bound, value + most_clusters * max(0.0, best))
            if proven and best <= self.tolerance:
                self.converged = True
                self.lp_value = value + most_clusters * max(0.0, best)
                return
            added = sum(self.add(cluster) for cluster in clusters)
            if not added or time.perf_counter() > self.pricing_deadline:
                return

    def price(self) -> tuple[list[tuple[int, ...]], float, bool]:
        """(new clusters of positive reduced cost, a bound on every cluster's reduced cost, whether it is proven)."""
        if self.pool is not None:
            costs = self.pool.reduced_costs(self.prices, self.size_prices)
            costs[self.in_lp] = -math.inf
            best = float(costs.max()) if len(costs) else 0.0
            batch = max(50, 2 * len(self.lab.cities))
            fresh = np.nonzero(costs > TOLERANCE)[0]
            if len(fresh) > batch:
                fresh = fresh[np.argpartition(-costs[fresh], batch)[:batch]]
            fresh = fresh[np.lexsort((fresh, -costs[fresh]))]
            self.in_lp[fresh] = True
            clusters = []
            for row in fresh.tolist():
                cluster = self.pool.cluster(row)
                self.scores[cluster] = int(self.pool.scores[row])
                clusters.append(cluster)
            return clusters, best, True
        grown = [
            c for c in price_greedily(self.lab, self.prices, self.size_prices, TOLERANCE) if c not in self.lp.columns
        ]
        if grown:
            return grown, math.inf, False
        priced = price_with_cp_sat(
            self.lab,
            self.prices,
            self.size_prices,
            min(self.pricing_deadline, time.perf_counter() + 5.0),
            self.settings.workers,
            self.settings.seed,
        )
        return priced.clusters, priced.bound, priced.proven

    def dive(self) -> list[list[int]] | None:
        """A grouping from the LP: fix its integral clusters and its largest fractional one, solve again, repeat.

        Cheap and usually within a few points of the bound, it gives the integer solve an
        incumbent that prunes from the start. Only for ``min_size`` ≤ 2, where any clusters
        and single cities pack; the fixings are undone afterwards.
        """
        lp = self.lp
        variables = [*lp.columns.values(), *lp.singles]
        fixed: list[pywraplp.Variable] = []
        try:
            while time.perf_counter() < self.pricing_deadline:
                if not lp.solve_lp():
                    return None
                values = [var.solution_value() for var in variables]
                fractional = [(value, index) for index, value in enumerate(values) if 1e-6 < value < 1 - 1e-6]
                if not fractional:
                    clusters = [list(c) for c, var in lp.columns.items() if var.solution_value() > 0.5]
                    singles = [i for i, var in enumerate(lp.singles) if var.solution_value() > 0.5]
                    groups = pack(self.lab, clusters, singles, {})
                    return groups if groups is not None and valid(self.lab, groups) else None
                chosen = [variables[index] for value, index in fractional if value > 0.9]
                chosen.append(variables[max(fractional)[1]])
                for var in chosen:
                    var.SetLb(1.0)
                    fixed.append(var)
            return None
        finally:
            for var in fixed:
                var.SetLb(0.0)

    def integer(
        self, columns: Iterable[tuple[int, ...]], start: Sequence[Sequence[int]] | None, *, share: float
    ) -> _Outcome | None:
        """The integer master over ``columns``, hinted with ``start``, in ``share`` of the time left."""
        master = Master(self.lab, integer=True)
        for cluster in columns:
            master.add(cluster, self.score(cluster))
        if start is not None:
            for group in start:
                for part in components(self.lab, group):
                    if len(part) > 1:
                        master.add(part, self.score(part))
            master.hint(start)
        found = master.solve_integer(
            share * (self.deadline - time.perf_counter()), self.settings.relative_gap, self.settings.seed
        )
        if found is None:
            return None
        groups, value, bound, proven = found
        if not valid(self.lab, groups):
            raise RuntimeError("a brain-date solution breaks a hard rule")
        return _Outcome(groups, value, bound, proven)

    def closing_columns(self, value: int) -> list[tuple[int, ...]] | None:
        """Every cluster that could be part of a grouping better than ``value``, or None if too many."""
        if not self.converged:
            return None
        floor = value + 1 - self.lp_value - 1e-6
        if self.pool is None:
            return enumerate_with_cp_sat(
                self.lab,
                self.prices,
                self.size_prices,
                floor,
                MAX_CLOSING,
                time.perf_counter() + (self.deadline - time.perf_counter()) / 2,
            )
        costs = self.pool.reduced_costs(self.prices, self.size_prices)
        rows = np.nonzero(costs >= floor)[0]
        if len(rows) > MAX_CLOSING:
            return None
        clusters = []
        for row in rows.tolist():
            cluster = self.pool.cluster(row)
            self.scores[cluster] = int(self.pool.scores[row])
            clusters.append(cluster)
        return clusters


@dataclass
class _Outcome:
    """An integer solution: its groups, value, the solver's bound and whether it proved the value optimal."""

    groups: list[list[int]]
    value: int
    bound: float
    proven: bool


def match_brain_dates(problem: BrainDateProblem) -> BrainDateResult:
    """Form brain-date groups of the highest mutual interest, proven optimal when time allows.

    See the module docstring for the method. Every returned grouping keeps the hard
    rules (each city in exactly one group of ``min_size`` to ``max_size``). The status is
    "optimal" only when the grouping's value meets a proven upper bound; otherwise it is
    "feasible", and ``bound`` and ``gap`` say how far the optimum can be.
    """
    started = time.perf_counter()
    lab = Lab(problem)
    if lab.reasons:
        return lab.infeasible(started, METHOD)
    if not lab.cities:
        return lab.result([], status="optimal", method=METHOD, started=started, bound=0)
    search = _Search(lab, started)
    start = greedy_groups(lab)
    search.generate(start)
    bound = math.floor(search.bound + 1e-6) if math.isfinite(search.bound) else None
    dived = search.dive() if search.converged and lab.low <= 2 else None
    candidates = [
        _Outcome(groups, sum(lab.group_score(group) for group in groups), math.inf, False)
        for groups in (start, dived)
        if groups is not None
    ]
    best = max(candidates, key=lambda outcome: outcome.value, default=None)
    if best is None or bound is None or best.value < bound:
        # The clusters of the LP first, with half of the time left: usually enough to meet the bound.
        found = search.integer(search.lp.columns, best.groups if best else None, share=0.5)
        if found is not None and (best is None or found.value >= best.value):
            best = found
    if best is None:
        return lab.infeasible(started, METHOD, Reason.of("no-grouping-in-time", seconds=lab.settings.time_limit))
    if bound is not None and best.value < bound and time.perf_counter() < search.deadline - 0.1:
        columns = search.closing_columns(best.value)
        if columns is not None:
            closing = search.integer([*search.lp.columns, *columns], best.groups, share=1.0)
            if closing is not None:
                if closing.value > best.value:
                    best = closing
                # Only the closing columns can beat the value it started from: its bound is the bound.
                closing_bound = best.value if closing.proven else math.floor(closing.bound + 1e-6)
                bound = min(bound, max(best.value, closing_bound))
    status: Status = "optimal" if bound is not None and best.value >= bound else "feasible"
    return lab.result(best.groups, status=status, method=METHOD, started=started, bound=bound)
