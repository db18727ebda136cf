"""The early warning: how likely a city is to fall behind, from the signals the platform
already holds, with each signal's share of the score and the reasons as codes.

The score is a logistic model: each signal is scaled to a feature between 0 and 1
(capped, so that one extreme count cannot carry the whole score), multiplied by its
weight, summed with the intercept and passed through the logistic function. The weights
were fitted by logistic regression on simulated cohort histories (``benchmarks/risk.py
--fit``: 3 cohorts of 1,000 cities over 30 months, seeds 1 to 3, where cities slip in the
ways the programme sees them slip) and rounded; the benchmark checks them on other seeds
against the simple rule "any deliverable late". No Django import: the signals come in
as a dataclass and the reasons go out as codes that the pages word.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

# A city is flagged from this probability of being behind two months later.
FLAG_AT = 0.5


@dataclass(frozen=True)
class Signals:
    """What the platform knows about one city at one moment."""

    late_deliverables: int = 0  # due versions not submitted by their date
    events_not_held: int = 0  # the city's events of the last 8 weeks that passed without being held
    kpis: int = 0  # the city's KPIs
    kpis_not_updated: int = 0  # of those, without a measurement in the current cycle
    kpis_deteriorating: int = 0  # of those, moving the wrong way
    overdue_follow_ups: int = 0
    weeks_inactive: int = 0  # whole weeks since the city's team last changed anything
    survey_invited: int = 0  # people invited to the city's latest local-enablers survey
    survey_answered: int = 0


@dataclass(frozen=True)
class Signal:
    """One signal's definition: its code, the count at which its feature reaches 1, its weight."""

    code: str
    cap: float
    weight: float


# Fitted on the simulated histories (see the module's docstring); the intercept is the
# log-odds of a city with no signal at all.
INTERCEPT = -4.34
SIGNALS: tuple[Signal, ...] = (
    Signal("late_deliverables", cap=3, weight=4.82),
    Signal("events_not_held", cap=4, weight=1.40),
    Signal("kpis_not_updated", cap=1, weight=1.65),
    Signal("kpis_deteriorating", cap=1, weight=0.57),
    Signal("overdue_follow_ups", cap=6, weight=1.48),
    Signal("weeks_inactive", cap=8, weight=0.96),
    Signal("low_survey_participation", cap=1, weight=0.99),
)


def values(signals: Signals) -> dict[str, float]:
    """Each signal's raw value, in the order of :data:`SIGNALS`: counts, or shares for the
    KPIs and the survey (the share of KPIs not updated, of invited people who did not answer)."""
    kpis = max(signals.kpis, 0)
    invited = max(signals.survey_invited, 0)
    return {
        "late_deliverables": float(max(signals.late_deliverables, 0)),
        "events_not_held": float(max(signals.events_not_held, 0)),
        "kpis_not_updated": min(signals.kpis_not_updated, kpis) / kpis if kpis else 0.0,
        "kpis_deteriorating": min(signals.kpis_deteriorating, kpis) / kpis if kpis else 0.0,
        "overdue_follow_ups": float(max(signals.overdue_follow_ups, 0)),
        "weeks_inactive": float(max(signals.weeks_inactive, 0)),
        "low_survey_participation": (1 - min(max(signals.survey_answered, 0), invited) / invited if invited else 0.0),
    }


def features(signals: Signals) -> list[float]:
    """The signals scaled to 0–1 by their caps, in the order of :data:`SIGNALS`."""
    raw = values(signals)
    return [min(raw[signal.code] / signal.cap, 1.0) for signal in SIGNALS]


@dataclass(frozen=True)
class Part:
    """One signal's part in a city's score."""

    code: str
    value: float  # the raw value (a count or a share)
    weight: float
    points: float  # weight × scaled feature: what it adds to the log-odds


@dataclass(frozen=True)
class Risk:
    score: float  # the probability of being behind two months later, 0–1
    parts: list[Part] = field(default_factory=list)

    @property
    def flagged(self) -> bool:
        return self.score >= FLAG_AT

    @property
    def reasons(self) -> list[Part]:
        """The signals that add to the score, largest first: what the page words."""
        return sorted((part for part in self.parts if part.points > 0), key=lambda part: -part.points)


def logistic(z: float) -> float:
    return 1 / (1 + math.exp(-z)) if z >= 0 else math.exp(z) / (1 + math.exp(z))


def assess(signals: Signals, *, intercept: float = INTERCEPT, weights: list[float] | None = None) -> Risk:
    """The city's risk with the shipped weights (or ``weights``, in the order of :data:`SIGNALS`)."""
    chosen = weights if weights is not None else [signal.weight for signal in SIGNALS]
    raw = values(signals)
    parts = [
        Part(signal.code, raw[signal.code], weight, weight * feature)
        for signal, weight, feature in zip(SIGNALS, chosen, features(signals), strict=True)
    ]
    return Risk(score=logistic(intercept + sum(part.points for part in parts)), parts=parts)


def simple_rule(signals: Signals) -> bool:
    """The rule the early warning is measured against: any deliverable late."""
    return signals.late_deliverables > 0
