"""Who sees and does what around TAGs, labs and awards.

A TAG is open to the programme team, to the people of its mentor city and member cities
(and their lead experts) and to the thematic experts of its theme. Mentor
representatives propose topics and run working sessions; city representatives vote for a
topic and make their city's commitments. Labs are open to everyone taking part in the
edition except stakeholders; awards to everyone eligible to vote.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.http import Http404

from icc.cities.models import City, RoleKind
from icc.cities.roles import (
    CITY_SPEAKERS,
    is_lead_expert_of_any,
    is_participant,
    is_programme_team,
    roles_of,
    speaks_for,
    thematic_tracks,
)
from icc.programmes.models import Programme
from icc.tags.models import BrainDate, Lab, Session, Tag

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


def get_tag_for_user(person: Person | AnonymousUser, tag_id: int) -> Tag:
    tag = Tag.objects.select_related("programme", "mentor", "theme").filter(pk=tag_id).first()
    if tag is None or not visible_tags(person, tag.programme).filter(pk=tag.pk).exists():
        raise Http404
    return tag


def represented_city(person: Person | AnonymousUser, tag: Tag) -> City | None:
    """The member city of ``tag`` that ``person`` represents, if any."""
    role = roles_of(person).filter(kind=RoleKind.CITY_REP, city__tag_membership__tag=tag).select_related("city").first()
    return role.city if role else None


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


def get_session_for_user(person: Person | AnonymousUser, session_id: int) -> Session:
    session = Session.objects.select_related("tag", "tag__programme", "tag__mentor").filter(pk=session_id).first()
    if session is None:
        raise Http404
    get_tag_for_user(person, session.tag_id)
    return session


def takes_part(person: Person | AnonymousUser, programme: Programme) -> bool:
    return is_programme_team(person, programme) or is_participant(person, programme)


def get_lab_for_user(person: Person | AnonymousUser, lab_id: int) -> Lab:
    lab = Lab.objects.select_related("programme").filter(pk=lab_id).first()
    if lab is None or not takes_part(person, lab.programme):
        raise Http404
    return lab


def get_brain_date_for_user(person: Person | AnonymousUser, brain_date_id: int) -> BrainDate:
    brain_date = BrainDate.objects.select_related("lab", "lab__programme").filter(pk=brain_date_id).first()
    if brain_date is None or not takes_part(person, brain_date.lab.programme):
        raise Http404
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


def cities_spoken_for(person: Person | AnonymousUser, programme: Programme) -> list[City]:
    """The core or mentor cities ``person`` represents in ``programme``."""
    return [
        role.city
        for role in roles_of(person).filter(programme=programme, kind__in=CITY_SPEAKERS).select_related("city")
        if role.city is not None
    ]
