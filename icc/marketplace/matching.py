"""Which solutions answer a challenge, and why: pure Python, reasons as codes.

A solution matches a challenge when it does at least one of the technology functions
the challenge needs, or speaks one of its Smart Data Models. Its score adds, in this
order of weight: the share of needed functions it covers, the data models it shares,
its confirmed deployments in cities of a similar size (within a factor of three of the
challenging city's population) and in the same country, and its theme. Each part that
counts is a :class:`Reason` the page words in the reader's language.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

SIMILAR_SIZE = 3.0
LIMIT = 10


@dataclass(frozen=True)
class Reason:
    code: str
    params: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Need:
    functions: frozenset[str]
    data_models: frozenset[str]
    theme_id: int
    population: int | None
    country: str


@dataclass(frozen=True)
class Offer:
    solution_id: int
    functions: frozenset[str]
    data_models: frozenset[str]
    theme_ids: frozenset[int]
    # (population, country) of each city that confirmed a deployment
    deployments: Sequence[tuple[int | None, str]]


@dataclass(frozen=True)
class Match:
    solution_id: int
    score: float
    reasons: tuple[Reason, ...]


def _similar(population: int | None, other: int | None) -> bool:
    if not population or not other:
        return False
    return max(population, other) / min(population, other) <= SIMILAR_SIZE


def match(need: Need, offers: Iterable[Offer], *, limit: int = LIMIT) -> list[Match]:
    """The best ``limit`` offers for ``need``, best first (ties by solution id)."""
    found: list[Match] = []
    for offer in offers:
        functions = need.functions & offer.functions
        models = need.data_models & offer.data_models
        if not functions and not models:
            continue
        reasons: list[Reason] = []
        score = 0.0
        if functions:
            share = len(functions) / len(need.functions)
            score += 4 * share
            reasons.append(Reason("functions", {"functions": sorted(functions), "of": len(need.functions)}))
        if models:
            score += 2 * min(len(models), 3) / 3
            reasons.append(Reason("data-models", {"models": sorted(models)}))
        similar = sum(1 for population, _country in offer.deployments if _similar(need.population, population))
        if similar:
            score += min(similar, 5) * 0.4
            reasons.append(Reason("similar-cities", {"count": similar}))
        same_country = sum(1 for _population, country in offer.deployments if country == need.country)
        if same_country:
            score += min(same_country, 3) * 0.2
            reasons.append(Reason("same-country", {"count": same_country, "country": need.country}))
        if need.theme_id in offer.theme_ids:
            score += 0.5
            reasons.append(Reason("theme"))
        found.append(Match(offer.solution_id, round(score, 3), tuple(reasons)))
    found.sort(key=lambda m: (-m.score, m.solution_id))
    return found[:limit]
