"""A challenge taken further: a joint-procurement group of the cross-city labs, or a market
consultation providers answer; and a completed roadmap action recorded as a deployment."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from icc.cities.models import City
from icc.core.params import parse_id
from icc.core.types import AuthedHttpRequest
from icc.marketplace import access, actions
from icc.marketplace.forms import ActionDeploymentForm, ConsultationForm, ProcurementGroupForm, ResponseForm
from icc.marketplace.models import Challenge, MarketConsultation, MarketResponse, ProcurementGroup, Review, Solution
from icc.marketplace.views import challenges
from icc.roadmaps.access import get_action_for_user
from icc.roadmaps.models import Action, ActionStatus
from icc.tags.access import takes_part
from icc.tags.models import Lab

ACTION_DEPLOYMENT_PAGE = "marketplace/action_deployment.html"


def _consultation_form(data: Any = None) -> ConsultationForm:
    first, last = actions.consultation_dates()
    return ConsultationForm(data, first=first, last=last)


def _unanswered(person: Any, consultation: MarketConsultation) -> QuerySet[Solution]:
    programme = consultation.challenge.city.programme
    return (
        access.responding_solutions(person, programme)
        .exclude(market_responses__consultation=consultation)
        .select_related("provider")
        .order_by("name")
    )


def challenge_context(
    request: AuthedHttpRequest, challenge: Challenge, *, mine: list[City], shared_ids: set[int], forms: dict[str, Any]
) -> dict[str, Any]:
    """What the challenge page shows of its group and consultation, and the forms it offers."""
    person = request.user
    programme = challenge.city.programme
    leads = access.may_lead_challenge(person, challenge) and challenge.is_published
    group = ProcurementGroup.objects.filter(challenge=challenge).select_related("lab").first()
    members = list(group.members.order_by("name")) if group else []
    member_ids = {c.pk for c in members}
    consultation = MarketConsultation.objects.filter(challenge=challenge).first()
    context: dict[str, Any] = {
        "leads": leads,
        "lab_open": takes_part(person, programme),
        "group": group,
        "members": members,
        "joinable": [c for c in mine if c.pk in shared_ids and c.pk not in member_ids] if group else [],
        "leavable": [c for c in mine if c.pk in member_ids] if group else [],
        "consultation": consultation,
        "responses": [],
        "reads_responses": False,
        # What was refused, said above the section whether or not its form is offered again.
        "group_errors": _refusal(forms.get("group_form")),
        "consultation_errors": _refusal(forms.get("consultation_form"), forms.get("response_form")),
    }
    if leads and group is None and shared_ids:
        context["group_form"] = forms.get("group_form") or ProcurementGroupForm(programme=programme)
        context["has_labs"] = Lab.objects.filter(programme=programme).exists()
    if leads and consultation is None:
        context["consultation_form"] = forms.get("consultation_form") or _consultation_form()
    if consultation is not None:
        responses = MarketResponse.objects.filter(consultation=consultation).select_related(
            "solution__provider", "responded_by"
        )
        reads = access.reads_responses(person, consultation)
        context["reads_responses"] = reads
        context["response_count"] = responses.count()
        context["responses"] = list(responses if reads else responses.filter(responded_by=person))
        if consultation.is_open:
            solutions = _unanswered(person, consultation)
            if forms.get("response_form") is not None or solutions.exists():
                context["response_form"] = forms.get("response_form") or ResponseForm(solutions=solutions)
    return context


def _refusal(*forms: Any) -> list[str]:
    return [str(e) for form in forms if form is not None for e in form.non_field_errors()]


def _published(request: AuthedHttpRequest, pk: int) -> Challenge:
    """The challenge ``pk`` for its city team's (or the programme team's) writes."""
    challenge = access.get_challenge_for_user(request.user, pk)
    if not access.may_lead_challenge(request.user, challenge):
        raise PermissionDenied
    return challenge


# The joint-procurement group ------------------------------------------------------------------


@login_required
@require_POST
def group_form(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    challenge = _published(request, pk)
    form = ProcurementGroupForm(request.POST, programme=challenge.city.programme)
    if form.is_valid():
        try:
            actions.form_procurement_group(
                challenge=challenge, lab=form.cleaned_data["lab"], model=form.cleaned_data["model"], by=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
    if form.errors:
        return challenges.challenge_page(request, challenge, status=400, group_form=form)
    messages.success(request, _("The cities of this challenge are a joint-procurement group now."))
    return redirect(challenge)


def _team_city(request: AuthedHttpRequest, challenge: Challenge) -> City:
    """The city named in the POST, one the person writes for (403 otherwise)."""
    city_id = parse_id(request.POST.get("city", ""))
    if city_id is None or city_id not in access.team_city_ids(request.user, challenge.city.programme):
        raise PermissionDenied
    return City.objects.get(pk=city_id)


@login_required
@require_POST
def group_join(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    group = access.get_group_for_user(request.user, pk)
    city = _team_city(request, group.challenge)
    try:
        actions.join_procurement_group(group=group, city=city, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(city)s is in the joint-procurement group.") % {"city": city.name})
    return redirect(group.challenge)


@login_required
@require_POST
def group_leave(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    group = access.get_group_for_user(request.user, pk)
    city = _team_city(request, group.challenge)
    try:
        actions.leave_procurement_group(group=group, city=city, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(city)s has left the joint-procurement group.") % {"city": city.name})
    return redirect(group.challenge)


# The market consultation ----------------------------------------------------------------------


@login_required
@require_POST
def consultation_open(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    challenge = _published(request, pk)
    form = _consultation_form(request.POST)
    if form.is_valid():
        try:
            actions.open_consultation(
                challenge=challenge,
                question=form.cleaned_data["question"],
                closes_on=form.cleaned_data["closes_on"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
    if form.errors:
        return challenges.challenge_page(request, challenge, status=400, consultation_form=form)
    messages.success(request, _("The market consultation is open: providers can answer until its closing date."))
    return redirect(challenge)


@login_required
@require_POST
def consultation_close(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    consultation = access.get_consultation_for_user(request.user, pk)
    if not access.may_lead_challenge(request.user, consultation.challenge):
        raise PermissionDenied
    try:
        actions.close_consultation(consultation=consultation, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The consultation is closed: it takes no more responses."))
    return redirect(consultation.challenge)


@login_required
@require_POST
def consultation_respond(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    consultation = access.get_consultation_for_user(request.user, pk)
    programme = consultation.challenge.city.programme
    solutions = access.responding_solutions(request.user, programme)
    if not solutions.exists():
        raise PermissionDenied  # nobody's solution to answer with
    form = ResponseForm(request.POST, solutions=solutions)
    if form.is_valid():
        try:
            actions.respond_to_consultation(
                consultation=consultation,
                solution=form.cleaned_data["solution"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
    if form.errors:
        return challenges.challenge_page(request, consultation.challenge, status=400, response_form=form)
    messages.success(request, _("Your response is sent to the city."))
    return redirect(consultation.challenge)


# A completed roadmap action becomes a deployment ----------------------------------------------


def _deployable(request: AuthedHttpRequest, pk: int) -> Action:
    """A roadmap action its city's team records as a deployment in the marketplace."""
    action = get_action_for_user(request.user, pk, write=True)
    if not access.may_use_marketplace(request.user, action.city.programme):
        raise Http404
    return action


