"""The roadmap: its opportunities and actions, as a list or a timeline, and each action's page."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet, Sum
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from icc.cities.access import can_edit_city, get_city_for_user
from icc.cities.models import City
from icc.core.pagination import paginate, query_without_page
from icc.core.params import parse_id
from icc.core.responses import render_page
from icc.core.types import AuthedHttpRequest
from icc.core.versioning import StaleEdit, refuse_stale
from icc.programmes.models import Cycle
from icc.roadmaps import actions, charts, exports
from icc.roadmaps import kpis as kpi_figures
from icc.roadmaps.access import (
    can_report_on,
    find_opportunity,
    get_action_for_user,
    get_opportunity_for_user,
    sees_city,
)
from icc.roadmaps.chain import enablers
from icc.roadmaps.forms import ActionForm, OpportunityForm, ProgressReportForm
from icc.roadmaps.models import Action, ActionKind, ActionStatus, Opportunity

ACTION_PAGE = "roadmaps/action.html"


def roadmap_actions(city: City) -> QuerySet[Action]:
    return (
        Action.objects.filter(city=city)
        .select_related("opportunity", "cycle", "owner_person", "owner_organisation")
        .prefetch_related("kpis", "depends_on")
        .order_by("opportunity__rank", "opportunity__title", "starts_on", "title")
    )


@login_required
@require_safe
def roadmap_view(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    city = get_city_for_user(request.user, pk)
    cycles = list(Cycle.objects.filter(programme_id=city.programme_id))
    items = roadmap_actions(city)
    filters = {"cycle": "", "status": "", "kind": ""}
    for name, allowed in (
        ("cycle", {str(c.number) for c in cycles}),
        ("status", set(ActionStatus.values)),
        ("kind", set(ActionKind.values)),
    ):
        value = request.GET.get(name, "")
        if value and value not in allowed:
            messages.warning(request, _("The filter “%(name)s” had an unknown value and was ignored.") % {"name": name})
        elif value:
            filters[name] = value
    if filters["cycle"]:
        items = items.filter(cycle__number=int(filters["cycle"]))
    if filters["status"]:
        items = items.filter(status=filters["status"])
    if filters["kind"]:
        items = items.filter(kind=filters["kind"])
    action_list = list(items)
    timeline = request.GET.get("view") == "timeline"
    chart = ""
    if timeline and action_list:
        chart = charts.gantt(
            title=_("Roadmap of %(city)s") % {"city": city.name},
            bars=[
                charts.Bar(
                    label=a.title,
                    starts_on=a.starts_on,
                    ends_on=a.ends_on,
                    css=f"status-{a.status} kind-{a.kind}",
                    group=a.opportunity.title,
                )
                for a in action_list
            ],
            bands=[charts.Band(str(c), c.starts_on, c.ends_on) for c in cycles],
            today=timezone.localdate(),
        )
    groups: dict[Opportunity, list[Action]] = defaultdict(list)
    for action in action_list:
        groups[action.opportunity].append(action)
    totals = (
        Action.objects.filter(city=city)
        .exclude(status=ActionStatus.DROPPED)
        .aggregate(budget=Sum("budget"), spent=Sum("spent"))
    )
    return render(
        request,
        "roadmaps/roadmap.html",
        {
            "city": city,
            "groups": dict(groups),
            "count": len(action_list),
            "timeline": timeline,
            "chart": mark_safe(chart),  # noqa: S308 - built by charts.gantt, which escapes every text
            "cycles": cycles,
            "filters": filters,
            "statuses": ActionStatus.choices,
            "kinds": ActionKind.choices,
            "editable": can_edit_city(request.user, city),
            "totals": totals,
            "opportunities": Opportunity.objects.filter(city=city),
        },
    )


@login_required
@require_safe
def roadmap_export(request: AuthedHttpRequest, pk: int, fmt: str) -> HttpResponse:
    city = get_city_for_user(request.user, pk)
    if fmt == "csv":
        return exports.roadmap_csv(city, roadmap_actions(city))
    if fmt == "xlsx":
        return exports.roadmap_xlsx(city, roadmap_actions(city))
    raise Http404


@login_required
@require_safe
def my_actions(request: AuthedHttpRequest) -> HttpResponse:
    owned = (
        Action.objects.owned_by(request.user)
        .select_related("city", "opportunity", "cycle", "owner_person", "owner_organisation")
        .order_by("ends_on")
    )
    return render(
        request, "roadmaps/my_actions.html", {"page": paginate(request, owned), "query": query_without_page(request)}
    )


# Opportunities and actions: plain edit pages, the form and its POST on one URL ------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def opportunity_edit(request: AuthedHttpRequest, pk: int, opportunity_pk: int | None = None) -> HttpResponse:
    if opportunity_pk is not None:
        opportunity = get_opportunity_for_user(request.user, pk, opportunity_pk, write=True)
        city = opportunity.city
    else:
        city = get_city_for_user(request.user, pk, write=True)
        opportunity = Opportunity(city=city)
    form = OpportunityForm(request.POST or None, instance=opportunity, city=city)
    current = None
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_opportunity(
                opportunity=form.save(commit=False), expected_version=form.expected_version, by=request.user
            )
        except StaleEdit as stale:
            current = refuse_stale(request, stale, form)
        else:
            messages.success(request, _("Opportunity saved."))
            return redirect("roadmaps:roadmap", pk=city.pk)
    return render(
        request,
        "roadmaps/opportunity_form.html",
        {"city": city, "form": form, "opportunity": opportunity, "current": current},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def action_edit(request: AuthedHttpRequest, pk: int | None = None, city_pk: int | None = None) -> HttpResponse:
    if pk is not None:
        action = get_action_for_user(request.user, pk, write=True)
        city = action.city
    else:
        city = get_city_for_user(request.user, city_pk or 0, write=True)
        action = Action(city=city)
        if not Opportunity.objects.filter(city=city).exists():
            messages.info(request, _("Add a city opportunity first: every action serves one."))
            return redirect("roadmaps:opportunity_new", pk=city.pk)
        opportunity = find_opportunity(city, parse_id(request.GET.get("opportunity")))
        if opportunity is not None:
            action.opportunity = opportunity
    form = ActionForm(request.POST or None, instance=action, city=city, enablers=enablers(city))
    current = None
    if request.method == "POST" and form.is_valid():
        relations = {name: list(form.cleaned_data[name]) for name in ("depends_on", "kpis", "solutions")}
        try:
            saved = actions.save_action(
                action=form.save(commit=False),
                relations=relations,
                expected_version=form.expected_version,
                changed=form.changed_data,
                by=request.user,
            )
        except StaleEdit as stale:
            current = refuse_stale(request, stale, form)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Action saved."))
            return redirect(saved)
    return render(
        request,
        "roadmaps/action_form.html",
        {"city": city, "form": form, "action": action, "current": current},
    )


# An action's page and its progress report -------------------------------------------------


def _action_page(request: AuthedHttpRequest, action: Action, *, form: ProgressReportForm | None = None) -> HttpResponse:
    city = action.city
    full_view = sees_city(request.user, city)
    context: dict[str, Any] = {
        "city": city,
        "action": action,
        "form": form or ProgressReportForm(instance=action),
        "reporter": can_report_on(request.user, action),
        "full_view": full_view,
        "editable": can_edit_city(request.user, city),
        "kpi_rows": kpi_figures.rows(action.kpis.all(), None) if full_view else [],
        "depends_on": action.depends_on.all() if full_view else [],
        "needed_by": action.needed_by.all() if full_view else [],
        "solutions": action.solutions.all() if full_view else [],
        "enablers": [title for key, title in enablers(city) if key in action.enablers],
    }
    return render_page(request, ACTION_PAGE, context, fragment="progress-form")


@login_required
@require_safe
def action_view(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _action_page(request, get_action_for_user(request.user, pk))


@login_required
@require_POST
def action_report(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The owner's (or the city's) report on an action: its status and what it has cost."""
    action = get_action_for_user(request.user, pk, report=True)
    form = ProgressReportForm(request.POST, instance=action)
    if not form.is_valid():
        return _action_page(request, action, form=form)
    try:
        actions.report_progress(action=form.save(commit=False), expected_version=form.expected_version, by=request.user)
    except StaleEdit as stale:
        refuse_stale(request, stale, form)
        return _action_page(request, action, form=form)
    messages.success(request, _("Progress saved."))
    return redirect(action)
