"""Everything that changes calls for ideas, ideas and votes. Each change is atomic; the city
team's are audited.

Views call these after ``icc.ideas.access`` has decided who may. An action checks what the
change itself needs: the state of the call and of the idea, the dates, the shortlist, that
an action belongs to the call's city. A refused change is a ``ValidationError`` with a
sentence for the page, and nothing is written.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from icc.consultations.clock import city_day
from icc.core.models import AuditKind, record
from icc.core.queueing import queued_atomic
from icc.core.versioning import save_versioned
from icc.ideas import keys, tasks
from icc.ideas.models import (
    EMAIL_KEPT_DAYS,
    LISTED_STATES,
    CallStatus,
    Idea,
    IdeaCall,
    IdeaState,
    IdeaVote,
    Purpose,
)
from icc.public.languages import EU_LANGUAGES, page_languages
from icc.public.participation import count_submission, participant_key

if TYPE_CHECKING:
    from icc.accounts.models import Person
    from icc.cities.models import City
    from icc.roadmaps.models import Action

CALL_FIELDS = [
    "question",
    "description",
    "purpose",
    "cycle",
    "opens_on",
    "closes_on",
    "voting_opens_on",
    "voting_closes_on",
]


class Event:
    """What an author's e-mail tells them."""

    PUBLISHED = "published"
    DECLINED = "declined"
    MERGED = "merged"
    TAKEN_UP = "taken-up"


# Calls --------------------------------------------------------------------------------


def _check_call(call: IdeaCall, city: City) -> None:
    if call.purpose == Purpose.CYCLE_PLANNING:
        if call.cycle is None:
            raise ValidationError({"cycle": _("Choose the cycle whose planning the ideas prepare.")})
        if call.cycle.programme_id != city.programme_id:
            raise ValidationError({"cycle": _("This cycle is not one of the city's programme.")})
    else:
        call.cycle = None
    if call.closes_on < call.opens_on:
        raise ValidationError({"closes_on": _("Sending ideas cannot end before it starts.")})
    if (call.voting_opens_on is None) != (call.voting_closes_on is None):
        raise ValidationError({"voting_closes_on": _("Give both the first and the last day of the vote, or neither.")})
    if call.voting_opens_on is not None and call.voting_closes_on is not None:
        if call.voting_opens_on < call.opens_on:
            raise ValidationError({"voting_opens_on": _("The vote cannot start before ideas are sent.")})
        if call.voting_closes_on < call.voting_opens_on:
            raise ValidationError({"voting_closes_on": _("The vote cannot end before it starts.")})


@transaction.atomic
def add_call(*, city: City, call: IdeaCall, by: Person) -> IdeaCall:
    """Save a new call of ``city`` as a draft: nobody outside the city team sees it yet."""
    call.city = city
    call.status = CallStatus.DRAFT
    _check_call(call, city)
    save_versioned(call, fields=CALL_FIELDS, expected=0)
    record(obj=call, action=AuditKind.IDEA_CALL_ADDED, actor=by, changes={"purpose": call.purpose})
    return call


@transaction.atomic
def change_call(*, call: IdeaCall, expected_version: int, by: Person) -> IdeaCall:
    """Save the texts and dates of ``call``; raises ``StaleEdit`` if someone saved it meanwhile."""
    if call.vote_closed_at is not None:
        raise ValidationError(_("The vote on this call is over: its texts and dates stay as they were."))
    current = IdeaCall.objects.select_for_update().get(pk=call.pk)
    fixed = ("purpose", "cycle_id", "opens_on", "closes_on", "voting_opens_on")
    if current.status == CallStatus.VOTING and any(getattr(current, f) != getattr(call, f) for f in fixed):
        raise ValidationError(_("The vote is open: of its dates, only the vote's last day can still change."))
    _check_call(call, call.city)
    save_versioned(call, fields=CALL_FIELDS, expected=expected_version)
    record(obj=call, action=AuditKind.IDEA_CALL_CHANGED, actor=by)
    return call


