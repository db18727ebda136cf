"""The shared context of brain-date matching: pair interest from the picks, and the checks of input."""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Sequence

from icc.optimiser.preparation import size_counts_possible
from icc.optimiser.problem import BrainDateGroup, BrainDateProblem, BrainDateResult, Reason, Status
from icc.optimiser.scores import explain_brain_date, pick_interest


class Lab:
    """Cities by index, the interest of every pair, and the reasons input cannot be grouped."""

    def __init__(self, problem: BrainDateProblem) -> None:
        self.problem = problem
        self.settings = settings = problem.settings
        self.cities = list(problem.cities)
        self.index = {city.id: i for i, city in enumerate(self.cities)}
        self.reasons: list[Reason] = []
        self.notes: list[Reason] = []
        self.low, self.high = low, high = settings.min_size, settings.max_size
        self.interest = pick_interest(problem)
        self.neighbours: dict[int, set[int]] = defaultdict(set)
        if low < 1 or high < low:
            self.reasons.append(Reason.of("group-sizes-invalid", low=low, high=high))
            return
        repeated = tuple(sorted(key for key, count in Counter(c.id for c in self.cities).items() if count > 1))
        if repeated:
            self.reasons.append(Reason.of("repeated-cities", ids=repeated))
            return
        count = len(self.cities)
        if count and not size_counts_possible(count, low, high, count):
            self.reasons.append(Reason.of("lab-cannot-split", count=count, low=low, high=high))
        self.notes.extend(self.interest.notes)
        for a, b in self.interest.pairs:
            self.neighbours[a].add(b)
            self.neighbours[b].add(a)

    @property
    def pairs(self) -> dict[tuple[int, int], int]:
        """``pairs[a, b]`` (a < b): what the pair adds to a group holding both; only pairs with a pick."""
        return self.interest.pairs

    def group_score(self, members: Sequence[int]) -> int:
        return self.interest.group_score(members)

    def result(
        self,
        groups: Sequence[Sequence[int]],
        *,
        status: Status,
        method: str,
        started: float,
        bound: int | None = None,
        notes: Sequence[Reason] = (),
    ) -> BrainDateResult:
        ordered = sorted((sorted(group) for group in groups), key=lambda g: g[0])
        built = tuple(
            BrainDateGroup(
                city_ids=tuple(self.cities[i].id for i in group),
                score=self.group_score(group),
                explanation=explain_brain_date(self.problem, self.interest, group),
            )
            for group in ordered
        )
        objective = sum(group.score for group in built)
        if bound is not None and status == "feasible" and objective >= bound:
            status = "optimal"
        gap = None if bound is None else max(0, bound - objective) / max(1, abs(objective))
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

    def infeasible(self, started: float, method: str, *reasons: Reason) -> BrainDateResult:
        return BrainDateResult(
            status="infeasible",
            groups=(),
            objective=0,
            bound=None,
            gap=None,
            seconds=time.perf_counter() - started,
            method=method,
            reasons=(*self.reasons, *reasons),
            notes=tuple(self.notes),
        )
