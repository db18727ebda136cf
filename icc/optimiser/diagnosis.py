"""Why TAG formation found no allocation: each rule is relaxed in turn to see which one blocks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from icc.optimiser.preparation import Formation
from icc.optimiser.problem import Reason, TagProblem

# The rule that blocks when relaxing it alone makes the problem feasible.
BLOCKING = {
    "pins": "pins-conflict",
    "forbids": "forbids-too-tight",
    "kinds": "mentor-kinds-impossible",
    "themes": "themes-cannot-be-cut",
}


def diagnose(ctx: Formation, outcome: str, time_limit: float, feasible: Callable[[TagProblem], bool]) -> list[Reason]:
    """Specific reasons why the solver found no allocation.

    ``outcome`` is "unknown" when the solver ran out of time without proving anything
    (reason ``no-allocation-in-time``); otherwise each rule (pins, forbids, both mentor
    kinds, theme-only mentors) is relaxed on its own and ``feasible`` tells whether that
    alone makes an allocation possible. When no single rule is to blame the reason is
    ``rules-conflict``.
    """
    if outcome == "unknown":
        return [Reason.of("no-allocation-in-time", seconds=time_limit)]
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
    reasons = [Reason.of(BLOCKING[key]) for key, relaxed in relaxations if feasible(relaxed)]
    return reasons or [Reason.of("rules-conflict")]
