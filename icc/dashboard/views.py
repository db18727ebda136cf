"""The programme office's dashboard: the cohort at a glance, each chart with its table."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from icc.cities.access import get_programme_for_user
from icc.cities.models import PhaseStatus
from icc.core import dataversion
from icc.core.formatting import format_number
from icc.core.types import AuthedHttpRequest
from icc.dashboard import charts, figures, geo
from icc.programmes.models import Programme
from icc.roadmaps import progress
from icc.roadmaps.kpis import STATUS_LABELS
from icc.tags.models import CommitmentStatus

PHASE_SERIES = {
    PhaseStatus.ON_SCHEDULE: ("s-ok", False),
    PhaseStatus.BEHIND: ("s-bad", True),
    PhaseStatus.NOT_STARTED: ("s-muted", False),
}
KPI_CSS = {
    progress.Status.ACHIEVED: ("s-ok", False),
    progress.Status.ON_TRACK: ("s-brand", False),
    progress.Status.MODERATE: ("s-warn", False),
    progress.Status.INSUFFICIENT: ("s-warn", True),
    progress.Status.DETERIORATION: ("s-bad", True),
    progress.Status.NO_DATA: ("s-muted", False),
}
COMMITMENT_CSS = {
    CommitmentStatus.DONE: ("s-ok", False),
    CommitmentStatus.PARTLY: ("s-warn", False),
    CommitmentStatus.NOT_DONE: ("s-bad", True),
    CommitmentStatus.OPEN: ("s-muted", False),
}
# West, south, east, north (degrees) of the close-up drawn when some cities lie outside it.
EUROPE = (-25.0, 34.0, 45.0, 72.0)
MAP_MARKERS = {
    PhaseStatus.ON_SCHEDULE: ("on-schedule", "circle"),
    PhaseStatus.BEHIND: ("behind", "triangle"),
    PhaseStatus.NOT_STARTED: ("not-started", "square"),
}


def n(value: int) -> str:
    return format_number(value, 0)


@login_required
@require_safe
def dashboard(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    programme = get_programme_for_user(request.user, slug, write=True)
    now = timezone.now()
    today = timezone.localdate()
    # The same for every member of the programme team; past events turn "not held" by the
    # hour, so the hour is part of the key as well as the data version.
    key = ":".join(
        [
            "dashboard",
            str(programme.pk),
            translation.get_language() or "",
            timezone.get_current_timezone_name(),
            today.isoformat(),
            str(timezone.localtime(now).hour),
        ]
    )
    content = dataversion.cached(key, dataversion.current(request), lambda: _content(programme, today, now))
    return render(request, "dashboard/dashboard.html", {"programme": programme, "content": mark_safe(content)})  # noqa: S308 - rendered by our own template


def _content(programme: Programme, today: dt.date, now: dt.datetime) -> str:
    board = figures.build(programme, today=today, now=now)
    context: dict[str, Any] = {"programme": programme, "board": board, **sections(board)}
    context.update(_map(board))
    return render_to_string("dashboard/_content.html", context)


def sections(board: figures.Dashboard) -> dict[str, Any]:
    """Each section's chart and table rows, as the dashboard and the programme report show them."""
    context: dict[str, Any] = {}
    for section in (_phase_chart, _deliverable_chart, _kpi_chart, _event_chart, _tag_chart, _survey_chart):
        context.update(section(board))
    return context


def _phase_chart(board: figures.Dashboard) -> dict[str, Any]:
    statuses = [PhaseStatus.ON_SCHEDULE, PhaseStatus.BEHIND, PhaseStatus.NOT_STARTED]
    series = [charts.Series(str(s.label), *PHASE_SERIES[s]) for s in statuses]
    rows = []
    for row in board.phases:
        values = [row.counts.get(s, 0) for s in statuses]
        label = row.phase.name if row.phase else _("Not started")
        note = " · ".join(_figure(str(s.label), v) for s, v in zip(statuses, values, strict=True) if v)
        rows.append(charts.Row(label, values, note or _("no city")))
    chart = charts.stacked_bars(
        ident="dash-phases",
        title=_("Cities by phase and phase status"),
        description=_("%(cities)s cities: one bar per phase, split into cities on schedule and behind schedule.")
        % {"cities": n(board.cities)},
        series=series,
        rows=rows,
    )
    table = []
    for row in board.phases:
        key = row.phase.key if row.phase else "none"
        cells: list[dict[str, Any] | None] = []
        for status in statuses:
            if status not in row.counts:
                cells.append(None)
                continue
            query = {"phase": key} if status == PhaseStatus.NOT_STARTED else {"phase": key, "status": status.value}
            cells.append({"count": row.counts[status], "query": urlencode(query)})
        table.append({"label": row.phase.name if row.phase else _("Not started"), "cells": cells, "total": row.total})
    return {
        "phase_chart": mark_safe(chart),  # noqa: S308 - every text is escaped by charts
        "phase_rows": table,
        "phase_statuses": statuses,
    }


