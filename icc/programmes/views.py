from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from icc.cities.models import City, CityType, PhaseStatus
from icc.core import dataversion
from icc.core.pagination import paginate, query_with, query_without_page
from icc.core.types import AuthedHttpRequest
from icc.programmes.access import get_programme_for_user, is_programme_team
from icc.programmes.actions import save_calendar
from icc.programmes.forms import DEFAULT_GROUP, GROUPS, SORTS, CycleFormSet, OverviewFilterForm, PhaseFormSet
from icc.programmes.models import Phase, Programme
from icc.reports.access import watched_cities


def _filtered_cities(programme: Any, person: Any, values: dict[str, str], today: Any, expected: Any) -> Any:
    cities = City.objects.filter(programme=programme).visible_to(person).for_listing()
    if q := values.get("q"):
        cities = cities.filter(name__icontains=q)
    if country := values.get("country"):
        cities = cities.filter(country=country)
    if city_type := values.get("type"):
        cities = cities.filter(type=city_type)
    if track := values.get("track"):
        cities = cities.filter(track__isnull=True) if track == "none" else cities.filter(track__slug=track)
    if phase := values.get("phase"):
        cities = (
            cities.filter(current_phase__isnull=True) if phase == "none" else cities.filter(current_phase__key=phase)
        )
    if status := values.get("status"):
        cities = cities.with_phase_status(status, today=today, expected=expected)
    if former_dcc := values.get("former_dcc"):
        cities = cities.filter(former_dcc=former_dcc == "yes")
    sort = values.get("sort", "name")
    fields = SORTS[sort.lstrip("-")]
    return cities.order_by(*(f"-{f}" if sort.startswith("-") else f for f in fields[:1]), *fields[1:])


@login_required
@require_GET
def overview(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    programme = get_programme_for_user(request.user, slug)
    today = timezone.localdate()
    key = dataversion.page_key(request, "overview", programme.pk, today)
    content, problems = dataversion.cached(
        key, dataversion.current(request), lambda: _overview_content(request, programme, today)
    )
    for problem in problems:
        messages.warning(request, problem)
    return render(request, "programmes/overview.html", {"programme": programme, "content": content})


def _overview_content(request: AuthedHttpRequest, programme: Programme, today: dt.date) -> tuple[str, list[str]]:
    """The page's content and the warnings about filters it ignored, for the cache."""
    expected = programme.phase_on(today)
    countries = list(
        City.objects.filter(programme=programme)
        .visible_to(request.user)
        .order_by()
        .values_list("country", flat=True)
        .distinct()
    )
    form = OverviewFilterForm(request.GET, programme=programme, countries=countries)
    values = form.valid_values()
    context = _overview_context(request, programme, form, values, today, expected)
    return render_to_string("programmes/_overview_content.html", context), [str(p) for p in form.ignored()]


def _overview_context(
    request: AuthedHttpRequest,
    programme: Programme,
    form: OverviewFilterForm,
    values: dict[str, str],
    today: dt.date,
    expected: Phase | None,
) -> dict[str, Any]:
    phases = list(programme.phases.all())
    cities = _filtered_cities(programme, request.user, values, today, expected)
    view = values.get("view", "table")
    context: dict[str, Any] = {
        "programme": programme,
        "form": form,
        "phases": phases,
        "expected_phase": expected,
        "today": today,
        "view": view,
        "sort": values.get("sort", "name"),
        "is_team": is_programme_team(request.user, programme),
        "follows_warnings": watched_cities(request.user, programme).exists(),
        "query": query_without_page(request),
        "table_query": query_with(request, view="table"),
        "grouped_query": query_with(request, view="grouped"),
    }
    if view == "grouped":
        group = values.get("group", DEFAULT_GROUP)
        context["group"] = group
        context["group_label"] = GROUPS[group]
        context["groups"] = _grouped(list(cities), group, today, expected)
        context["total"] = sum(len(g["cities"]) for g in context["groups"])
    else:
        page = paginate(request, cities)
        context["page"] = page
        context["rows"] = [(city, city.phase_status(today, expected)) for city in page.object_list]
        context["total"] = page.paginator.count
        context["columns"] = _columns(request, values.get("sort", "name"))
    return context


COLUMN_LABELS = {
    "name": gettext_lazy("City"),
    "country": gettext_lazy("Country"),
    "type": gettext_lazy("Type"),
    "population": gettext_lazy("Population"),
    "track": gettext_lazy("Thematic track"),
    "phase": gettext_lazy("Current phase"),
}


def _columns(request: AuthedHttpRequest, sort: str) -> list[dict[str, Any]]:
    """Sortable column headers: label, link and aria-sort state."""
    columns = []
    for key, label in COLUMN_LABELS.items():
        state = "ascending" if sort == key else "descending" if sort == f"-{key}" else "none"
        next_sort = f"-{key}" if state == "ascending" else key
        columns.append(
            {
                "key": key,
                "label": label,
                "aria_sort": state,
                "query": query_with(request, sort=next_sort),
                "numeric": key == "population",
            }
        )
    return columns


def _grouped(cities: list[City], group: str, today: Any, expected: Any) -> list[dict[str, Any]]:
    buckets: dict[tuple[Any, str], list[tuple[City, PhaseStatus]]] = defaultdict(list)

    for city in cities:
        if group == "country":
            key: tuple[Any, str] = (city.country_name, city.country_name)
        elif group == "type":
            key = (list(CityType.values).index(city.type), city.get_type_display())
        elif group == "track":
            key = (city.track.order, city.track.name) if city.track else (999, _("No track chosen yet"))
        else:
            phase = city.current_phase
            key = (phase.order, phase.name) if phase else (-1, _("Not started"))
        buckets[key].append((city, city.phase_status(today, expected)))
    return [{"label": label, "cities": members} for (_order, label), members in sorted(buckets.items())]


@login_required
@require_http_methods(["GET", "POST"])
def calendar_setup(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    """The programme team sets the dates of the edition's phases and cycles."""
    programme = get_programme_for_user(request.user, slug, write=True)
    data = request.POST if request.method == "POST" else None
    phases = PhaseFormSet(data, queryset=programme.phases.all(), prefix="phases")
    cycles = CycleFormSet(data, queryset=programme.cycles.all(), prefix="cycles")
    if request.method == "POST" and phases.is_valid() and cycles.is_valid():
        try:
            save_calendar(
                programme=programme, phases=phases.save(commit=False), cycles=cycles.save(commit=False), by=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("The calendar was saved. Refresh the schedules on the cohort page to move untouched events.")
            )
            return redirect("programmes:calendar_setup", slug=slug)
    return render(
        request, "programmes/calendar_setup.html", {"programme": programme, "phases": phases, "cycles": cycles}
    )
