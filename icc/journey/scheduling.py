"""Where each occurrence of an event type falls, as pure date arithmetic.

No Django here: the inputs and outputs are plain dataclasses, so the rules can be read
and tested on their own. The action that writes schedules to the database turns these
slots into events.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

ONE_DAY = dt.timedelta(days=1)
TUESDAY = 1


@dataclass(frozen=True)
class PhaseSpan:
    key: str
    starts_on: dt.date
    ends_on: dt.date

    @property
    def days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1


@dataclass(frozen=True)
class EventSpec:
    key: str
    recurrence: str  # "once", "count", "every" or "cycle"
    phases: tuple[str, ...]
    city_types: frozenset[str]
    position: str = "middle"
    count: int | None = None
    every_weeks: int | None = None
    variants: tuple[str, ...] = ()


@dataclass(frozen=True)
class Slot:
    event_key: str
    occurrence: int
    day: dt.date
    phase_key: str
    variant: str = ""


def concerns(spec: EventSpec, city_types: Iterable[str]) -> bool:
    return bool(spec.city_types & set(city_types))


def weekday_within(day: dt.date, span: PhaseSpan) -> dt.date:
    """Move a weekend day to the nearest working day that stays inside ``span``."""
    if day.weekday() < 5:
        return day
    forward = day + (7 - day.weekday()) * ONE_DAY
    if forward <= span.ends_on:
        return forward
    back = day - (day.weekday() - 4) * ONE_DAY
    return back if back >= span.starts_on else day


def _spans(spec: EventSpec, phases: dict[str, PhaseSpan]) -> list[PhaseSpan]:
    return sorted((phases[key] for key in spec.phases if key in phases), key=lambda s: s.starts_on)


def _merged_days(spans: Sequence[PhaseSpan]) -> list[tuple[dt.date, PhaseSpan]]:
    """Every day covered by the spans once, each with the span it belongs to."""
    days: dict[dt.date, PhaseSpan] = {}
    for span in spans:
        for offset in range(span.days):
            days.setdefault(span.starts_on + offset * ONE_DAY, span)
    return sorted(days.items())


def plan(spec: EventSpec, phases: dict[str, PhaseSpan], cycles: Sequence[PhaseSpan] = ()) -> list[Slot]:
    """The occurrences of one event type, given the dates of the programme's phases and
    implementation cycles."""
    spans = _spans(spec, phases)
    if not spans:
        return []
    if spec.recurrence == "cycle":
        slots = []
        for number, cycle in enumerate(cycles, start=1):
            span = next((s for s in spans if s.starts_on <= cycle.starts_on <= s.ends_on), None)
            if span is not None:
                day = weekday_within(cycle.starts_on + min(7, cycle.days - 1) * ONE_DAY, cycle)
                slots.append(Slot(spec.key, number, day, span.key, _variant(spec, number - 1)))
        return slots
    if spec.recurrence == "once":
        span = spans[0]
        offsets = {"start": min(7, span.days - 1), "end": max(0, span.days - 8)}
        day = span.starts_on + offsets.get(spec.position, span.days // 2) * ONE_DAY
        return [Slot(spec.key, 1, weekday_within(day, span), span.key, _variant(spec, 0))]
    days = _merged_days(spans)
    if spec.recurrence == "count":
        count = max(1, spec.count or 1)
        slots = []
        for index in range(count):
            day, span = days[min(len(days) - 1, int(len(days) * (index + 0.5) / count))]
            slots.append(Slot(spec.key, index + 1, weekday_within(day, span), span.key, _variant(spec, index)))
        return slots
    step = dt.timedelta(weeks=max(1, spec.every_weeks or 1))
    covered = dict(days)
    first = days[0][0] + ((TUESDAY - days[0][0].weekday()) % 7) * ONE_DAY
    slots, day, index = [], first, 0
    while day <= days[-1][0]:
        if day in covered:
            slots.append(Slot(spec.key, index + 1, day, covered[day].key, _variant(spec, index)))
            index += 1
        day += step
    return slots


def _variant(spec: EventSpec, index: int) -> str:
    return spec.variants[index % len(spec.variants)] if spec.variants else ""


def plan_all(
    specs: Iterable[EventSpec],
    phases: dict[str, PhaseSpan],
    city_types: Iterable[str],
    cycles: Sequence[PhaseSpan] = (),
) -> list[Slot]:
    """Every occurrence of the event types that concern a city of the given types."""
    types = set(city_types)
    return [slot for spec in specs if concerns(spec, types) for slot in plan(spec, phases, cycles)]
