"""TAG formation with CP-SAT, tier by tier: :func:`form_tags`.

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

The models themselves are in :mod:`icc.optimiser.model`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from ortools.sat.python import cp_model

from icc.optimiser.diagnosis import diagnose
from icc.optimiser.greedy import Greedy
from icc.optimiser.model import LARGE_MODEL, PreferenceModel, TagModel, feasible, make_solver
from icc.optimiser.preparation import Formation, infeasible
from icc.optimiser.problem import FormationSettings, Reason, Status, TagProblem, TagResult


@dataclass
class _TierRun:
    value: int
    bound: int
    proven: bool
    assignment: dict[int, int]


def _run_tier(
    tag_model: TagModel,
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
    solver = make_solver(settings, deadline, gap, len(tag_model.x))
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
    ctx: Formation, start: dict[int, int], floor: int, deadline: float, settings: FormationSettings
) -> dict[int, int]:
    """Improve ``start`` on a model with each city's most relatable mentors only, when the full model is large.

    Each city keeps its ``settings.candidates`` most relatable mentors of its theme, every mentor
    it asked for and its mentor in ``start``. The smaller model finds good solutions far
    faster; the full model then only has to confirm them, and its bound is the one
    reported.
    """
    only: list[set[int]] = []
    for i, allowed in enumerate(ctx.options):
        own = [j for j in allowed if (i, j) not in ctx.mismatch]
        best = sorted(own, key=lambda j: (-ctx.rel[i, j], j))[: settings.candidates]
        only.append(set(best) | {j for j in own if ctx.pref[i, j]} | {start[i]})
    if sum(map(len, only)) <= LARGE_MODEL or sum(map(len, only)) == len(ctx.pref):
        return start
    small = TagModel(ctx, exact_theme=True, only=only)
    small.hint_assignment(start)
    small.model.add(small.preferences >= floor)
    small.model.maximize(small.relatability)
    solver = make_solver(settings, time.perf_counter() + (deadline - time.perf_counter()) / 2, 0.0, len(small.x))
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
    ctx = Formation(problem)
    if ctx.reasons:
        return infeasible(ctx.reasons, ctx.notes, started, "cp-sat")
    if not ctx.cities:
        return ctx.result([], status="optimal", method="cp-sat", started=started, proven=(True, True, True))

    notes: list[Reason] = []
    bounds: list[int | None] = []
    proven: list[bool] = []
    pooled = PreferenceModel(ctx)
    # Tier 2 gets at most half of the time so that tier 3 always runs.
    solver = make_solver(settings, started + settings.time_limit / 2, 0.0, len(pooled.y))
    status = solver.solve(pooled.model)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        bounds += [0, round(solver.best_objective_bound)]
        proven += [True, status == cp_model.OPTIMAL]
        floor = round(solver.objective_value)
        if status != cp_model.OPTIMAL:
            notes.append(Reason.of("tier-not-proven", tier="preferences"))
        decoded = pooled.assignment(solver)
        if decoded is None:
            raise RuntimeError("TAG counts of a feasible pooled solution must admit a placement")
        fallback = _warm_start(ctx, decoded, floor, deadline, settings)
        tag_model = TagModel(ctx, exact_theme=True)
        tag_model.hint_assignment(fallback)
        tag_model.model.add(tag_model.preferences >= floor)
        objectives = [(tag_model.relatability, "relatability")]
    else:
        tag_model = TagModel(ctx, exact_theme=False)
        greedy = Greedy(ctx).run()
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
                return infeasible(diagnose(ctx, outcome, settings.time_limit, feasible), ctx.notes, started, "cp-sat")
        bounds.append(run.bound)
        proven.append(run.proven)
        if not run.proven:
            notes.append(Reason.of("tier-not-proven", tier="theme"))
        tag_model.model.add(tag_model.theme_cost <= run.value)
        fallback = run.assignment
        objectives = [(tag_model.preferences, "preferences"), (tag_model.relatability, "relatability")]

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
            notes.append(Reason.of("tier-without-solution", tier=label))
            bounds.append(None)
            proven.append(False)
            continue
        assignment = run.assignment
        bounds.append(run.bound)
        proven.append(run.proven)
        if not last:
            tag_model.model.add(objective >= run.value)
            if not run.proven:
                notes.append(Reason.of("tier-not-proven", tier=label))

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
