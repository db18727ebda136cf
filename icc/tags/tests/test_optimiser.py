"""The TAG and brain-date optimiser as a pure module: known optima, hard rules, infeasibility, reasons."""

from __future__ import annotations

import itertools
import random
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from icc import optimiser
from icc.optimiser import (
    BrainDateProblem,
    BrainDateResult,
    BrainDateSettings,
    CoreCity,
    FormationSettings,
    LabCity,
    MentorCity,
    Reason,
    TagGroup,
    TagProblem,
    brain_dates,
    diagnosis,
    form_tags,
    greedy_brain_dates,
    greedy_tags,
    match_brain_dates,
    score_brain_dates,
    score_tags,
)
from icc.tags import instances, wording

FAST = FormationSettings(min_size=2, max_size=3, time_limit=10.0, workers=1)


def city(id: str, theme: str, *preferences: str, population: int = 100_000, country: str = "FR") -> CoreCity:
    return CoreCity(
        id=id, name=id.title(), theme=theme, preferences=preferences, population=population, country=country
    )


def mentor(id: str, theme: str, *, eu: bool = True, capacity: int = 1, secondary: str = "") -> MentorCity:
    return MentorCity(
        id=id,
        name=id.title(),
        primary_themes=frozenset([theme]),
        secondary_themes=frozenset([secondary]) if secondary else frozenset(),
        eu=eu,
        capacity=capacity,
        population=100_000,
        country="DE",
    )


def broken_rules(problem: TagProblem, result: object) -> list[str]:
    """Every hard rule, checked independently of the optimiser's own checks."""
    groups = result.groups  # type: ignore[attr-defined]
    cities = {c.id for c in problem.cities}
    mentors = {m.id: m for m in problem.mentors}
    rules = problem.settings
    broken = []
    placed = Counter(c for g in groups for c in g.city_ids)
    if set(placed) != cities or any(n != 1 for n in placed.values()):
        broken.append("each core city in exactly one TAG")
    led = Counter(g.mentor_id for g in groups)
    if any(m not in mentors or n > mentors[m].capacity for m, n in led.items()):
        broken.append("a mentor leads at most its capacity")
    if any(not rules.min_size <= len(g.city_ids) <= rules.max_size for g in groups):
        broken.append("TAG sizes")
    home = {c: g.mentor_id for g in groups for c in g.city_ids}
    if any(home.get(c) != m for c, m in problem.pins):
        broken.append("pins")
    if any(home.get(c) == m for c, m in problem.forbids):
        broken.append("forbids")
    kinds = {mentors[m].eu for m in led}
    if rules.both_mentor_kinds and {m.eu for m in problem.mentors} == {True, False} and kinds != {True, False}:
        broken.append("EU and international mentors both take part")
    return broken


# Known optima ------------------------------------------------------------------------


def test_theme_comes_before_preference_and_preference_before_relatability() -> None:
    # Every city asks first for the mentor of the *other* theme; theme must still win.
    problem = TagProblem(
        cities=(
            city("a1", "green", "m_blue"),
            city("a2", "green", "m_blue"),
            city("b1", "blue", "m_green"),
            city("b2", "blue", "m_green"),
        ),
        mentors=(mentor("m_green", "green"), mentor("m_blue", "blue", eu=False)),
        settings=FAST,
    )
    result = form_tags(problem)
    assert result.status == "optimal"
    by_mentor = {g.mentor_id: set(g.city_ids) for g in result.groups}
    assert by_mentor == {"m_green": {"a1", "a2"}, "m_blue": {"b1", "b2"}}
    explanations = {p.city_id: p.explanation for p in result.placements}
    assert "same-theme" in [reason.code for reason in explanations["a1"]]
    assert Reason.of("not-preferred") in explanations["a1"]


