"""The writes of an ecosystem call: its agenda, its agreements and their review; and the page
of one agreement, where it is turned into a roadmap action or a follow-up later on."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from icc.core.responses import render_page
from icc.core.types import AuthedHttpRequest
from icc.journey import actions
from icc.journey.access import (
    get_agenda_item_for_user,
    get_agreement_for_user,
    get_call_for_user,
    get_review_pair_for_user,
    organisations_of,
    people_for_event,
)
from icc.journey.forms import AgendaItemForm, BecomesForm
from icc.journey.models import Agreement
from icc.journey.views.context import agreement_form_for
from icc.journey.views.events import EVENT_PAGE, event_page
from icc.roadmaps.models import Opportunity

AGREEMENT_PAGE = "journey/agreement.html"


@login_required
@require_POST
def agenda_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    event, _city = get_call_for_user(request.user, pk, write=True)
    form = AgendaItemForm(request.POST)
    if form.is_valid():
        try:
            actions.add_agenda_item(
                event=event,
                title=form.cleaned_data["title"],
                duration_minutes=form.cleaned_data["duration_minutes"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Added to the agenda."))
            return redirect(f"{event.get_absolute_url()}#agenda-heading")
    return render_page(request, EVENT_PAGE, event_page(request, event, agenda_form=form), fragment="agenda")


@login_required
@require_POST
def agenda_illustrative(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    event, _city = get_call_for_user(request.user, pk, write=True)
    try:
        actions.use_illustrative_agenda(event=event, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The illustrative agenda was copied; adapt it to this call."))
    return redirect(f"{event.get_absolute_url()}#agenda-heading")


@login_required
@require_POST
def agenda_move(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    item = get_agenda_item_for_user(request.user, pk)
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        messages.error(request, _("Say whether the item moves up or down."))
    else:
        actions.move_agenda_item(item=item, up=direction == "up", by=request.user)
    return redirect(f"{item.event.get_absolute_url()}#agenda-heading")


@login_required
@require_POST
def agenda_remove(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    item = get_agenda_item_for_user(request.user, pk)
    event = item.event
    actions.remove_agenda_item(item=item, by=request.user)
    messages.success(request, _("Removed from the agenda: %(item)s") % {"item": item.title})
    return redirect(f"{event.get_absolute_url()}#agenda-heading")


@login_required
@require_POST
def agreement_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Record an agreement and, in the same step, make it a roadmap action or a follow-up."""
    event, _city = get_call_for_user(request.user, pk, write=True)
    form = agreement_form_for(event, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            agreement = actions.record_agreement(
                event=event,
                text=data["text"],
                organisation=data["organisation"],
                becomes=data["becomes"],
                owner_person=data["owner_person"],
                owner_organisation=data["owner_organisation"],
                due_on=data["due_on"],
                opportunity=data["opportunity"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _becomes_message(agreement))
            return redirect(f"{event.get_absolute_url()}#agreements-heading")
    return render_page(request, EVENT_PAGE, event_page(request, event, agreement_form=form), fragment="agreement-form")


def _becomes_message(agreement: Agreement) -> str:
    if agreement.action_id:
        return _("Agreement recorded; it is now an action of the roadmap.")
    if agreement.follow_up_id:
        return _("Agreement recorded; it is now a follow-up of this call.")
    return _("Agreement recorded.")


def _becomes_form(agreement: Agreement, data: Any = None) -> BecomesForm:
    return BecomesForm(
        data,
        city=agreement.city,
        people=people_for_event(agreement.event),
        organisations=organisations_of(agreement.city),
        opportunities=Opportunity.objects.filter(city=agreement.city),
    )


def _agreement_page(
    request: AuthedHttpRequest, agreement: Agreement, form: BecomesForm | None = None
) -> dict[str, Any]:
    from icc.cities.access import can_edit_city

    editable = can_edit_city(request.user, agreement.city) and not (agreement.action_id or agreement.follow_up_id)
    return {
        "agreement": agreement,
        "event": agreement.event,
        "city": agreement.city,
        "reviews": agreement.reviews.select_related("event__event_type", "by"),
        "form": form if form is not None else (_becomes_form(agreement) if editable else None),
    }


@login_required
@require_safe
def agreement_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    agreement = get_agreement_for_user(request.user, pk)
    return render(request, AGREEMENT_PAGE, _agreement_page(request, agreement))


@login_required
@require_POST
def agreement_convert(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Turn a recorded agreement into a roadmap action or a follow-up of its city."""
    agreement = get_agreement_for_user(request.user, pk, write=True)
    form = _becomes_form(agreement, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            agreement = actions.turn_agreement_into(
                agreement=agreement,
                becomes=data["becomes"],
                owner_person=data["owner_person"],
                owner_organisation=data["owner_organisation"],
                due_on=data["due_on"],
                opportunity=data["opportunity"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("It is now an action of the roadmap.")
                if agreement.action_id
                else _("It is now a follow-up of the call."),
            )
            return redirect("journey:agreement", pk=agreement.pk)
    return render_page(request, AGREEMENT_PAGE, _agreement_page(request, agreement, form), fragment="becomes-form")


@login_required
@require_POST
def agreement_review(request: AuthedHttpRequest, pk: int, agreement_pk: int) -> HttpResponse:
    """The call marks an agreement of an earlier call done, or carries it over to the next call."""
    event, agreement = get_review_pair_for_user(request.user, pk, agreement_pk)
    try:
        actions.review_agreement(
            event=event, agreement=agreement, outcome=str(request.POST.get("outcome", "")), by=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Review saved: %(text)s") % {"text": agreement.text})
    return redirect(f"{event.get_absolute_url()}#review-heading")
