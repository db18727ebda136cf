from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q, prefetch_related_objects
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from icc.accounts.models import Person
from icc.cities.access import can_edit_city, get_city_for_user, get_programme_for_user
from icc.cities.models import City, Role
from icc.cities.roles import is_lead_expert_of
from icc.core.exports import csv_response
from icc.core.params import parse_id
from icc.core.types import AuthedHttpRequest
from icc.core.versioning import StaleEdit, refuse_stale
from icc.journey import actions, feeds, progress
from icc.journey.access import get_event_for_user, get_feed_for_user, get_follow_up_for_user, get_submission_for_user
from icc.journey.forms import (
    AchievementForm,
    EventTypeForm,
    FollowUpForm,
    MoveEventForm,
    PreferencesForm,
    RecordEventForm,
    ReviewForm,
    SubmissionForm,
)
from icc.journey.models import (
    AchievementItem,
    CalendarFeed,
    Event,
    EventStatus,
    EventType,
    Milestone,
    Review,
    Submission,
    city_type_keys,
)
from icc.programmes.models import Phase
from icc.tags.access import visible_sessions
from icc.tags.models import Session

# A city's journey --------------------------------------------------------------------


@login_required
@require_GET
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


@login_required
@require_http_methods(["GET", "POST"])
def event_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    event = get_event_for_user(request.user, pk)
    city = event.city
    may_edit = _may_edit_event(request.user, event)
    people = _people_of(event)
    action = request.POST.get("action")
    move_form = MoveEventForm(request.POST if action == "move" else None, event=event)
    record_form = RecordEventForm(request.POST if action == "record" else None, event=event, people=people)
    follow_up_form = FollowUpForm(request.POST if action == "follow-up" else None, people=people)
    current = None
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied
        try:
            if action == "move" and move_form.is_valid():
                data = move_form.cleaned_data
                actions.move_event(
                    event=event,
                    starts_at=data["starts_at"],
                    ends_at=data["ends_at"],
                    location=data["location"],
                    by=request.user,
                    expected_version=data["version"],
                )
                messages.success(request, _("The event was moved. Calendars will show the new time."))
                return redirect(event)
            if action == "record" and record_form.is_valid():
                data = record_form.cleaned_data
                actions.record_event(
                    event=event,
                    status=data["status"],
                    minutes=data["minutes"],
                    outcomes=data["outcomes"],
                    attendees=data["attendees"],
                    other_attendees=data["other_attendees"],
                    by=request.user,
                    expected_version=data["version"],
                )
                messages.success(request, _("The record of the event was saved."))
                return redirect(event)
            if action == "follow-up" and follow_up_form.is_valid() and city is not None:
                data = follow_up_form.cleaned_data
                actions.add_follow_up(
                    event=event,
                    city=city,
                    text=data["text"],
                    owner=data["owner"],
                    due_on=data["due_on"],
                    by=request.user,
                )
                messages.success(request, _("The follow-up was added."))
                return redirect(event)
        except ValidationError as error:
            form = {"move": move_form, "record": record_form}.get(action or "", follow_up_form)
            form.add_error(None, error)
        except StaleEdit as stale:
            current = refuse_stale(request, stale, record_form if action == "record" else move_form)
    return render(
        request,
        "journey/event_detail.html",
        {
            "event": event,
            "city": city,
            "may_edit": may_edit,
            "move_form": move_form,
            "record_form": record_form,
            "follow_up_form": follow_up_form,
            "follow_ups": event.follow_ups.select_related("owner", "city"),
            "attendees": event.attendees.all(),
            "event_zone": city.time_zone if city else None,
            "current": current,
        },
    )


def _may_edit_event(person: Person, event: Event) -> bool:
    try:
        get_event_for_user(person, event.pk, write=True)
    except (PermissionDenied, Http404):
        return False
    return True


def _people_of(event: Event) -> Any:
    """Who can attend or own a follow-up: the people with a role in the city (or the edition)."""
    roles = (
        Role.objects.filter(city=event.city)
        if event.city
        else Role.objects.filter(programme=event.programme, city__isnull=True)
    )
    return Person.objects.filter(pk__in=roles.values("person")).order_by("full_name")


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


