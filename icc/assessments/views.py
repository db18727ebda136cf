from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from icc.assessments import actions, charts, indicators, scoring, survey, workbook
from icc.assessments.forms import (
    CampaignForm,
    IndicatorValuesForm,
    InviteStakeholdersForm,
    PeerPopulationForm,
    QuestionEditForm,
    ResponseForm,
    WorkbookUploadForm,
)
from icc.assessments.models import (
    MIN_RESPONSES,
    Answer,
    IndicatorValue,
    Instrument,
    InstrumentKind,
    MaturityRating,
    PeerPopulation,
    Question,
    Response,
    ResponseStatus,
    Round,
    SatCampaign,
)
from icc.cities.access import can_edit_city, get_city_for_user, get_programme_for_user, is_programme_team
from icc.cities.models import City
from icc.cities.roles import is_lead_expert_of
from icc.core.exports import csv_response
from icc.core.models import AuditEntry, AuditKind, record
from icc.core.types import AuthedHttpRequest


def _instrument(city: City, instrument_pk: int, round: str) -> Instrument:
    instrument = Instrument.objects.filter(pk=instrument_pk, programme_id=city.programme_id).first()
    if instrument is None or round not in Round.values or instrument.kind == InstrumentKind.ENABLERS:
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
        is_lead_expert_of(request.user, city) or is_programme_team(request.user, city.programme)
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


