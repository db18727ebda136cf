"""Indicator values and technology maturity, and the Excel workbook that fills them offline."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from icc.assessments import access, actions, indicators, workbook, workbook_review
from icc.assessments.access import CityRound
from icc.assessments.forms import IndicatorValuesForm, WorkbookUploadForm
from icc.assessments.models import IndicatorValue, MaturityRating
from icc.cities.access import can_edit_city
from icc.core.responses import render_page
from icc.core.types import AuthedHttpRequest

INDICATORS_PAGE = "assessments/indicators.html"
WORKBOOK_PAGE = "assessments/workbook.html"


# Indicator values ---------------------------------------------------------------------------


def _typed(value: Decimal) -> Decimal:
    """A stored value as it was typed: 7.8, not the column's 7.8000 (and 100, not 1E+2)."""
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def _values_form(found: CityRound, *, data: Any = None) -> tuple[IndicatorValuesForm, dict[int, IndicatorValue]]:
    city, round = found.city, found.round
    current = {v.indicator_id: v for v in IndicatorValue.objects.filter(city=city, round=round)}
    initial: dict[str, Any] = {}
    for indicator_id, value in current.items():
        initial.update(
            {f"v{indicator_id}": _typed(value.value), f"y{indicator_id}": value.year, f"s{indicator_id}": value.source}
        )
    form = IndicatorValuesForm(
        data,
        indicators=indicators.indicators_for(city),
        ratings=list(MaturityRating.objects.filter(city=city, round=round)),
        initial=initial,
        locked=any(v.submitted for v in current.values()),
    )
    return form, current


def _values_page(
    request: AuthedHttpRequest, found: CityRound, form: IndicatorValuesForm, current: dict[int, IndicatorValue]
) -> dict[str, Any]:
    locked = any(v.submitted for v in current.values())
    return {
        "city": found.city,
        "round": found.round,
        "round_label": found.round_label,
        "form": form,
        "editable": can_edit_city(request.user, found.city),
        "submitted": locked,
        "may_reopen": locked and access.may_reopen(request.user, found.city),
        "sources": current,
        "changes": indicators.round_comparison(found.city, indicators.indicators_for(found.city)),
    }


@login_required
@require_safe
def indicators_view(request: AuthedHttpRequest, pk: int, round: str) -> HttpResponse:
    found = access.get_indicator_set_for_user(request.user, pk, round)
    form, current = _values_form(found)
    return render(request, INDICATORS_PAGE, _values_page(request, found, form, current))


@login_required
@require_POST
def indicators_save(request: AuthedHttpRequest, pk: int, round: str) -> HttpResponse:
    """Save the values, or submit them (the "Submit" button of the same form) so they count for peers."""
    found = access.get_indicator_set_for_user(request.user, pk, round, write=True)
    form, current = _values_form(found, data=request.POST)
    if form.is_valid():
        submit = "submit" in request.POST
        try:
            indicators.save_values(
                city=found.city,
                round=found.round,
                values=form.values(),
                ratings=form.ratings(),
                submit=submit,
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Values submitted: they now count in peer comparisons.") if submit else _("Values saved.")
            )
            return redirect("assessments:indicators", pk=found.city.pk, round=found.round)
    context = _values_page(request, found, form, current)
    return render_page(request, INDICATORS_PAGE, context, fragment="values-form")


@login_required
@require_POST
def indicators_reopen(request: AuthedHttpRequest, pk: int, round: str) -> HttpResponse:
    found = access.get_indicator_set_to_reopen(request.user, pk, round)
    indicators.reopen_values(city=found.city, round=found.round, by=request.user)
    messages.success(request, _("The values were reopened: they leave peer comparisons until submitted again."))
    return redirect("assessments:indicators", pk=found.city.pk, round=found.round)


# The Excel round trip -----------------------------------------------------------------------


def _workbook_page(request: AuthedHttpRequest, found: CityRound, **extra: Any) -> dict[str, Any]:
    return {
        "city": found.city,
        "round": found.round,
        "round_label": found.round_label,
        "editable": can_edit_city(request.user, found.city),
        "form": WorkbookUploadForm(),
        **extra,
    }


@login_required
@require_safe
def workbook_view(request: AuthedHttpRequest, pk: int, round: str) -> HttpResponse:
    found = access.get_workbook_for_user(request.user, pk, round)
    if request.GET.get("download"):
        city, library = found.city, indicators.indicators_for(found.city)
        answers, values, ratings = workbook_review.current(city, found.round)
        content = workbook.build(city, found.round, answers=answers, values=values, ratings=ratings, indicators=library)
        response = HttpResponse(
            content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="assessment-{city.pk}-{found.round}.xlsx"'
        return response
    return render(request, WORKBOOK_PAGE, _workbook_page(request, found))


@login_required
@require_POST
def workbook_upload(request: AuthedHttpRequest, pk: int, round: str) -> HttpResponse:
    """Read an uploaded workbook and show what it would change; it is kept until it is confirmed."""
    found = access.get_workbook_for_user(request.user, pk, round, write=True)
    form = WorkbookUploadForm(request.POST, request.FILES)
    extra: dict[str, Any] = {"form": form}
    if form.is_valid():
        upload, library = form.cleaned_data["file"], indicators.indicators_for(found.city)
        parsed = workbook.read(
            upload.read(), filename=upload.name or "", city=found.city, round=found.round, indicators=library
        )
        extra["errors"] = parsed.errors
        if not parsed.errors:
            extra["changes"] = workbook_review.changes(found.city, found.round, parsed, library)
            request.session[workbook_review.session_key(found.city, found.round)] = workbook_review.payload(parsed)
    return render_page(request, WORKBOOK_PAGE, _workbook_page(request, found, **extra), fragment="upload")


@login_required
@require_POST
def workbook_confirm(request: AuthedHttpRequest, pk: int, round: str) -> HttpResponse:
    found = access.get_workbook_for_user(request.user, pk, round, write=True)
    payload = request.session.pop(workbook_review.session_key(found.city, found.round), None)
    if payload is None:
        messages.error(request, _("Nothing to confirm: upload the workbook again."))
        return redirect("assessments:workbook", pk=found.city.pk, round=found.round)
    try:
        actions.apply_workbook(city=found.city, round=found.round, payload=payload, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The workbook's answers were saved as a draft."))
    return redirect("assessments:workbook", pk=found.city.pk, round=found.round)
