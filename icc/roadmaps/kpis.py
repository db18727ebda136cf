"""KPI figures read from the database in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _

from icc.assessments.models import Direction
from icc.cities.models import City
from icc.core.formatting import format_number
from icc.programmes.models import Cycle, Programme
from icc.roadmaps import progress
from icc.roadmaps.models import KPI, Measurement

STATUS_LABELS = {
    progress.Status.ACHIEVED: _("Achieved"),
    progress.Status.ON_TRACK: _("On track"),
    progress.Status.MODERATE: _("Moderate progress"),
    progress.Status.INSUFFICIENT: _("Insufficient progress"),
    progress.Status.DETERIORATION: _("Deterioration"),
    progress.Status.NO_DATA: _("No data yet"),
}

# From the FIWARE KeyPerformanceIndicator model's ``currentStanding``.
STANDING = {
    progress.Status.ACHIEVED: "veryGood",
    progress.Status.ON_TRACK: "good",
    progress.Status.MODERATE: "fair",
    progress.Status.INSUFFICIENT: "bad",
    progress.Status.DETERIORATION: "veryBad",
}


def with_latest(kpis: QuerySet[KPI]) -> QuerySet[KPI]:
    """Annotate each KPI with its latest measured value and date, in the same query."""
    latest = Measurement.objects.filter(kpi=OuterRef("pk")).order_by("-date")
    return kpis.annotate(
        latest_value=Subquery(latest.values("value")[:1]),
        latest_date=Subquery(latest.values("date")[:1]),
    )


def with_update_for(kpis: QuerySet[KPI], cycle: Cycle | None) -> QuerySet[KPI]:
    """Annotate ``updated`` (a value measured within ``cycle``) for each KPI."""
    if cycle is None:
        return kpis
    return kpis.annotate(updated=_measured_in(cycle))


def _measured_in(cycle: Cycle) -> Exists:
    return Exists(Measurement.objects.filter(kpi=OuterRef("pk"), date__gte=cycle.starts_on, date__lte=cycle.ends_on))


def assess(kpi: KPI) -> progress.Progress:
    """The progress of a KPI annotated by :func:`with_latest`."""
    return progress.assess(
        baseline=kpi.baseline_value,
        baseline_date=kpi.baseline_date,
        target=kpi.target_value,
        target_date=kpi.target_date,
        increasing=kpi.direction == Direction.UP,
        latest=getattr(kpi, "latest_value", None),
        latest_date=getattr(kpi, "latest_date", None),
    )


def due_cycle(programme: Programme, today: dt.date) -> Cycle | None:
    """The last cycle that has ended: every KPI should have a value measured within it."""
    return Cycle.objects.filter(programme=programme, ends_on__lt=today).order_by("-number").first()


def progress_in_words(assessment: progress.Progress) -> str:
    """The progress as a city reads it: the share of the change needed by now that was made."""
    if assessment.status == progress.Status.ACHIEVED:
        return str(_("The target is met."))
    if assessment.ratio is None:
        return ""
    percent = format_number(round(abs(assessment.ratio) * 100), 0)
    if assessment.ratio < 0:
        return str(
            _("%(status)s: it moved away from the target, by %(percent)s %% of the change needed by now.")
            % {"status": STATUS_LABELS[assessment.status], "percent": percent}
        )
    return str(
        _("%(status)s: %(percent)s %% of the change needed by now has been made.")
        % {"status": STATUS_LABELS[assessment.status], "percent": percent}
    )


def counting_cycles(programme: Programme, today: dt.date) -> list[tuple[Cycle, bool]]:
    """The cycles whose KPI update a value can count for now, each with whether its update is due.

    Only values measured between a cycle's first and last day count for it: the last cycle
    that has ended (its update is due) and the cycle under way (due once it ends).
    """
    due = due_cycle(programme, today)
    current = Cycle.objects.filter(programme=programme, starts_on__lte=today, ends_on__gte=today).first()
    return [(cycle, cycle == due) for cycle in (due, current) if cycle is not None]


def is_missing(kpi: KPI, cycle: Cycle | None) -> bool:
    """Whether ``kpi`` (annotated by :func:`with_update_for`) lacks its update for ``cycle``."""
    if cycle is None or kpi.baseline_date >= cycle.ends_on:
        return False
    return not getattr(kpi, "updated", True)


def rows(kpis: QuerySet[KPI], cycle: Cycle | None) -> list[dict[str, Any]]:
    """Each KPI with its progress and whether its cycle update is missing."""
    result = []
    for kpi in with_update_for(with_latest(kpis), cycle):
        assessment = assess(kpi)
        result.append(
            {
                "kpi": kpi,
                "progress": assessment,
                "status_label": STATUS_LABELS[assessment.status],
                "missing": is_missing(kpi, cycle),
            }
        )
    return result


def value_on(kpi: KPI, measurements: list[Measurement], day: dt.date) -> Any:
    """The latest value known on ``day`` (the baseline before any measurement)."""
    value = kpi.baseline_value if kpi.baseline_date <= day else None
    for measurement in measurements:
        if measurement.date <= day:
            value = measurement.value
    return value


def missing_updates(cities: list[City], today: dt.date, *, limit: int = 20) -> list[dict[str, Any]]:
    """The KPIs of ``cities`` without a value measured during the last cycle that ended."""
    result: list[dict[str, Any]] = []
    by_programme: dict[int, list[City]] = {}
    for city in cities:
        by_programme.setdefault(city.programme_id, []).append(city)
    for programme_id, members in by_programme.items():
        cycle = Cycle.objects.filter(programme_id=programme_id, ends_on__lt=today).order_by("-number").first()
        if cycle is None:
            continue
        kpis = KPI.objects.filter(city__in=members, baseline_date__lt=cycle.ends_on).filter(~_measured_in(cycle))
        for kpi in kpis.select_related("city").order_by("city__name", "name")[:limit]:
            result.append({"kpi": kpi, "cycle": cycle})
    return result[:limit]