def _lock(call: IdeaCall) -> IdeaCall:
    locked = IdeaCall.objects.select_for_update().get(pk=call.pk)
    locked.city = call.city
    return locked


def _set_status(call: IdeaCall, status: str, **fields: Any) -> None:
    changed = {"status": status, "version": call.version + 1, **fields}
    for name, value in changed.items():
        setattr(call, name, value)
    call.save(update_fields=[*changed, "updated_at"])


@transaction.atomic
def open_call(*, call: IdeaCall, by: Person) -> IdeaCall:
    """Publish a draft call: from now on citizens see it and, from its first day, send ideas."""
    locked = _lock(call)
    if locked.status != CallStatus.DRAFT:
        raise ValidationError(_("This call is already open."))
    if not locked.question:
        raise ValidationError(_("Write the call's question before opening it."))
    _set_status(locked, CallStatus.OPEN, opened_at=timezone.now())
    record(obj=locked, action=AuditKind.IDEA_CALL_OPENED, actor=by)
    return locked


@transaction.atomic
def close_call(*, call: IdeaCall, by: Person) -> IdeaCall:
    """Stop taking ideas; the call and its published ideas stay public."""
    locked = _lock(call)
    if locked.status != CallStatus.OPEN:
        raise ValidationError(_("Only a call that is open for ideas can be closed."))
    _set_status(locked, CallStatus.CLOSED)
    record(obj=locked, action=AuditKind.IDEA_CALL_CLOSED, actor=by)
    return locked


@transaction.atomic
def open_vote(*, call: IdeaCall, by: Person) -> IdeaCall:
    """Put the shortlist to a vote; sending ideas ends with it."""
    locked = _lock(call)
    if locked.vote_closed_at is not None:
        raise ValidationError(_("The vote on this call is over; it cannot open again."))
    if locked.status not in (CallStatus.OPEN, CallStatus.CLOSED):
        raise ValidationError(_("Open the call before putting its ideas to a vote."))
    if locked.voting_opens_on is None or locked.voting_closes_on is None:
        raise ValidationError(_("Set the first and the last day of the vote first."))
    if not locked.ideas.filter(state=IdeaState.SHORTLISTED).exists():
        raise ValidationError(_("Put at least one idea on the shortlist first."))
    _set_status(locked, CallStatus.VOTING)
    record(obj=locked, action=AuditKind.IDEA_VOTE_OPENED, actor=by)
    return locked


@transaction.atomic
def close_vote(*, call: IdeaCall, by: Person) -> IdeaCall:
    """End the vote: from now on everyone sees how many votes each idea got."""
    locked = _lock(call)
    if locked.status != CallStatus.VOTING:
        raise ValidationError(_("The vote is not open."))
    _set_status(locked, CallStatus.CLOSED, vote_closed_at=timezone.now())
    counts = {str(i.pk): i.votes.count() for i in locked.ideas.filter(state=IdeaState.SHORTLISTED)}
    record(obj=locked, action=AuditKind.IDEA_VOTE_CLOSED, actor=by, changes={"votes": counts})
    return locked


# Moderation ---------------------------------------------------------------------------


def _lock_idea(idea: Idea) -> Idea:
    locked = Idea.objects.select_for_update().select_related("call").get(pk=idea.pk)
    locked.call.city = idea.call.city
    return locked


def _shortlist_fixed(idea: Idea) -> None:
    """While a vote runs, and after it, the shortlist and its ideas stay as they were voted on."""
    if idea.state != IdeaState.SHORTLISTED:
        return
    if idea.call.status == CallStatus.VOTING:
        raise ValidationError(_("The vote is open: the shortlist stays as it is until the vote closes."))
    if idea.call.vote_closed_at is not None or idea.votes.exists():
        raise ValidationError(_("This idea was voted on: it stays on the shortlist."))


def _moderated(idea: Idea, by: Person, kind: AuditKind, changes: dict[str, Any], fields: list[str]) -> None:
    idea.moderated_at = timezone.now()
    idea.save(update_fields=[*fields, "moderated_at"])
    record(obj=idea, action=kind, actor=by, changes=changes)


