"""How far a KPI has come towards its target: pure functions, no Django.

The method follows the one public SDG progress dashboards use for indicators with a
numeric target (the UN SDG Progress Chart and Eurostat's SDG monitoring): compare the
change actually achieved since the baseline with the change that was needed by the same
date to reach the target on time, on a straight path from baseline to target.

    ratio = actual change / change needed by the date of the latest value

``ratio`` is signed so that a change in the desired direction is positive, whatever
the direction of the indicator. The status is then:

* achieved: the latest value meets or beats the target;
* on track: ratio ≥ 0.95;
* moderate progress: 0.5 ≤ ratio < 0.95;
* insufficient progress: -0.1 ≤ ratio < 0.5 (no change at all lands here);
* deterioration: ratio < -0.1, i.e. the indicator moved the wrong way by more than a
  tenth of the change that was needed.

Once the target date has passed without the target being met, the needed change is the
whole gap and a KPI can no longer be "on track": the best it can be is moderate progress.
A KPI whose baseline already met its target counts as achieved while it still does and as
deteriorating once it does not.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from decimal import Decimal

ON_TRACK = 0.95
MODERATE = 0.5
DETERIORATION = -0.1

Number = Decimal | float | int


class Status(enum.StrEnum):
    ACHIEVED = "achieved"
    ON_TRACK = "on-track"
    MODERATE = "moderate"
    INSUFFICIENT = "insufficient"
    DETERIORATION = "deterioration"
    NO_DATA = "no-data"


@dataclass(frozen=True)
class Progress:
    status: Status
    ratio: float | None = None
    # The value a straight path from baseline to target would have reached by the date
    # of the latest value (None without data).
    expected: float | None = None


def expected_value(
    *, baseline: Number, baseline_date: dt.date, target: Number, target_date: dt.date, on: dt.date
) -> float:
    """The value on the straight path from baseline to target on ``on`` (held at the target after it)."""
    span = (target_date - baseline_date).days
    if span <= 0:
        raise ValueError("the target date must come after the baseline date")
    share = min(max((on - baseline_date).days / span, 0.0), 1.0)
    return float(baseline) + (float(target) - float(baseline)) * share


def assess(
    *,
    baseline: Number,
    baseline_date: dt.date,
    target: Number,
    target_date: dt.date,
    increasing: bool,
    latest: Number | None,
    latest_date: dt.date | None,
) -> Progress:
    """The progress status of a KPI given its baseline, target and latest value.

    ``increasing`` says whether higher values are better. Without a value dated after the
    baseline there is nothing to judge, and the status is ``NO_DATA``.
    """
    if latest is None or latest_date is None or latest_date <= baseline_date:
        return Progress(Status.NO_DATA)
    sign = 1.0 if increasing else -1.0
    expected = expected_value(
        baseline=baseline, baseline_date=baseline_date, target=target, target_date=target_date, on=latest_date
    )
    if sign * (float(latest) - float(target)) >= 0:
        return Progress(Status.ACHIEVED, None, expected)
    needed = sign * (expected - float(baseline))
    actual = sign * (float(latest) - float(baseline))
    if needed <= 0:
        # The baseline already met the target, and the latest value no longer does.
        return Progress(Status.DETERIORATION, None, expected)
    ratio = actual / needed
    if ratio < DETERIORATION:
        status = Status.DETERIORATION
    elif ratio < MODERATE:
        status = Status.INSUFFICIENT
    elif ratio < ON_TRACK or latest_date >= target_date:
        status = Status.MODERATE
    else:
        status = Status.ON_TRACK
    return Progress(status, ratio, expected)


def cycle_due(*, cycle_ends: list[tuple[int, dt.date]], today: dt.date) -> int | None:
    """The number of the last cycle that has ended by ``today`` (its KPI update is due)."""
    ended = [number for number, ends_on in cycle_ends if ends_on < today]
    return max(ended) if ended else None