def test_preference_decides_between_mentors_of_the_same_theme() -> None:
    problem = TagProblem(
        cities=(
            city("c1", "green", "m2", "m1"),
            city("c2", "green", "m2"),
            city("c3", "green", "m1"),
            city("c4", "green", "m1", "m2"),
        ),
        mentors=(mentor("m1", "green"), mentor("m2", "green", eu=False)),
        settings=FAST,
    )
    result = form_tags(problem)
    by_mentor = {g.mentor_id: set(g.city_ids) for g in result.groups}
    assert by_mentor == {"m2": {"c1", "c2"}, "m1": {"c3", "c4"}}
    explanations = {p.city_id: p.explanation for p in result.placements}
    assert Reason.of("preference", rank=1) in explanations["c1"]
    assert Reason.of("preference", rank=1) in explanations["c4"]


def test_optimum_matches_brute_force_on_a_tiny_instance() -> None:
    cities = (
        city("a", "green", "m2", population=50_000),
        city("b", "green", "m1", population=900_000),
        city("c", "green", population=60_000),
        city("d", "green", "m2", "m1", population=800_000),
    )
    mentors = (mentor("m1", "green"), mentor("m2", "green", eu=False))
    problem = TagProblem(cities=cities, mentors=mentors, settings=FAST)
    result = form_tags(problem)
    best = None
    ids = [c.id for c in cities]
    for left in itertools.combinations(ids, 2):
        right = tuple(i for i in ids if i not in left)
        for order in (("m1", "m2"), ("m2", "m1")):
            groups = [TagGroup(order[0], 0, "green", left), TagGroup(order[1], 0, "green", right)]
            score = score_tags(problem, groups)
            key = (-score.theme_penalty, score.preferences, score.relatability)
            best = key if best is None or key > best else best
    found = score_tags(problem, result.groups)
    assert (-found.theme_penalty, found.preferences, found.relatability) == best


# Infeasible input is explained --------------------------------------------------------


def test_too_few_mentor_places_is_explained_not_raised() -> None:
    problem = TagProblem(
        cities=tuple(city(f"c{i}", "green") for i in range(8)),
        mentors=(mentor("m1", "green"), mentor("m2", "blue", eu=False)),
        settings=FormationSettings(min_size=2, max_size=3, allow_theme_mismatch=False, time_limit=5.0, workers=1),
    )
    result = form_tags(problem)
    assert result.status == "infeasible"
    assert result.groups == ()
    assert result.reasons and any(reason.get("theme") == "green" for reason in result.reasons)


def test_a_pair_both_pinned_and_forbidden_is_explained() -> None:
    problem = TagProblem(
        cities=(city("a", "green"), city("b", "green"), city("c", "blue"), city("d", "blue")),
        mentors=(mentor("m1", "green"), mentor("m2", "blue", eu=False)),
        pins=frozenset({("a", "m1")}),
        forbids=frozenset({("a", "m1")}),
        settings=FAST,
    )
    result = form_tags(problem)
    assert result.status == "infeasible"
    assert result.reasons


# Every solution keeps every hard rule -------------------------------------------------

THEMES = ("green", "blue", "red")


@st.composite
def problems(draw: st.DrawFn) -> TagProblem:
    mentor_count = draw(st.integers(min_value=2, max_value=4))
    mentors = tuple(
        mentor(
            f"m{i}",
            draw(st.sampled_from(THEMES)),
            eu=i % 2 == 0,
            capacity=draw(st.integers(min_value=1, max_value=2)),
            secondary=draw(st.sampled_from(("", *THEMES))),
        )
        for i in range(mentor_count)
    )
    mentor_ids = [m.id for m in mentors]
    count = draw(st.integers(min_value=2, max_value=9))
    cities = tuple(
        city(
            f"c{i}",
            draw(st.sampled_from(THEMES)),
            *draw(st.lists(st.sampled_from(mentor_ids), max_size=3, unique=True)),
            population=draw(st.integers(min_value=10_000, max_value=2_000_000)),
            country=draw(st.sampled_from(("FR", "DE", "BE", "PT"))),
        )
        for i in range(count)
    )
    pins = frozenset((c.id, draw(st.sampled_from(mentor_ids))) for c in cities[:1] if draw(st.booleans()))
    forbids = frozenset((c.id, draw(st.sampled_from(mentor_ids))) for c in cities[1:2] if draw(st.booleans()))
    low = draw(st.integers(min_value=1, max_value=3))
    high = draw(st.integers(min_value=low, max_value=4))
    return TagProblem(
        cities=cities,
        mentors=mentors,
        pins=pins,
        forbids=forbids,
        settings=FormationSettings(min_size=low, max_size=high, time_limit=5.0, workers=1),
    )


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_every_solution_keeps_every_hard_rule(problem: TagProblem) -> None:
    result = form_tags(problem)
    if result.status == "infeasible":
        assert result.reasons, "an infeasible result says why"
        assert result.groups == ()
        return
    assert broken_rules(problem, result) == []
    explanations = {p.city_id: p.explanation for p in result.placements}
    assert set(explanations) == {c.id for c in problem.cities}
    assert all(explanations.values())
    greedy = greedy_tags(problem)
    if greedy.status != "infeasible":
        assert broken_rules(problem, greedy) == []
        optimum, heuristic = score_tags(problem, result.groups), score_tags(problem, greedy.groups)
        if result.status == "optimal":
            assert (-optimum.theme_penalty, optimum.preferences, optimum.relatability) >= (
                -heuristic.theme_penalty,
                heuristic.preferences,
                heuristic.relatability,
            )


