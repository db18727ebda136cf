"""A TAG's life: its page (topics and their vote, second mentors) and its sessions
(preparation, commitments and their follow-up)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from icc.cities.roles import is_programme_team
from icc.core.responses import render_page
from icc.core.types import AuthedHttpRequest
from icc.core.versioning import StaleEdit, refuse_stale
from icc.tags import actions, formation
from icc.tags.access import (
    facilitates,
    get_commitment_for_user,
    get_member_city_for_user,
    get_request_for_user,
    get_session_for_user,
    get_tag_for_user,
    get_topic_for_user,
    represented_city,
    runs_tag,
)
from icc.tags.forms import CommitmentForm, FollowUpForm, SecondMentorForm, SessionForm, TopicForm, TopicVoteForm
from icc.tags.models import Commitment, SecondMentorRequest, Session, Tag
from icc.tags.views.common import fail, fail_form

TAG_PAGE = "tags/tag.html"
SESSION_PAGE = "tags/session.html"


# The TAG page --------------------------------------------------------------------------


def _tag_page(
    request: AuthedHttpRequest,
    tag: Tag,
    *,
    topic_form: TopicForm | None = None,
    second_form: SecondMentorForm | None = None,
    fragment: str | None = None,
) -> HttpResponse:
    member_city = represented_city(request.user, tag)
    topics = list(tag.topics.annotate(count=Count("votes")))
    votes = {v.city_id: v.topic_id for v in tag.topic_votes.all()}
    context = {
        "tag": tag,
        "runner": runs_tag(request.user, tag),
        "member_city": member_city,
        "grouping_words": formation.grouping_in_words(tag.run.status) if tag.run else "",
        "grouping_figures": formation.run_figures(tag.run.result)
        if tag.run and is_programme_team(request.user, tag.programme)
        else "",
        "memberships": tag.memberships.select_related("city"),
        "topics": topics,
        "chosen": next((t for t in topics if t.chosen), None),
        "my_vote": votes.get(member_city.pk) if member_city else None,
        "topic_form": topic_form or TopicForm(),
        "second_form": second_form or (SecondMentorForm(city=member_city) if member_city else None),
        "sessions": tag.sessions.all(),
        "requests": SecondMentorRequest.objects.filter(mentor=tag.mentor).select_related("city", "theme"),
    }
    return render_page(request, TAG_PAGE, context, fragment=fragment)


@login_required
@require_safe
def tag_view(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _tag_page(request, get_tag_for_user(request.user, pk))


@login_required
@require_POST
def topic_propose(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    tag = get_tag_for_user(request.user, pk, run=True)
    form = TopicForm(request.POST)
    if form.is_valid():
        try:
            actions.propose_topic(tag=tag, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
    if form.errors:
        return _tag_page(request, tag, topic_form=form, fragment="topic-form")
    messages.success(request, _("Topic proposed."))
    return redirect(tag)


@login_required
@require_POST
def topic_vote(request: AuthedHttpRequest, pk: int, topic_pk: int) -> HttpResponse:
    tag = get_tag_for_user(request.user, pk)
    city = get_member_city_for_user(request.user, tag)
    topic = get_topic_for_user(tag, topic_pk)
    form = TopicVoteForm(request.POST, tag=tag)
    if not form.is_valid():
        fail_form(request, form)
        return redirect(tag)
    try:
        actions.vote_for_topic(topic=topic, city=city, replacing=form.cleaned_data["replacing"], by=request.user)
    except ValidationError as error:
        fail(request, error)
    else:
        messages.success(request, _("Vote saved for %(city)s.") % {"city": city.name})
    return redirect(tag)


@login_required
@require_POST
def topic_choose(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    tag = get_tag_for_user(request.user, pk, run=True)
    try:
        topic = actions.choose_topic(tag=tag, by=request.user)
    except ValidationError as error:
        fail(request, error)
    else:
        messages.success(request, _("The group's topic: %(topic)s.") % {"topic": topic.title})
    return redirect(tag)


@login_required
@require_POST
def second_mentor_ask(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    tag = get_tag_for_user(request.user, pk)
    city = get_member_city_for_user(request.user, tag)
    form = SecondMentorForm(request.POST, city=city)
    if form.is_valid():
        try:
            actions.request_second_mentor(city=city, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
    if form.errors:
        return _tag_page(request, tag, second_form=form, fragment="second-form")
    messages.success(request, _("Request sent to the mentor."))
    return redirect(tag)


def _answer(request: AuthedHttpRequest, pk: int, request_pk: int, *, accept: bool) -> HttpResponse:
    tag = get_tag_for_user(request.user, pk, run=True)
    pending = get_request_for_user(tag, request_pk)
    try:
        actions.decide_request(request=pending, accept=accept, by=request.user)
    except ValidationError as error:
        fail(request, error)
    else:
        messages.success(request, _("Answer recorded."))
    return redirect(tag)


@login_required
@require_POST
def second_mentor_accept(request: AuthedHttpRequest, pk: int, request_pk: int) -> HttpResponse:
    return _answer(request, pk, request_pk, accept=True)


@login_required
@require_POST
def second_mentor_decline(request: AuthedHttpRequest, pk: int, request_pk: int) -> HttpResponse:
    return _answer(request, pk, request_pk, accept=False)


# A session -----------------------------------------------------------------------------


def _session_page(
    request: AuthedHttpRequest,
    session: Session,
    *,
    prepare_form: SessionForm | None = None,
    commit_form: CommitmentForm | None = None,
    follow_form: FollowUpForm | None = None,
    followed: Commitment | None = None,
    current: list[tuple[str, str]] | None = None,
    fragment: str | None = None,
) -> HttpResponse:
    earlier = session.previous()
    context = {
        "session": session,
        "tag": session.tag,
        "facilitator": facilitates(request.user, session),
        "member_city": represented_city(request.user, session.tag),
        "prepare_form": prepare_form or SessionForm(instance=session),
        "commit_form": commit_form or CommitmentForm(),
        "commitments": session.commitments.select_related("city"),
        "earlier": earlier,
        "to_follow": list(
            Commitment.objects.filter(session=earlier).select_related("city", "followed_up_in") if earlier else []
        ),
        "follow_form": follow_form or FollowUpForm(),
        "followed": followed.pk if followed else None,
        "current": current,
    }
    return render_page(request, SESSION_PAGE, context, fragment=fragment)


@login_required
@require_safe
def session_view(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _session_page(request, get_session_for_user(request.user, pk))


@login_required
@require_POST
def session_prepare(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    session = get_session_for_user(request.user, pk, facilitate=True)
    form = SessionForm(request.POST, instance=session)
    if not form.is_valid():
        return _session_page(request, session, prepare_form=form, fragment="prepare-form")
    try:
        actions.save_session(session=form.save(commit=False), expected_version=form.expected_version, by=request.user)
    except StaleEdit as stale:
        current = refuse_stale(request, stale, form)
        return _session_page(request, session, prepare_form=form, current=current, fragment="prepare-form")
    messages.success(request, _("Session saved."))
    return redirect(session)


@login_required
@require_POST
def commitment_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    session = get_session_for_user(request.user, pk)
    city = get_member_city_for_user(request.user, session.tag)
    form = CommitmentForm(request.POST)
    if not form.is_valid():
        return _session_page(request, session, commit_form=form, fragment="commit-form")
    actions.commit(session=session, city=city, text=form.cleaned_data["text"], by=request.user)
    messages.success(request, _("Commitment recorded."))
    return redirect(session)


@login_required
@require_POST
def commitment_follow_up(request: AuthedHttpRequest, pk: int, commitment_pk: int) -> HttpResponse:
    session = get_session_for_user(request.user, pk)
    commitment = get_commitment_for_user(request.user, session, commitment_pk)
    form = FollowUpForm(request.POST)
    if not form.is_valid():
        return _session_page(request, session, follow_form=form, followed=commitment, fragment="follow-up")
    actions.follow_up(commitment=commitment, at=session, by=request.user, **form.cleaned_data)
    messages.success(request, _("Follow-up recorded."))
    return redirect(session)