def _tell_author(idea: Idea, event: str) -> None:
    if idea.email:
        transaction.on_commit(lambda: tasks.notify_author.enqueue(idea_id=idea.pk, event=event))


@transaction.atomic
def publish_idea(*, idea: Idea, by: Person) -> Idea:
    """Show an idea on the call's page (also: take it off the shortlist, or reconsider a decline)."""
    locked = _lock_idea(idea)
    if locked.state == IdeaState.PUBLISHED:
        raise ValidationError(_("This idea is already published."))
    if locked.state == IdeaState.MERGED:
        raise ValidationError(_("This idea was merged into another one."))
    _shortlist_fixed(locked)
    before = locked.state
    locked.state = IdeaState.PUBLISHED
    locked.decline_reason = ""
    _moderated(locked, by, AuditKind.IDEA_PUBLISHED, {"from": before}, ["state", "decline_reason"])
    if before in (IdeaState.PENDING, IdeaState.DECLINED):
        _tell_author(locked, Event.PUBLISHED)
    return locked


@transaction.atomic
def decline_idea(*, idea: Idea, reason: str, by: Person) -> Idea:
    """Hide an idea, with a reason its author reads through their private link."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say why the idea is declined: its author will read it."))
    locked = _lock_idea(idea)
    if locked.state in (IdeaState.DECLINED, IdeaState.MERGED):
        raise ValidationError(_("This idea is no longer on the call's page."))
    _shortlist_fixed(locked)
    before = locked.state
    locked.state, locked.decline_reason, locked.action = IdeaState.DECLINED, reason, None
    _moderated(
        locked, by, AuditKind.IDEA_DECLINED, {"from": before, "reason": reason}, ["state", "decline_reason", "action"]
    )
    _tell_author(locked, Event.DECLINED)
    return locked


@transaction.atomic
def merge_idea(*, idea: Idea, into: Idea, by: Person) -> Idea:
    """Merge a duplicate into a similar published idea; ideas merged into it follow."""
    if into.pk == idea.pk:
        raise ValidationError(_("An idea cannot be merged into itself."))
    locked = _lock_idea(idea)
    target = Idea.objects.select_for_update().filter(pk=into.pk, call_id=locked.call_id).first()
    if target is None or target.state not in LISTED_STATES:
        raise ValidationError(_("Merge it into a published idea of the same call."))
    if locked.state in (IdeaState.DECLINED, IdeaState.MERGED):
        raise ValidationError(_("This idea is no longer on the call's page."))
    _shortlist_fixed(locked)
    before = locked.state
    locked.state, locked.merged_into, locked.action = IdeaState.MERGED, target, None
    _moderated(
        locked, by, AuditKind.IDEA_MERGED, {"from": before, "into": target.pk}, ["state", "merged_into", "action"]
    )
    Idea.objects.filter(merged_into=locked).update(merged_into=target)
    _tell_author(locked, Event.MERGED)
    return locked


@transaction.atomic
def shortlist_idea(*, idea: Idea, by: Person) -> Idea:
    locked = _lock_idea(idea)
    if locked.call.status == CallStatus.VOTING:
        raise ValidationError(_("The vote is open: the shortlist stays as it is until the vote closes."))
    if locked.call.vote_closed_at is not None:
        raise ValidationError(_("The vote on this call is over; the shortlist stays as it was."))
    if locked.state != IdeaState.PUBLISHED:
        raise ValidationError(_("Only a published idea can go on the shortlist."))
    locked.state = IdeaState.SHORTLISTED
    _moderated(locked, by, AuditKind.IDEA_SHORTLISTED, {}, ["state"])
    return locked


@transaction.atomic
def link_action(*, idea: Idea, action: Action | None, by: Person) -> Idea:
    """Link an idea the city takes up to the roadmap action it became (``None`` unlinks it)."""
    locked = _lock_idea(idea)
    if action is not None:
        if action.city_id != locked.call.city_id:
            raise ValidationError(_("Choose an action of the city's own roadmap."))
        if locked.state not in LISTED_STATES:
            raise ValidationError(_("Only a published idea can be taken up."))
    if (locked.action_id or None) == (action.pk if action else None):
        return locked
    locked.action = action
    _moderated(locked, by, AuditKind.IDEA_TAKEN_UP, {"action": action.pk if action else None}, ["action"])
    if action is not None:
        _tell_author(locked, Event.TAKEN_UP)
    return locked


# Citizens -----------------------------------------------------------------------------


def city_today(call: IdeaCall) -> dt.date:
    """The day it is where the call's city is: its days of sending and voting begin and end
    by the city's clock, not the server's or the reader's."""
    return city_day(call.city, timezone.now())