# Brain dates ---------------------------------------------------------------------------


def brute_force_brain_dates(problem: BrainDateProblem) -> int:
    ids = [c.id for c in problem.cities]
    low, high = problem.settings.min_size, problem.settings.max_size

    def partitions(items: Sequence[str]) -> list[list[tuple[str, ...]]]:
        if not items:
            return [[]]
        first, rest = items[0], items[1:]
        result = []
        for size in range(low - 1, high):
            for others in itertools.combinations(rest, size):
                remaining = [i for i in rest if i not in others]
                for tail in partitions(remaining):
                    result.append([(first, *others), *tail])
        return result

    return max(score_brain_dates(problem, groups) for groups in partitions(ids))


def test_brain_dates_reach_the_brute_force_optimum() -> None:
    problem = BrainDateProblem(
        cities=(
            LabCity("a", "A", ("b", "c")),
            LabCity("b", "B", ("a",)),
            LabCity("c", "C", ("d", "a")),
            LabCity("d", "D", ("c",)),
            LabCity("e", "E", ("f",)),
            LabCity("f", "F", ("e", "a")),
        ),
        settings=BrainDateSettings(min_size=2, max_size=3, time_limit=10.0, workers=1),
    )
    result = match_brain_dates(problem)
    assert result.status == "optimal"
    assert result.objective == brute_force_brain_dates(problem)
    assert sorted(len(g.city_ids) for g in result.groups) in ([2, 2, 2], [3, 3])
    assert all(g.explanation for g in result.groups)
    assert greedy_brain_dates(problem).objective <= result.objective


@st.composite
def labs(draw: st.DrawFn) -> BrainDateProblem:
    count = draw(st.integers(min_value=2, max_value=8))
    ids = [f"c{i}" for i in range(count)]
    cities = tuple(
        LabCity(
            i, i.upper(), tuple(draw(st.lists(st.sampled_from([j for j in ids if j != i]), max_size=3, unique=True)))
        )
        for i in ids
    )
    low = draw(st.integers(min_value=1, max_value=3))
    high = draw(st.integers(min_value=max(2, low), max_value=5))
    return BrainDateProblem(
        cities=cities,
        settings=BrainDateSettings(
            min_size=low, max_size=high, mutual_bonus=draw(st.integers(0, 3)), time_limit=5.0, workers=1
        ),
    )


def broken_brain_date_rules(problem: BrainDateProblem, result: BrainDateResult) -> list[str]:
    """Every hard rule of brain dates, checked independently of the optimiser."""
    rules = problem.settings
    broken = []
    placed = Counter(c for g in result.groups for c in g.city_ids)
    if set(placed) != {c.id for c in problem.cities} or any(n != 1 for n in placed.values()):
        broken.append("each city in exactly one group")
    if any(not rules.min_size <= len(g.city_ids) <= rules.max_size for g in result.groups):
        broken.append("group sizes")
    if result.objective != score_brain_dates(problem, [g.city_ids for g in result.groups]):
        broken.append("the objective is the score of the groups")
    if any(g.score != score_brain_dates(problem, [g.city_ids]) for g in result.groups):
        broken.append("each group's score")
    return broken


