"""Who sees and does what around TAGs, labs and awards.

A TAG is open to the programme team, to the people of its mentor city and member cities
(and their lead experts) and to the thematic experts of its theme. Mentor
representatives propose topics and run working sessions; city representatives vote for a
topic and make their city's commitments. Labs are open to everyone taking part in the
edition except stakeholders; awards to everyone eligible to vote.

Every id a page or a write receives, from its address or a form, becomes an object here:
a ``get_<thing>_for_user`` function answers 404 for what the person may not see (or what
does not exist) and, with a keyword such as ``run=True`` or ``write=True``, 403 for what
they see but may not change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from icc.cities.access import can_edit_city, get_city_for_user, get_programme_for_user
from icc.cities.models import CORE_TYPES, City, RoleKind
from icc.cities.roles import (
    CITY_SPEAKERS,
    is_lead_expert_of_any,
    is_participant,
    is_programme_team,
    may_vote,
    roles_of,
    speaks_for,
    thematic_tracks,
)
from icc.programmes.models import Programme
from icc.tags.models import (
    BrainDate,
    Commitment,
    FormationRun,
    Lab,
    Nomination,
    PairingRule,
    SecondMentorRequest,
    Session,
    SessionKind,
    Tag,
    Topic,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from icc.accounts.models import Person


def visible_tags(person: Person | AnonymousUser, programme: Programme) -> Any:
    tags = Tag.objects.filter(programme=programme)
    if is_programme_team(person, programme):
        return tags
    roles = roles_of(person).filter(programme=programme)
    cities = roles.filter(kind__in=(*CITY_SPEAKERS, RoleKind.MAYOR, RoleKind.LEAD_EXPERT)).values("city")
    themes = thematic_tracks(person, programme)
    return tags.filter(Q(mentor__in=cities) | Q(memberships__city__in=cities) | Q(theme__in=themes)).distinct()


def get_tag_for_user(person: Person | AnonymousUser, tag_id: int, *, run: bool = False) -> Tag:
    """The TAG ``tag_id``; with ``run``, for those who run it (topics, answers to second-mentor requests)."""
    tag = Tag.objects.select_related("programme", "mentor", "theme", "run").filter(pk=tag_id).first()
    if tag is None or not visible_tags(person, tag.programme).filter(pk=tag.pk).exists():
        raise Http404
    if run and not runs_tag(person, tag):
        raise PermissionDenied
    return tag


def represented_city(person: Person | AnonymousUser, tag: Tag) -> City | None:
    """The member city of ``tag`` that ``person`` represents, if any."""
    role = roles_of(person).filter(kind=RoleKind.CITY_REP, city__tag_membership__tag=tag).select_related("city").first()
    return role.city if role else None


def get_member_city_for_user(person: Person | AnonymousUser, tag: Tag) -> City:
    """The member city ``person`` speaks for in ``tag`` (a vote, a commitment, a second mentor), or 403."""
    city = represented_city(person, tag)
    if city is None:
        raise PermissionDenied
    return city


def get_topic_for_user(tag: Tag, topic_id: int) -> Topic:
    """One of the topics proposed in ``tag`` (which the caller has opened)."""
    topic = Topic.objects.filter(tag=tag, pk=topic_id).select_related("tag").first()
    if topic is None:
        raise Http404
    return topic


def get_request_for_user(tag: Tag, request_id: int) -> SecondMentorRequest:
    """A second-mentor request to the mentor of ``tag`` (which the caller runs)."""
    request = (
        SecondMentorRequest.objects.filter(mentor=tag.mentor, pk=request_id).select_related("city", "theme").first()
    )
    if request is None:
        raise Http404
    return request


def runs_tag(person: Person | AnonymousUser, tag: Tag) -> bool:
    """The mentor's representatives and the programme team run a TAG's working sessions."""
    return is_programme_team(person, tag.programme) or speaks_for(person, tag.mentor)


def runs_trackers(person: Person | AnonymousUser, tag: Tag) -> bool:
    """Progress trackers are run by the programme team and the member cities' lead experts, without the mentor."""
    return is_programme_team(person, tag.programme) or is_lead_expert_of_any(
        person, City.objects.filter(tag_membership__tag=tag)
    )


def visible_sessions(person: Person | AnonymousUser, programme: Programme) -> Any:
    """The working sessions and progress trackers of the TAGs ``person`` may open."""
    return Session.objects.filter(tag__in=visible_tags(person, programme)).select_related("tag__mentor", "tag__theme")


def facilitates(person: Person | AnonymousUser, session: Session) -> bool:
    """Who prepares a session: those who run the TAG for a working session, those who run its trackers for a tracker."""
    if session.kind == SessionKind.WORKING:
        return runs_tag(person, session.tag)
    return runs_trackers(person, session.tag)


def get_session_for_user(person: Person | AnonymousUser, session_id: int, *, facilitate: bool = False) -> Session:
    session = Session.objects.select_related("tag", "tag__programme", "tag__mentor").filter(pk=session_id).first()
    if session is None:
        raise Http404
    get_tag_for_user(person, session.tag_id)
    if facilitate and not facilitates(person, session):
        raise PermissionDenied
    return session


