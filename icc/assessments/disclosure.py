"""Which figures of a group may be shown without exposing one member: pure functions, no Django.

Two groups are protected here. The people who answer a city's local-enablers survey: its
counts are released with differential privacy (Laplace noise), and a word shows only when
many different answers use it. And the peer cities of a comparison: a statistic shows only
over enough peers, and never when it equals the value of a peer that did not agree to be named.
"""

from __future__ import annotations

import math
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from icc.assessments import scoring

MINIMUM = 5
SIGNIFICANT_DIGITS = 3


# The local-enablers survey -------------------------------------------------------------

# Privacy budget of each released figure: every dimension's counts, and the count of people.
EPSILON = 1.0
# A word shows only when this share of the different answers use it (and at least MINIMUM).
WORD_SHARE = 0.2
SCALE_LEVELS = 5

_random = secrets.SystemRandom()


def laplace(scale: float) -> float:
    """One draw of Laplace noise of the given scale, from the operating system's random source."""
    return _random.expovariate(1 / scale) - _random.expovariate(1 / scale)


def _noisy(count: int, scale: float) -> int:
    return max(0, round(count + laplace(scale)))


@dataclass(frozen=True)
class ReleasedDimension:
    """A dimension's figures as released: noisy counts, and the mean they give."""

    answers: int
    unknown: int
    mean: float | None
    distribution: tuple[int, ...]  # how many answered 1, 2, 3, 4, 5, with noise


def release_dimension(
    values: Iterable[int | None], *, questions: int, minimum: int = MINIMUM, epsilon: float = EPSILON
) -> ReleasedDimension | None:
    """One dimension's answers (None for "don't know") released with ``epsilon``-differential privacy.

    One person gives at most ``questions`` answers to the dimension, so adding or removing
    one person changes the counts per level and of "don't know" by at most ``questions`` in
    all; Laplace noise of scale ``questions / epsilon`` on each count hides any one person's
    answers, whoever else answered. The mean is worked out from the noisy counts only.
    Nothing shows (None) when the noisy counts hold fewer answers than ``minimum`` people
    answering every question would give: the figures would then be mostly noise.
    """
    counts = [0] * SCALE_LEVELS
    unknown = 0
    for value in values:
        if value is None:
            unknown += 1
        elif 1 <= value <= SCALE_LEVELS:
            counts[value - 1] += 1
    scale = max(questions, 1) / epsilon
    distribution = tuple(_noisy(count, scale) for count in counts)
    noisy_unknown = _noisy(unknown, scale)
    answers = sum(distribution)
    if answers < minimum * max(questions, 1):
        return None
    mean = sum(level * n for level, n in enumerate(distribution, start=1)) / answers
    return ReleasedDimension(answers, noisy_unknown, round(mean, 2), distribution)


def coarse_count(people: int, *, minimum: int = MINIMUM, epsilon: float = EPSILON) -> int:
    """How many people answered, with noise and rounded down to a multiple of ``minimum``."""
    noisy = people + laplace(1 / epsilon)
    return max(minimum, minimum * math.floor(noisy / minimum))


def _normalised(text: str) -> str:
    return " ".join(re.findall(r"[^\W_]+", text.casefold()))


def shared_words(texts: Iterable[str], *, minimum: int = MINIMUM, share: float = WORD_SHARE) -> list[str] | None:
    """The words many different answers use, without their counts; None when fewer than ``minimum`` answered.

    ``texts`` holds one answer per sheet. Identical answers (ignoring case and punctuation)
    count once: the same sentence sent five times is not five people sharing a word. A word
    shows when at least ``minimum`` different answers, and ``share`` of all the different
    answers, use it.
    """
    answered = [text for text in texts if text.strip()]
    if len(answered) < minimum:
        return None
    distinct = list(dict.fromkeys(_normalised(text) for text in answered))
    needed = max(minimum, math.ceil(share * len(distinct)))
    return [word for word, _count in scoring.text_themes(distinct, min_mentions=needed)]


# Peer comparison ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PeerValue:
    value: Decimal
    named: bool  # the peer agreed to be named beside its figures


@dataclass(frozen=True)
class PeerFigures:
    peers: int | None  # None when there are too few to show anything
    lower_quartile: Decimal | None
    median: Decimal | None
    upper_quartile: Decimal | None
    withheld: frozenset[str] = frozenset()  # figures left out because they equal one peer's value

    @property
    def median_withheld(self) -> bool:
        return "median" in self.withheld


def significant(value: float, digits: int = SIGNIFICANT_DIGITS) -> Decimal:
    """``value`` rounded to ``digits`` significant figures, written without an exponent."""
    if value == 0 or not math.isfinite(value):
        return Decimal(0)
    rounded = Decimal(f"{value:.{digits}g}")
    return rounded.quantize(Decimal(1)) if rounded.as_tuple().exponent > 0 else rounded  # type: ignore[operator]


def quantile(ordered: list[float], p: float) -> float:
    """The ``p`` quantile of sorted values, by Hyndman and Fan's definition 8 (median-unbiased).

    Its quartiles fall strictly between two values for any number of values, so they are
    never one peer's own value unless two peers tie.
    """
    n = len(ordered)
    h = min(max((n + 1 / 3) * p + 1 / 3, 1.0), float(n))
    low = math.floor(h)
    if low >= n:
        return ordered[-1]
    return ordered[low - 1] + (h - low) * (ordered[low] - ordered[low - 1])


def peer_figures(values: Iterable[PeerValue], *, minimum: int = MINIMUM) -> PeerFigures:
    """Quartiles and median of the peers' values, as far as they may be shown.

    Nothing shows over fewer than ``minimum`` values. Figures are rounded to three
    significant figures, and a figure is withheld when it equals, so rounded, the value of a
    peer that did not agree to be named: with an odd number of peers that is always the
    case for the median, which is then the middle peer's own value.
    """
    given = list(values)
    if len(given) < minimum:
        return PeerFigures(None, None, None, None)
    ordered = sorted(float(v.value) for v in given)
    unnamed = {significant(float(v.value)) for v in given if not v.named}
    shown: dict[str, Decimal | None] = {}
    withheld = set()
    for name, p in (("lower_quartile", 0.25), ("median", 0.5), ("upper_quartile", 0.75)):
        figure = significant(quantile(ordered, p))
        if figure in unnamed:
            withheld.add(name)
            shown[name] = None
        else:
            shown[name] = figure
    return PeerFigures(len(given), withheld=frozenset(withheld), **shown)


def position(own: Decimal | None, figures: PeerFigures, *, higher_is_better: bool) -> str | None:
    """Where ``own`` stands against the figures that are shown, never against a withheld one.

    A code: "better", "same" or "worse" than the median; where the median is withheld,
    "best-quarter", "middle-half" or "weakest-quarter" against the quartiles (in the
    desired direction).
    """
    if own is None:
        return None
    sign = 1 if higher_is_better else -1
    if figures.median is not None:
        if own == figures.median:
            return "same"
        return "better" if sign * (own - figures.median) > 0 else "worse"
    low, high = figures.lower_quartile, figures.upper_quartile
    if low is None or high is None:
        return None
    best, worst = (high, low) if higher_is_better else (low, high)
    if sign * (own - best) > 0:
        return "best-quarter"
    if sign * (own - worst) < 0:
        return "weakest-quarter"
    return "middle-half"