def _deliverable_chart(board: figures.Dashboard) -> dict[str, Any]:
    labels = [_("Accepted"), _("Submitted, in review"), _("Late"), _("Not due yet")]
    series = [
        charts.Series(labels[0], "s-ok"),
        charts.Series(labels[1], "s-brand"),
        charts.Series(labels[2], "s-bad", hatched=True),
        charts.Series(labels[3], "s-muted"),
    ]
    rows = []
    for row in board.milestones:
        values = [row.accepted, row.in_review, row.late, row.not_due]
        label = _("%(deliverable)s, %(version)s (due %(date)s)") % {
            "deliverable": row.milestone.deliverable_type.name,
            "version": row.milestone.version,
            "date": _date(row.milestone.due_on),
        }
        note = " · ".join(_figure(label_, v) for label_, v in zip(labels, values, strict=True) if v)
        rows.append(charts.Row(label, values, note or _("no city concerned")))
    late = sum(r.late for r in board.milestones)
    chart = charts.stacked_bars(
        ident="dash-deliverables",
        title=_("Deliverables due and late"),
        description=_("%(late)s deliverables late across %(cities)s cities; one bar per milestone due so far or soon.")
        % {"late": n(late), "cities": n(board.cities_late)},
        series=series,
        rows=rows,
    )
    return {"deliverable_chart": mark_safe(chart) if rows else "", "late_total": late}  # noqa: S308


def _kpi_chart(board: figures.Dashboard) -> dict[str, Any]:
    rows = [
        charts.Row(
            str(STATUS_LABELS[status]),
            [kpis],
            _("%(kpis)s KPIs in %(cities)s cities") % {"kpis": n(kpis), "cities": n(cities)},
        )
        for status, kpis, cities in board.kpi_statuses
    ]
    total = sum(k for _s, k, _c in board.kpi_statuses)
    chart_rows = []
    for (status, _k, _c), row in zip(board.kpi_statuses, rows, strict=True):
        css, hatched = KPI_CSS[status]
        chart_rows.append((charts.Series(row.label, css, hatched), row))
    # One series per status, each row using only its own, so every bar keeps its status' look.
    series = [s for s, _r in chart_rows]
    stacked = [
        charts.Row(r.label, [r.values[0] if j == i else 0 for j in range(len(series))], r.note)
        for i, (_s, r) in enumerate(chart_rows)
    ]
    chart = charts.stacked_bars(
        ident="dash-kpis",
        title=_("KPI statuses across cities"),
        description=_("%(kpis)s KPIs: how many stand at each progress status.") % {"kpis": n(total)},
        series=series,
        rows=stacked,
    )
    return {
        "kpi_chart": mark_safe(chart),  # noqa: S308
        "kpi_rows": [
            {"status": status, "label": STATUS_LABELS[status], "kpis": kpis, "cities": cities}
            for status, kpis, cities in board.kpi_statuses
        ],
        "kpi_total": total,
    }


def _event_chart(board: figures.Dashboard) -> dict[str, Any]:
    labels = [_("Held"), _("Past, not held"), _("Upcoming")]
    series = [
        charts.Series(labels[0], "s-ok"),
        charts.Series(labels[1], "s-bad", hatched=True),
        charts.Series(labels[2], "s-tint"),
    ]
    rows = []
    for row in board.events:
        values = [row.held, row.not_held, row.upcoming]
        note = _("%(held)s held of %(planned)s planned") % {"held": n(row.held), "planned": n(row.planned)}
        if row.not_held:
            note += " · " + _("%(count)s past, not held") % {"count": n(row.not_held)}
        rows.append(charts.Row(row.phase.name, values, note))
    chart = charts.stacked_bars(
        ident="dash-events",
        title=_("City events held against planned, by phase"),
        description=_("%(held)s of %(planned)s planned city events held; %(missed)s past events not recorded as held.")
        % {
            "held": n(sum(r.held for r in board.events)),
            "planned": n(sum(r.planned for r in board.events)),
            "missed": n(sum(r.not_held for r in board.events)),
        },
        series=series,
        rows=rows,
    )
    return {"event_chart": mark_safe(chart)}  # noqa: S308