def get_commitment_for_user(person: Person | AnonymousUser, session: Session, commitment_id: int) -> Commitment:
    """A commitment of the session before ``session``, to follow up at ``session``.

    The session's facilitators follow up every commitment; a member city's representative
    its own city's."""
    earlier = session.previous()
    commitment = (
        Commitment.objects.filter(session=earlier, pk=commitment_id).select_related("city", "session").first()
        if earlier
        else None
    )
    if commitment is None:
        raise Http404
    city = represented_city(person, session.tag)
    if not (facilitates(person, session) or (city is not None and commitment.city_id == city.pk)):
        raise PermissionDenied
    return commitment


def takes_part(person: Person | AnonymousUser, programme: Programme) -> bool:
    return is_programme_team(person, programme) or is_participant(person, programme)


def get_lab_for_user(person: Person | AnonymousUser, lab_id: int, *, manage: bool = False) -> Lab:
    """The lab ``lab_id``; with ``manage``, for the programme team (forming its brain dates)."""
    lab = Lab.objects.select_related("programme").filter(pk=lab_id).first()
    if lab is None or not takes_part(person, lab.programme):
        raise Http404
    if manage and not is_programme_team(person, lab.programme):
        raise PermissionDenied
    return lab


def lab_city(person: Person | AnonymousUser, programme: Programme) -> City | None:
    """The core city ``person`` speaks for at the edition's labs (its projects, use cases and picks)."""
    role = (
        roles_of(person)
        .filter(programme=programme, kind__in=CITY_SPEAKERS, city__type__in=CORE_TYPES)
        .select_related("city")
        .order_by("pk")
        .first()
    )
    return role.city if role else None


def get_lab_city_for_user(person: Person | AnonymousUser, lab: Lab) -> City:
    """The city ``person`` brings projects and picks for at ``lab``, or 403."""
    city = lab_city(person, lab.programme)
    if city is None:
        raise PermissionDenied
    return city


def get_brain_date_for_user(person: Person | AnonymousUser, brain_date_id: int, *, write: bool = False) -> BrainDate:
    """The brain date ``brain_date_id``; with ``write``, for those who record its takeaways."""
    brain_date = BrainDate.objects.select_related("lab", "lab__programme").filter(pk=brain_date_id).first()
    if brain_date is None or not takes_part(person, brain_date.lab.programme):
        raise Http404
    if write and not records_takeaways(person, brain_date):
        raise PermissionDenied
    return brain_date


def records_takeaways(person: Person | AnonymousUser, brain_date: BrainDate) -> bool:
    """The programme team and the brain date's own experts record its takeaways: the lead
    experts of its cities and the thematic experts of their tracks."""
    programme = brain_date.lab.programme
    if is_programme_team(person, programme):
        return True
    cities = brain_date.cities.all()
    return (
        roles_of(person)
        .filter(
            Q(kind=RoleKind.LEAD_EXPERT, city__in=cities)
            | Q(kind=RoleKind.THEMATIC_EXPERT, theme__in=cities.values("track"))
        )
        .exists()
    )


# Formation -----------------------------------------------------------------------------


def get_run_for_user(person: Person | AnonymousUser, slug: str, run_id: int) -> FormationRun:
    """A formation run of the edition ``slug``, for the programme team."""
    programme = get_programme_for_user(person, slug, write=True)
    run = FormationRun.objects.filter(programme=programme, pk=run_id).select_related("programme", "created_by").first()
    if run is None:
        raise Http404
    return run


def get_rule_for_user(person: Person | AnonymousUser, slug: str, rule_id: int) -> PairingRule | None:
    """A pairing rule of the edition ``slug``, for the programme team; None once it is gone.

    A rule removed meanwhile (another tab, a second click) is no secret: the page says so."""
    programme = get_programme_for_user(person, slug, write=True)
    return PairingRule.objects.filter(city__programme=programme, pk=rule_id).select_related("city", "mentor").first()


def get_preferences_city_for_user(person: Person | AnonymousUser, city_id: int, *, write: bool = False) -> City:
    """The core city whose mentor preferences ``person`` opens; with ``write``, changes."""
    city = get_city_for_user(person, city_id)
    if city.is_mentor:
        raise Http404
    if write and not can_edit_city(person, city):
        raise PermissionDenied
    return city


# Awards --------------------------------------------------------------------------------


def get_awards_for_user(
    person: Person | AnonymousUser, slug: str, *, nominate: bool = False, vote: bool = False
) -> Programme:
    """The edition ``slug`` for its awards page; ``nominate`` for voters and the team, ``vote`` for voters."""
    programme = get_programme_for_user(person, slug)
    voter = may_vote(person, programme)
    if (vote and not voter) or (nominate and not (voter or is_programme_team(person, programme))):
        raise PermissionDenied
    return programme


def get_nomination_for_user(person: Person | AnonymousUser, slug: str, nomination_id: int) -> Nomination:
    """A nomination of the edition ``slug``, for a vote."""
    programme = get_awards_for_user(person, slug, vote=True)
    nomination = Nomination.objects.filter(programme=programme, pk=nomination_id).select_related("programme").first()
    if nomination is None:
        raise Http404
    return nomination
