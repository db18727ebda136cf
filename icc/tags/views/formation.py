"""Forming the TAGs: the list of TAGs, the formation page with its rules, capacities and
runs, and a run's proposal with its adoption."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from icc.cities.access import get_programme_for_user
from icc.cities.roles import is_programme_team
from icc.core.responses import render_page
from icc.core.types import AuthedHttpRequest
from icc.programmes.models import Programme
from icc.tags import actions, formation
from icc.tags.access import get_rule_for_user, get_run_for_user, visible_tags
from icc.tags.forms import CapacityForm, RuleForm, RunForm
from icc.tags.models import FormationRun, Membership, MentorCapacity, MentorPreference, PairingRule, Topic
from icc.tags.views.common import fail

FORMATION_PAGE = "tags/formation.html"


@login_required
@require_safe
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


# The formation page --------------------------------------------------------------------


def _capacity_form(programme: Programme, data: QueryDict | None = None) -> CapacityForm:
    mentors = actions.mentors_of(programme)
    capacities = dict(MentorCapacity.objects.filter(city__in=mentors).values_list("city_id", "tags"))
    return CapacityForm(data, mentors=mentors, capacities=capacities)


def _formation_page(
    request: AuthedHttpRequest,
    programme: Programme,
    *,
    rule_form: RuleForm | None = None,
    capacity_form: CapacityForm | None = None,
    run_form: RunForm | None = None,
    fragment: str | None = None,
) -> HttpResponse:
    context = {
        "programme": programme,
        "rule_form": rule_form or RuleForm(programme=programme),
        "capacity_form": capacity_form or _capacity_form(programme),
        "run_form": run_form or RunForm(),
        "rules": PairingRule.objects.filter(city__programme=programme).select_related("city", "mentor"),
        "runs": FormationRun.objects.filter(programme=programme).select_related("created_by")[:10],
        "supply": formation.supply(programme),
        "preferences": MentorPreference.objects.filter(city__programme=programme).count(),
    }
    return render_page(request, FORMATION_PAGE, context, fragment=fragment)


@login_required
@require_safe
def formation_view(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    return _formation_page(request, get_programme_for_user(request.user, slug, write=True))


@login_required
@require_POST
def rule_add(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    programme = get_programme_for_user(request.user, slug, write=True)
    form = RuleForm(request.POST, programme=programme)
    if not form.is_valid():
        return _formation_page(request, programme, rule_form=form, fragment="rule-form")
    formation.add_rule(rule=form.save(commit=False), by=request.user)
    messages.success(request, _("Rule saved: it applies to every run from now on."))
    return redirect("tags:formation", slug=slug)


@login_required
@require_POST
def rule_remove(request: AuthedHttpRequest, slug: str, pk: int) -> HttpResponse:
    rule = get_rule_for_user(request.user, slug, pk)
    if rule is None:
        messages.error(request, _("That rule no longer exists."))
    else:
        formation.remove_rule(rule=rule, by=request.user)
        messages.success(request, _("Rule removed."))
    return redirect("tags:formation", slug=slug)


@login_required
@require_POST
def capacities_save(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    programme = get_programme_for_user(request.user, slug, write=True)
    form = _capacity_form(programme, request.POST)
    if not form.is_valid():
        return _formation_page(request, programme, capacity_form=form, fragment="capacity-form")
    formation.set_capacities(capacities=form.capacities(), by=request.user)
    messages.success(request, _("Mentor capacities saved."))
    return redirect("tags:formation", slug=slug)


@login_required
@require_POST
def run_start(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    programme = get_programme_for_user(request.user, slug, write=True)
    form = RunForm(request.POST)
    if not form.is_valid():
        return _formation_page(request, programme, run_form=form, fragment="run-form")
    run = formation.run(
        programme=programme,
        min_size=form.cleaned_data["min_size"],
        max_size=form.cleaned_data["max_size"],
        by=request.user,
    )
    return redirect("tags:run", slug=slug, pk=run.pk)


# A run's proposal ----------------------------------------------------------------------


@login_required
@require_safe
def run_view(request: AuthedHttpRequest, slug: str, pk: int) -> HttpResponse:
    run = get_run_for_user(request.user, slug, pk)
    view = formation.present(run)
    changes = formation.changes_on_adoption(run) if view["groups"] and not run.adopted_at else None
    return render(request, "tags/run.html", {"programme": run.programme, "run": run, "view": view, "changes": changes})


@login_required
@require_POST
def run_adopt(request: AuthedHttpRequest, slug: str, pk: int) -> HttpResponse:
    run = get_run_for_user(request.user, slug, pk)
    try:
        count = formation.adopt(run=run, by=request.user)
    except ValidationError as error:
        fail(request, error)
        return redirect("tags:run", slug=slug, pk=run.pk)
    messages.success(request, _("%(count)s TAGs formed, with their sessions scheduled.") % {"count": count})
    return redirect("tags:tags", slug=slug)
