"""The edition's pages: multi-city events, the cohort, the schedules and the event catalogue."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import prefetch_related_objects
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from icc.cities.access import get_programme_for_user
from icc.core.exports import csv_response
from icc.core.formatting import format_number
from icc.core.responses import render_page
from icc.core.types import AuthedHttpRequest
from icc.journey import actions, progress
from icc.journey.access import get_event_type_for_user
from icc.journey.forms import EventTypeForm
from icc.journey.models import Event
from icc.programmes.models import Phase
from icc.tags.access import visible_sessions
from icc.tags.models import Session

EVENT_TYPE_PAGE = "journey/event_type_form.html"


@login_required
@require_safe
def programme_events(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    programme = get_programme_for_user(request.user, slug)
    events = Event.objects.filter(programme=programme, city__isnull=True).select_related("event_type", "phase")
    prefetch_related_objects([programme], "phases")
    rows: list[tuple[Event | Session, Phase | None]] = [(event, event.phase) for event in events]
    # Once the TAGs are formed, each holds its own sessions: they are listed with their own dates.
    rows += [
        (session, programme.phase_on(timezone.localdate(session.starts_at)))
        for session in visible_sessions(request.user, programme)
    ]
    rows.sort(key=lambda row: row[0].starts_at)
    return render(
        request, "journey/programme_events.html", {"programme": programme, "rows": rows, "now": timezone.now()}
    )


@login_required
@require_POST
def generate(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    programme = get_programme_for_user(request.user, slug, write=True)
    actions.install_template(programme=programme)
    result = actions.generate_schedules(programme=programme)
    messages.success(
        request,
        _(
            "Schedules refreshed: %(created)s events added, %(updated)s moved, %(removed)s removed, %(kept)s held or edited ones kept."
        )
        % {name: format_number(count, 0) for name, count in vars(result).items()},
    )
    return redirect("journey:cohort", slug=slug)


@login_required
@require_safe
def cohort(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    programme = get_programme_for_user(request.user, slug, write=True)
    report = progress.cohort(programme, request.GET, today=timezone.localdate())
    for problem in report.ignored:
        messages.warning(request, problem)
    if request.GET.get("format") == "csv":
        return csv_response(
            f"{programme.slug}-cohort-{timezone.localdate()}.csv",
            progress.COHORT_CSV_HEADER,
            progress.cohort_csv_rows(report.rows),
        )
    return render(request, "journey/cohort.html", {"programme": programme, "report": report})


@login_required
@require_safe
def event_types(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    programme = get_programme_for_user(request.user, slug, write=True)
    types = programme.event_types.prefetch_related("phases")
    return render(request, "journey/event_types.html", {"programme": programme, "event_types": types})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def event_type_edit(request: AuthedHttpRequest, slug: str, pk: int) -> HttpResponse:
    """The page is the form: it shows the event type, and saves it when the form is sent."""
    writing = request.method == "POST"
    event_type = get_event_type_for_user(request.user, slug, pk, write=writing)
    form = EventTypeForm(request.POST if writing else None, instance=event_type)
    if writing and form.is_valid():
        actions.update_event_type(
            event_type=form.save(commit=False), changed=form.changed_data, save_m2m=form.save_m2m, by=request.user
        )
        messages.success(
            request,
            _("%(name)s was saved. Refresh the schedules on the cohort page to apply it.") % {"name": event_type.name},
        )
        return redirect("journey:event_types", slug=slug)
    context = {"programme": event_type.programme, "form": form, "event_type": event_type}
    return render_page(request, EVENT_TYPE_PAGE, context, fragment="event-type-form")