def _initial(action: Action, solutions: QuerySet[Solution]) -> dict[str, Any]:
    """Prefilled from the action: the marketplace solution named as the one it deploys, the
    day it ended (today at the latest), its first KPI."""
    names = [name.lower() for name in action.solutions.values_list("name", flat=True)]
    named = next((s for s in solutions if s.name.lower() in names), None)
    kpi = action.kpis.order_by("name").first()
    return {
        "solution": named.pk if named else None,
        "started_on": min(action.ends_on, timezone.localdate()),
        "kpi": kpi.pk if kpi else None,
    }


@login_required
@require_http_methods(["GET", "POST"])
def action_deployment(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    action = _deployable(request, pk)
    programme = action.city.programme
    solutions = (
        Solution.objects.filter(programme=programme, review=Review.PUBLISHED)
        .select_related("provider")
        .order_by("name")
    )
    form = ActionDeploymentForm(
        request.POST if request.method == "POST" else None,
        solutions=solutions,
        kpis=action.kpis.order_by("name"),
        initial=_initial(action, solutions),
    )
    done = action.status == ActionStatus.DONE
    if request.method == "POST":
        if not done:
            form.add_error(None, _("Only a completed action can be recorded as a deployment."))
        elif form.is_valid():
            data = form.cleaned_data
            try:
                deployment = actions.claim_deployment_of_action(
                    action=action,
                    solution=data["solution"],
                    started_on=data["started_on"],
                    scale=data["scale"],
                    outcome=data["outcome"],
                    kpi=data["kpi"],
                    by=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if deployment.is_confirmed:
                    messages.success(request, _("The deployment is recorded and confirmed by your city."))
                else:
                    messages.success(
                        request, _("The deployment is recorded; it counts once the city's representative confirms it.")
                    )
                return redirect(deployment.solution)
    context = {
        "programme": programme,
        "action": action,
        "city": action.city,
        "form": form,
        "done": done,
        "recorded": action.marketplace_deployments.select_related("solution"),
        "deploys": [s.name for s in action.solutions.all()],
        "confirms": access.speaks_for_city(request.user, action.city),
    }
    return render(request, ACTION_DEPLOYMENT_PAGE, context, status=400 if form.errors else 200)
