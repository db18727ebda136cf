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

from icc.assessments import indicators as indicator_library
from icc.assessments import survey
from icc.assessments.models import (
    IndicatorValue,
    Instrument,
    InstrumentKind,
    MaturityRating,
    Response,
    ResponseStatus,
    Round,
)
from icc.assessments.results import compare_rows, scan_result, score_text
from icc.cities.models import City, PhaseStatus
from icc.core.formatting import format_money, format_number
from icc.dashboard.figures import COMMITMENT_ORDER
from icc.programmes.models import Phase, Programme
from icc.reports.models import ReportKind
from icc.roadmaps import charts, kpis
from icc.roadmaps.models import KPI, Action, ActionStatus, Opportunity, Solution, Strategy
from icc.tags.models import Commitment, CommitmentStatus


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


def _kpi_rows(city: City) -> list[dict[str, Any]]:
    """Each KPI of the city: baseline, target, latest value, status in words, and its chart."""
    labels = {
        "target": _("Target"),
        "baseline": _("Baseline"),
        "path": _("Path to the target"),
        "measured": _("values"),
    }
    rows = []
    for kpi in kpis.with_latest(KPI.objects.filter(city=city)).prefetch_related("measurements").order_by("name"):
        assessment = kpis.assess(kpi)
        rows.append(
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
                    ident=f"kpi-{kpi.pk}",
                ),
            }
        )
    return rows


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
        "kpis": _kpi_rows(city),
    }


def _instrument_rounds(city: City) -> list[dict[str, Any]]:
    """Each instrument the city answers itself, its baseline against its re-run, question
    by question (the anonymous enablers survey is compared by its released results only)."""
    answered = (
        Instrument.objects.filter(
            responses__city=city, responses__status=ResponseStatus.SUBMITTED, programme_id=city.programme_id
        )
        .exclude(kind=InstrumentKind.ENABLERS)
        .distinct()
        .order_by("kind", "name")
    )
    instruments = []
    for instrument in answered:
        rows = compare_rows(city, instrument)
        instruments.append(
            {
                "name": instrument.name,
                "rows": [
                    {
                        "section": row["section"],
                        "question": row["question"].text,
                        "baseline": str(row["baseline"]),
                        "rerun": str(row["rerun"]),
                        "change": row["change"],
                    }
                    for row in rows
                ],
                "changed": format_number(sum(1 for row in rows if row["change"] not in ("", "0")), 0),
                "rerun_done": Response.objects.filter(
                    city=city, instrument=instrument, round=Round.RERUN, status=ResponseStatus.SUBMITTED
                ).exists(),
            }
        )
    return instruments


def _scan_charts(city: City) -> list[dict[str, str]]:
    """The thematic scan's radar of each submitted round."""
    drawn: list[dict[str, str]] = []
    for scan in (
        Response.objects.filter(city=city, instrument__kind=InstrumentKind.SCAN, status=ResponseStatus.SUBMITTED)
        .select_related("instrument")
        .order_by("round", "-pk")
    ):
        if any(d["round"] == str(scan.get_round_display()) for d in drawn):
            continue
        drawn.append({"round": str(scan.get_round_display()), "chart": str(scan_result(scan)["chart"])})
    return drawn


def _enablers_rounds(city: City) -> dict[str, Any] | None:
    """The enablers survey's released means, baseline against re-run, where both closed
    with enough answers; never a fresh count."""
    instrument = survey.enablers_instrument(city)
    if instrument is None:
        return None
    released: dict[str, dict[str, Any]] = {}
    for campaign in instrument.campaigns.filter(city=city):
        if survey.is_closed(campaign):
            result = survey.released_results(campaign) or {}
            if not result.get("too_few"):
                released[campaign.round] = result
    if not released:
        return None
    means: dict[str, dict[str, str]] = {}
    titles: list[str] = []
    for round_, result in released.items():
        for row in result.get("rows", []):
            if row["title"] not in titles:
                titles.append(row["title"])
            figures = row.get("figures") or {}
            means.setdefault(row["title"], {})[round_] = score_text(figures["mean"]) if figures else ""
    return {
        "rows": [
            {
                "title": title,
                "baseline": means[title].get(Round.BASELINE, ""),
                "rerun": means[title].get(Round.RERUN, ""),
            }
            for title in titles
        ],
        "rerun_done": Round.RERUN in released,
    }