@settings(max_examples=40, deadline=None)
@given(labs())
def test_every_brain_date_grouping_keeps_the_rules_and_is_optimal(problem: BrainDateProblem) -> None:
    result = match_brain_dates(problem)
    if result.status == "infeasible":
        assert result.reasons
        return
    assert broken_brain_date_rules(problem, result) == []
    assert result.status == "optimal"
    assert result.objective == brute_force_brain_dates(problem)
    assert result.bound == result.objective and result.gap == 0


def random_lab(seed: int, count: int, low: int = 2, high: int = 5) -> BrainDateProblem:
    rng = random.Random(seed)
    ids = [f"c{i}" for i in range(count)]
    cities = []
    for i in ids:
        picks = rng.sample([j for j in ids if j != i], k=rng.randint(0, 5))
        cities.append(LabCity(i, i.upper(), tuple(picks)))
    return BrainDateProblem(
        cities=tuple(cities), settings=BrainDateSettings(min_size=low, max_size=high, time_limit=10.0, workers=1)
    )


@pytest.mark.parametrize(
    ("seed", "count", "low", "high"),
    [(seed, 8 + seed % 3, 2, 5) for seed in range(6)] + [(seed, 8 + seed % 3, 3, 4) for seed in range(6, 9)],
)
def test_brain_dates_equal_the_brute_force_optimum_on_small_labs(seed: int, count: int, low: int, high: int) -> None:
    problem = random_lab(seed, count, low, high)
    result = match_brain_dates(problem)
    assert broken_brain_date_rules(problem, result) == []
    assert result.status == "optimal"
    assert result.objective == brute_force_brain_dates(problem)
    assert result.gap == 0
    assert all(g.explanation for g in result.groups)
    assert greedy_brain_dates(problem).objective <= result.objective


