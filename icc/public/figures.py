"""The figures a city publishes: its published KPIs with their measurements and status.

Every public page, download and catalogue reads them from here, so that what one shows the
others show too, and nothing unpublished slips into any of them: only KPIs a published
publication names, and only the KPIs of that publication's own city. A fixed number of
queries, however many cities, KPIs and measurements there are.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F, Prefetch

from icc.assessments.models import Direction
from icc.programmes.models import Theme
from icc.public.models import Publication
from icc.public.words import STATUS_ORDER
from icc.roadmaps import progress
from icc.roadmaps.models import KPI, Measurement
from icc.roadmaps.progress import Status


@dataclass(frozen=True)
class Figure:
    """A published KPI: its city's publication, its values in date order and its status."""

    kpi: KPI
    publication: Publication
    measurements: list[Measurement]
    progress: progress.Progress

    @property
    def status(self) -> Status:
        return self.progress.status

    @property
    def latest(self) -> Measurement | None:
        """The latest value measured after the baseline, if any."""
        after = [m for m in self.measurements if m.date > self.kpi.baseline_date]
        return after[-1] if after else None

    @property
    def sdg_target(self) -> str:
        indicator = self.kpi.indicator
        return indicator.sdg_target if indicator is not None else ""

    @property
    def theme(self) -> Theme | None:
        """The theme of the KPI's library indicator, else the city's track."""
        if self.kpi.indicator is not None:
            return self.kpi.indicator.theme
        return self.publication.city.track


def published(publications: Iterable[Publication]) -> list[Publication]:
    return [p for p in publications if p.published]


def figures_of(publications: Sequence[Publication]) -> list[Figure]:
    """The figures the given publications name (published or not: the caller decides), by
    city name then KPI name."""
    by_pk = {p.pk: p for p in publications}
    if not by_pk:
        return []
    kpis = (
        KPI.objects.filter(publications__in=list(by_pk), publications__city_id=F("city_id"))
        .annotate(publication_pk=F("publications__pk"))
        .select_related("indicator", "indicator__theme")
        .prefetch_related(Prefetch("measurements", queryset=Measurement.objects.order_by("date")))
        .order_by("city__name", "name", "pk")
    )
    result = []
    for kpi in kpis:
        publication = by_pk[kpi.publication_pk]
        measurements = list(kpi.measurements.all())
        result.append(Figure(kpi, publication, measurements, assess(kpi, measurements)))
    return result


def assess(kpi: KPI, measurements: Sequence[Measurement]) -> progress.Progress:
    latest = measurements[-1] if measurements else None
    return progress.assess(
        baseline=kpi.baseline_value,
        baseline_date=kpi.baseline_date,
        target=kpi.target_value,
        target_date=kpi.target_date,
        increasing=kpi.direction == Direction.UP,
        latest=latest.value if latest else None,
        latest_date=latest.date if latest else None,
    )


def status_counts(figures: Iterable[Figure]) -> list[tuple[Status, int]]:
    """How many figures stand at each status, in the order the pages list them."""
    counts = dict.fromkeys(STATUS_ORDER, 0)
    for figure in figures:
        counts[figure.status] += 1
    return list(counts.items())


@dataclass
class ThemeRow:
    """How many published KPIs of one theme stand at each status, across every city."""

    theme: Theme | None
    counts: list[int] = field(default_factory=lambda: [0] * len(STATUS_ORDER))
    cities: set[int] = field(default_factory=set)

    @property
    def total(self) -> int:
        return sum(self.counts)


def by_theme(figures: Iterable[Figure]) -> list[ThemeRow]:
    """Status counts per theme, in the programme's order of themes; never per city."""
    rows: dict[int | None, ThemeRow] = {}
    for figure in figures:
        theme = figure.theme
        row = rows.setdefault(theme.pk if theme else None, ThemeRow(theme))
        row.counts[STATUS_ORDER.index(figure.status)] += 1
        row.cities.add(figure.publication.city_id)
    return sorted(rows.values(), key=lambda r: (r.theme is None, r.theme.order if r.theme else 0, str(r.theme)))


def last_change(publications: Iterable[Publication], figures: Iterable[Figure]) -> dt.datetime | None:
    """When the published figures last changed: a publication saved, a KPI edited or a value entered."""
    moments = [p.updated_at for p in publications if p.updated_at]
    for figure in figures:
        moments.append(figure.kpi.updated_at)
        moments.extend(m.entered_at for m in figure.measurements if m.entered_at)
    return max(moments, default=None)


def plain_number(value: Decimal) -> int | float:
    """A stored value as JSON writes a number: 12, not 12.0000."""
    return int(value) if value == value.to_integral_value() else float(value)
