"""The early warning's model: scaled signals, weights, reasons; no database."""

from __future__ import annotations

import math

from icc.reports import risk


def test_a_city_with_no_signal_scores_the_intercept_and_is_not_flagged() -> None:
    assessed = risk.assess(risk.Signals())
    assert math.isclose(assessed.score, 1 / (1 + math.exp(-risk.INTERCEPT)))
    assert not assessed.flagged
    assert assessed.reasons == []


def test_late_work_and_a_silent_team_flag_a_city_with_the_reasons_largest_first() -> None:
    assessed = risk.assess(risk.Signals(late_deliverables=2, weeks_inactive=8, overdue_follow_ups=1))
    assert assessed.flagged
    codes = [part.code for part in assessed.reasons]
    assert codes[0] == "late_deliverables"
    assert set(codes) == {"late_deliverables", "weeks_inactive", "overdue_follow_ups"}
    points = [part.points for part in assessed.reasons]
    assert points == sorted(points, reverse=True)


def test_a_count_past_its_cap_adds_no_more_than_the_cap() -> None:
    at_cap = risk.assess(risk.Signals(late_deliverables=3)).score
    assert risk.assess(risk.Signals(late_deliverables=300)).score == at_cap
    assert risk.assess(risk.Signals(late_deliverables=2)).score < at_cap


def test_shares_stay_between_nothing_and_everything_whatever_the_counts_say() -> None:
    odd = risk.values(risk.Signals(kpis=2, kpis_not_updated=9, survey_invited=10, survey_answered=40))
    assert odd["kpis_not_updated"] == 1.0
    assert odd["low_survey_participation"] == 0.0
    negative = risk.values(risk.Signals(late_deliverables=-4, kpis=0, kpis_deteriorating=3))
    assert negative["late_deliverables"] == 0.0
    assert negative["kpis_deteriorating"] == 0.0


def test_no_survey_and_no_kpis_add_nothing() -> None:
    assessed = risk.assess(risk.Signals(survey_invited=0, kpis=0))
    assert all(part.points == 0 for part in assessed.parts)


def test_every_signal_raises_the_score() -> None:
    base = risk.assess(risk.Signals(kpis=4, survey_invited=10, survey_answered=10)).score
    for signal in risk.SIGNALS:
        raised = {
            "late_deliverables": risk.Signals(late_deliverables=1, kpis=4, survey_invited=10, survey_answered=10),
            "events_not_held": risk.Signals(events_not_held=1, kpis=4, survey_invited=10, survey_answered=10),
            "kpis_not_updated": risk.Signals(kpis=4, kpis_not_updated=1, survey_invited=10, survey_answered=10),
            "kpis_deteriorating": risk.Signals(kpis=4, kpis_deteriorating=1, survey_invited=10, survey_answered=10),
            "overdue_follow_ups": risk.Signals(overdue_follow_ups=1, kpis=4, survey_invited=10, survey_answered=10),
            "weeks_inactive": risk.Signals(weeks_inactive=1, kpis=4, survey_invited=10, survey_answered=10),
            "low_survey_participation": risk.Signals(kpis=4, survey_invited=10, survey_answered=5),
        }[signal.code]
        assert risk.assess(raised).score > base, signal.code


def test_the_simple_rule_is_any_deliverable_late() -> None:
    assert risk.simple_rule(risk.Signals(late_deliverables=1))
    assert not risk.simple_rule(risk.Signals(weeks_inactive=12, events_not_held=4))