# Deliverables ------------------------------------------------------------------------


@login_required
@require_GET
def deliverables(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    city = get_city_for_user(request.user, pk)
    return render(
        request,
        "journey/deliverables.html",
        {"city": city, "rows": progress.deliverable_rows(city, timezone.localdate())},
    )


@login_required
@require_http_methods(["GET", "POST"])
def milestone_detail(request: AuthedHttpRequest, pk: int, milestone_pk: int) -> HttpResponse:
    city = get_city_for_user(request.user, pk)
    milestone = (
        Milestone.objects.select_related("deliverable_type")
        .filter(pk=milestone_pk, deliverable_type__programme=city.programme)
        .first()
    )
    if (
        milestone is None
        or not milestone.deliverable_type.city_types
        or not (city_type_keys(city) & set(milestone.deliverable_type.city_types))
    ):
        raise Http404
    submissions = list(
        Submission.objects.filter(city=city, milestone=milestone)
        .select_related("submitted_by")
        .prefetch_related(Prefetch("reviews", queryset=Review.objects.select_related("author")))
    )
    editable = can_edit_city(request.user, city)
    reviewer = is_lead_expert_of(request.user, city)
    action = request.POST.get("action")
    upload_form = SubmissionForm(
        request.POST if action == "submit" else None, request.FILES if action == "submit" else None
    )
    review_form = ReviewForm(request.POST if action == "review" else None)
    if request.method == "POST":
        if action == "submit":
            if not editable:
                raise PermissionDenied
            if upload_form.is_valid():
                try:
                    actions.submit_deliverable(
                        city=city,
                        milestone=milestone,
                        upload=upload_form.cleaned_data["document"],
                        note=upload_form.cleaned_data["note"],
                        by=request.user,
                    )
                except ValidationError as error:
                    upload_form.add_error("document", error)
                else:
                    messages.success(request, _("Version submitted. Your lead expert has been told."))
                    return redirect("journey:milestone", pk=city.pk, milestone_pk=milestone.pk)
        elif action == "review":
            submission = next((s for s in submissions if str(s.pk) == request.POST.get("submission")), None)
            if submission is None:
                raise Http404
            if review_form.is_valid():
                try:
                    actions.review_submission(
                        submission=submission,
                        decision=review_form.cleaned_data["decision"],
                        comment=review_form.cleaned_data["comment"],
                        by=request.user,
                    )
                except ValidationError as error:
                    if not reviewer:
                        raise PermissionDenied from error
                    review_form.add_error(None, error)
                else:
                    messages.success(request, _("Your review was saved."))
                    return redirect("journey:milestone", pk=city.pk, milestone_pk=milestone.pk)
        else:
            raise Http404
    return render(
        request,
        "journey/milestone.html",
        {
            "city": city,
            "milestone": milestone,
            "submissions": submissions,
            "editable": editable,
            "reviewer": reviewer,
            "upload_form": upload_form,
            "review_form": review_form,
            "accepted": any(s.status == "accepted" for s in submissions),
        },
    )


@login_required
@require_GET
def submission_download(request: AuthedHttpRequest, pk: int) -> FileResponse:
    submission = get_submission_for_user(request.user, pk)
    return FileResponse(submission.document.open("rb"), as_attachment=True, filename=submission.original_name)


# Achievements ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def achievements(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    city = get_city_for_user(request.user, pk)
    editable = can_edit_city(request.user, city)
    events = Event.objects.for_city(city, list(city.programme.event_types.all())).filter(status=EventStatus.HELD)
    submissions = Submission.objects.filter(city=city).select_related("milestone__deliverable_type")
    form = AchievementForm(request.POST or None, events=events, submissions=submissions)
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        item = AchievementItem.objects.filter(
            pk=_int(request.POST.get("item")), phase__programme=city.programme
        ).first()
        if item is None:
            raise Http404
        if request.POST.get("action") == "untick":
            actions.untick_achievement(city=city, item=item, by=request.user)
            return redirect("journey:achievements", pk=city.pk)
        if form.is_valid():
            try:
                actions.tick_achievement(city=city, item=item, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Ticked: %(item)s") % {"item": item.text})
                return redirect("journey:achievements", pk=city.pk)
    return render(
        request,
        "journey/achievements.html",
        {
            "city": city,
            "editable": editable,
            "form": form,
            "groups": progress.achievement_groups(city),
            "failed_item": request.POST.get("item"),
            "event_choices": list(events.select_related("event_type")) if editable else [],
            "submission_choices": list(submissions) if editable else [],
        },
    )


# Programme level ---------------------------------------------------------------------


@login_required
@require_GET
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
    programme = get_programme_for_user(request.user, slug, manage=True)
    actions.install_template(programme=programme)
    result = actions.generate_schedules(programme=programme)
    messages.success(
        request,
        _(
            "Schedules refreshed: %(created)s events added, %(updated)s moved, %(removed)s removed, %(kept)s held or edited ones kept."
        )
        % vars(result),
    )
    return redirect("journey:cohort", slug=slug)


@login_required
@require_GET
def cohort(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    programme = get_programme_for_user(request.user, slug, manage=True)
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


# Calendars and preferences -----------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def calendars(request: AuthedHttpRequest) -> HttpResponse:
    new_link = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            feed = get_feed_for_user(request.user, _int(request.POST.get("feed")))
            feed.revoked_at = timezone.now()
            feed.save(update_fields=["revoked_at"])
            messages.success(request, _("The calendar address was revoked; it no longer works."))
            return redirect("journey:calendars")
        city = None
        if request.POST.get("city"):
            city = get_city_for_user(request.user, _int(request.POST.get("city")))
        _feed, token = CalendarFeed.issue(person=request.user, city=city)
        new_link = request.build_absolute_uri(reverse("journey:feed", kwargs={"token": token}))
    feeds_list = list(CalendarFeed.objects.filter(person=request.user).select_related("city").order_by("-created_at"))
    cities = City.objects.visible_to(request.user).filter(
        pk__in=Role.objects.filter(person=request.user).values("city")
    )
    # A city's calendar serves only while its owner may open the city.
    open_cities = set(
        City.objects.visible_to(request.user)
        .filter(pk__in=[f.city_id for f in feeds_list if f.city_id])
        .values_list("pk", flat=True)
    )
    rows = [(f, f.city_id is not None and f.city_id not in open_cities) for f in feeds_list]
    return render(request, "journey/calendars.html", {"feeds": rows, "cities": cities, "new_link": new_link})


def _int(value: str | None) -> int:
    number = parse_id(value)
    if number is None:
        raise Http404
    return number


@require_GET
def feed(request: HttpRequest, token: str) -> HttpResponse:
    calendar = feeds.feed_for_token(token)
    if calendar is None:
        raise Http404
    body = feeds.render_calendar(calendar)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=900"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: AuthedHttpRequest) -> HttpResponse:
    form = PreferencesForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your preferences were saved."))
        return redirect("journey:preferences")
    return render(request, "journey/preferences.html", {"form": form})


@login_required
@require_GET
def event_types(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    programme = get_programme_for_user(request.user, slug, manage=True)
    types = programme.event_types.prefetch_related("phases")
    return render(request, "journey/event_types.html", {"programme": programme, "event_types": types})


@login_required
@require_http_methods(["GET", "POST"])
def event_type_edit(request: AuthedHttpRequest, slug: str, pk: int) -> HttpResponse:
    programme = get_programme_for_user(request.user, slug, manage=True)
    event_type = EventType.objects.filter(programme=programme, pk=pk).first()
    if event_type is None:
        raise Http404
    form = EventTypeForm(request.POST or None, instance=event_type)
    if request.method == "POST" and form.is_valid():
        actions.update_event_type(
            event_type=form.save(commit=False), changed=form.changed_data, save_m2m=form.save_m2m, by=request.user
        )
        messages.success(
            request,
            _("%(name)s was saved. Refresh the schedules on the cohort page to apply it.") % {"name": event_type.name},
        )
        return redirect("journey:event_types", slug=slug)
    return render(
        request, "journey/event_type_form.html", {"programme": programme, "form": form, "event_type": event_type}
    )
