"""Forming the TAGs: the list of TAGs, the formation page and a run's proposal."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from icc.cities.access import get_programme_for_user, is_programme_team
from icc.core.types import AuthedHttpRequest
from icc.tags import actions, formation
from icc.tags.access import (
    visible_tags,
)
from icc.tags.forms import (
    CapacityForm,
    RuleForm,
    RunForm,
)
from icc.tags.models import (
    FormationRun,
    Membership,
    MentorCapacity,
    MentorPreference,
    PairingRule,
    Topic,
)


def _fail(request: AuthedHttpRequest, error: ValidationError) -> None:
    for text in error.messages:
        messages.error(request, text)


@login_required
@require_GET
def tags_view(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    programme = get_programme_for_user(request.user, slug)
    tags = (
        visible_tags(request.user, programme)
        .select_related("mentor", "theme")
        .prefetch_related(
            Prefetch("memberships", queryset=Membership.objects.select_related("city")),
            Prefetch("topics", queryset=Topic.objects.filter(chosen=True)),
        )
    )
    return render(
        request,
        "tags/tags.html",
        {"programme": programme, "tags": tags, "is_team": is_programme_team(request.user, programme)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def formation_view(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    programme = get_programme_for_user(request.user, slug, manage=True)
    mentors = actions.mentors_of(programme)
    capacities = dict(MentorCapacity.objects.filter(city__in=mentors).values_list("city_id", "tags"))
    step = request.POST.get("step", "") if request.method == "POST" else ""
    rule_form = RuleForm(request.POST if step == "rule" else None, programme=programme)
    capacity_form = CapacityForm(request.POST if step == "capacity" else None, mentors=mentors, capacities=capacities)
    run_form = RunForm(request.POST if step == "run" else None)
    if step == "rule" and rule_form.is_valid():
        rule = rule_form.save(commit=False)
        formation.add_rule(rule=rule, by=request.user)
        messages.success(request, _("Rule saved: it applies to every run from now on."))
        return redirect("tags:formation", slug=slug)
    if step == "remove":
        try:
            formation.remove_rule(programme=programme, rule_id=request.POST.get("rule", ""), by=request.user)
        except ValidationError as error:
            _fail(request, error)
        else:
            messages.success(request, _("Rule removed."))
        return redirect("tags:formation", slug=slug)
    if step == "capacity" and capacity_form.is_valid():
        formation.set_capacities(capacities=capacity_form.capacities(), by=request.user)
        messages.success(request, _("Mentor capacities saved."))
        return redirect("tags:formation", slug=slug)
    if step == "run" and run_form.is_valid():
        run = formation.run(
            programme=programme,
            min_size=run_form.cleaned_data["min_size"],
            max_size=run_form.cleaned_data["max_size"],
            by=request.user,
        )
        return redirect("tags:run", slug=slug, pk=run.pk)
    return render(
        request,
        "tags/formation.html",
        {
            "programme": programme,
            "rule_form": rule_form,
            "capacity_form": capacity_form,
            "run_form": run_form,
            "rules": PairingRule.objects.filter(city__programme=programme).select_related("city", "mentor"),
            "runs": FormationRun.objects.filter(programme=programme).select_related("created_by")[:10],
            "supply": formation.supply(programme),
            "preferences": MentorPreference.objects.filter(city__programme=programme).count(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def run_view(request: AuthedHttpRequest, slug: str, pk: int) -> HttpResponse:
    programme = get_programme_for_user(request.user, slug, manage=True)
    run = FormationRun.objects.filter(programme=programme, pk=pk).select_related("created_by").first()
    if run is None:
        raise Http404
    if request.method == "POST":
        try:
            count = formation.adopt(run=run, by=request.user)
        except ValidationError as error:
            _fail(request, error)
        else:
            messages.success(request, _("%(count)s TAGs formed, with their sessions scheduled.") % {"count": count})
            return redirect("tags:tags", slug=slug)
    view = formation.present(run)
    changes = formation.changes_on_adoption(run) if view["groups"] and not run.adopted_at else None
    return render(request, "tags/run.html", {"programme": programme, "run": run, "view": view, "changes": changes})
