"""A TAG's life: its page (topics, second mentors) and its sessions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from icc.cities.access import is_programme_team
from icc.core.params import parse_id
from icc.core.types import AuthedHttpRequest
from icc.core.versioning import StaleEdit, refuse_stale
from icc.tags import actions, formation
from icc.tags.access import (
    get_session_for_user,
    get_tag_for_user,
    represented_city,
    runs_tag,
    runs_trackers,
)
from icc.tags.forms import (
    CommitmentForm,
    FollowUpForm,
    SecondMentorForm,
    SessionForm,
    TopicForm,
)
from icc.tags.models import (
    Commitment,
    SecondMentorRequest,
    SessionKind,
    Topic,
)


def _fail(request: AuthedHttpRequest, error: ValidationError) -> None:
    for text in error.messages:
        messages.error(request, text)


@login_required
@require_http_methods(["GET", "POST"])
def tag_view(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    tag = get_tag_for_user(request.user, pk)
    runner = runs_tag(request.user, tag)
    member_city = represented_city(request.user, tag)
    step = request.POST.get("step", "") if request.method == "POST" else ""
    topic_form = TopicForm(request.POST if step == "propose" else None)
    second_form = (
        SecondMentorForm(request.POST if step == "second" else None, city=member_city) if member_city else None
    )
    if request.method == "POST":
        try:
            if step == "propose" and runner and topic_form.is_valid():
                actions.propose_topic(tag=tag, by=request.user, **topic_form.cleaned_data)
                messages.success(request, _("Topic proposed."))
            elif step == "vote" and member_city is not None:
                topic = Topic.objects.filter(tag=tag, pk=parse_id(request.POST.get("topic")) or 0).first()
                if topic is None:
                    raise ValidationError(_("Choose one of the proposed topics."))
                actions.vote_for_topic(
                    topic=topic,
                    city=member_city,
                    replacing=parse_id(request.POST.get("replacing")),
                    by=request.user,
                )
                messages.success(request, _("Vote saved for %(city)s.") % {"city": member_city.name})
            elif step == "choose" and runner:
                topic = actions.choose_topic(tag=tag, by=request.user)
                messages.success(request, _("The group's topic: %(topic)s.") % {"topic": topic.title})
            elif step == "second" and second_form is not None and member_city is not None and second_form.is_valid():
                actions.request_second_mentor(city=member_city, by=request.user, **second_form.cleaned_data)
                messages.success(request, _("Request sent to the mentor."))
            elif step in ("accept", "decline") and runner:
                pending = SecondMentorRequest.objects.filter(
                    mentor=tag.mentor, pk=parse_id(request.POST.get("request")) or 0
                ).first()
                if pending is None:
                    raise Http404
                actions.decide_request(request=pending, accept=step == "accept", by=request.user)
                messages.success(request, _("Answer recorded."))
            elif step in ("propose", "second"):
                if not (runner if step == "propose" else member_city):
                    raise PermissionDenied
                raise _Invalid
            else:
                raise PermissionDenied
            return redirect(tag)
        except ValidationError as error:
            _fail(request, error)
        except _Invalid:
            pass
    topics = list(tag.topics.annotate(count=Count("votes")))
    votes = {v.city_id: v.topic_id for v in tag.topic_votes.all()}
    return render(
        request,
        "tags/tag.html",
        {
            "tag": tag,
            "runner": runner,
            "member_city": member_city,
            "grouping_words": formation.grouping_in_words(tag.run.status) if tag.run else "",
            "grouping_figures": formation.run_figures(tag.run.result)
            if tag.run and is_programme_team(request.user, tag.programme)
            else "",
            "memberships": tag.memberships.select_related("city"),
            "topics": topics,
            "chosen": next((t for t in topics if t.chosen), None),
            "my_vote": votes.get(member_city.pk) if member_city else None,
            "topic_form": topic_form,
            "second_form": second_form,
            "sessions": tag.sessions.all(),
            "requests": SecondMentorRequest.objects.filter(mentor=tag.mentor).select_related("city", "theme"),
        },
    )


class _Invalid(Exception):
    """A form was sent with errors: show it again."""


@login_required
@require_http_methods(["GET", "POST"])
def session_view(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    session = get_session_for_user(request.user, pk)
    tag = session.tag
    facilitator = (
        runs_tag(request.user, tag) if session.kind == SessionKind.WORKING else runs_trackers(request.user, tag)
    )
    member_city = represented_city(request.user, tag)
    step = request.POST.get("step", "") if request.method == "POST" else ""
    prepare_form = SessionForm(request.POST if step == "prepare" else None, instance=session)
    commit_form = CommitmentForm(request.POST if step == "commit" else None)
    earlier = actions.previous_session(session)
    to_follow = list(
        Commitment.objects.filter(session=earlier).select_related("city", "followed_up_in") if earlier else []
    )
    current = None
    if request.method == "POST":
        try:
            if step == "prepare" and facilitator:
                if not prepare_form.is_valid():
                    raise _Invalid
                actions.save_session(
                    session=prepare_form.save(commit=False),
                    expected_version=prepare_form.expected_version,
                    by=request.user,
                )
                messages.success(request, _("Session saved."))
            elif step == "commit" and member_city is not None:
                if not commit_form.is_valid():
                    raise _Invalid
                actions.commit(
                    session=session, city=member_city, text=commit_form.cleaned_data["text"], by=request.user
                )
                messages.success(request, _("Commitment recorded."))
            elif step == "follow":
                commitment = next((c for c in to_follow if str(c.pk) == request.POST.get("commitment")), None)
                if commitment is None:
                    raise Http404
                if not (facilitator or (member_city is not None and commitment.city_id == member_city.pk)):
                    raise PermissionDenied
                follow = FollowUpForm(request.POST)
                if not follow.is_valid():
                    raise ValidationError(_("Say whether the commitment was done, partly done or not done."))
                actions.follow_up(commitment=commitment, at=session, by=request.user, **follow.cleaned_data)
                messages.success(request, _("Follow-up recorded."))
            else:
                raise PermissionDenied
            return redirect(session)
        except ValidationError as error:
            _fail(request, error)
        except StaleEdit as stale:
            current = refuse_stale(request, stale, prepare_form)
        except _Invalid:
            pass
    return render(
        request,
        "tags/session.html",
        {
            "session": session,
            "tag": tag,
            "facilitator": facilitator,
            "member_city": member_city,
            "prepare_form": prepare_form,
            "commit_form": commit_form,
            "commitments": session.commitments.select_related("city"),
            "earlier": earlier,
            "to_follow": to_follow,
            "follow_form": FollowUpForm(),
            "current": current,
        },
    )
