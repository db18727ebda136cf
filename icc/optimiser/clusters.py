"""Candidate clusters for brain dates: connected sets of the pick graph, and how to price them.

A *cluster* is a set of 2 to ``max_size`` cities that is connected in the pick graph
(an edge joins two cities when one picked the other), so its score is positive. The
master problem of :mod:`icc.optimiser.brain_dates` prices a cluster C at

    reduced cost = score(C) − Σ price(city) over C − size price(|C|)

and wants the clusters of positive reduced cost. :func:`enumerate_clusters` lists every
cluster once, with numpy, level by level (a set of k + 1 cities is a set of k plus one
neighbour, duplicates removed), so pricing is a vectorised scan; when there would be
more than ``cap`` of them, :func:`price_with_cp_sat` finds the best clusters with a small
CP-SAT model instead.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from ortools.sat.python import cp_model

from icc.optimiser.lab import Lab

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

# Candidate rows expanded at once while enumerating (bounds the memory of a level).
CHUNK = 2_000_000
# Prices are scaled to integers for CP-SAT.
SCALE = 10_000


@dataclass(frozen=True)
class Pool:
    """Every cluster: ``members[r]`` lists row r's cities padded with ``n`` (a city of price 0)."""

    members: npt.NDArray[np.int32]
    sizes: IntArray
    scores: IntArray

    def __len__(self) -> int:
        return len(self.sizes)

    def cluster(self, row: int) -> tuple[int, ...]:
        return tuple(int(c) for c in self.members[row, : self.sizes[row]])

    def reduced_costs(self, prices: FloatArray, size_prices: FloatArray) -> FloatArray:
        """The reduced cost of every cluster; ``prices`` has one entry per city plus a 0 for the padding."""
        costs = self.scores.astype(np.float64) - size_prices[self.sizes]
        for column in range(self.members.shape[1]):
            costs -= prices[self.members[:, column]]
        return costs


def weight_matrix(lab: Lab) -> IntArray:
    """Pair interest as an (n + 1) × (n + 1) matrix; row and column n are the zero padding."""
    count = len(lab.cities)
    weights = np.zeros((count + 1, count + 1), dtype=np.int64)
    for (a, b), value in lab.pairs.items():
        weights[a, b] = weights[b, a] = value
    return weights


def _unique_rows(rows: npt.NDArray[np.int32], radix: int) -> npt.NDArray[np.int32]:
    """The distinct rows of ``rows`` (each row sorted), in a fixed order."""
    if len(rows) == 0:
        return rows
    width = rows.shape[1]
    if radix**width < 2**62:
        keys = np.zeros(len(rows), dtype=np.int64)
        for column in range(width):
            keys = keys * radix + rows[:, column]
        _keys, first = np.unique(keys, return_index=True)
    else:
        packed = np.ascontiguousarray(rows).view(np.dtype((np.void, rows.dtype.itemsize * width))).ravel()
        _packed, first = np.unique(packed, return_index=True)
    return rows[np.sort(first)]


def enumerate_clusters(lab: Lab, cap: int) -> Pool | None:
    """Every connected set of 2 to ``max_size`` cities, or None when there are more than ``cap``."""
    count, high = len(lab.cities), lab.high
    linked = sorted(lab.neighbours)
    degree = np.zeros(count + 1, dtype=np.int64)
    starts = np.zeros(count + 2, dtype=np.int64)
    flat: list[int] = []
    for city in range(count):
        around = sorted(lab.neighbours.get(city, ()))
        degree[city] = len(around)
        flat.extend(around)
        starts[city + 1] = starts[city] + len(around)
    neighbours = np.array(flat, dtype=np.int32)
    levels: list[npt.NDArray[np.int32]] = []
    rows = np.array(linked, dtype=np.int32).reshape(-1, 1)
    total = 0
    for _level in range(1, high):
        if len(rows) == 0:
            break
        per_row = degree[rows].sum(axis=1)
        if int(per_row.sum()) > 8 * cap:
            return None
        found: list[npt.NDArray[np.int32]] = []
        cumulative = np.cumsum(per_row)
        first = 0
        while first < len(rows):
            done = int(cumulative[first - 1]) if first else 0
            last = max(first + 1, int(np.searchsorted(cumulative, done + CHUNK, side="right")))
            found.append(_expand(rows[first:last], degree, starts, neighbours, count + 1))
            first = last
        rows = _unique_rows(np.concatenate(found), count + 1)
        total += len(rows)
        if total > cap:
            return None
        levels.append(rows)
    members = np.full((total, max(1, high)), count, dtype=np.int32)
    sizes = np.zeros(total, dtype=np.int64)
    start = 0
    for level in levels:
        members[start : start + len(level), : level.shape[1]] = level
        sizes[start : start + len(level)] = level.shape[1]
        start += len(level)
    weights = weight_matrix(lab)
    scores = np.zeros(total, dtype=np.int64)
    for a in range(members.shape[1]):
        for b in range(a + 1, members.shape[1]):
            scores += weights[members[:, a], members[:, b]]
    return Pool(members=members, sizes=sizes, scores=scores)


def _expand(
    rows: npt.NDArray[np.int32],
    degree: IntArray,
    starts: IntArray,
    neighbours: npt.NDArray[np.int32],
    radix: int,
) -> npt.NDArray[np.int32]:
    """Each row plus one neighbour of one of its cities, sorted, duplicates removed."""
    width = rows.shape[1]
    flat = rows.ravel()
    owner = np.repeat(np.arange(len(rows)), width)
    spread = degree[flat]
    source = np.repeat(np.arange(len(flat)), spread)
    offset = np.arange(len(source)) - np.repeat(np.cumsum(spread) - spread, spread)
    added = neighbours[starts[flat][source] + offset]
    base = rows[owner[source]]
    keep = (base != added[:, None]).all(axis=1)
    grown = np.sort(np.concatenate([base[keep], added[keep, None]], axis=1), axis=1).astype(np.int32)
    return _unique_rows(grown, radix)


