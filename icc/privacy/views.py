"""The personal-data pages: a person's own data and their erasure request; the programme
team's list of requests, its decisions, and the record of processing activities."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from icc.core.models import AuditKind, record
from icc.core.responses import render_page
from icc.core.types import AuthedHttpRequest
from icc.privacy import actions, register
from icc.privacy.access import get_erasure_request_for_user, requests_for_user, require_privacy_team
from icc.privacy.forms import DeclineForm, ErasureRequestForm
from icc.privacy.holdings import as_document, gather
from icc.privacy.models import ErasureRequest, RequestStatus

MY_DATA_PAGE = "privacy/my_data.html"
REQUESTS_PAGE = "privacy/requests.html"
RECORD_PAGE = "privacy/record.html"
# The decided requests the team's page lists under the waiting ones.
DECIDED_LISTED = 50


def _my_data(request: AuthedHttpRequest, form: ErasureRequestForm | None = None, status: int = 200) -> HttpResponse:
    person = request.user
    groups = gather(person)
    requests = ErasureRequest.objects.filter(person=person).order_by("-requested_at", "-pk")
    pending = next((r for r in requests if r.is_pending), None)
    context = {
        "person": person,
        "groups": groups,
        "total": sum(group.count for group in groups),
        "pending": pending,
        "requests": requests,
        "form": form or ErasureRequestForm(),
    }
    return render_page(request, MY_DATA_PAGE, context, status=status)


@login_required
@require_safe
def my_data(request: AuthedHttpRequest) -> HttpResponse:
    """What the platform holds about the person signed in, counted by kind."""
    return _my_data(request)


@login_required
@require_safe
def export(request: AuthedHttpRequest) -> HttpResponse:
    """Everything about the person signed in, as one JSON file; never anyone else's."""
    person = request.user
    document = as_document(person, gather(person))
    document["exported_at"] = timezone.now()
    record(obj=person, action=AuditKind.PERSONAL_DATA_EXPORTED, actor=person)
    response = HttpResponse(
        json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="my-data-{timezone.localdate():%Y-%m-%d}.json"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def request_erasure(request: AuthedHttpRequest) -> HttpResponse:
    form = ErasureRequestForm(request.POST)
    if ErasureRequest.objects.filter(person=request.user, status=RequestStatus.PENDING).exists():
        form.add_error(None, _("Your request to be erased already waits for the programme team."))
        form.is_valid()
        return _my_data(request, form, status=400)
    if not form.is_valid():
        return _my_data(request, form, status=400)
    actions.request_erasure(person=request.user, reason=form.cleaned_data["reason"])
    messages.success(request, _("Your request is with the programme team. You can still sign in until it is done."))
    return redirect("privacy:my_data")


def _decline_form(pk: int, data: QueryDict | None = None) -> DeclineForm:
    """One request's decline form, its ids its own on a page that lists several."""
    return DeclineForm(data, auto_id=f"id_decline_{pk}_%s")


def _requests_page(
    request: AuthedHttpRequest, decline_forms: dict[int, DeclineForm] | None = None, status: int = 200
) -> HttpResponse:
    visible = requests_for_user(request.user)
    pending = list(visible.filter(status=RequestStatus.PENDING))
    blocking = {r.pk: [p.name for p in actions.last_team_programmes(r.person)] for r in pending}
    forms = decline_forms or {}
    rows = [
        {"request": r, "blocking": blocking[r.pk], "decline": forms.get(r.pk, _decline_form(r.pk))} for r in pending
    ]
    decided = list(visible.exclude(status=RequestStatus.PENDING).order_by("-decided_at", "-pk")[:DECIDED_LISTED])
    return render_page(request, REQUESTS_PAGE, {"rows": rows, "decided": decided}, status=status)


@login_required
@require_safe
def erasure_requests(request: AuthedHttpRequest) -> HttpResponse:
    """The requests waiting for the programme team, and the latest decided ones."""
    require_privacy_team(request.user)
    return _requests_page(request)


@login_required
@require_POST
def confirm_erasure(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    erasure = get_erasure_request_for_user(request.user, pk)
    outcome = actions.confirm_erasure(request=erasure, by=request.user)
    if outcome.refusal == actions.Refusal.LAST_TEAM_MEMBER:
        messages.error(
            request,
            _("Not erased: they are the last member of the programme team of %(programmes)s. Add another first.")
            % {"programmes": ", ".join(outcome.programmes)},
        )
    elif outcome.refusal == actions.Refusal.OWN_REQUEST:
        messages.error(request, _("Not erased: another member of the programme team confirms your own request."))
    elif outcome.refusal == actions.Refusal.NOT_PENDING:
        messages.error(request, _("This request was decided already."))
    else:
        messages.success(request, _("Erased: the person is now a former participant."))
    return redirect("privacy:requests")


@login_required
@require_POST
def decline_erasure(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    erasure = get_erasure_request_for_user(request.user, pk)
    form = _decline_form(erasure.pk, request.POST)
    if not form.is_valid():
        return _requests_page(request, {erasure.pk: form}, status=400)
    if actions.decline_erasure(request=erasure, by=request.user, note=form.cleaned_data["note"]):
        messages.success(request, _("The request is declined."))
    else:
        messages.error(request, _("This request was decided already."))
    return redirect("privacy:requests")


@login_required
@require_safe
def record_of_processing(request: AuthedHttpRequest) -> HttpResponse:
    """The record of processing activities (GDPR Article 30), for the programme team."""
    require_privacy_team(request.user)
    context = {"activities": register.ACTIVITIES, "measures": register.SECURITY_MEASURES}
    return render_page(request, RECORD_PAGE, context)
