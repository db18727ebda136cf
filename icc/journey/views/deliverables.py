"""A city's deliverables (versions and their review) and its phase achievements."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from icc.cities.access import can_edit_city, get_city_for_user
from icc.cities.models import City
from icc.cities.roles import is_lead_expert_of
from icc.core.responses import render_page
from icc.core.types import AuthedHttpRequest
from icc.journey import actions, progress
from icc.journey.access import get_achievement_item_for_user, get_milestone_for_user, get_submission_for_user
from icc.journey.forms import AchievementForm, ReviewForm, SubmissionForm
from icc.journey.models import Event, EventStatus, Milestone, Review, Submission, SubmissionStatus
from icc.library.access import may_offer_city
from icc.library.actions import is_final_milestone
from icc.library.models import Item

MILESTONE_PAGE = "journey/milestone.html"
ACHIEVEMENTS_PAGE = "journey/achievements.html"


@login_required
@require_safe
def deliverables(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    city = get_city_for_user(request.user, pk)
    return render(
        request,
        "journey/deliverables.html",
        {"city": city, "rows": progress.deliverable_rows(city, timezone.localdate())},
    )


def _milestone_page(
    request: AuthedHttpRequest,
    city: City,
    milestone: Milestone,
    *,
    upload_form: SubmissionForm | None = None,
    review_form: ReviewForm | None = None,
) -> dict[str, Any]:
    submissions = list(
        Submission.objects.filter(city=city, milestone=milestone)
        .select_related("submitted_by")
        .prefetch_related(Prefetch("reviews", queryset=Review.objects.select_related("author")))
    )
    # Where an accepted final version is, or may be put, in the city toolbox.
    in_toolbox = dict(Item.objects.filter(source__in=submissions).values_list("source_id", "pk"))
    # Every version here is of this one milestone: whether it is the final one is asked once.
    may_offer = may_offer_city(request.user, city) and is_final_milestone(milestone)
    for submission in submissions:
        shared = in_toolbox.get(submission.pk)
        submission.toolbox_item = shared  # type: ignore[attr-defined]
        submission.offerable = may_offer and shared is None and submission.status == SubmissionStatus.ACCEPTED  # type: ignore[attr-defined]
    return {
        "city": city,
        "milestone": milestone,
        "submissions": submissions,
        "editable": can_edit_city(request.user, city),
        "reviewer": is_lead_expert_of(request.user, city),
        "upload_form": upload_form if upload_form is not None else SubmissionForm(),
        "review_form": review_form if review_form is not None else ReviewForm(),
        "accepted": any(s.status == SubmissionStatus.ACCEPTED for s in submissions),
    }


@login_required
@require_safe
def milestone_detail(request: AuthedHttpRequest, pk: int, milestone_pk: int) -> HttpResponse:
    city, milestone = get_milestone_for_user(request.user, pk, milestone_pk)
    return render(request, MILESTONE_PAGE, _milestone_page(request, city, milestone))


@login_required
@require_POST
def deliverable_submit(request: AuthedHttpRequest, pk: int, milestone_pk: int) -> HttpResponse:
    """Submit a new version of the deliverable for the lead expert to review."""
    city, milestone = get_milestone_for_user(request.user, pk, milestone_pk, write=True)
    form = SubmissionForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            actions.submit_deliverable(
                city=city,
                milestone=milestone,
                upload=form.cleaned_data["document"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error("document", error)
        else:
            messages.success(request, _("Version submitted. Your lead expert has been told."))
            return redirect("journey:milestone", pk=city.pk, milestone_pk=milestone.pk)
    context = _milestone_page(request, city, milestone, upload_form=form)
    return render_page(request, MILESTONE_PAGE, context, fragment="upload-form")


@login_required
@require_POST
def submission_review(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The lead expert comments on a version, accepts it or asks for changes."""
    submission = get_submission_for_user(request.user, pk, review=True)
    city, milestone = submission.city, submission.milestone
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            actions.review_submission(
                submission=submission,
                decision=form.cleaned_data["decision"],
                comment=form.cleaned_data["comment"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your review was saved."))
            return redirect("journey:milestone", pk=city.pk, milestone_pk=milestone.pk)
    # The fragment is the form of this version (on the page, the form under the newest one).
    context = {**_milestone_page(request, city, milestone, review_form=form), "submission": submission}
    return render_page(request, MILESTONE_PAGE, context, fragment="review-form")


@login_required
@require_safe
def submission_download(request: AuthedHttpRequest, pk: int) -> FileResponse:
    submission = get_submission_for_user(request.user, pk)
    return FileResponse(submission.document.open("rb"), as_attachment=True, filename=submission.original_name)


# Achievements ------------------------------------------------------------------------


def _evidence(city: City) -> tuple[Any, Any]:
    """The held events and the submitted deliverables of the city, which a tick may point to."""
    events = Event.objects.for_city(city, list(city.programme.event_types.all())).filter(status=EventStatus.HELD)
    submissions = Submission.objects.filter(city=city).select_related("milestone__deliverable_type")
    return events, submissions


def _achievements_page(
    request: AuthedHttpRequest, city: City, *, form: AchievementForm | None = None, failed_item: str = ""
) -> dict[str, Any]:
    editable = can_edit_city(request.user, city)
    events, submissions = _evidence(city)
    return {
        "city": city,
        "editable": editable,
        "form": form if form is not None else AchievementForm(events=events, submissions=submissions),
        "groups": progress.achievement_groups(city),
        "failed_item": failed_item,
        "event_choices": list(events.select_related("event_type")) if editable else [],
        "submission_choices": list(submissions) if editable else [],
    }


@login_required
@require_safe
def achievements(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    city = get_city_for_user(request.user, pk)
    return render(request, ACHIEVEMENTS_PAGE, _achievements_page(request, city))


@login_required
@require_POST
def achievement_tick(request: AuthedHttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """Tick a phase achievement, with an event, a deliverable or a note as its evidence."""
    city, item = get_achievement_item_for_user(request.user, pk, item_pk, write=True)
    events, submissions = _evidence(city)
    form = AchievementForm(request.POST, events=events, submissions=submissions)
    if form.is_valid():
        try:
            actions.tick_achievement(city=city, item=item, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Ticked: %(item)s") % {"item": item.text})
            return redirect("journey:achievements", pk=city.pk)
    context = _achievements_page(request, city, form=form, failed_item=str(item.pk))
    return render_page(request, ACHIEVEMENTS_PAGE, context, fragment="achievements")


@login_required
@require_POST
def achievement_untick(request: AuthedHttpRequest, pk: int, item_pk: int) -> HttpResponse:
    city, item = get_achievement_item_for_user(request.user, pk, item_pk, write=True)
    actions.untick_achievement(city=city, item=item, by=request.user)
    return redirect("journey:achievements", pk=city.pk)
