"""The pure matching: which open calls fit an action's gap, and the reasons given."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from icc.finance import matching

TODAY = dt.date(2027, 3, 1)


def _call(call_id: int = 1, **changes: object) -> matching.Call:
    values: dict[str, object] = {
        "call_id": call_id,
        "theme_ids": frozenset({1}),
        "city_types": frozenset(),
        "countries": frozenset(),
        "opens_on": TODAY - dt.timedelta(days=10),
        "deadline": TODAY + dt.timedelta(days=30),
        "co_funding_rate": 70,
        "min_amount": Decimal(10_000),
        "max_amount": Decimal(500_000),
    }
    values.update(changes)
    return matching.Call(**values)  # type: ignore[arg-type]


def _need(action_id: int = 10, **changes: object) -> matching.Need:
    values: dict[str, object] = {
        "action_id": action_id,
        "city_id": 100,
        "city_type": "eu-core",
        "country": "PT",
        "theme_ids": frozenset({1, 2}),
        "ends_on": TODAY + dt.timedelta(days=200),
        "gap": Decimal(200_000),
    }
    values.update(changes)
    return matching.Need(**values)  # type: ignore[arg-type]


def _codes(found: list[matching.Match]) -> list[str]:
    return [r.code for r in found[0].reasons]


def test_an_open_call_on_the_citys_theme_matches_with_every_reason() -> None:
    found = matching.match_all([_need()], [_call()], TODAY)
    assert [(m.action_id, m.call_id, m.rank) for m in found] == [(10, 1, 1)]
    assert _codes(found) == [
        "theme",
        "any-city-type",
        "any-country",
        "deadline",
        "before-action-ends",
        "covers-gap",
        "co-funding",
    ]
    reasons = {r.code: r.params for r in found[0].reasons}
    assert reasons["theme"] == {"themes": [1]}
    assert reasons["deadline"] == {"deadline": "2027-03-31", "days": 30}
    assert reasons["co-funding"] == {"rate": 70, "own_share": "60000.00"}


def test_a_call_not_yet_open_or_past_its_deadline_does_not_match() -> None:
    later = _call(1, opens_on=TODAY + dt.timedelta(days=1), deadline=TODAY + dt.timedelta(days=40))
    closed = _call(2, opens_on=TODAY - dt.timedelta(days=60), deadline=TODAY - dt.timedelta(days=1))
    assert matching.match_all([_need()], [later, closed], TODAY) == []


def test_a_deadline_of_today_still_matches() -> None:
    assert matching.match_all([_need()], [_call(deadline=TODAY)], TODAY)


def test_eligibility_by_city_type_and_country() -> None:
    mentors_only = _call(1, city_types=frozenset({"eu-mentor"}))
    germany_only = _call(2, countries=frozenset({"DE"}))
    portugal = _call(3, countries=frozenset({"PT", "ES"}), city_types=frozenset({"eu-core"}))
    found = matching.match_all([_need()], [mentors_only, germany_only, portugal], TODAY)
    assert [m.call_id for m in found] == [3]
    assert {"city-type", "country"} <= set(_codes(found))
    assert {r.code: r.params for r in found[0].reasons}["country"] == {"country": "PT"}


def test_no_shared_theme_no_match() -> None:
    assert matching.match_all([_need()], [_call(theme_ids=frozenset({7}))], TODAY) == []


def test_a_deadline_after_the_action_ends_does_not_match() -> None:
    need = _need(ends_on=TODAY + dt.timedelta(days=20))
    assert matching.match_all([need], [_call(deadline=TODAY + dt.timedelta(days=21))], TODAY) == []
    assert matching.match_all([need], [_call(deadline=TODAY + dt.timedelta(days=20))], TODAY)


def test_an_action_that_ended_or_has_no_gap_gets_nothing() -> None:
    ended = _need(1, ends_on=TODAY - dt.timedelta(days=1))
    funded = _need(2, gap=Decimal(0))
    assert matching.match_all([ended, funded], [_call()], TODAY) == []


def test_a_call_whose_smallest_grant_exceeds_the_gap_does_not_match() -> None:
    assert matching.match_all([_need(gap=Decimal(5_000))], [_call(min_amount=Decimal(10_000))], TODAY) == []


def test_a_ceiling_below_the_gap_covers_part_and_full_funding_says_so() -> None:
    found = matching.match_all([_need()], [_call(max_amount=Decimal(50_000), co_funding_rate=100)], TODAY)
    codes = _codes(found)
    assert "covers-part" in codes and "full-funding" in codes and "co-funding" not in codes
    found = matching.match_all([_need()], [_call(max_amount=None, min_amount=None)], TODAY)
    assert "no-ceiling" in _codes(found)


def test_an_action_keeps_the_calls_with_the_soonest_deadlines_up_to_the_limit() -> None:
    calls = [_call(n, deadline=TODAY + dt.timedelta(days=100 - n)) for n in range(1, 9)]
    found = matching.match_all([_need()], calls, TODAY, limit=3)
    assert [m.call_id for m in found] == [8, 7, 6]
    assert [m.rank for m in found] == [1, 2, 3]


def test_cities_are_matched_each_with_their_own_type_and_country() -> None:
    german = _need(20, city_id=200, country="DE")
    found = matching.match_all([_need(), german], [_call(1, countries=frozenset({"DE"}))], TODAY)
    assert [(m.action_id, m.city_id) for m in found] == [(20, 200)]


def test_the_gap_is_the_budget_less_the_awarded_amounts() -> None:
    assert matching.gap(Decimal(1000), Decimal(300), secured=False) == Decimal(700)
    assert matching.gap(Decimal(1000), Decimal(1300), secured=False) == Decimal(0)
    assert matching.gap(Decimal(1000), Decimal(0), secured=True) == Decimal(0)
    assert matching.gap(None, Decimal(0), secured=False) == Decimal(0)


def test_the_module_imports_nothing_of_django() -> None:
    import ast
    from pathlib import Path

    tree = ast.parse(Path(matching.__file__).read_text())
    imported = {
        (node.module or "") if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert not any(name.startswith("django") or name.startswith("icc") for name in imported)
