"""The cycle plan: review the last cycle, rank the top opportunities, plan owners, cycles and
budgets, the mayor's sign-off, and keep the plan. Each step is its own POST."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from icc.cities.access import can_edit_city
from icc.cities.models import City
from icc.cities.roles import is_mayor_of
from icc.core.formatting import format_money
from icc.core.responses import render_page
from icc.core.types import AuthedHttpRequest
from icc.ideas.listing import ideas_for_cycle
from icc.programmes.models import Cycle
from icc.roadmaps import actions, signoffs
from icc.roadmaps.access import get_cycle_for_user, get_cycle_to_sign_off
from icc.roadmaps.forms import CyclePlanForm, RankForm, ReallocationForm, owner_choices
from icc.roadmaps.models import Action, ActionStatus, BudgetSignOff, CyclePlan, Detail, Opportunity
from icc.roadmaps.review import cycle_review

PAGE = "roadmaps/cycle.html"


def _cycles(city: City) -> list[Cycle]:
    return list(Cycle.objects.filter(programme_id=city.programme_id))


def _rank_form(city: City, data: Any = None) -> RankForm:
    return RankForm(data, opportunities=list(Opportunity.objects.filter(city=city)))


def _lines(city: City, cycle: Cycle, cycles: list[Cycle], data: Any = None) -> list[ReallocationForm]:
    """One form per open action of ``cycle`` and the next two (or of no cycle yet)."""
    window = [c for c in cycles if cycle.number <= c.number <= cycle.number + 2]
    planned = (
        Action.objects.filter(city=city)
        .filter(Q(cycle__in=window) | Q(cycle__isnull=True))
        .exclude(status__in=[ActionStatus.DONE, ActionStatus.DROPPED])
        .select_related("cycle", "opportunity", "owner_person", "owner_organisation")
        .order_by("cycle__number", "opportunity__rank", "starts_on")
    )
    owners = owner_choices(city)
    choices: list[tuple[Any, str]] = [("", "—"), *((c.number, str(c)) for c in cycles)]
    return [ReallocationForm(data, prefix=f"a{a.pk}", action=a, owners=owners, cycles=choices) for a in planned]


def _page(
    request: AuthedHttpRequest,
    city: City,
    cycle: Cycle,
    *,
    cycles: list[Cycle] | None = None,
    rank_form: RankForm | None = None,
    lines: list[ReallocationForm] | None = None,
    plan_errors: list[str] | None = None,
    plan_form: CyclePlanForm | None = None,
    fragment: str | None = None,
) -> HttpResponse:
    """The cycle page; a step's invalid form is passed in and shown with its errors."""
    cycles = cycles if cycles is not None else _cycles(city)
    previous = next((c for c in cycles if c.number == cycle.number - 1), None)
    plan = CyclePlan.objects.filter(city=city, cycle=cycle).select_related("confirmed_by").first()
    sign_off = BudgetSignOff.objects.filter(city=city, cycle=cycle).select_related("signed_by").first()
    context = {
        "city": city,
        "cycle": cycle,
        "cycles": cycles,
        "editable": can_edit_city(request.user, city),
        "review": cycle_review(city, previous) if previous else None,
        "this_cycle": cycle_review(city, cycle),
        "rank_form": rank_form or _rank_form(city),
        "plan_form": plan_form or CyclePlanForm(initial={"review": plan.review if plan else ""}),
        "lines": lines if lines is not None else _lines(city, cycle, cycles),
        "plan_errors": plan_errors or [],
        "budget": actions.cycle_budget(city, cycle),
        "sign_off": sign_off,
        "sign_off_outdated": sign_off is not None
        and signoffs.is_outdated(sign_off, signoffs.budget_lines(city, cycle)),
        "mayor": is_mayor_of(request.user, city),
        "plan": plan,
        "detailed": Detail.DETAILED,
        # Citizens' ideas from the city's calls that prepare this cycle's planning.
        "idea_calls": ideas_for_cycle(city, cycle, tallies=can_edit_city(request.user, city)),
    }
    return render_page(request, PAGE, context, fragment=fragment)


@login_required
@require_safe
def cycle_view(request: AuthedHttpRequest, pk: int, number: int) -> HttpResponse:
    city, cycle = get_cycle_for_user(request.user, pk, number)
    return _page(request, city, cycle)


@login_required
@require_POST
def cycle_rank(request: AuthedHttpRequest, pk: int, number: int) -> HttpResponse:
    """Step 2: rank the opportunities to focus on in this cycle."""
    city, cycle = get_cycle_for_user(request.user, pk, number, write=True)
    form = _rank_form(city, request.POST)
    if not form.is_valid():
        return _page(request, city, cycle, rank_form=form, fragment="ranks-form")
    actions.rank_opportunities(city=city, ranks=form.ranks(), by=request.user)
    messages.success(request, _("Top opportunities saved."))
    return redirect("roadmaps:cycle", pk=city.pk, number=number)


@login_required
@require_POST
def cycle_reallocate(request: AuthedHttpRequest, pk: int, number: int) -> HttpResponse:
    """Step 3: the owners, cycles, levels of detail and budgets of the open actions.

    Nothing is saved while a line is invalid; a line someone else saved meanwhile is
    skipped and named, and the others are saved.
    """
    city, cycle = get_cycle_for_user(request.user, pk, number, write=True)
    cycles = _cycles(city)
    lines = _lines(city, cycle, cycles, request.POST)
    if not all(line.is_valid() for line in lines):
        return _page(request, city, cycle, cycles=cycles, lines=lines, fragment="plan-lines")
    by_number = {c.number: c for c in cycles}
    changed = [line.plan_line(by_number) for line in lines if line.has_changed()]
    try:
        stale = actions.reallocate(lines=changed, by=request.user)
    except ValidationError as error:
        return _page(
            request, city, cycle, cycles=cycles, lines=lines, plan_errors=error.messages, fragment="plan-lines"
        )
    if stale:
        messages.error(
            request,
            _("Someone else changed %(titles)s in the meantime; those lines were not saved. Nothing else was lost.")
            % {"titles": ", ".join(action.title for action in stale)},
        )
    else:
        messages.success(request, _("Owners, cycles and budgets saved."))
    return redirect("roadmaps:cycle", pk=city.pk, number=number)


@login_required
@require_POST
def cycle_confirm(request: AuthedHttpRequest, pk: int, number: int) -> HttpResponse:
    """Step 5: keep the plan, with the review of the last cycle and a snapshot of the roadmap."""
    city, cycle = get_cycle_for_user(request.user, pk, number, write=True)
    form = CyclePlanForm(request.POST)
    if not form.is_valid():
        return _page(request, city, cycle, plan_form=form, fragment="confirm-form")
    actions.confirm_cycle_plan(city=city, cycle=cycle, review=form.cleaned_data["review"], by=request.user)
    messages.success(request, _("Plan for %(cycle)s kept, with a snapshot of the roadmap.") % {"cycle": cycle})
    return redirect("roadmaps:cycle", pk=city.pk, number=number)


@login_required
@require_POST
def sign_off_view(request: AuthedHttpRequest, pk: int, number: int) -> HttpResponse:
    """Step 4: the mayor signs off the cycle budget."""
    city, cycle = get_cycle_to_sign_off(request.user, pk, number)
    sign_off = actions.sign_off_budget(city=city, cycle=cycle, by=request.user)
    messages.success(
        request,
        _("You signed off %(amount)s for %(cycle)s.") % {"amount": format_money(sign_off.amount), "cycle": cycle},
    )
    return redirect("roadmaps:cycle", pk=city.pk, number=number)