def final_report(city: City) -> dict[str, Any]:
    """Progress in every dimension: the baseline against the re-run on every instrument,
    the KPIs' progress with their status, the actions done and the budget spent, and the
    commitments the city made in its TAG sessions and whether it kept them."""
    indicators = indicator_library.indicators_for(city)
    indicator_rows = []
    for row in indicator_library.round_comparison(city, indicators):
        if row["baseline"] is None and row["rerun"] is None:
            continue
        improved = row["improved"]
        indicator_rows.append(
            {
                "name": row["indicator"].name,
                "unit": row["indicator"].unit,
                "baseline": format_number(row["baseline"].value, 4) if row["baseline"] else "",
                "rerun": format_number(row["rerun"].value, 4) if row["rerun"] else "",
                "change": format_number(row["change"], 4) if row["change"] is not None else "",
                "direction": _("better") if improved else (_("worse") if improved is False else ""),
            }
        )
    ratings: dict[str, dict[str, MaturityRating]] = {}
    for rating in MaturityRating.objects.filter(city=city).order_by("solution"):
        ratings.setdefault(rating.solution, {})[rating.round] = rating
    maturity = [
        {
            "solution": solution,
            "baseline": str(rounds[Round.BASELINE].get_level_display()) if Round.BASELINE in rounds else "",
            "rerun": str(rounds[Round.RERUN].get_level_display()) if Round.RERUN in rounds else "",
            "target": str(next(iter(rounds.values())).get_target_display()),
        }
        for solution, rounds in ratings.items()
    ]
    kpi_rows = _kpi_rows(city)
    statuses: dict[str, int] = {}
    for row in kpi_rows:
        statuses[row["status"]] = statuses.get(row["status"], 0) + 1
    actions = list(Action.objects.filter(city=city).select_related("opportunity").order_by("ends_on", "pk"))
    counted = [a for a in actions if a.status != ActionStatus.DROPPED]
    by_status: dict[str, int] = {}
    for action in actions:
        label = str(action.get_status_display())
        by_status[label] = by_status.get(label, 0) + 1
    commitments = list(
        Commitment.objects.filter(city=city).select_related("session__tag").order_by("session__starts_at", "pk")
    )
    kept = dict.fromkeys(CommitmentStatus.values, 0)
    for commitment in commitments:
        kept[commitment.status] += 1
    return {
        "city": _city(city),
        "instruments": _instrument_rounds(city),
        "scan_charts": _scan_charts(city),
        "enablers": _enablers_rounds(city),
        "indicators": indicator_rows,
        "maturity": maturity,
        "kpis": kpi_rows,
        "kpi_statuses": [{"status": label, "count": format_number(n, 0)} for label, n in statuses.items()],
        "actions_by_status": [{"status": label, "count": format_number(n, 0)} for label, n in by_status.items()],
        "actions_done": [
            {
                "title": a.title,
                "opportunity": a.opportunity.title,
                "ends_on": _day(a.ends_on),
                "budget": _money(a.budget),
                "spent": _money(a.spent),
            }
            for a in actions
            if a.status == ActionStatus.DONE
        ],
        "actions_total": format_number(len(actions), 0),
        "budget_total": _money(sum((a.budget or 0) for a in counted)),
        "spent_total": _money(sum((a.spent or 0) for a in counted)),
        "commitments": [
            {
                "tag": str(c.session.tag),
                "session": f"{c.session} ({_day(timezone.localdate(c.session.starts_at))})",
                "text": c.text,
                "status": str(c.get_status_display()),
                "follow_up": c.follow_up,
            }
            for c in commitments
        ],
        "commitments_kept": {
            "done": format_number(kept[CommitmentStatus.DONE], 0),
            "partly": format_number(kept[CommitmentStatus.PARTLY], 0),
            "not_done": format_number(kept[CommitmentStatus.NOT_DONE], 0),
            "open": format_number(kept[CommitmentStatus.OPEN], 0),
            "total": format_number(len(commitments), 0),
        },
    }


# The programme report ----------------------------------------------------------------


