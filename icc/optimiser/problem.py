"""The optimiser's inputs and outputs: plain, frozen data, no behaviour beyond lookups.

Everything the optimiser says about a result (why a city is in its TAG, why input is
infeasible, what was ignored) is a :class:`Reason`: a code and its parameters, never a
sentence. The interface words reasons in the reader's language where it shows them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal, TypeAlias

Status = Literal["optimal", "feasible", "infeasible"]

ParamValue: TypeAlias = str | int | float | bool | tuple[str, ...] | tuple[int, ...]


@dataclass(frozen=True)
class Reason:
    """A fact for the interface to put in words: a code and its parameters, ordered by name.

    Parameters are hashable (tuples, not lists), so reasons can be compared, counted and
    kept in sets. Build one with ``Reason.of("code", name=value, ...)``.
    """

    code: str
    params: tuple[tuple[str, ParamValue], ...] = ()

    @classmethod
    def of(cls, code: str, /, **params: ParamValue) -> Reason:
        return cls(code, tuple(sorted(params.items())))

    def __getitem__(self, name: str) -> ParamValue:
        for key, value in self.params:
            if key == name:
                return value
        raise KeyError(name)

    def get(self, name: str, default: ParamValue | None = None) -> ParamValue | None:
        try:
            return self[name]
        except KeyError:
            return default

    def as_dict(self) -> dict[str, ParamValue]:
        return dict(self.params)

    def to_json(self) -> dict[str, object]:
        """A JSON-ready form: ``{"code": ..., "params": {...}}`` with tuples as lists."""
        return {
            "code": self.code,
            "params": {key: list(value) if isinstance(value, tuple) else value for key, value in self.params},
        }

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> Reason:
        """The reason that :meth:`to_json` gave ``data`` for."""
        raw = data.get("params") or {}
        if not isinstance(raw, Mapping):
            raise ValueError("reason parameters must be a mapping")
        params: dict[str, ParamValue] = {}
        for key, value in raw.items():
            params[str(key)] = tuple(value) if isinstance(value, list) else value
        return cls.of(str(data["code"]), **params)


# --------------------------------------------------------------------------------------
# TAG formation
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CoreCity:
    """A core city to be placed in a TAG."""

    id: str
    name: str
    theme: str
    preferences: tuple[str, ...] = ()
    population: int = 0
    country: str = ""
    eu: bool = True
    area_km2: float | None = None
    gdp_per_head: float | None = None
    networks: frozenset[str] = frozenset()
    borders: frozenset[str] = frozenset()


@dataclass(frozen=True)
class MentorCity:
    """A mentor city that can lead up to ``capacity`` TAGs on the themes it mentors."""

    id: str
    name: str
    primary_themes: frozenset[str]
    secondary_themes: frozenset[str] = frozenset()
    eu: bool = True
    capacity: int = 1
    population: int = 0
    country: str = ""
    area_km2: float | None = None
    gdp_per_head: float | None = None
    networks: frozenset[str] = frozenset()
    borders: frozenset[str] = frozenset()

    @property
    def themes(self) -> frozenset[str]:
        return self.primary_themes | self.secondary_themes


@dataclass(frozen=True)
class FormationSettings:
    """Group sizes and solver limits for TAG formation.

    ``time_limit`` is in seconds for the whole run (all tiers); ``relative_gap`` is the
    gap at which the last tier may stop (0 asks for proven optimality); ``workers`` is
    the number of CP-SAT search workers (0 picks a number from the CPU count);
    ``candidates`` is how many of its most relatable mentors each city keeps in the
    smaller model that warm-starts a large instance.
    """

    min_size: int = 5
    max_size: int = 7
    time_limit: float = 60.0
    relative_gap: float = 0.0
    allow_theme_mismatch: bool = True
    both_mentor_kinds: bool = True
    workers: int = 0
    seed: int = 0
    candidates: int = 8


@dataclass(frozen=True)
class TagProblem:
    """Everything TAG formation needs: cities, mentors, pinned and forbidden (city id, mentor id) pairs."""

    cities: tuple[CoreCity, ...]
    mentors: tuple[MentorCity, ...]
    pins: frozenset[tuple[str, str]] = frozenset()
    forbids: frozenset[tuple[str, str]] = frozenset()
    settings: FormationSettings = field(default_factory=FormationSettings)


@dataclass(frozen=True)
class TagGroup:
    """One TAG: its mentor, the mentor's slot number (0, 1, …), its theme and its cities."""

    mentor_id: str
    slot: int
    theme: str
    city_ids: tuple[str, ...]


