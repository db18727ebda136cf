"""The CP-SAT models of TAG formation, the min-cost flow that places cities for fixed TAG counts.

:class:`TagModel` aggregates a mentor's TAG slots: instead of one variable per city and
slot it has one Boolean per city–mentor pair and, per mentor and theme, integer counts
of TAGs and of their seats. Because relatability and preferences depend only on the
mentor, every slot of a mentor is interchangeable; the counts are exactly what is
needed to cut the mentor's cities into valid TAGs afterwards, which removes slot
symmetry entirely. :class:`PreferenceModel` is the tiny exact model of the preference
tier when no theme mismatch is needed.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Collection, Mapping, Sequence

from ortools.graph.python import min_cost_flow
from ortools.sat.python import cp_model

from icc.optimiser.preparation import Formation, Unit
from icc.optimiser.problem import FormationSettings, TagProblem
from icc.optimiser.scores import MAX_RELATABILITY

LARGE_MODEL = 1_000


def worker_count(requested: int, default: int) -> int:
    return requested if requested > 0 else default


def make_solver(settings: FormationSettings, deadline: float, gap: float, size: int) -> cp_model.CpSolver:
    """A CP-SAT solver for the time left; big models skip presolve and give the LP every constraint at once."""
    solver = cp_model.CpSolver()
    parameters = solver.parameters
    parameters.max_time_in_seconds = max(0.05, deadline - time.perf_counter())
    parameters.num_workers = worker_count(settings.workers, 1)
    parameters.random_seed = settings.seed
    parameters.relative_gap_limit = gap
    if size > LARGE_MODEL:
        parameters.cp_model_presolve = False
        parameters.add_lp_constraints_lazily = False
    return solver


class TagModel:
    """The aggregated model: a Boolean per allowed city–mentor pair and counts per mentor and theme.

    Per mentor and theme, ``tags`` counts its TAGs on that theme and ``open`` says there
    is at least one; a city can only join an open mentor–theme (the strong,
    facility-location form of the constraint, which keeps the LP bound tight).

    With ``exact_theme`` only pairs where the mentor mentors the city's theme exist and
    every city sits in a TAG of its own theme, so tier 1 is zero by construction.
    Otherwise, per mentor and theme, ``seats`` counts the cities (of any theme) in its
    TAGs on that theme and ``matched`` those of that theme among them.
    """

    def __init__(self, ctx: Formation, *, exact_theme: bool, only: Sequence[Collection[int]] | None = None) -> None:
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


class PreferenceModel:
    """Tier 2 without theme mismatches, with interchangeable cities pooled.

    Only a city's preferred mentors matter for tier 2, so a city that voiced no usable
    preference, is not pinned and has no forbidden mentor of its theme is represented
    only by a count: per theme, the pool of such cities (plus any city that ends up with
    none of its preferred mentors) is spread over the theme's mentors by integer flows.
    The model is exact for tier 2 and tiny. Its infeasibility proves that some theme
    mismatch is unavoidable.
    """

    def __init__(self, ctx: Formation) -> None:
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
        return flow_assignment(self.ctx, {unit: solver.value(var) for unit, var in self.tags.items()})


def flow_assignment(ctx: Formation, tags: Mapping[Unit, int]) -> dict[int, int] | None:
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


def feasible(problem: TagProblem) -> bool:
    """Whether any allocation keeps every hard rule of ``problem`` (a short solve on the general model)."""
    ctx = Formation(problem)
    if ctx.reasons:
        return False
    tag_model = TagModel(ctx, exact_theme=False)
    solver = make_solver(problem.settings, time.perf_counter() + 5.0, 0.0, len(tag_model.x))
    return solver.solve(tag_model.model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)