def _by_group(
    cities: list[City], key: Callable[[City], str], *, today: dt.date, expected: Phase | None
) -> list[dict[str, Any]]:
    """The cities grouped by ``key``: how many, on schedule, behind and not started."""
    groups: dict[str, dict[str, int]] = {}
    for city in cities:
        counts = groups.setdefault(key(city), dict.fromkeys(PhaseStatus.values, 0))
        counts[city.phase_status(today, expected)] += 1
    return [
        {
            "label": label,
            "cities": format_number(sum(counts.values()), 0),
            "on_schedule": format_number(counts[PhaseStatus.ON_SCHEDULE], 0),
            "behind": format_number(counts[PhaseStatus.BEHIND], 0),
            "not_started": format_number(counts[PhaseStatus.NOT_STARTED], 0),
            "count": sum(counts.values()),
        }
        for label, counts in sorted(groups.items(), key=lambda item: (-sum(item[1].values()), item[0]))
    ]


def programme_report(programme: Programme) -> dict[str, Any]:
    """The cohort at the report's date: by phase, track, country and city type, the KPI
    statuses across cities, the TAGs and their commitments, and the funding secured. Read
    in a fixed number of queries, whatever the number of cities."""
    from icc.dashboard import views as dashboard
    from icc.dashboard.figures import build
    from icc.finance import statistics

    now = timezone.now()
    today = timezone.localdate(now)
    board = build(programme, today=today, now=now)
    cities = list(City.objects.filter(programme=programme).select_related("track", "current_phase"))
    expected = programme.phase_on(today)
    sections = dashboard.sections(board)
    funding = statistics.by_funding_programme(programme)
    total = statistics.totals(funding)
    tracks = _by_group(cities, lambda c: c.track.name if c.track else _("No track"), today=today, expected=expected)
    return {
        "programme": {
            "name": programme.name,
            "starts_on": _day(programme.starts_on),
            "ends_on": _day(programme.ends_on),
            "cities": format_number(len(cities), 0),
        },
        "phase_chart": str(sections["phase_chart"]),
        "phases": [
            {
                "label": row["label"],
                "counts": [format_number(cell["count"], 0) if cell else "" for cell in row["cells"]],
                "total": format_number(row["total"], 0),
            }
            for row in sections["phase_rows"]
        ],
        "phase_statuses": [str(status.label) for status in sections["phase_statuses"]],
        "tracks": tracks,
        "countries": _by_group(cities, lambda c: c.country_name, today=today, expected=expected),
        "types": _by_group(cities, lambda c: str(c.get_type_display()), today=today, expected=expected),
        "deliverable_chart": str(sections["deliverable_chart"]),
        "late_total": format_number(sections["late_total"], 0),
        "cities_late": format_number(board.cities_late, 0),
        "kpi_chart": str(sections["kpi_chart"]),
        "kpi_statuses": [
            {
                "status": str(row["label"]),
                "kpis": format_number(row["kpis"], 0),
                "cities": format_number(row["cities"], 0),
            }
            for row in sections["kpi_rows"]
        ],
        "kpis_missing": format_number(board.kpis_missing, 0),
        "tag_chart": str(sections["tag_chart"]),
        "tags": [
            {
                "name": str(row.tag),
                "sessions": format_number(row.sessions, 0),
                "held": format_number(row.sessions_held, 0),
                "commitments": [format_number(n, 0) for n in row.commitment_counts],
                "total": format_number(row.commitments_total, 0),
            }
            for row in board.tags
        ],
        "commitment_statuses": [str(CommitmentStatus(status).label) for status in COMMITMENT_ORDER],
        "funding": [
            {
                "funding_programme": row.funding_programme,
                "applications": format_number(row.applications, 0),
                "cities": format_number(row.cities, 0),
                "awarded": format_number(row.awarded, 0),
                "requested": _money(row.requested),
                "secured": _money(row.secured),
            }
            for row in funding
        ],
        "funding_total": {
            "applications": format_number(total.applications, 0),
            "awarded": format_number(total.awarded, 0),
            "requested": _money(total.requested),
            "secured": _money(total.secured),
        },
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
    ReportKind.FINAL: final_report,
}
PROGRAMME_BUILDERS: dict[str, Callable[[Programme], dict[str, Any]]] = {ReportKind.PROGRAMME: programme_report}
