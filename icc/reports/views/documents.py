"""A city's reports and the cohort's: the made ones with their dates, asking for a new
one, a report's page and files, and submitting a city's report as the next version of a
deliverable in one step."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from icc.cities.models import City
from icc.core.types import AuthedHttpRequest
from icc.journey.models import Milestone, SubmissionStatus, city_type_keys
from icc.reports import access, actions, typeset
from icc.reports.forms import RequestForm, SubmitForm
from icc.reports.models import Report, ReportKind, ReportStatus

FORMATS = {
    "pdf": ("pdf", "application/pdf"),
    "docx": ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
}


def _milestones(city: City) -> list[tuple[int, str]]:
    """The city's deliverable versions a report may be submitted as: those not accepted yet."""
    keys = city_type_keys(city)
    accepted = set(city.submissions.filter(status=SubmissionStatus.ACCEPTED).values_list("milestone_id", flat=True))
    return [
        (m.pk, str(m))
        for m in Milestone.objects.filter(deliverable_type__programme=city.programme).select_related("deliverable_type")
        if keys & set(m.deliverable_type.city_types) and m.pk not in accepted
    ]


@login_required
@require_safe
def city_reports(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    city = access.get_reports_city_for_user(request.user, pk)
    reports = list(Report.objects.filter(city=city).select_related("requested_by").defer("snapshot")[:50])
    context = {
        "city": city,
        "reports": reports,
        "form": RequestForm(),
        "may_request": access.may_request_reports(request.user, city),
        "language": typeset.language_for(translation.get_language()),
    }
    return render(request, "reports/city_reports.html", context)


@login_required
@require_safe
def programme_reports(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    programme = access.get_programme_reports_for_user(request.user, slug)
    reports = list(
        Report.objects.filter(programme=programme, city=None).select_related("requested_by").defer("snapshot")[:50]
    )
    context = {
        "programme": programme,
        "reports": reports,
        "language": typeset.language_for(translation.get_language()),
    }
    return render(request, "reports/programme_reports.html", context)


@login_required
@require_POST
def request_programme(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    programme = access.get_programme_reports_for_user(request.user, slug)
    report, queued = actions.request_report(
        programme=programme,
        kind=ReportKind.PROGRAMME,
        language=typeset.language_for(translation.get_language()),
        by=request.user,
    )
    _tell(request, report, queued=queued)
    return redirect("reports:programme_reports", slug=programme.slug)


def _tell(request: AuthedHttpRequest, report: Report, *, queued: bool) -> None:
    """Say where the report asked for stands."""
    report.refresh_from_db()
    if not queued:
        messages.info(request, _("This report is being made already: it shows below once it is ready."))
    elif report.status == ReportStatus.READY:
        messages.success(request, _("The report is ready."))
    elif report.status == ReportStatus.FAILED:
        messages.error(
            request, _("The report could not be made. Try again later; if it keeps failing, tell the programme team.")
        )
    else:
        messages.success(request, _("The report is being made in the background: it shows below once it is ready."))


@login_required
@require_POST
def request(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    city = access.get_reports_city_for_user(request.user, pk, write=True)
    form = RequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the reports listed."))
        return redirect("reports:city_reports", pk=city.pk)
    report, queued = actions.request_report(
        city=city,
        kind=form.cleaned_data["kind"],
        language=typeset.language_for(translation.get_language()),
        by=request.user,
    )
    _tell(request, report, queued=queued)
    return redirect("reports:city_reports", pk=city.pk)


@login_required
@require_safe
def report(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    found = access.get_report_for_user(request.user, pk, ready=True)
    city = found.city
    may_submit = city is not None and access.may_request_reports(request.user, city)
    context: dict[str, Any] = {"report": found, "city": city, "may_submit": may_submit}
    if city is not None and may_submit:
        context["form"] = SubmitForm(milestones=_milestones(city))
    return render(request, "reports/report.html", context)


@login_required
@require_safe
def download(request: AuthedHttpRequest, pk: int, format: str) -> FileResponse:
    found = access.get_report_for_user(request.user, pk, ready=True)
    if format not in FORMATS:
        raise Http404
    field = found.pdf if format == "pdf" else found.docx
    if not field:
        raise Http404
    response = FileResponse(
        field.open("rb"),
        as_attachment=format == "docx",
        filename=field.name.rsplit("/", 1)[-1],
        content_type=FORMATS[format][1],
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def submit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    from icc.journey.access import get_milestone_for_user
    from icc.journey.actions import submit_deliverable

    found = access.get_report_for_user(request.user, pk, ready=True)
    if found.city is None:  # the cohort's report is no city's deliverable
        raise Http404
    if not access.may_request_reports(request.user, found.city):
        raise PermissionDenied
    form = SubmitForm(request.POST, milestones=_milestones(found.city))
    if not form.is_valid():
        messages.error(request, _("Choose one of the deliverables listed that is not accepted yet."))
        return redirect("reports:report", pk=found.pk)
    city, milestone = get_milestone_for_user(request.user, found.city.pk, form.cleaned_data["milestone"], write=True)
    data = found.pdf.open("rb").read()
    upload = SimpleUploadedFile(found.pdf.name.rsplit("/", 1)[-1], data, content_type="application/pdf")
    try:
        submission = submit_deliverable(
            city=city, milestone=milestone, upload=upload, note=form.cleaned_data["note"], by=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("reports:report", pk=found.pk)
    messages.success(
        request,
        _("Submitted as version %(number)s of %(milestone)s.") % {"number": submission.number, "milestone": milestone},
    )
    return redirect("journey:milestone", pk=city.pk, milestone_pk=milestone.pk)
