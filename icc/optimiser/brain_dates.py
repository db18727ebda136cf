"""Brain dates with CP-SAT: groups of mutual interest, every city placed once.

Cities are numbered and every group is represented by its lowest-numbered member,
its leader: ``member[l, j]`` says city j is in the group led by l ≤ j, which removes
all group symmetry. A Boolean per pair with interest (only pairs where one picked
the other) says the two share a group and is linked to the membership Booleans; a
city has at most ``max_size - 1`` partners, which tightens the bound.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict

from ortools.sat.python import cp_model

from icc.optimiser.greedy import greedy_groups
from icc.optimiser.lab import Lab
from icc.optimiser.problem import BrainDateProblem, BrainDateResult, Reason, Status

METHOD = "cp-sat"


def match_brain_dates(problem: BrainDateProblem) -> BrainDateResult:
    """Form brain-date groups maximising mutual interest with CP-SAT."""
    started = time.perf_counter()
    lab = Lab(problem)
    settings = lab.settings
    if lab.reasons:
        return lab.infeasible(started, METHOD)
    count = len(lab.cities)
    if count == 0:
        return lab.result([], status="optimal", method=METHOD, started=started, bound=0)
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
    for (a, b), _score in lab.pairs.items():
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
    model.maximize(sum(lab.pairs[pair] * var for pair, var in together.items()))

    greedy = greedy_groups(lab)
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
    solver.parameters.num_workers = settings.workers if settings.workers > 0 else 2
    solver.parameters.random_seed = settings.seed
    solver.parameters.relative_gap_limit = settings.relative_gap
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        if status == cp_model.INFEASIBLE:
            return lab.infeasible(started, METHOD, Reason.of("no-grouping"))
        return lab.infeasible(started, METHOD, Reason.of("no-grouping-in-time", seconds=settings.time_limit))
    groups: dict[int, list[int]] = defaultdict(list)
    for (lead, j), var in member.items():
        if solver.boolean_value(var):
            groups[lead].append(j)
    bound = math.floor(solver.best_objective_bound + 1e-6)
    value = round(solver.objective_value)
    result_status: Status = "optimal" if status == cp_model.OPTIMAL and bound <= value else "feasible"
    return lab.result(list(groups.values()), status=result_status, method=METHOD, started=started, bound=bound)
