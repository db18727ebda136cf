"""The date rules of schedules, tested without a database."""

import datetime as dt
import itertools

from icc.journey.scheduling import EventSpec, PhaseSpan, concerns, plan, plan_all, weekday_within

PHASES = {
    "prep": PhaseSpan("prep", dt.date(2025, 9, 1), dt.date(2026, 1, 31)),
    "ambition": PhaseSpan("ambition", dt.date(2026, 2, 1), dt.date(2026, 4, 30)),
    "implementation": PhaseSpan("implementation", dt.date(2026, 5, 1), dt.date(2027, 7, 31)),
}


def spec(**kwargs):
    base = {"key": "x", "recurrence": "once", "phases": ("prep",), "city_types": frozenset({"eu-core"})}
    return EventSpec(**{**base, **kwargs})


def test_count_occurrences_are_spread_over_all_their_phases_on_working_days():
    slots = plan(spec(recurrence="count", count=15, phases=("prep", "ambition", "implementation")), PHASES)

    assert [s.occurrence for s in slots] == list(range(1, 16))
    assert all(s.day.weekday() < 5 for s in slots)
    assert slots[0].phase_key == "prep" and slots[-1].phase_key == "implementation"
    assert slots == sorted(slots, key=lambda s: s.day)
    assert len({s.day for s in slots}) == 15


def test_every_two_weeks_alternates_its_formats_and_stays_inside_its_phases():
    slots = plan(
        spec(recurrence="every", every_weeks=2, phases=("ambition",), variants=("complete", "alignment")), PHASES
    )

    assert [s.variant for s in slots[:4]] == ["complete", "alignment", "complete", "alignment"]
    assert all(PHASES["ambition"].starts_on <= s.day <= PHASES["ambition"].ends_on for s in slots)
    assert {(b.day - a.day).days for a, b in itertools.pairwise(slots)} == {14}
    assert len(slots) == 7


def test_once_events_fall_at_the_start_middle_or_end_of_their_phase():
    start, middle, end = (
        plan(spec(position=p, phases=("ambition",)), PHASES)[0].day for p in ("start", "middle", "end")
    )

    assert PHASES["ambition"].starts_on < start < middle < end < PHASES["ambition"].ends_on


def test_weekend_days_move_to_a_working_day_inside_the_phase():
    span = PhaseSpan("p", dt.date(2026, 5, 1), dt.date(2026, 5, 31))

    assert weekday_within(dt.date(2026, 5, 2), span) == dt.date(2026, 5, 4)
    assert weekday_within(dt.date(2026, 5, 31), span) == dt.date(2026, 5, 29)


def test_an_event_concerns_only_the_city_types_it_names():
    dcc_only = spec(city_types=frozenset({"former-dcc"}))

    assert concerns(dcc_only, {"eu-core", "former-dcc"})
    assert not concerns(dcc_only, {"eu-core"})
    assert plan_all([dcc_only], PHASES, {"eu-mentor"}) == []


def test_phases_the_programme_does_not_have_give_no_slots():
    assert plan(spec(phases=("unknown",)), PHASES) == []


def test_cycle_events_open_each_implementation_cycle():
    cycles = [
        PhaseSpan("cycle-1", dt.date(2026, 5, 1), dt.date(2026, 9, 30)),
        PhaseSpan("cycle-2", dt.date(2026, 10, 1), dt.date(2027, 2, 28)),
        PhaseSpan("cycle-3", dt.date(2027, 3, 1), dt.date(2027, 7, 31)),
    ]

    slots = plan(spec(recurrence="cycle", phases=("implementation",)), PHASES, cycles)

    assert [s.day for s in slots] == [dt.date(2026, 5, 8), dt.date(2026, 10, 8), dt.date(2027, 3, 8)]