# The anonymous local-enablers survey -------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def survey_manage(request: AuthedHttpRequest, pk: int, round: str) -> HttpResponse:
    city = get_city_for_user(request.user, pk)
    instrument = survey.enablers_instrument(city)
    if instrument is None or round not in Round.values:
        raise Http404
    campaign = SatCampaign.objects.filter(instrument=instrument, city=city, round=round).first()
    editable = can_edit_city(request.user, city)
    action = request.POST.get("action")
    campaign_form = CampaignForm(
        request.POST if action == "open" else None, initial={"closes_on": campaign.closes_on if campaign else None}
    )
    invite_form = InviteStakeholdersForm(request.POST if action == "invite" else None)
    share_link = None
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        if action == "open" and campaign_form.is_valid():
            try:
                survey.open_campaign(
                    city=city,
                    instrument=instrument,
                    round=round,
                    closes_on=campaign_form.cleaned_data["closes_on"],
                    by=request.user,
                )
            except ValidationError as error:
                campaign_form.add_error("closes_on", error)
            else:
                messages.success(request, _("The survey is open."))
                return redirect("assessments:survey_manage", pk=city.pk, round=round)
        elif action in ("invite", "share", "close") and campaign is None:
            raise Http404
        elif action == "close" and campaign is not None:
            try:
                survey.close_campaign(campaign=campaign, by=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("The survey is closed: it takes no more answers."))
            return redirect("assessments:survey_manage", pk=city.pk, round=round)
        elif action == "invite" and campaign is not None and invite_form.is_valid():
            try:
                count = survey.invite(campaign=campaign, emails=invite_form.cleaned_data["emails"], by=request.user)
            except ValidationError as error:
                invite_form.add_error("emails", error)
            else:
                messages.success(request, _("%(n)s invitations sent.") % {"n": count})
                return redirect("assessments:survey_manage", pk=city.pk, round=round)
        elif action == "share" and campaign is not None:
            try:
                share_link = survey.new_share_link(campaign=campaign, by=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
    results = survey.results(campaign) if campaign else None
    if request.GET.get("format") == "csv":
        return _survey_csv(city, round, results)
    context = {
        "city": city,
        "instrument": instrument,
        "campaign": campaign,
        "round": round,
        "round_label": Round(round).label,
        "editable": editable,
        "campaign_form": campaign_form,
        "invite_form": invite_form,
        "share_link": share_link,
        "closed": survey.is_closed(campaign) if campaign else False,
        "invitations": campaign.invitations_sent if campaign else 0,
        "min_responses": MIN_RESPONSES,
        "results": results,
    }
    return render(request, "assessments/survey_manage.html", context)


def _survey_csv(city: City, round: str, results: dict[str, Any] | None) -> HttpResponse:
    if results is None:
        raise Http404
    # The released figures only (noisy counts), one row per dimension in the instrument's order.
    fewer = _("too few answers to show")
    rows = [
        [title, *[""] * 8, fewer] if r is None else [title, r.answers, r.unknown, r.mean, *r.distribution, ""]
        for title, r in results["rows"]
    ]
    return csv_response(
        f"local-enablers-{city.pk}-{round}.csv",
        ["dimension", "answers", "dont_know", "mean", "n1", "n2", "n3", "n4", "n5", "note"],
        rows,
    )


# The survey links this browser has answered: short digests, never the answers.
ANSWERED_COOKIE = "icc_answered"


@require_http_methods(["GET", "POST"])
def survey_answer(request: HttpRequest, kind: str, token: str) -> HttpResponse:
    """The public, anonymous answer page: no account, nothing kept about who answers.

    After answering, the browser keeps, in a signed cookie of its own (nothing on the
    server), that it answered this link: the link then says thank you instead of showing
    the form again, and one browser answers a shared link once."""
    link = survey.digest(f"{kind}:{token}")[:20]
    answered = (request.get_signed_cookie(ANSWERED_COOKIE, default="", salt=ANSWERED_COOKIE) or "").split(",")
    if link in answered:
        return render(request, "assessments/survey_thanks.html", {"again": request.method == "POST"})
    try:
        campaign, _invitation = survey.campaign_for(kind, token)
    except survey.SurveyClosed as closed:
        return render(request, "assessments/survey_closed.html", {"reason": str(closed)}, status=404)
    if not survey.may_answer(request.user, campaign.city):
        return render(request, "assessments/survey_refused.html", {"campaign": campaign}, status=403)
    questions = list(Question.objects.filter(section__instrument=campaign.instrument).select_related("section"))
    form = ResponseForm(request.POST or None, questions=questions)
    if request.method == "POST" and form.is_valid():
        if kind == "s" and survey.share_rate_limited(campaign, survey.client_address(request)):
            return render(
                request,
                "assessments/survey_closed.html",
                {"reason": _("Too many answers came from your network in the last hour. Please try again later.")},
                status=429,
            )
        try:
            survey.submit_answers(kind=kind, token=token, values=form.answers())
        except survey.SurveyClosed as closed:
            return render(request, "assessments/survey_closed.html", {"reason": str(closed)}, status=404)
        response = redirect(request.path)
        response.set_signed_cookie(
            ANSWERED_COOKIE,
            ",".join([*[a for a in answered if a][-19:], link]),
            salt=ANSWERED_COOKIE,
            max_age=60 * 60 * 24 * 366,
            path="/survey/",
            secure=request.is_secure(),
            httponly=True,
            samesite="Lax",
        )
        return response
    return render(
        request,
        "assessments/survey_answer.html",
        {"campaign": campaign, "form": form, "min_responses": MIN_RESPONSES},
    )


# Indicators, technology maturity and peers ------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def indicators_view(request: AuthedHttpRequest, pk: int, round: str) -> HttpResponse:
    city = get_city_for_user(request.user, pk)
    if round not in Round.values:
        raise Http404
    library = indicators.indicators_for(city)
    ratings = list(MaturityRating.objects.filter(city=city, round=round))
    current = {v.indicator_id: v for v in IndicatorValue.objects.filter(city=city, round=round)}
    initial: dict[str, Any] = {}
    for indicator_id, value in current.items():
        initial.update(
            {f"v{indicator_id}": value.value, f"y{indicator_id}": value.year, f"s{indicator_id}": value.source}
        )
    editable = can_edit_city(request.user, city)
    locked = any(v.submitted for v in current.values())
    may_reopen = locked and indicators.may_reopen_values(request.user, city)
    posted = request.POST if request.method == "POST" and "reopen" not in request.POST else None
    form = IndicatorValuesForm(posted, indicators=library, ratings=ratings, initial=initial, locked=locked)
    if request.method == "POST" and "reopen" in request.POST:
        if not may_reopen:
            raise PermissionDenied
        indicators.reopen_values(city=city, round=round, by=request.user)
        messages.success(request, _("The values were reopened: they leave peer comparisons until submitted again."))
        return redirect("assessments:indicators", pk=city.pk, round=round)
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        if form.is_valid():
            submit = "submit" in request.POST
            try:
                indicators.save_values(
                    city=city, round=round, values=form.values(), ratings=form.ratings(), submit=submit, by=request.user
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("Values submitted: they now count in peer comparisons.") if submit else _("Values saved."),
                )
                return redirect("assessments:indicators", pk=city.pk, round=round)
    return render(
        request,
        "assessments/indicators.html",
        {
            "city": city,
            "round": round,
            "round_label": Round(round).label,
            "form": form,
            "editable": editable,
            "submitted": locked,
            "may_reopen": may_reopen,
            "sources": current,
            "changes": indicators.round_comparison(city, library),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def peers_view(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The peer comparison; the programme team also confirms here the population it is based on."""
    city = get_city_for_user(request.user, pk)
    round = request.GET.get("round", Round.BASELINE)
    if round not in Round.values:
        round = Round.BASELINE
    manage = is_programme_team(request.user, city.programme)
    confirmed = PeerPopulation.objects.filter(city=city).first()
    population_form = None
    if manage:
        population_form = PeerPopulationForm(
            request.POST if request.method == "POST" else None,
            initial={"population": confirmed.population if confirmed else None},
        )
    if request.method == "POST":
        if population_form is None:
            raise PermissionDenied
        if population_form.is_valid():
            try:
                indicators.confirm_peer_population(
                    city=city, population=population_form.cleaned_data["population"], by=request.user
                )
            except ValidationError as error:
                population_form.add_error("population", error)
            else:
                messages.success(request, _("The population for peer comparisons was confirmed."))
                return redirect("assessments:peers", pk=city.pk)
    return render(
        request,
        "assessments/peers.html",
        {
            "city": city,
            "rows": indicators.comparison(city, indicators.indicators_for(city), round, viewer=request.user),
            "band": indicators.peer_band(city),
            "confirmed": confirmed,
            "population_form": population_form,
            "min_peers": indicators.MIN_PEERS,
            "round": round,
        },
    )


# Excel round trip -------------------------------------------------------------------------


def _current(city: City, round: str, library: list[Any]) -> tuple[dict[int, Any], dict[int, Any], list[Any]]:
    answers = {
        a.question_id: (a.value, a.unknown)
        for a in Answer.objects.filter(
            response__city=city, response__round=round, response__instrument__in=workbook.answerable(city)
        )
    }
    values = {
        v.indicator_id: (v.value, v.year, v.source) for v in IndicatorValue.objects.filter(city=city, round=round)
    }
    ratings = list(MaturityRating.objects.filter(city=city, round=round))
    return answers, values, ratings


def _session_key(city: City, round: str) -> str:
    return f"assessment-workbook:{city.pk}:{round}"


@login_required
@require_http_methods(["GET", "POST"])
def workbook_view(request: AuthedHttpRequest, pk: int, round: str) -> HttpResponse:
    city = get_city_for_user(request.user, pk)
    if round not in Round.values:
        raise Http404
    library = indicators.indicators_for(city)
    answers, values, ratings = _current(city, round, library)
    if request.GET.get("download"):
        content = workbook.build(city, round, answers=answers, values=values, ratings=ratings, indicators=library)
        response = HttpResponse(
            content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="assessment-{city.pk}-{round}.xlsx"'
        return response
    editable = can_edit_city(request.user, city)
    context: dict[str, Any] = {
        "city": city,
        "round": round,
        "round_label": Round(round).label,
        "editable": editable,
        "form": WorkbookUploadForm(),
    }
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        if request.POST.get("action") == "confirm":
            payload = request.session.pop(_session_key(city, round), None)
            if payload is None:
                messages.error(request, _("Nothing to confirm: upload the workbook again."))
                return redirect("assessments:workbook", pk=city.pk, round=round)
            try:
                _apply(city, round, payload, request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("The workbook's answers were saved as a draft."))
            return redirect("assessments:workbook", pk=city.pk, round=round)
        form = WorkbookUploadForm(request.POST, request.FILES)
        context["form"] = form
        if form.is_valid():
            upload = form.cleaned_data["file"]
            parsed = workbook.read(
                upload.read(), filename=upload.name or "", city=city, round=round, indicators=library
            )
            context["errors"] = parsed.errors
            if not parsed.errors:
                context["changes"] = _changes(city, parsed, answers, values, ratings, library)
                request.session[_session_key(city, round)] = {
                    "answers": {str(i): {str(q): list(a) for q, a in qs.items()} for i, qs in parsed.answers.items()},
                    "values": {str(i): [str(v[0]), v[1], v[2]] if v else None for i, v in parsed.values.items()},
                    "ratings": [list(r) for r in parsed.ratings],
                }
    return render(request, "assessments/workbook.html", context)


def _changes(
    city: City, parsed: Any, answers: dict[int, Any], values: dict[int, Any], ratings: list[Any], library: list[Any]
) -> list[tuple[str, str, str, str]]:
    questions = {q.pk: q for q in Question.objects.filter(section__instrument__in=workbook.answerable(city))}
    changes = []

    def shown(answer: Any) -> str:
        if answer is None:
            return "—"
        return str(_("Don't know")) if answer[1] else str(answer[0])

    for instrument_answers in parsed.answers.values():
        for question_id, answer in instrument_answers.items():
            before = answers.get(question_id)
            if before is None or tuple(before) != tuple(answer):
                changes.append((str(_("Question")), questions[question_id].text, shown(before), shown(answer)))
    for indicator in library:
        before, after = values.get(indicator.pk), parsed.values.get(indicator.pk)
        if (before and (Decimal(before[0]), before[1], before[2])) != (after and (after[0], after[1], after[2])):
            fmt = lambda v: f"{v[0].normalize() if isinstance(v[0], Decimal) else v[0]} ({v[1]}, {v[2]})" if v else "—"  # noqa: E731
            changes.append((str(_("Indicator")), indicator.name, fmt(before), fmt(after)))
    old = {(r.solution, r.level, r.target) for r in ratings}
    new = set(parsed.ratings)
    for solution, level, target in sorted(new - old):
        changes.append((str(_("Solution")), solution, "—", f"{level} → {target}"))
    for solution, level, target in sorted(old - new):
        changes.append((str(_("Solution")), solution, f"{level} → {target}", "—"))
    return changes


def _apply(city: City, round: str, payload: dict[str, Any], by: Any) -> None:
    with transaction.atomic():
        for instrument in workbook.answerable(city):
            given = payload["answers"].get(str(instrument.pk), {})
            response = actions.response_for(instrument=instrument, city=city, round=round)
            if response.is_locked:
                if given:
                    raise ValidationError(
                        _("%(name)s is submitted and locked; ask your lead expert to reopen it first.")
                        % {"name": instrument.name}
                    )
                continue
            actions.save_response(
                response=response, values={int(q): (a[0], a[1]) for q, a in given.items()}, submit=False, by=by
            )
        indicators.save_values(
            city=city,
            round=round,
            values={int(i): (Decimal(v[0]), v[1], v[2]) if v else None for i, v in payload["values"].items()},
            ratings=[tuple(r) for r in payload["ratings"]],
            submit=False,
            by=by,
        )


# The programme team's instruments -------------------------------------------------------


@login_required
@require_GET
def instruments_view(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    programme = get_programme_for_user(request.user, slug, manage=True)
    items = Instrument.objects.filter(programme=programme).prefetch_related("sections__questions")
    return render(request, "assessments/instruments.html", {"programme": programme, "instruments": items})


@login_required
@require_http_methods(["GET", "POST"])
def question_edit(request: AuthedHttpRequest, slug: str, pk: int) -> HttpResponse:
    programme = get_programme_for_user(request.user, slug, manage=True)
    question = (
        Question.objects.filter(pk=pk, section__instrument__programme=programme)
        .select_related("section__instrument")
        .first()
    )
    if question is None:
        raise Http404
    form = QuestionEditForm(request.POST or None, instance=question)
    if request.method == "POST" and form.is_valid():
        form.save()
        record(
            obj=question,
            action=AuditKind.CHANGED,
            actor=request.user,
            changes={name: str(form.cleaned_data.get(name)) for name in form.changed_data},
        )
        messages.success(request, _("The question was saved."))
        return redirect("assessments:instruments", slug=slug)
    return render(
        request, "assessments/question_form.html", {"programme": programme, "question": question, "form": form}
    )