def price_greedily(lab: Lab, prices: FloatArray, size_prices: FloatArray, tolerance: float) -> list[tuple[int, ...]]:
    """Clusters of positive reduced cost grown from each city, adding the best neighbour each time.

    A fast heuristic: what it finds is exact (reduced costs are computed, not estimated),
    but finding nothing proves nothing; :func:`price_with_cp_sat` does.
    """
    between = lab.interest.between
    found: dict[tuple[int, ...], float] = {}
    for start in sorted(lab.neighbours):
        members = [start]
        score = 0
        paid = float(prices[start])
        gains = {other: between(start, other) for other in lab.neighbours[start]}
        while len(members) < lab.high and gains:
            city = max(gains, key=lambda c: (gains[c] - prices[c], -c))
            score += gains.pop(city)
            paid += float(prices[city])
            members.append(city)
            for other in lab.neighbours[city]:
                if other not in members:
                    gains[other] = gains.get(other, 0) + between(city, other)
            cost = score - paid - float(size_prices[len(members)])
            if cost > tolerance:
                found[tuple(sorted(members))] = cost
    return sorted(found, key=lambda cluster: (-found[cluster], cluster))


@dataclass(frozen=True)
class Priced:
    """Clusters found by CP-SAT, and an upper bound on the reduced cost of every cluster."""

    clusters: list[tuple[int, ...]]
    bound: float
    proven: bool


class _Collector(cp_model.CpSolverSolutionCallback):
    def __init__(self, chosen: dict[int, cp_model.IntVar], limit: int) -> None:
        super().__init__()
        self.chosen = chosen
        self.limit = limit
        self.found: list[tuple[int, ...]] = []

    def on_solution_callback(self) -> None:
        self.found.append(tuple(city for city, var in self.chosen.items() if self.boolean_value(var)))
        if len(self.found) > self.limit:
            self.stop_search()


def _pricing_model(
    lab: Lab, prices: FloatArray, size_prices: FloatArray
) -> tuple[cp_model.CpModel, dict[int, cp_model.IntVar], cp_model.LinearExprT] | None:
    """A model choosing 2 to ``max_size`` cities, whose objective is the scaled reduced cost of the choice.

    ``both`` is exactly "both cities chosen", so every set of cities is one solution.
    Clusters need not be connected here: a disconnected set scores the sum of its
    parts and is as valid a column.
    """
    model = cp_model.CpModel()
    chosen = {city: model.new_bool_var(f"x{city}") for city in sorted(lab.neighbours)}
    size_of = {k: model.new_bool_var(f"k{k}") for k in range(2, lab.high + 1)}
    if not size_of or len(chosen) < 2:
        return None
    model.add_exactly_one(size_of.values())
    model.add(sum(chosen.values()) == sum(k * var for k, var in size_of.items()))
    terms: list[cp_model.LinearExprT] = []
    for (a, b), value in lab.pairs.items():
        both = model.new_bool_var(f"z{a}_{b}")
        model.add_multiplication_equality(both, [chosen[a], chosen[b]])
        terms.append(SCALE * value * both)
    terms += [-round(SCALE * prices[city]) * var for city, var in chosen.items()]
    terms += [-round(SCALE * size_prices[k]) * var for k, var in size_of.items()]
    return model, chosen, sum(terms)


def _slack(lab: Lab) -> float:
    """How far rounding the prices to 1/SCALE can move a cluster's reduced cost."""
    return (lab.high + 1) / SCALE


def price_with_cp_sat(
    lab: Lab, prices: FloatArray, size_prices: FloatArray, deadline: float, workers: int, seed: int
) -> Priced:
    """The clusters of highest reduced cost, by CP-SAT, and an upper bound on any cluster's reduced cost."""
    built = _pricing_model(lab, prices, size_prices)
    if built is None:
        return Priced([], 0.0, True)
    model, chosen, objective = built
    model.maximize(objective)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.05, deadline - time.perf_counter())
    solver.parameters.num_workers = workers if workers > 0 else 1
    solver.parameters.random_seed = seed
    collector = _Collector(chosen, limit=1_000)
    status = solver.solve(model, collector)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Priced([], math.inf, False)
    bound = solver.best_objective_bound / SCALE + _slack(lab)
    return Priced(sorted(set(collector.found)), bound, status == cp_model.OPTIMAL)


def enumerate_with_cp_sat(
    lab: Lab, prices: FloatArray, size_prices: FloatArray, floor: float, limit: int, deadline: float
) -> list[tuple[int, ...]] | None:
    """Every set of cities whose reduced cost is at least ``floor``, or None past ``limit`` sets or the deadline."""
    built = _pricing_model(lab, prices, size_prices)
    if built is None:
        return []
    model, chosen, objective = built
    model.add(objective >= math.floor(SCALE * (floor - _slack(lab))))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.05, deadline - time.perf_counter())
    solver.parameters.enumerate_all_solutions = True
    solver.parameters.num_workers = 1
    collector = _Collector(chosen, limit=limit)
    status = solver.solve(model, collector)
    if status not in (cp_model.OPTIMAL, cp_model.INFEASIBLE) or len(collector.found) > limit:
        return None
    return sorted(set(collector.found))