@dataclass(frozen=True)
class Placement:
    """Why a city is in its TAG: the score of each tier and the reasons behind them."""

    city_id: str
    mentor_id: str
    slot: int
    theme_penalty: int
    preference_rank: int | None
    relatability: int
    explanation: tuple[Reason, ...]


@dataclass(frozen=True)
class Tier:
    """The value reached in one objective tier and the best bound known for it."""

    name: str
    sense: Literal["min", "max"]
    value: int
    bound: int | None
    optimal: bool


@dataclass(frozen=True)
class TagScore:
    """Tier values of a set of TAGs, with an explained placement per city."""

    theme_penalty: int
    preferences: int
    relatability: int
    placements: tuple[Placement, ...]


@dataclass(frozen=True)
class TagResult:
    """The outcome of a TAG formation run.

    ``tiers`` holds theme (min), preferences (max) and relatability (max) in that order;
    ``bound`` and ``gap`` are those of the last tier (``None`` for the greedy baseline).
    ``reasons`` explains an infeasible run; ``notes`` carries warnings of a feasible one.
    """

    status: Status
    groups: tuple[TagGroup, ...]
    placements: tuple[Placement, ...]
    tiers: tuple[Tier, ...]
    bound: float | None
    gap: float | None
    seconds: float
    method: str
    reasons: tuple[Reason, ...] = ()
    notes: tuple[Reason, ...] = ()

    @property
    def objective(self) -> tuple[int, int, int]:
        """(theme penalty, preference points, relatability points), or (0, 0, 0) when infeasible."""
        if not self.tiers:
            return (0, 0, 0)
        return (self.tiers[0].value, self.tiers[1].value, self.tiers[2].value)

    @property
    def rank_key(self) -> tuple[int, int, int]:
        """A key that sorts better solutions higher (theme penalty negated)."""
        penalty, preferences, relatability = self.objective
        return (-penalty, preferences, relatability)

    def placement(self, city_id: str) -> Placement:
        for placement in self.placements:
            if placement.city_id == city_id:
                return placement
        raise KeyError(city_id)


# --------------------------------------------------------------------------------------
# Brain dates
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LabCity:
    """A city at a cross-city lab and the cities whose projects it picked, best first."""

    id: str
    name: str
    picks: tuple[str, ...] = ()


@dataclass(frozen=True)
class BrainDateSettings:
    """Group sizes, scoring and solver limits for brain dates.

    ``time_limit`` is in seconds for the whole run; ``relative_gap`` lets the integer
    solve stop early at that gap (0 asks for proven optimality).
    """

    min_size: int = 2
    max_size: int = 5
    picks: int = 5
    mutual_bonus: int = 3
    time_limit: float = 20.0
    relative_gap: float = 0.0
    workers: int = 0
    seed: int = 0


@dataclass(frozen=True)
class BrainDateProblem:
    cities: tuple[LabCity, ...]
    settings: BrainDateSettings = field(default_factory=BrainDateSettings)


@dataclass(frozen=True)
class BrainDateGroup:
    city_ids: tuple[str, ...]
    score: int
    explanation: tuple[Reason, ...]


@dataclass(frozen=True)
class BrainDateResult:
    """The outcome of brain-date matching; ``bound`` and ``gap`` are ``None`` for the greedy baseline."""

    status: Status
    groups: tuple[BrainDateGroup, ...]
    objective: int
    bound: float | None
    gap: float | None
    seconds: float
    method: str
    reasons: tuple[Reason, ...] = ()
    notes: tuple[Reason, ...] = ()