def _tag_chart(board: figures.Dashboard) -> dict[str, Any]:
    statuses = list(figures.COMMITMENT_ORDER)
    series = [charts.Series(str(s.label), *COMMITMENT_CSS[s]) for s in statuses]
    rows = []
    for row in board.tags:
        values = row.commitment_counts
        note = _("%(held)s of %(sessions)s sessions held · %(commitments)s commitments") % {
            "held": n(row.sessions_held),
            "sessions": n(row.sessions),
            "commitments": n(row.commitments_total),
        }
        rows.append(charts.Row(str(row.tag), values, note))
    chart = charts.stacked_bars(
        ident="dash-tags",
        title=_("TAG activity: sessions held and commitments"),
        description=_("%(tags)s thematic action groups; each bar their cities' commitments by follow-up status.")
        % {"tags": n(len(board.tags))},
        series=series,
        rows=rows,
    )
    return {"tag_chart": mark_safe(chart) if rows else "", "commitment_statuses": statuses}  # noqa: S308


def _survey_chart(board: figures.Dashboard) -> dict[str, Any]:
    labels = [
        _("Results released"),
        _("Released, too few answers to show"),
        _("Closed, not released yet"),
        _("Open"),
        _("No survey"),
    ]
    series = [
        charts.Series(labels[0], "s-ok"),
        charts.Series(labels[1], "s-warn", hatched=True),
        charts.Series(labels[2], "s-brand"),
        charts.Series(labels[3], "s-tint"),
        charts.Series(labels[4], "s-muted"),
    ]
    rows = []
    for row in board.surveys:
        values = [row.released, row.too_few, row.awaiting_release, row.open, row.none]
        if row.invited:
            note = _("%(answers)s answers released from %(invited)s invitations") % {
                "answers": n(row.answers),
                "invited": n(row.invited),
            }
        else:  # answered through the survey's shared link only
            note = _("%(answers)s answers released") % {"answers": n(row.answers)}
        rows.append(charts.Row(row.label, values, note))
    chart = charts.stacked_bars(
        ident="dash-surveys",
        title=_("Local-enablers survey participation"),
        description=_(
            "Per round, the cities' surveys by state. Answers count only from released results, "
            "with their noise, rounded down to a multiple of five; an open survey shows nothing about its answers."
        ),
        series=series,
        rows=rows,
    )
    return {"survey_chart": mark_safe(chart)}  # noqa: S308


def _map(board: figures.Dashboard) -> dict[str, Any]:
    points = []
    listed = []
    for number, entry in enumerate(board.map_cities, start=1):
        css, shape = MAP_MARKERS[entry.status]
        city = entry.city
        tip = _("%(city)s, %(country)s: %(phase)s (%(status)s)") % {
            "city": city.name,
            "country": city.country_name,
            "phase": city.current_phase.name if city.current_phase else _("no phase yet"),
            "status": entry.status.label,
        }
        points.append(geo.Point(number, city.name, float(city.longitude), float(city.latitude), css, shape, tip))  # type: ignore[arg-type]
        listed.append(
            {
                "number": n(number),
                "name": city.name,
                "url": reverse("cities:detail", kwargs={"pk": city.pk}),
                "country": city.country_name,
                "phase": city.current_phase.name if city.current_phase else "—",
                "status": entry.status,
                "status_label": entry.status.label,
            }
        )
    if not points:
        return {"maps": [], "map_rows": []}
    highlight = {entry.city.country for entry in board.map_cities}
    europe = [p for p in points if EUROPE[0] <= p.longitude <= EUROPE[2] and EUROPE[1] <= p.latitude <= EUROPE[3]]
    frames = [(_("Map of the edition's cities"), points, "dash-map")]
    if europe and len(europe) < len(points):
        # Most cities are in Europe: a close-up of them first, then the whole edition.
        frames = [(_("Map of the edition's cities in Europe"), europe, "dash-map-europe"), *frames]
    maps = []
    for title, shown, ident in frames:
        description = _(
            "%(cities)s cities, numbered as in the list beside the map: a circle is on schedule, a triangle behind "
            "schedule, a square not started. Country outlines: Natural Earth."
        ) % {"cities": n(len(shown))}
        svg = geo.map_svg(ident=ident, title=title, description=description, points=shown, highlight=highlight)
        maps.append({"title": title, "svg": mark_safe(svg)})  # noqa: S308 - every text is escaped by geo
    return {"maps": maps, "map_rows": listed}


def _figure(label: str, value: int) -> str:
    """A count after its label ("Behind schedule: 3"), as one phrase the translation can reorder."""
    return _("%(label)s: %(count)s") % {"label": label, "count": n(value)}


def _date(day: dt.date) -> str:
    from django.utils.formats import date_format

    return date_format(day, "DATE_FORMAT")
