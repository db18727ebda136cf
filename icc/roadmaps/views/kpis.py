"""KPIs: a city's dashboard and exports, each KPI's page and values, and the programme's table."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from icc.cities.access import can_edit_city, get_city_for_user, get_programme_for_user
from icc.cities.models import City
from icc.cities.roles import is_programme_team
from icc.core.pagination import paginate, query_without_page
from icc.core.responses import render_page
from icc.core.types import AuthedHttpRequest
from icc.core.versioning import StaleEdit, refuse_stale
from icc.programmes.models import Cycle
from icc.roadmaps import actions, charts, exports, fiware
from icc.roadmaps import kpis as kpi_figures
from icc.roadmaps.access import get_kpi_for_user
from icc.roadmaps.forms import KPIForm, MeasurementForm
from icc.roadmaps.models import KPI, Action
from icc.roadmaps.programme_kpis import kpi_table

KPI_PAGE = "roadmaps/kpi.html"


@login_required
@require_safe
def kpis_view(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    city = get_city_for_user(request.user, pk)
    today = timezone.localdate()
    due = kpi_figures.due_cycle(city.programme, today)
    rows = kpi_figures.rows(KPI.objects.filter(city=city).annotate(action_count=Count("actions")), due)
    counts: dict[str, int] = defaultdict(int)
    for row in rows:
        counts[row["progress"].status] += 1
    return render(
        request,
        "roadmaps/kpis.html",
        {
            "city": city,
            "rows": rows,
            "due": due,
            "counting": kpi_figures.counting_cycles(city.programme, today),
            "missing": sum(1 for r in rows if r["missing"]),
            "summary": [(label, counts.get(status, 0), status) for status, label in kpi_figures.STATUS_LABELS.items()],
            "editable": can_edit_city(request.user, city),
        },
    )


@login_required
@require_safe
def kpi_export(request: AuthedHttpRequest, pk: int, fmt: str) -> HttpResponse:
    city = get_city_for_user(request.user, pk)
    queryset = kpi_figures.with_latest(KPI.objects.filter(city=city).select_related("city", "city__programme"))
    if fmt == "csv":
        return exports.kpis_csv(city, queryset)
    if fmt == "xlsx":
        return exports.kpis_xlsx(city, queryset)
    if fmt in ("json", "jsonld"):
        due = Cycle.objects.filter(programme_id=city.programme_id, ends_on__gte=timezone.localdate()).first()
        next_due = due.ends_on if due else None
        if fmt == "json":
            payload = [fiware.key_values(k, next_due=next_due) for k in queryset]
            return exports.json_download(payload, f"{exports.slug(city)}-kpis.json", "application/json")
        payload = [fiware.normalized(k, next_due=next_due) for k in queryset]
        return exports.json_download(payload, f"{exports.slug(city)}-kpis.jsonld", "application/ld+json")
    raise Http404


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def kpi_edit(request: AuthedHttpRequest, pk: int | None = None, city_pk: int | None = None) -> HttpResponse:
    """The plain edit page of a new or existing KPI: the form, and its POST on the same URL."""
    city: City
    if pk is not None:
        kpi = get_kpi_for_user(request.user, pk, write=True)
        city = kpi.city
    else:
        city = get_city_for_user(request.user, city_pk or 0, write=True)
        kpi = KPI(city=city)
    form = KPIForm(request.POST or None, instance=kpi, city=city)
    current = None
    if request.method == "POST" and form.is_valid():
        try:
            saved = actions.save_kpi(
                kpi=form.save(commit=False), expected_version=form.expected_version, by=request.user
            )
        except StaleEdit as stale:
            current = refuse_stale(request, stale, form)
        except ValidationError as error:  # a KPI of the same name saved meanwhile
            form.add_error(None, error)
        else:
            messages.success(request, _("KPI saved."))
            return redirect(saved)
    return render(
        request,
        "roadmaps/kpi_form.html",
        {"city": city, "form": form, "kpi": kpi, "current": current},
    )


def _kpi_page(request: AuthedHttpRequest, kpi: KPI, *, form: MeasurementForm | None = None) -> HttpResponse:
    city = kpi.city
    measurements = list(kpi.measurements.select_related("entered_by"))
    annotated = kpi_figures.with_latest(KPI.objects.filter(pk=kpi.pk)).get()
    assessment = kpi_figures.assess(annotated)
    labels = {
        "target": _("Target"),
        "baseline": _("Baseline"),
        "path": _("Path to the target"),
        "measured": _("values"),
    }
    chart = charts.kpi_chart(
        title=_("%(kpi)s over time") % {"kpi": kpi.name},
        points=[(m.date, float(m.value)) for m in measurements],
        baseline=(kpi.baseline_date, float(kpi.baseline_value)),
        target=(kpi.target_date, float(kpi.target_value)),
        labels=labels,
    )
    moved_by = Action.objects.filter(kpis=kpi).select_related(
        "opportunity", "owner_person", "owner_organisation", "cycle"
    )
    context: dict[str, Any] = {
        "city": city,
        "kpi": kpi,
        "form": form or MeasurementForm(kpi=kpi),
        "editable": can_edit_city(request.user, city),
        "measurements": measurements,
        "latest": measurements[-1] if measurements else None,
        "progress": assessment,
        "status_label": kpi_figures.STATUS_LABELS[assessment.status],
        "progress_words": kpi_figures.progress_in_words(assessment),
        "is_team": is_programme_team(request.user, city.programme),
        "counting": kpi_figures.counting_cycles(city.programme, timezone.localdate()),
        "chart": mark_safe(chart),  # noqa: S308 - built by charts.kpi_chart, which escapes every text
        "actions": moved_by,
    }
    return render_page(request, KPI_PAGE, context, fragment="measurement-form")


@login_required
@require_safe
def kpi_view(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _kpi_page(request, get_kpi_for_user(request.user, pk))


@login_required
@require_POST
def kpi_measure(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Record a value of the KPI, with its date and source."""
    kpi = get_kpi_for_user(request.user, pk, write=True)
    form = MeasurementForm(request.POST, kpi=kpi)
    if not form.is_valid():
        return _kpi_page(request, kpi, form=form)
    actions.add_measurement(kpi=kpi, measurement=form.save(commit=False), by=request.user)
    messages.success(request, _("Value recorded."))
    return redirect(kpi)


@login_required
@require_safe
def programme_kpis(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    """Every visible city's KPI standing, and whose cycle updates are missing."""
    programme = get_programme_for_user(request.user, slug)
    due = kpi_figures.due_cycle(programme, timezone.localdate())
    cities = City.objects.visible_to(request.user).filter(programme=programme).order_by("name")
    only_missing = request.GET.get("missing") == "1"
    table = kpi_table(cities, due, only_missing=only_missing)
    return render(
        request,
        "roadmaps/programme_kpis.html",
        {
            "programme": programme,
            "page": paginate(request, table.rows),
            "query": query_without_page(request),
            "statuses": table.statuses,
            "totals": table.totals,
            "due": due,
            "only_missing": only_missing,
            "missing_total": table.missing,
        },
    )
