"""A city's assessments and its answers to one instrument: the page, saving, reopening."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from icc.assessments import access, actions
from icc.assessments.forms import ResponseForm
from icc.assessments.models import Instrument, InstrumentKind, Question, Response, Round
from icc.cities.access import can_edit_city, get_city_for_user
from icc.core.models import AuditEntry
from icc.core.responses import render_page
from icc.core.types import AuthedHttpRequest
from icc.ecosystem import reading as ecosystem_reading

RESPONSE_PAGE = "assessments/response.html"


@login_required
@require_safe
def city_assessments(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    city = get_city_for_user(request.user, pk)
    responses = {(r.instrument_id, r.round): r for r in Response.objects.filter(city=city)}
    answered = {instrument_id for instrument_id, _round in responses}
    latest: dict[str, int] = {}
    all_instruments = list(Instrument.objects.filter(programme_id=city.programme_id))
    for instrument in all_instruments:
        latest[instrument.key] = max(latest.get(instrument.key, 0), instrument.version)
    # The newest version of each instrument, and any older one the city has already answered.
    instruments = [i for i in all_instruments if i.version == latest[i.key] or i.pk in answered]
    rows = [
        (instrument, [(value, label, responses.get((instrument.pk, value))) for value, label in Round.choices])
        for instrument in instruments
    ]
    return render(
        request,
        "assessments/city_assessments.html",
        {
            "city": city,
            "rows": rows,
            "editable": can_edit_city(request.user, city),
            "ecosystem_insights": ecosystem_reading.for_assessments(request.user, city),
        },
    )


def _form(request: AuthedHttpRequest, response: Response, *, data: Any = None) -> ResponseForm:
    questions = list(Question.objects.filter(section__instrument=response.instrument).select_related("section"))
    initial = ResponseForm.initial_from(list(response.answers.all())) if response.pk else {}
    editable = can_edit_city(request.user, response.city) and not response.is_locked
    return ResponseForm(data, questions=questions, initial=initial, disabled=not editable)


def _context(request: AuthedHttpRequest, response: Response, form: ResponseForm) -> dict[str, Any]:
    city = response.city
    return {
        "city": city,
        "instrument": response.instrument,
        "response": response,
        "form": form,
        "editable": can_edit_city(request.user, city) and not response.is_locked,
        "may_reopen": response.is_locked and access.may_reopen(request.user, city),
        "history": AuditEntry.objects.for_object(response).select_related("actor")[:20] if response.pk else [],
        "round_label": Round(response.round).label,
    }


@login_required
@require_safe
def response_view(request: AuthedHttpRequest, pk: int, instrument_pk: int, round: str) -> HttpResponse:
    response = access.get_response_for_user(request.user, pk, instrument_pk, round)
    return render(request, RESPONSE_PAGE, _context(request, response, _form(request, response)))


@login_required
@require_POST
def response_save(request: AuthedHttpRequest, pk: int, instrument_pk: int, round: str) -> HttpResponse:
    """Save the answers as a draft, or submit them (the "Submit" button of the same form)."""
    response = access.get_response_for_user(request.user, pk, instrument_pk, round, write=True)
    form = _form(request, response, data=request.POST)
    if form.is_valid():
        submit = "submit" in request.POST
        try:
            actions.save_response(response=response, values=form.answers(), submit=submit, by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Submitted. Thank you.") if submit else _("Draft saved; you can come back to it.")
            )
            if submit and response.instrument.kind == InstrumentKind.SCAN:
                return redirect("assessments:result", pk=pk, instrument_pk=instrument_pk, round=round)
            return redirect(response)
    return render_page(request, RESPONSE_PAGE, _context(request, response, form), fragment="response-form")


@login_required
@require_POST
def response_reopen(request: AuthedHttpRequest, pk: int, instrument_pk: int, round: str) -> HttpResponse:
    response = access.get_response_to_reopen(request.user, pk, instrument_pk, round)
    actions.reopen_response(response=response, by=request.user)
    messages.success(request, _("The response was reopened; its earlier answers are kept."))
    return redirect(response)