def email_kept_until(call: IdeaCall, today: dt.date) -> dt.date:
    """The day after which an author's e-mail address is erased."""
    return max(call.last_day, today) + dt.timedelta(days=EMAIL_KEPT_DAYS)


def _page_language() -> str:
    language = translation.get_language() or "en"
    return language if language in page_languages() else "en"


def send_idea(
    *,
    call: IdeaCall,
    request: HttpRequest,
    title: str,
    text: str,
    language: str,
    email: str = "",
    consent: bool = False,
    today: dt.date | None = None,
) -> Idea:
    """Take a citizen's idea for moderation; the same words twice in one call are taken once."""
    today = today or city_today(call)
    if not call.takes_ideas(today):
        raise ValidationError(_("This call does not take ideas any more."), code="closed")
    if language not in EU_LANGUAGES:
        raise ValidationError(_("Choose the language your idea is written in."), code="invalid")
    email = email.strip()
    if email and not consent:
        raise ValidationError(_("Tick the box to let the city keep your e-mail address, or leave it empty."))
    idea = Idea(
        call=call,
        title=title.strip(),
        text=text.strip(),
        language=language,
        reply_language=_page_language(),
        email=email,
        email_kept_until=email_kept_until(call, today) if email else None,
        fingerprint=keys.fingerprint(call.pk, title, text),
        secret=keys.new_secret(),
    )
    try:
        with queued_atomic():
            count_submission(request, f"ideas:{call.pk}")
            idea.save()
            if idea.email_kept_until is not None:
                kept = idea.email_kept_until
                transaction.on_commit(lambda: tasks.schedule_erasure(kept))
    except IntegrityError:
        raise ValidationError(
            _("This idea has already been sent to this call; it is counted once."), code="duplicate"
        ) from None
    return idea


def vote_for_idea(*, idea: Idea, request: HttpRequest, visitor: str, today: dt.date | None = None) -> IdeaVote:
    """One browser's vote for an idea on the shortlist; a second one is refused."""
    call = idea.call
    today = today or city_today(call)
    if call.vote_closed_at is not None or (
        call.status == CallStatus.VOTING and call.voting_closes_on is not None and today > call.voting_closes_on
    ):
        raise ValidationError(_("The vote is closed; your vote was not counted."), code="closed")
    if not call.takes_votes(today):
        raise ValidationError(_("The vote is not open; your vote was not counted."), code="not_open")
    if idea.state != IdeaState.SHORTLISTED:
        raise ValidationError(_("Only ideas on the shortlist can get votes."), code="not_shortlisted")
    try:
        with queued_atomic():
            count_submission(request, f"idea-votes:{call.pk}")
            return IdeaVote.objects.create(idea=idea, participant=participant_key(f"idea-call:{call.pk}", visitor))
    except IntegrityError:
        raise ValidationError(
            _("You have already voted for this idea; it is counted once."), code="duplicate"
        ) from None


def voter_key(call: IdeaCall, visitor: str) -> str:
    return participant_key(f"idea-call:{call.pk}", visitor)


# Personal data ------------------------------------------------------------------------


def erase_expired_emails(*, today: dt.date | None = None) -> int:
    """Erase the e-mail addresses kept past their date; returns how many."""
    today = today or timezone.localdate()
    return Idea.objects.filter(email_kept_until__lt=today).update(email="", email_kept_until=None)
