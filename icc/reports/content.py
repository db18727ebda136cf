"""What each report shows, read from the platform's data into a snapshot: plain JSON of
words, numbers and the charts' SVG, in the report's language, so that the files are made
from the snapshot alone and the report can be made again, unchanged, from what was kept.

Every figure comes from the same functions as the pages: the thematic scan's result, the
local-enablers survey's released results only (never a fresh count), the roadmap's
charts and the KPIs' progress.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from icc.assessments import survey
from icc.assessments.models import IndicatorValue, InstrumentKind, MaturityRating, Response, ResponseStatus, Round
from icc.assessments.results import scan_result, score_text
from icc.cities.models import City
from icc.core.formatting import format_money, format_number
from icc.reports.models import ReportKind
from icc.roadmaps import charts, kpis
from icc.roadmaps.models import KPI, Action, ActionStatus, Opportunity, Solution, Strategy


def _day(value: dt.date | None) -> str:
    return date_format(value, "DATE_FORMAT") if value else ""


def _money(value: Any) -> str:
    return format_money(value) if value is not None else ""


def _city(city: City) -> dict[str, Any]:
    return {
        "name": city.name,
        "country": city.country_name,
        "type": str(city.get_type_display()),
        "population": format_number(city.population, 0) if city.population else "",
        "programme": city.programme.name,
    }


def assessment_strategy(city: City) -> dict[str, Any]:
    """The thematic scan with its radar, the survey's released results, indicators and
    maturity, the vision and strategy, and the priority solutions."""
    scan = (
        Response.objects.filter(
            city=city, instrument__kind=InstrumentKind.SCAN, status=ResponseStatus.SUBMITTED, round=Round.BASELINE
        )
        .select_related("instrument")
        .order_by("-pk")
        .first()
    )
    scanned: dict[str, Any] | None = None
    if scan is not None:
        result = scan_result(scan)
        scanned = {
            "chart": str(result["chart"]),
            "profiles": [
                {
                    "theme": theme,
                    "performance": score_text(profile.performance),
                    "maturity": score_text(profile.maturity),
                }
                for theme, profile in result["profiles"]
            ],
            "ranking": result["ranking"],
        }
    enablers: dict[str, Any] | None = None
    instrument = survey.enablers_instrument(city)
    if instrument is not None:
        campaign = instrument.campaigns.filter(city=city, round=Round.BASELINE).first()
        if campaign is not None and survey.is_closed(campaign):
            released = survey.released_results(campaign) or {}
            enablers = {
                "too_few": bool(released.get("too_few")),
                "responses": format_number(released.get("responses"), 0) if released.get("responses") else "",
                "rows": [
                    {
                        "title": row["title"],
                        "mean": score_text(row["figures"]["mean"]) if row.get("figures") else "",
                        "answers": format_number(row["figures"]["answers"], 0) if row.get("figures") else "",
                    }
                    for row in released.get("rows", [])
                ],
            }
    indicators = [
        {
            "name": value.indicator.name,
            "theme": value.indicator.theme.name,
            "value": format_number(value.value, 4),
            "unit": value.indicator.unit,
            "year": str(value.year),
            "source": value.source,
        }
        for value in IndicatorValue.objects.filter(city=city, round=Round.BASELINE, submitted=True)
        .select_related("indicator__theme")
        .order_by("indicator__theme__order", "indicator__order", "pk")
    ]
    maturity = [
        {
            "solution": rating.solution,
            "level": str(rating.get_level_display()),
            "target": str(rating.get_target_display()),
        }
        for rating in MaturityRating.objects.filter(city=city, round=Round.BASELINE).order_by("solution")
    ]
    strategy = Strategy.objects.filter(city=city).first()
    return {
        "city": _city(city),
        "scan": scanned,
        "enablers": enablers,
        "indicators": indicators,
        "maturity": maturity,
        "strategy": {
            "vision": strategy.vision if strategy else "",
            "short_term_goals": strategy.short_term_goals if strategy else "",
            "long_term_goals": strategy.long_term_goals if strategy else "",
            "ecosystem_role": strategy.ecosystem_role if strategy else "",
        },
        "solutions": [
            {"name": solution.name, "description": solution.description}
            for solution in Solution.objects.filter(city=city, priority=True).order_by("name")
        ],
    }


def roadmap_kpis(city: City) -> dict[str, Any]:
    """The opportunities, the actions with owners and budgets, the timeline, and the KPI
    targets with their baseline and path."""
    today = timezone.localdate()
    opportunities = list(Opportunity.objects.filter(city=city).order_by("rank", "pk"))
    actions = list(
        Action.objects.filter(city=city)
        .select_related("opportunity", "owner_person", "owner_organisation")
        .order_by("starts_on", "pk")
    )
    bars = [
        charts.Bar(a.title, a.starts_on, a.ends_on, css=f"status-{a.status} kind-{a.kind}", group=a.opportunity.title)
        for a in actions
    ]
    cycles = [charts.Band(str(c), c.starts_on, c.ends_on) for c in city.programme.cycles.all()]
    timeline = charts.gantt(title=_("Timeline of the actions"), bars=bars, bands=cycles, today=today)
    labels = {
        "target": _("Target"),
        "baseline": _("Baseline"),
        "path": _("Path to the target"),
        "measured": _("values"),
    }
    kpi_rows = []
    for kpi in kpis.with_latest(KPI.objects.filter(city=city)).prefetch_related("measurements").order_by("name"):
        assessment = kpis.assess(kpi)
        kpi_rows.append(
            {
                "name": kpi.name,
                "unit": kpi.unit,
                "baseline": format_number(kpi.baseline_value, 4),
                "baseline_date": _day(kpi.baseline_date),
                "target": format_number(kpi.target_value, 4),
                "target_date": _day(kpi.target_date),
                "latest": format_number(kpi.latest_value, 4) if kpi.latest_value is not None else "",  # type: ignore[attr-defined]
                "latest_date": _day(kpi.latest_date),  # type: ignore[attr-defined]
                "status": str(kpis.STATUS_LABELS[assessment.status]),
                "progress": kpis.progress_in_words(assessment),
                "chart": charts.kpi_chart(
                    title=_("%(kpi)s over time") % {"kpi": kpi.name},
                    points=[(m.date, float(m.value)) for m in kpi.measurements.all()],
                    baseline=(kpi.baseline_date, float(kpi.baseline_value)),
                    target=(kpi.target_date, float(kpi.target_value)),
                    labels=labels,
                ),
            }
        )
    budget = sum((a.budget or 0) for a in actions if a.status != ActionStatus.DROPPED)
    return {
        "city": _city(city),
        "opportunities": [{"title": o.title, "need": o.need} for o in opportunities],
        "actions": [
            {
                "title": a.title,
                "opportunity": a.opportunity.title,
                "owner": a.owner_person.full_name
                if a.owner_person
                else (a.owner_organisation.name if a.owner_organisation else ""),
                "starts_on": _day(a.starts_on),
                "ends_on": _day(a.ends_on),
                "budget": _money(a.budget),
                "status": str(a.get_status_display()),
            }
            for a in actions
        ],
        "budget_total": _money(budget),
        "timeline": timeline,
        "kpis": kpi_rows,
    }


# Characters XML (and so a Word document) cannot hold: the C0 controls but tab and the
# line ends. A vertical tab or form feed (what a pasted soft line break becomes) reads as
# a line end; the others are dropped.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def clean(value: Any) -> Any:
    """``value`` (a snapshot or part of one) with every string fit for XML."""
    if isinstance(value, str):
        return _CONTROLS.sub(lambda m: "\n" if m.group() in "\x0b\x0c" else "", value)
    if isinstance(value, dict):
        return {key: clean(item) for key, item in value.items()}
    if isinstance(value, list):
        return [clean(item) for item in value]
    return value


BUILDERS: dict[str, Callable[[City], dict[str, Any]]] = {
    ReportKind.ASSESSMENT: assessment_strategy,
    ReportKind.ROADMAP: roadmap_kpis,
}
