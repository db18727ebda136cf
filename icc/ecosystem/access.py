"""Who opens a city's stakeholder map and interviews, who changes them, and who reads a
sensitive note.

The map and the interviews name people (contacts are personal data), so they are open to
the city's own viewers only (its lead expert, representatives, mayor, and mentor city
representatives of that city) and to the programme team; everyone else, thematic and
transversal experts included, gets a 404 as for anything they may not see. They are
changed by whoever may change the city (:func:`icc.cities.roles.can_edit_city`): a mayor
reads them but gets a 403 on a change.

A sensitive note is read by its author and by the lead expert of the interview's city,
nobody else: not the city's representatives, its mayor, the programme team, nor other
experts. :func:`visible_notes` is the only place notes are read for display, and every
view that shows one goes through it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from icc.cities.models import City, Organisation, RoleKind
from icc.cities.roles import CITY_VIEW_ROLES, can_edit_city, is_programme_team, roles_of
from icc.core.params import MAX_ID
from icc.ecosystem.models import Contact, Insight, Interview, SensitiveNote
from icc.programmes.access import get_programme_for_user
from icc.programmes.models import Programme

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from icc.accounts.models import Person

    Someone = Person | AnonymousUser


def may_view_ecosystem(person: Someone, city: City) -> bool:
    if not person.is_authenticated:
        return False
    if is_programme_team(person, city.programme):
        return True
    return roles_of(person).filter(city=city, kind__in=CITY_VIEW_ROLES).exists()


def may_edit_ecosystem(person: Someone, city: City) -> bool:
    return may_view_ecosystem(person, city) and can_edit_city(person, city)


def _check(person: Someone, city: City | None, *, write: bool) -> None:
    if city is None or not may_view_ecosystem(person, city):
        raise Http404
    if write and not can_edit_city(person, city):
        raise PermissionDenied


def _valid(pk: int) -> None:
    if not 0 < pk <= MAX_ID:
        raise Http404


def get_city_for_user(person: Someone, pk: int, *, write: bool = False) -> City:
    """The city whose ecosystem ``person`` opens (404 otherwise; 403 for a change they may not make)."""
    _valid(pk)
    city = City.objects.select_related("programme").filter(pk=pk).first()
    _check(person, city, write=write)
    assert city is not None
    return city


def get_stakeholder_for_user(person: Someone, pk: int, *, write: bool = False) -> Organisation:
    """One of a city's organisations, as a member of its ecosystem."""
    _valid(pk)
    organisation = Organisation.objects.select_related("city", "city__programme", "ecosystem").filter(pk=pk).first()
    _check(person, organisation.city if organisation else None, write=write)
    assert organisation is not None
    return organisation


def get_contact_for_user(person: Someone, pk: int, *, write: bool = False) -> Contact:
    _valid(pk)
    contact = Contact.objects.select_related("organisation__city__programme").filter(pk=pk).first()
    _check(person, contact.organisation.city if contact else None, write=write)
    assert contact is not None
    return contact


def get_interview_for_user(person: Someone, pk: int, *, write: bool = False) -> Interview:
    _valid(pk)
    interview = (
        Interview.objects.select_related("city__programme", "organisation", "contact", "interviewer")
        .filter(pk=pk)
        .first()
    )
    _check(person, interview.city if interview else None, write=write)
    assert interview is not None
    return interview


def get_insight_for_user(person: Someone, pk: int, *, write: bool = False) -> Insight:
    _valid(pk)
    insight = Insight.objects.select_related("interview__city__programme").filter(pk=pk).first()
    _check(person, insight.interview.city if insight else None, write=write)
    assert insight is not None
    return insight


def get_guide_programme_for_user(person: Someone, slug: str) -> Programme:
    """The edition whose interview guide ``person`` keeps: the programme team only (members 403)."""
    return get_programme_for_user(person, slug, write=True)


def is_lead_expert_of(person: Someone, city: City) -> bool:
    return roles_of(person).filter(city=city, kind=RoleKind.LEAD_EXPERT).exists()


def visible_notes(person: Someone, interview: Interview) -> QuerySet[SensitiveNote]:
    """The sensitive notes of ``interview`` that ``person`` reads: their own; all of them for the city's lead expert."""
    notes = SensitiveNote.objects.filter(interview=interview)
    if not person.is_authenticated:
        return notes.none()
    if is_lead_expert_of(person, interview.city):
        return notes
    return notes.filter(Q(author_id=person.pk))


def may_write_note(person: Someone, interview: Interview) -> bool:
    """Anyone who may change the city's interviews keeps a note of their own on one."""
    return may_edit_ecosystem(person, interview.city)
