"""Scoring the thematic scan: pure functions over plain data, no Django.

The scan is qualitative. For each theme it averages the 1–5 answers on city
performance and on technology maturity, then ranks the themes by how much a city
stands to gain (weak performance) and how much it has to build on (maturity), and
says why in words. "Don't know" answers count as unanswered.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from statistics import fmean, median, pstdev, quantiles

PERFORMANCE = "performance"
MATURITY = "maturity"
SCALE_MAX = 5
MIDDLE = 3.0
# Below this share of answered questions a theme is not ranked with the others.
MIN_ANSWERED_SHARE = 0.5
NEED_WEIGHT = 0.6
READINESS_WEIGHT = 0.4


@dataclass(frozen=True)
class ScanAnswer:
    theme: str
    dimension: str
    value: int | None  # None: not answered or "don't know"


@dataclass(frozen=True)
class ThemeProfile:
    theme: str
    performance: float | None
    maturity: float | None
    answered: int
    total: int
    unknown: int = 0

    @property
    def answered_share(self) -> float:
        return self.answered / self.total if self.total else 0.0


@dataclass(frozen=True)
class Reason:
    """Why a theme ranks where it does: a code the interface words, and its figures."""

    code: str  # weak-performance, strong-performance, middling-performance, mature, immature, unknowns, too-few
    value: float
    total: int = 0


@dataclass(frozen=True)
class RankedTheme:
    theme: str
    rank: int
    score: float | None
    reasons: list[Reason] = field(default_factory=list)


def profile(answers: Iterable[ScanAnswer], themes: Iterable[str]) -> list[ThemeProfile]:
    """Average performance and maturity per theme, in the order ``themes`` gives."""
    values: dict[tuple[str, str], list[int]] = defaultdict(list)
    totals: dict[str, int] = defaultdict(int)
    unknown: dict[str, int] = defaultdict(int)
    for answer in answers:
        totals[answer.theme] += 1
        if answer.value is None:
            unknown[answer.theme] += 1
        elif 1 <= answer.value <= SCALE_MAX:
            values[(answer.theme, answer.dimension)].append(answer.value)
        else:
            raise ValueError(f"{answer.value} is outside the 1–{SCALE_MAX} scale")
    result = []
    for theme in themes:
        performance = values.get((theme, PERFORMANCE))
        maturity = values.get((theme, MATURITY))
        result.append(
            ThemeProfile(
                theme=theme,
                performance=round(fmean(performance), 2) if performance else None,
                maturity=round(fmean(maturity), 2) if maturity else None,
                answered=len(performance or []) + len(maturity or []),
                total=totals[theme],
                unknown=unknown[theme],
            )
        )
    return result


def _score(p: ThemeProfile) -> float:
    need = (SCALE_MAX - (p.performance if p.performance is not None else MIDDLE)) / (SCALE_MAX - 1)
    readiness = ((p.maturity if p.maturity is not None else 1.0) - 1) / (SCALE_MAX - 1)
    return round(NEED_WEIGHT * need + READINESS_WEIGHT * readiness, 3)


def _reasons(p: ThemeProfile) -> list[Reason]:
    reasons = []
    if p.performance is not None:
        if p.performance < MIDDLE:
            reasons.append(Reason("weak-performance", p.performance))
        elif p.performance >= 4:
            reasons.append(Reason("strong-performance", p.performance))
        else:
            reasons.append(Reason("middling-performance", p.performance))
    if p.maturity is not None:
        reasons.append(Reason("mature" if p.maturity >= MIDDLE else "immature", p.maturity))
    if p.unknown:
        reasons.append(Reason("unknowns", p.unknown))
    return reasons


def rank(profiles: Iterable[ThemeProfile]) -> list[RankedTheme]:
    """Themes in the order the scan suggests discussing them, each with its reasons.

    Themes with too few answers come last, unscored, with that reason.
    """
    scored = []
    unscored = []
    for p in profiles:
        if p.total == 0 or p.answered_share < MIN_ANSWERED_SHARE:
            unscored.append(p)
        else:
            scored.append((p, _score(p)))
    scored.sort(key=lambda item: (-item[1], item[0].theme))
    ranked = [RankedTheme(p.theme, index, score, _reasons(p)) for index, (p, score) in enumerate(scored, start=1)]
    for offset, p in enumerate(unscored, start=len(ranked) + 1):
        ranked.append(RankedTheme(p.theme, offset, None, [Reason("too-few", p.answered, p.total)]))
    return ranked


# The local-enablers survey ---------------------------------------------------------


@dataclass(frozen=True)
class DimensionResult:
    dimension: str
    answers: int
    unknown: int
    mean: float | None
    minimum: int | None
    maximum: int | None
    spread: float | None  # standard deviation of the answers
    distribution: tuple[int, ...]  # how many answered 1, 2, 3, 4, 5


def enabler_results(answers: Iterable[tuple[str, int | None]], dimensions: Iterable[str]) -> list[DimensionResult]:
    """Per enabler dimension: mean, range, spread and distribution of the 1–5 answers."""
    values: dict[str, list[int]] = defaultdict(list)
    unknown: dict[str, int] = defaultdict(int)
    for dimension, value in answers:
        if value is None:
            unknown[dimension] += 1
        elif 1 <= value <= SCALE_MAX:
            values[dimension].append(value)
        else:
            raise ValueError(f"{value} is outside the 1–{SCALE_MAX} scale")
    results = []
    for dimension in dimensions:
        given = values.get(dimension, [])
        results.append(
            DimensionResult(
                dimension=dimension,
                answers=len(given),
                unknown=unknown[dimension],
                mean=round(fmean(given), 2) if given else None,
                minimum=min(given) if given else None,
                maximum=max(given) if given else None,
                spread=round(pstdev(given), 2) if len(given) > 1 else None,
                distribution=tuple(given.count(level) for level in range(1, SCALE_MAX + 1)),
            )
        )
    return results


STOPWORDS = frozenset(
    [
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "also",
        "and",
        "any",
        "are",
        "because",
        "been",
        "before",
        "being",
        "between",
        "both",
        "but",
        "can",
        "city",
        "could",
        "did",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "her",
        "here",
        "hers",
        "him",
        "his",
        "how",
        "into",
        "its",
        "itself",
        "just",
        "more",
        "most",
        "much",
        "must",
        "not",
        "now",
        "off",
        "once",
        "only",
        "other",
        "our",
        "ours",
        "out",
        "over",
        "own",
        "same",
        "should",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "too",
        "under",
        "until",
        "very",
        "was",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "more",
        "less",
        "lack",
        "need",
        "needs",
        "people",
    ]
)


def text_themes(texts: Iterable[str], *, min_mentions: int = 2, top: int = 12) -> list[tuple[str, int]]:
    """The words free-text answers share: how many answers use each, most used first.

    A word used by a single answer is left out, so that no one's own phrasing shows.
    """
    counts: dict[str, int] = defaultdict(int)
    for text in texts:
        for word in {w for w in re.findall(r"[^\W\d_]{4,}", text.lower()) if w not in STOPWORDS}:
            counts[word] += 1
    shared = [(word, n) for word, n in counts.items() if n >= min_mentions]
    return sorted(shared, key=lambda item: (-item[1], item[0]))[:top]


# Peer comparison -----------------------------------------------------------------------


@dataclass(frozen=True)
class PeerStatistics:
    peers: int
    lower_quartile: float | None
    median: float | None
    upper_quartile: float | None


def peer_statistics(values: Iterable[float]) -> PeerStatistics:
    """Median and quartiles of the peers' values (quartiles need at least two values)."""
    given = sorted(values)
    if not given:
        return PeerStatistics(0, None, None, None)
    if len(given) == 1:
        return PeerStatistics(1, None, given[0], None)
    q1, _q2, q3 = quantiles(given, n=4, method="inclusive")
    return PeerStatistics(len(given), round(q1, 4), round(median(given), 4), round(q3, 4))


def population_band(population: int | None) -> tuple[int, int] | None:
    """Cities count as a similar size between half and twice the population."""
    if not population:
        return None
    return population // 2, population * 2