@pytest.mark.parametrize("seed", range(4))
def test_brain_dates_priced_by_cp_sat_keep_a_valid_bound(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """With too many candidate clusters to list, CP-SAT prices them; the bound must still hold."""
    monkeypatch.setattr(brain_dates, "MAX_POOL", 0)
    problem = random_lab(seed, 9, 2, 4)
    result = match_brain_dates(problem)
    optimum = brute_force_brain_dates(problem)
    assert broken_brain_date_rules(problem, result) == []
    assert result.bound is not None and result.bound >= optimum >= result.objective
    if result.status == "optimal":
        assert result.objective == optimum


def test_brain_dates_of_the_benchmark_lab_are_proven_optimal_within_the_time_limit() -> None:
    problem = instances.brain_date_instance(cities=136, picks=5, seed=0)
    result = match_brain_dates(problem)
    assert result.status == "optimal"
    assert result.gap == 0 and result.bound == result.objective
    assert result.seconds < problem.settings.time_limit
    assert broken_brain_date_rules(problem, result) == []
    assert result.objective > greedy_brain_dates(problem).objective


def test_brain_dates_are_found_where_the_greedy_baseline_finds_none() -> None:
    picks = {
        "c0": ("c3",),
        "c1": ("c3", "c0"),
        "c2": ("c3", "c0", "c5", "c4", "c7"),
        "c3": ("c0", "c7"),
        "c4": ("c2",),
        "c5": (),
        "c6": ("c5", "c7", "c0", "c1", "c2"),
        "c7": ("c5", "c1", "c4", "c6", "c2"),
    }
    problem = BrainDateProblem(
        cities=tuple(LabCity(c, c.upper(), chosen) for c, chosen in picks.items()),
        settings=BrainDateSettings(min_size=3, max_size=4, mutual_bonus=0, workers=1),
    )
    assert greedy_brain_dates(problem).status == "infeasible"
    result = match_brain_dates(problem)
    assert result.status == "optimal"
    assert result.objective == brute_force_brain_dates(problem) == 48
    assert broken_brain_date_rules(problem, result) == []


def test_a_lab_without_picks_is_grouped_at_no_score() -> None:
    problem = BrainDateProblem(
        cities=tuple(LabCity(f"c{i}", f"C{i}") for i in range(7)), settings=BrainDateSettings(min_size=2, max_size=3)
    )
    result = match_brain_dates(problem)
    assert result.status == "optimal" and result.objective == 0
    assert broken_brain_date_rules(problem, result) == []
    assert all(g.explanation[0].code == "completes-group" for g in result.groups)


def test_a_lab_that_cannot_be_split_is_explained() -> None:
    problem = BrainDateProblem(
        cities=tuple(LabCity(f"c{i}", f"C{i}") for i in range(7)), settings=BrainDateSettings(min_size=4, max_size=5)
    )
    result = match_brain_dates(problem)
    assert result.status == "infeasible"
    assert result.reasons == (Reason.of("lab-cannot-split", count=7, low=4, high=5),)


# The package stands without Django ------------------------------------------------------


def test_the_optimiser_imports_without_django() -> None:
    code = "import sys; import icc.optimiser; assert not any(m == 'django' or m.startswith('django.') for m in sys.modules)"
    root = Path(__file__).resolve().parents[3]
    completed = subprocess.run([sys.executable, "-c", code], cwd=root, check=False)  # noqa: S603 - a fixed command
    assert completed.returncode == 0


def test_no_environment_variable_tunes_the_optimiser() -> None:
    for path in Path(optimiser.__file__).parent.glob("*.py"):
        assert "os.environ" not in path.read_text(), path.name


# Reasons are codes, worded by the interface ---------------------------------------------


def test_reasons_are_hashable_and_survive_json() -> None:
    reason = Reason.of("mutual-picks", city="A", other="B", ranks=(1, 2), other_ranks=(3,))
    assert reason == Reason.of("mutual-picks", other_ranks=(3,), ranks=(1, 2), other="B", city="A")
    assert len({reason, Reason.from_json(reason.to_json())}) == 1
    assert reason["ranks"] == (1, 2)


def test_every_reason_code_has_words() -> None:
    source = "\n".join(path.read_text() for path in Path(optimiser.__file__).parent.glob("*.py"))
    codes = set(re.findall(r'Reason\.of\(\s*"([a-z-]+)"', source))
    codes |= set(re.findall(r'\(\d\.\d, \d, "([a-z-]+)"\)', source))  # relatability's size bands
    codes |= set(diagnosis.BLOCKING.values()) | {"pin-unknown-city", "forbid-unknown-city"}
    codes |= {"pin-unknown-mentor", "forbid-unknown-mentor"}
    codes.discard("code")  # the example in Reason's docstring
    assert len(codes) > 60
    assert sorted(codes - set(wording.WORDS)) == []


def test_reasons_are_worded_like_the_placements_they_explain() -> None:
    problem = TagProblem(
        cities=(
            city("c1", "green", "m2", "m1"),
            city("c2", "green", "m2"),
            city("c3", "green", "m1"),
            city("c4", "green", "m1", "m2"),
        ),
        mentors=(mentor("m1", "green"), mentor("m2", "green", eu=False)),
        settings=FAST,
    )
    words = wording.describe_all(form_tags(problem).placement("c1").explanation)
    assert words.startswith("same theme (green, a primary theme of the mentor); 1st preference")
    picked = Reason.of("mutual-picks", city="Aarhus", other="Braga", ranks=(1,), other_ranks=(2, 3))
    assert wording.describe(picked) == "Aarhus picked Braga (1st) and Braga picked Aarhus (2nd and 3rd)"
    stored = wording.store([picked, Reason.of("completes-group", cities=("Cork",))])
    assert wording.worded(stored) == (
        "Aarhus picked Braga (1st) and Braga picked Aarhus (2nd and 3rd); Cork completes the group: no pick links it here"
    )
    assert wording.worded("Written before reasons had codes.") == "Written before reasons had codes."
