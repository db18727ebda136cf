"""The progress-status maths, as pure functions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from icc.roadmaps.progress import Status, assess, expected_value

BASE = dt.date(2025, 1, 1)
TARGET = dt.date(2027, 1, 1)  # 730 days later
HALFWAY = dt.date(2026, 1, 1)  # 365 days: half the way


def status(
    latest: float | None, *, baseline: float = 100, target: float = 200, on: dt.date | None = HALFWAY, up: bool = True
):
    return assess(
        baseline=baseline,
        baseline_date=BASE,
        target=target,
        target_date=TARGET,
        increasing=up,
        latest=latest,
        latest_date=on,
    )


def test_expected_value_follows_a_straight_path_and_stops_at_the_target() -> None:
    assert expected_value(baseline=100, baseline_date=BASE, target=200, target_date=TARGET, on=HALFWAY) == 150
    assert expected_value(baseline=100, baseline_date=BASE, target=200, target_date=TARGET, on=BASE) == 100
    assert (
        expected_value(baseline=100, baseline_date=BASE, target=200, target_date=TARGET, on=dt.date(2030, 1, 1)) == 200
    )
    with pytest.raises(ValueError):
        expected_value(baseline=1, baseline_date=TARGET, target=2, target_date=BASE, on=BASE)


@pytest.mark.parametrize(
    ("latest", "expected"),
    [
        (200, Status.ACHIEVED),  # target met early
        (250, Status.ACHIEVED),  # and beaten
        (150, Status.ON_TRACK),  # exactly on the path: ratio 1
        (147.5, Status.ON_TRACK),  # ratio 0.95, the threshold itself
        (147, Status.MODERATE),  # ratio 0.94
        (125, Status.MODERATE),  # ratio 0.5
        (124, Status.INSUFFICIENT),  # ratio 0.48
        (100, Status.INSUFFICIENT),  # no change at all
        (95, Status.INSUFFICIENT),  # ratio -0.1: a small slip is not yet deterioration
        (94, Status.DETERIORATION),  # ratio -0.12
    ],
)
def test_thresholds_for_an_increasing_indicator(latest: float, expected: Status) -> None:
    assert status(latest).status == expected


def test_the_ratio_is_the_change_achieved_over_the_change_needed_by_then() -> None:
    result = status(140)
    assert result.ratio == pytest.approx(0.8)
    assert result.expected == pytest.approx(150)


@pytest.mark.parametrize(
    ("latest", "expected"),
    [
        (40, Status.ACHIEVED),
        (60, Status.ON_TRACK),  # halfway from 80 to 40 is 60
        (70, Status.MODERATE),  # ratio 0.5
        (75, Status.INSUFFICIENT),
        (85, Status.DETERIORATION),  # rose, though lower is better
    ],
)
def test_a_decreasing_indicator_counts_a_fall_as_progress(latest: float, expected: Status) -> None:
    assert status(latest, baseline=80, target=40, up=False).status == expected


def test_missing_data_gives_no_status() -> None:
    assert status(None).status == Status.NO_DATA
    assert status(150, on=None).status == Status.NO_DATA
    # A value dated on (or before) the baseline says nothing about progress.
    assert status(150, on=BASE).status == Status.NO_DATA
    assert status(150, on=BASE - dt.timedelta(days=1)).status == Status.NO_DATA
    assert status(None).ratio is None


def test_target_already_met_at_baseline() -> None:
    # The target is no better than the baseline: achieved while it holds...
    assert status(100, baseline=100, target=100).status == Status.ACHIEVED
    assert status(120, baseline=120, target=100).status == Status.ACHIEVED
    # ...and deteriorating as soon as it no longer does.
    assert status(99, baseline=120, target=100).status == Status.DETERIORATION


def test_after_the_target_date_the_whole_gap_was_needed_and_on_track_is_out_of_reach() -> None:
    late = dt.date(2027, 6, 1)
    assert status(200, on=late).status == Status.ACHIEVED
    result = status(197, on=late)  # 97 % of the gap, but the date has passed
    assert result.ratio == pytest.approx(0.97)
    assert result.status == Status.MODERATE
    assert status(140, on=late).status == Status.INSUFFICIENT
    assert status(80, on=late).status == Status.DETERIORATION


def test_exactly_on_the_target_date() -> None:
    assert status(196, on=TARGET).status == Status.MODERATE
    assert status(200, on=TARGET).status == Status.ACHIEVED


def test_decimals_and_floats_give_the_same_answer() -> None:
    as_decimal = assess(
        baseline=Decimal("12.5"),
        baseline_date=BASE,
        target=Decimal("20"),
        target_date=TARGET,
        increasing=True,
        latest=Decimal("16.25"),
        latest_date=HALFWAY,
    )
    as_float = status(16.25, baseline=12.5, target=20)
    assert as_decimal == as_float
    assert as_decimal.status == Status.ON_TRACK
