"""The roadmap and KPIs as CSV and Excel downloads."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.http import HttpResponse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook

from icc.cities.models import City
from icc.core.exports import add_sheet, csv_response, xlsx_response
from icc.roadmaps import kpis as kpi_figures
from icc.roadmaps.models import KPI, Action, Measurement


def slug(city: City) -> str:
    return slugify(city.name) or f"city-{city.pk}"


def _roadmap_rows(actions: Iterable[Action]) -> tuple[list[str], list[list[Any]]]:
    header = [
        _("Opportunity"),
        _("Need"),
        _("Action"),
        _("Kind"),
        _("Level of detail"),
        _("Owner"),
        _("Start"),
        _("End"),
        _("Cycle"),
        _("Budget (€)"),
        _("Spent (€)"),
        _("Funding source"),
        _("Funding status"),
        _("Status"),
        _("Depends on"),
        _("KPIs"),
    ]
    rows = [
        [
            a.opportunity.title,
            a.opportunity.need,
            a.title,
            a.get_kind_display(),
            a.get_detail_display(),
            str(a.owner or ""),
            a.starts_on,
            a.ends_on,
            a.cycle.number if a.cycle else "",
            a.budget if a.budget is not None else "",
            a.spent if a.spent is not None else "",
            a.get_funding_source_display(),
            a.get_funding_status_display(),
            a.get_status_display(),
            "; ".join(d.title for d in a.depends_on.all()),
            "; ".join(k.name for k in a.kpis.all()),
        ]
        for a in actions
    ]
    return header, rows


def _kpi_rows(kpis: Iterable[KPI]) -> tuple[list[str], list[list[Any]]]:
    header = [
        _("KPI"),
        _("Unit"),
        _("Desired direction"),
        _("From the library"),
        _("Baseline"),
        _("Baseline date"),
        _("Baseline source"),
        _("Target"),
        _("Target date"),
        _("Reporting frequency"),
        _("Latest value"),
        _("Latest date"),
        _("Progress"),
    ]
    rows = []
    for kpi in kpis:
        status = kpi_figures.assess(kpi).status
        rows.append(
            [
                kpi.name,
                kpi.unit,
                kpi.get_direction_display(),
                kpi.indicator.key if kpi.indicator_id and kpi.indicator else "",
                kpi.baseline_value,
                kpi.baseline_date,
                kpi.baseline_source,
                kpi.target_value,
                kpi.target_date,
                kpi.get_frequency_display(),
                getattr(kpi, "latest_value", None) if getattr(kpi, "latest_value", None) is not None else "",
                getattr(kpi, "latest_date", None) or "",
                str(kpi_figures.STATUS_LABELS[status]),
            ]
        )
    return header, rows


def roadmap_csv(city: City, actions: Iterable[Action]) -> HttpResponse:
    header, rows = _roadmap_rows(actions)
    return csv_response(f"{slug(city)}-roadmap.csv", header, rows)


def roadmap_xlsx(city: City, actions: Iterable[Action]) -> HttpResponse:
    workbook = Workbook()
    header, rows = _roadmap_rows(actions)
    add_sheet(workbook, _("Roadmap"), header, rows, first=True)
    return xlsx_response(f"{slug(city)}-roadmap.xlsx", workbook)


def kpis_csv(city: City, kpis: Iterable[KPI]) -> HttpResponse:
    header, rows = _kpi_rows(kpis)
    return csv_response(f"{slug(city)}-kpis.csv", header, rows)


def kpis_xlsx(city: City, kpis: Iterable[KPI]) -> HttpResponse:
    workbook = Workbook()
    kpi_list = list(kpis)
    header, rows = _kpi_rows(kpi_list)
    add_sheet(workbook, _("KPIs"), header, rows, first=True)
    measurements = Measurement.objects.filter(kpi__in=[k.pk for k in kpi_list]).select_related("kpi", "entered_by")
    add_sheet(
        workbook,
        _("Measurements"),
        [_("KPI"), _("Date"), _("Value"), _("Source"), _("Entered by")],
        [
            [m.kpi.name, m.date, m.value, m.source, m.entered_by.full_name if m.entered_by else ""]
            for m in measurements.order_by("kpi__name", "date")
        ],
    )
    return xlsx_response(f"{slug(city)}-kpis.xlsx", workbook)


def json_download(payload: Any, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(json.dumps(payload, indent=2, ensure_ascii=False), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
