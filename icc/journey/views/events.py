"""A city's schedule and one event: the page, moving it, writing it up, its follow-ups."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from icc.cities.access import can_edit_city, get_city_for_user
from icc.core.responses import render_page
from icc.core.types import AuthedHttpRequest
from icc.core.versioning import Attempt, attempt
from icc.journey import actions, progress
from icc.journey.access import (
    get_city_event_for_user,
    get_event_for_user,
    get_follow_up_for_user,
    may_edit_event,
    organisations_of,
    people_for_event,
)
from icc.journey.forms import FollowUpForm, MoveEventForm, RecordEventForm
from icc.journey.models import Event
from icc.journey.views import context as page_context
from icc.library.access import visible_items

EVENT_PAGE = "journey/event_detail.html"


@login_required
@require_safe
def city_journey(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    city = get_city_for_user(request.user, pk)
    event_types = list(city.programme.event_types.all())
    events = list(
        Event.objects.for_city(city, event_types)
        .select_related("event_type", "phase")
        .annotate(open_follow_ups=Count("follow_ups", filter=Q(follow_ups__done_at__isnull=True)))
    )
    by_phase: dict[Any, list[Event]] = defaultdict(list)
    for event in events:
        by_phase[event.phase].append(event)
    phases = [(phase, by_phase.get(phase, [])) for phase in city.programme.phases.all() if by_phase.get(phase)]
    return render(
        request,
        "journey/city_journey.html",
        {
            "city": city,
            "phases": phases,
            "now": timezone.now(),
            "editable": can_edit_city(request.user, city),
            "summary": progress.city_summary(city, timezone.localdate()),
        },
    )


def record_form_for(event: Event, data: Any = None) -> RecordEventForm:
    organisations = organisations_of(event.city) if event.city else None
    return RecordEventForm(data, event=event, people=people_for_event(event), organisations=organisations)


def _event_page(
    request: AuthedHttpRequest,
    event: Event,
    *,
    move_form: MoveEventForm | None = None,
    record_form: RecordEventForm | None = None,
    follow_up_form: FollowUpForm | None = None,
    current: list[tuple[str, str]] | None = None,
    **forms: Any,
) -> dict[str, Any]:
    people = people_for_event(event)
    city = event.city
    may_edit = may_edit_event(request.user, event)
    context = {
        "event": event,
        "city": city,
        "may_edit": may_edit,
        "move_form": move_form if move_form is not None else MoveEventForm(event=event),
        "record_form": record_form if record_form is not None else record_form_for(event),
        "follow_up_form": follow_up_form if follow_up_form is not None else FollowUpForm(people=people),
        "follow_ups": event.follow_ups.select_related("owner", "city"),
        "attendees": event.attendees.all(),
        "attending_organisations": event.organisations.all() if city else [],
        "event_zone": city.time_zone if city else None,
        "toolbox": visible_items(request.user, event.event_type.programme).filter(event_types=event.event_type_id),
        "current": current,
    }
    if event.is_ecosystem_call:
        context |= page_context.call_context(request, event, may_edit=may_edit, **forms)
    if event.is_expert_visit:
        context |= page_context.visit_context(request, event, **forms)
    return context


def event_page(request: AuthedHttpRequest, event: Event, **forms: Any) -> dict[str, Any]:
    """The event page's context, with the given forms (bound, with their errors) in place of empty ones."""
    return _event_page(request, event, **forms)


@login_required
@require_safe
def event_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    event = get_event_for_user(request.user, pk)
    return render(request, EVENT_PAGE, _event_page(request, event))


@login_required
@require_POST
def event_move(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    event = get_event_for_user(request.user, pk, write=True)
    form = MoveEventForm(request.POST, event=event)
    outcome = Attempt(saved=False)
    if form.is_valid():
        data = form.cleaned_data
        outcome = attempt(
            request,
            form,
            lambda: actions.move_event(
                event=event,
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                location=data["location"],
                by=request.user,
                expected_version=data["version"],
            ),
        )
        if outcome.saved:
            messages.success(request, _("The event was moved. Calendars will show the new time."))
            return redirect(event)
    context = _event_page(request, event, move_form=form, current=outcome.current)
    return render_page(request, EVENT_PAGE, context, fragment="move-form")


@login_required
@require_POST
def event_record(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Write up the event: held or cancelled, who attended, minutes and outcomes."""
    event = get_event_for_user(request.user, pk, write=True)
    form = record_form_for(event, request.POST)
    outcome = Attempt(saved=False)
    if form.is_valid():
        data = form.cleaned_data
        outcome = attempt(
            request,
            form,
            lambda: actions.record_event(
                event=event,
                status=data["status"],
                minutes=data["minutes"],
                outcomes=data["outcomes"],
                attendees=data["attendees"],
                other_attendees=data["other_attendees"],
                organisations=data.get("organisations") if event.city else None,
                by=request.user,
                expected_version=data["version"],
            ),
        )
        if outcome.saved:
            messages.success(request, _("The record of the event was saved."))
            return redirect(event)
    context = _event_page(request, event, record_form=form, current=outcome.current)
    return render_page(request, EVENT_PAGE, context, fragment="record-form")


@login_required
@require_POST
def follow_up_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    event, city = get_city_event_for_user(request.user, pk, write=True)
    form = FollowUpForm(request.POST, people=people_for_event(event))
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.add_follow_up(
                event=event, city=city, text=data["text"], owner=data["owner"], due_on=data["due_on"], by=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The follow-up was added."))
            return redirect(event)
    context = _event_page(request, event, follow_up_form=form)
    return render_page(request, EVENT_PAGE, context, fragment="follow-up-form")


@login_required
@require_POST
def follow_up_done(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    follow_up = get_follow_up_for_user(request.user, pk)
    actions.complete_follow_up(follow_up=follow_up, by=request.user)
    messages.success(request, _("Marked as done: %(text)s") % {"text": follow_up.text})
    next_url = request.POST.get("next")
    if next_url and _safe(request, next_url):
        return redirect(next_url)
    return redirect(follow_up.event)


def _safe(request: HttpRequest, url: str | None) -> bool:
    return bool(url) and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()})
