"""The "biggest overall progress" award, computed rather than voted.

Two measures count, each where the city has it: how much its thematic scan improved from
baseline to re-run (the mean 1–5 answer, as a share of the scale), and how its KPIs stand
(each KPI's change achieved against the change needed, capped at ±1, an achieved target
counting 1). The score is the mean of the measures the city has; cities with neither are
left out.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from statistics import fmean

from icc.assessments.models import Answer, InstrumentKind, QuestionType, ResponseStatus, Round
from icc.cities.models import CORE_TYPES, City
from icc.programmes.models import Programme
from icc.roadmaps import kpis as kpi_figures
from icc.roadmaps.models import KPI
from icc.roadmaps.progress import Status


@dataclass(frozen=True)
class CityProgress:
    city: City
    score: float
    scan_gain: float | None
    kpi_score: float | None
    kpi_count: int


def biggest_progress(programme: Programme) -> list[CityProgress]:
    scale: dict[tuple[int, str], list[float]] = defaultdict(list)
    answers = Answer.objects.filter(
        response__city__programme=programme,
        response__status=ResponseStatus.SUBMITTED,
        response__instrument__kind=InstrumentKind.SCAN,
        question__type=QuestionType.SCALE,
        unknown=False,
    ).values_list("response__city_id", "response__round", "value")
    for city_id, round_, value in answers:
        if isinstance(value, (int, float)) or (isinstance(value, str) and value.isdigit()):
            scale[(city_id, round_)].append(float(value))
    kpi_scores: dict[int, list[float]] = defaultdict(list)
    for kpi in kpi_figures.with_latest(KPI.objects.filter(city__programme=programme)):
        result = kpi_figures.assess(kpi)
        if result.status == Status.ACHIEVED:
            kpi_scores[kpi.city_id].append(1.0)
        elif result.ratio is not None:
            kpi_scores[kpi.city_id].append(max(-1.0, min(1.0, result.ratio)))
    ranking = []
    cities = City.objects.filter(programme=programme, type__in=CORE_TYPES)
    for city in cities:
        before, after = scale.get((city.pk, Round.BASELINE)), scale.get((city.pk, Round.RERUN))
        gain = (fmean(after) - fmean(before)) / 4 if before and after else None
        standing = fmean(kpi_scores[city.pk]) if kpi_scores.get(city.pk) else None
        parts = [p for p in (gain, standing) if p is not None]
        if parts:
            ranking.append(CityProgress(city, fmean(parts), gain, standing, len(kpi_scores.get(city.pk, []))))
    ranking.sort(key=lambda row: (-row.score, row.city.name))
    return ranking
