"""The programme's KPI table: every visible city's KPI standing and its missing cycle updates."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.functional import Promise

from icc.cities.models import City
from icc.programmes.models import Cycle
from icc.roadmaps import kpis as kpi_figures
from icc.roadmaps import progress
from icc.roadmaps.models import KPI

# The KPI fields the standing is computed from; nothing else is read.
KPI_FIGURES = (
    "id",
    "city_id",
    "direction",
    "baseline_value",
    "baseline_date",
    "target_value",
    "target_date",
)


@dataclass(frozen=True)
class KPITable:
    statuses: Sequence[tuple[progress.Status, Promise]]
    rows: list[dict[str, Any]]
    totals: list[int]

    @property
    def missing(self) -> int:
        return sum(row["missing"] for row in self.rows)


def kpi_table(cities: QuerySet[City], due: Cycle | None, *, only_missing: bool = False) -> KPITable:
    """One row per city of ``cities`` (in their order): its KPIs, how many lack the update for
    ``due``, and how many stand at each status; with ``only_missing``, only the cities with a
    missing update. A fixed number of queries, however many cities and KPIs there are."""
    per_city: dict[int, dict[str, Any]] = {}
    for row in kpi_figures.rows(KPI.objects.filter(city__in=cities).only(*KPI_FIGURES), due):
        entry = per_city.setdefault(row["kpi"].city_id, {"total": 0, "missing": 0, "statuses": defaultdict(int)})
        entry["total"] += 1
        entry["missing"] += row["missing"]
        entry["statuses"][row["progress"].status] += 1
    statuses = list(kpi_figures.STATUS_LABELS.items())
    rows = []
    for city in cities.only("id", "name", "country"):
        entry = per_city.get(city.pk, {"total": 0, "missing": 0, "statuses": {}})
        if only_missing and not entry["missing"]:
            continue
        rows.append(
            {
                "city": city,
                "total": entry["total"],
                "missing": entry["missing"],
                "counts": [entry["statuses"].get(status, 0) for status, _label in statuses],
            }
        )
    totals = [sum(row["counts"][i] for row in rows) for i in range(len(statuses))]
    return KPITable(statuses=statuses, rows=rows, totals=totals)
