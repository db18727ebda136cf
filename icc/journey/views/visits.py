"""A city's transversal expert visits: the balance of its credit, booking, cancelling, the report."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from icc.cities.access import can_edit_city, get_city_for_user
from icc.cities.models import City
from icc.core.responses import render_page
from icc.core.types import AuthedHttpRequest
from icc.journey import actions
from icc.journey.access import get_visit_for_user, transversal_experts
from icc.journey.forms import VisitForm, VisitReportForm
from icc.journey.models import ExpertVisit, VisitStatus
from icc.journey.views.events import EVENT_PAGE, event_page

VISITS_PAGE = "journey/visits.html"


def _visit_form(city: City, data: Any = None) -> VisitForm:
    return VisitForm(data, programme=city.programme, experts=transversal_experts(city.programme))


def _visits_page(request: AuthedHttpRequest, city: City, *, form: VisitForm | None = None) -> dict[str, Any]:
    event_type = actions.visit_event_type(city.programme)
    visits = list(
        ExpertVisit.objects.filter(city=city)
        .select_related("event", "service", "expert")
        .order_by("event__starts_at", "pk")
    )
    balance = actions.Balance(credit=actions.visit_credit(event_type), used=sum(1 for visit in visits if visit.counts))
    editable = can_edit_city(request.user, city)
    if form is None and editable and balance.remaining and event_type is not None:
        form = _visit_form(city)
    return {
        "city": city,
        "visits": visits,
        "balance": balance,
        "editable": editable,
        "form": form,
        "booked": VisitStatus.BOOKED,
        "has_visit_type": event_type is not None,
    }


@login_required
@require_safe
def visits(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    city = get_city_for_user(request.user, pk)
    return render(request, VISITS_PAGE, _visits_page(request, city))


@login_required
@require_POST
def visit_book(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    city = get_city_for_user(request.user, pk, write=True)
    form = _visit_form(city, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            visit = actions.book_visit(
                city=city,
                service=data["service"],
                expert=data["expert"],
                day=data["day"],
                purpose=data["purpose"],
                location=data["location"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Visit booked: %(expert)s for %(service)s. It is in the city's schedule and calendars.")
                % {"expert": visit.expert, "service": visit.service},
            )
            return redirect("journey:visits", pk=city.pk)
    return render_page(request, VISITS_PAGE, _visits_page(request, city, form=form), fragment="visit-form")


@login_required
@require_POST
def visit_cancel(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    visit = get_visit_for_user(request.user, pk, write=True)
    try:
        actions.cancel_visit(visit=visit, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The visit was cancelled and its credit given back."))
    return redirect("journey:visits", pk=visit.city.pk)


@login_required
@require_POST
def visit_report(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The report after the visit, by the city's team or the visiting expert."""
    visit = get_visit_for_user(request.user, pk, report=True)
    form = VisitReportForm(request.POST)
    if form.is_valid():
        try:
            actions.report_visit(visit=visit, report=form.cleaned_data["report"], by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The report of the visit was saved."))
            return redirect(visit.event)
    context = event_page(request, visit.event, report_form=form)
    return render_page(request, EVENT_PAGE, context, fragment="visit-report-form")
