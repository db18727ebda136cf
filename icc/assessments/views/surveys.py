"""The anonymous local-enablers survey: the city team's page and its writes, and the public answer page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from icc.assessments import access, survey
from icc.assessments.access import SurveyRound
from icc.assessments.forms import CampaignForm, InviteStakeholdersForm, ResponseForm
from icc.assessments.models import MIN_RESPONSES, Question, Round, SatCampaign
from icc.cities.access import can_edit_city
from icc.cities.models import City
from icc.core.addresses import client_address
from icc.core.exports import csv_response
from icc.core.formatting import format_number
from icc.core.responses import render_page
from icc.core.types import AuthedHttpRequest

MANAGE_PAGE = "assessments/survey_manage.html"


def _context(
    request: AuthedHttpRequest,
    found: SurveyRound,
    *,
    campaign_form: CampaignForm | None = None,
    invite_form: InviteStakeholdersForm | None = None,
    share_link: str | None = None,
) -> dict[str, Any]:
    campaign = found.campaign
    return {
        "city": found.city,
        "instrument": found.instrument,
        "campaign": campaign,
        "round": found.round,
        "round_label": Round(found.round).label,
        "editable": can_edit_city(request.user, found.city),
        "campaign_form": campaign_form or CampaignForm(initial={"closes_on": campaign.closes_on if campaign else None}),
        "invite_form": invite_form or InviteStakeholdersForm(),
        "share_link": share_link,
        "closed": survey.is_closed(campaign) if campaign else False,
        "invitations": campaign.invitations_sent if campaign else 0,
        "min_responses": MIN_RESPONSES,
        "results": survey.results(campaign) if campaign else None,
    }


def _round_of(campaign: SatCampaign) -> SurveyRound:
    return SurveyRound(campaign.city, campaign.instrument, campaign.round, campaign)


def _to_manage(found: SurveyRound | SatCampaign) -> HttpResponse:
    return redirect("assessments:survey_manage", pk=found.city.pk, round=found.round)


@login_required
@require_safe
def survey_manage(request: AuthedHttpRequest, pk: int, round: str) -> HttpResponse:
    found = access.get_survey_for_user(request.user, pk, round)
    context = _context(request, found)
    if request.GET.get("format") == "csv":
        return _survey_csv(found.city, found.round, context["results"])
    return render(request, MANAGE_PAGE, context)


@login_required
@require_POST
def survey_open(request: AuthedHttpRequest, pk: int, round: str) -> HttpResponse:
    """Open the survey, or move the closing date of an open one."""
    found = access.get_survey_for_user(request.user, pk, round, write=True)
    form = CampaignForm(request.POST)
    if form.is_valid():
        try:
            survey.open_campaign(
                city=found.city,
                instrument=found.instrument,
                round=found.round,
                closes_on=form.cleaned_data["closes_on"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error("closes_on", error)
        else:
            messages.success(request, _("The survey is open."))
            return _to_manage(found)
    return render_page(request, MANAGE_PAGE, _context(request, found, campaign_form=form), fragment="campaign-form")


@login_required
@require_POST
def survey_close(request: AuthedHttpRequest, pk: int, round: str) -> HttpResponse:
    campaign = access.get_campaign_for_user(request.user, pk, round, write=True)
    try:
        survey.close_campaign(campaign=campaign, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The survey is closed: it takes no more answers."))
    return _to_manage(campaign)


@login_required
@require_POST
def survey_invite(request: AuthedHttpRequest, pk: int, round: str) -> HttpResponse:
    campaign = access.get_campaign_for_user(request.user, pk, round, write=True)
    form = InviteStakeholdersForm(request.POST)
    if form.is_valid():
        try:
            count = survey.invite(campaign=campaign, emails=form.cleaned_data["emails"], by=request.user)
        except ValidationError as error:
            form.add_error("emails", error)
        else:
            messages.success(
                request,
                ngettext("%(n)s invitation sent.", "%(n)s invitations sent.", count) % {"n": format_number(count, 0)},
            )
            return _to_manage(campaign)
    context = _context(request, _round_of(campaign), invite_form=form)
    return render_page(request, MANAGE_PAGE, context, fragment="invite-form")


@login_required
@require_POST
def survey_share(request: AuthedHttpRequest, pk: int, round: str) -> HttpResponse:
    """A new shareable link, shown once on the page this answers with (it is kept nowhere)."""
    campaign = access.get_campaign_for_user(request.user, pk, round, write=True)
    try:
        share_link = survey.new_share_link(campaign=campaign, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _to_manage(campaign)
    # Read again: the page offers to replace the link it just made.
    found = access.get_survey_for_user(request.user, pk, round)
    return render_page(request, MANAGE_PAGE, _context(request, found, share_link=share_link), fragment="share")


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

    The link is all a stakeholder has, so the form and its answer share it. After
    answering, the browser keeps, in a signed cookie of its own (nothing on the server),
    that it answered this link: the link then says thank you instead of showing the form
    again, and one browser answers a shared link once."""
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
        if kind == "s" and survey.share_rate_limited(campaign, client_address(request)):
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
