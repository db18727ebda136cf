from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from icc.assessments import actions, charts, scoring
from icc.assessments.forms import ResponseForm
from icc.assessments.models import Answer, Instrument, InstrumentKind, Question, Response, ResponseStatus, Round
from icc.cities.access import can_edit_city, get_city_for_user, is_programme_team
from icc.cities.models import City
from icc.core.models import AuditEntry
from icc.core.types import AuthedHttpRequest
from icc.journey.actions import is_lead_expert


def _instrument(city: City, instrument_pk: int, round: str) -> Instrument:
    instrument = Instrument.objects.filter(pk=instrument_pk, programme_id=city.programme_id).first()
    if instrument is None or round not in Round.values:
        raise Http404
    return instrument


@login_required
@require_GET
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
        {"city": city, "rows": rows, "editable": can_edit_city(request.user, city)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def response_view(request: AuthedHttpRequest, pk: int, instrument_pk: int, round: str) -> HttpResponse:
    city = get_city_for_user(request.user, pk)
    instrument = _instrument(city, instrument_pk, round)
    response = actions.response_for(instrument=instrument, city=city, round=round)
    questions = list(Question.objects.filter(section__instrument=instrument).select_related("section"))
    editable = can_edit_city(request.user, city) and not response.is_locked
    may_reopen = response.is_locked and (
        is_lead_expert(request.user, city) or is_programme_team(request.user, city.programme)
    )
    initial = ResponseForm.initial_from(list(response.answers.all())) if response.pk else {}
    form = ResponseForm(
        request.POST if request.method == "POST" and "reopen" not in request.POST else None,
        questions=questions,
        initial=initial,
        disabled=not editable,
    )
    if request.method == "POST":
        if "reopen" in request.POST:
            if not may_reopen:
                raise PermissionDenied
            actions.reopen_response(response=response, by=request.user)
            messages.success(request, _("The response was reopened; its earlier answers are kept."))
            return redirect(response)
        if not editable:
            raise PermissionDenied
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
                if submit and instrument.kind == InstrumentKind.SCAN:
                    return redirect("assessments:result", pk=city.pk, instrument_pk=instrument.pk, round=round)
                return redirect(response)
    history = AuditEntry.objects.for_object(response).select_related("actor")[:20] if response.pk else []
    return render(
        request,
        "assessments/response.html",
        {
            "city": city,
            "instrument": instrument,
            "response": response,
            "form": form,
            "editable": editable,
            "may_reopen": may_reopen,
            "history": history,
            "round_label": Round(round).label,
        },
    )


REASON_TEXT = {
    "weak-performance": _("performance is weak (%(value).1f of 5): much to gain"),
    "middling-performance": _("performance is middling (%(value).1f of 5)"),
    "strong-performance": _("performance is already strong (%(value).1f of 5): less to gain"),
    "mature": _("technology maturity is %(value).1f of 5: solutions to build on"),
    "immature": _("technology maturity is low (%(value).1f of 5): more groundwork needed"),
    "unknowns": _("“don't know” answers: %(value)d, worth finding out before choosing"),
    "too-few": _("too few answers to rank (%(value)d of %(total)d)"),
}


def scan_result(response: Response) -> dict[str, Any]:
    answers = list(response.answers.select_related("question__section"))
    sections = list(response.instrument.sections.all())
    titles = {s.key: s.title for s in sections}
    scan_answers = [
        scoring.ScanAnswer(
            a.question.section.key, a.question.dimension, None if a.unknown or a.value is None else int(a.value)
        )
        for a in answers
    ]
    asked = {a.question_id for a in answers}
    scan_answers += [
        scoring.ScanAnswer(q.section.key, q.dimension, None)
        for q in Question.objects.filter(section__instrument=response.instrument).select_related("section")
        if q.pk not in asked
    ]
    profiles = scoring.profile(scan_answers, [s.key for s in sections])
    ranking = [
        {
            "rank": r.rank,
            "theme": titles[r.theme],
            "score": r.score,
            "reasons": [
                str(REASON_TEXT[reason.code]) % {"value": reason.value, "total": reason.total} for reason in r.reasons
            ],
        }
        for r in scoring.rank(profiles)
    ]
    svg = charts.radar(
        axes=[titles[p.theme] for p in profiles],
        series=[
            charts.Series(str(_("City performance")), [p.performance for p in profiles], "performance"),
            charts.Series(str(_("Technology maturity")), [p.maturity for p in profiles], "maturity"),
        ],
        title=str(_("Profile per theme, from 1 (weakest) to 5 (strongest)")),
    )
    return {"profiles": [(titles[p.theme], p) for p in profiles], "ranking": ranking, "chart": mark_safe(svg)}  # noqa: S308 - built from escaped parts


@login_required
@require_GET
def result_view(request: AuthedHttpRequest, pk: int, instrument_pk: int, round: str) -> HttpResponse:
    city = get_city_for_user(request.user, pk)
    instrument = _instrument(city, instrument_pk, round)
    response = Response.objects.filter(
        instrument=instrument, city=city, round=round, status=ResponseStatus.SUBMITTED
    ).first()
    if response is None or instrument.kind != InstrumentKind.SCAN:
        raise Http404
    return render(
        request,
        "assessments/result.html",
        {"city": city, "instrument": instrument, "response": response, **scan_result(response)},
    )


def _display(answer: Any) -> str:
    if answer is None:
        return "—"
    if answer.unknown:
        return str(_("Don't know"))
    if isinstance(answer.value, list):
        return ", ".join(str(v) for v in answer.value)
    return str(answer.value)


def _change(before: Any, after: Any) -> str:
    try:
        delta = float(after.value) - float(before.value)
    except (AttributeError, TypeError, ValueError):
        return ""
    return f"{delta:+g}"


@login_required
@require_GET
def compare_view(request: AuthedHttpRequest, pk: int, instrument_pk: int) -> HttpResponse:
    """Baseline against re-run, question by question."""
    city = get_city_for_user(request.user, pk)
    instrument = _instrument(city, instrument_pk, Round.BASELINE)
    answers: dict[tuple[str, int], Any] = {}
    for answer in Answer.objects.filter(response__instrument=instrument, response__city=city).select_related(
        "response"
    ):
        answers[(answer.response.round, answer.question_id)] = answer
    rows = []
    for question in Question.objects.filter(section__instrument=instrument).select_related("section"):
        before, after = answers.get((Round.BASELINE, question.pk)), answers.get((Round.RERUN, question.pk))
        rows.append(
            {
                "section": question.section.title,
                "question": question,
                "baseline": _display(before),
                "rerun": _display(after),
                "change": _change(before, after) if before and after else "",
            }
        )
    return render(request, "assessments/compare.html", {"city": city, "instrument": instrument, "rows": rows})
