"""Who may see and change which city, programme, person and organisation.

Views never look up a user-supplied id any other way than through these functions.
Something a person may not see is a 404, so that its existence stays secret; something
they may see but not change is a 403.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from icc.cities.models import City, Organisation, Role, RoleKind
from icc.cities.roles import (
    CITY_EDIT_ROLES,
    CITY_VIEW_ROLES,
    OVERVIEW_ROLES,
    is_programme_team,
    thematic_tracks,
)

__all__ = ["CITY_EDIT_ROLES", "CITY_VIEW_ROLES", "OVERVIEW_ROLES", "is_programme_team"]
from icc.programmes.models import Programme

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from icc.accounts.models import Person


def visible_cities_filter(person: Person | AnonymousUser) -> Q:
    if not person.is_authenticated:
        return Q(pk__in=[])
    if person.is_superuser:
        return Q()
    mine = Role.objects.filter(person_id=person.pk)
    return (
        Q(programme__in=mine.filter(kind=RoleKind.PROGRAMME_TEAM).values("programme"))
        | Q(programme__in=mine.filter(kind=RoleKind.TRANSVERSAL_EXPERT).values("programme"))
        | Q(pk__in=mine.filter(kind__in=CITY_VIEW_ROLES).values("city"))
        | Q(track__in=thematic_tracks(person))
    )


def can_edit_city(person: Person | AnonymousUser, city: City) -> bool:
    if is_programme_team(person, city.programme):
        return True
    if not person.is_authenticated:
        return False
    return Role.objects.filter(person_id=person.pk, city=city, kind__in=CITY_EDIT_ROLES).exists()


def get_city_for_user(person: Person | AnonymousUser, city_id: int, *, write: bool = False) -> City:
    city = (
        City.objects.visible_to(person).select_related("programme", "track", "current_phase").filter(pk=city_id).first()
    )
    if city is None:
        raise Http404
    if write and not can_edit_city(person, city):
        raise PermissionDenied
    return city


def programmes_for(person: Person | AnonymousUser) -> list[Programme]:
    """Programmes whose overview ``person`` may open."""
    if not person.is_authenticated:
        return []
    programmes = Programme.objects.all()
    if not person.is_superuser:
        programmes = programmes.filter(
            pk__in=Role.objects.filter(person_id=person.pk, kind__in=OVERVIEW_ROLES).values("programme")
        )
    return list(programmes)


def get_programme_for_user(person: Person | AnonymousUser, slug: str, *, manage: bool = False) -> Programme:
    """The programme ``slug`` for its pages: its overview, or with ``manage`` a page of the programme team.

    The programme's pages are secret to whoever may not open its overview (people without a
    role in it, and ecosystem stakeholders, who see only what is addressed to them): 404.
    Someone who opens the overview knows the programme exists; a page of the programme team
    answers them 403.
    """
    programme = Programme.objects.filter(slug=slug).first()
    if programme is None or not person.is_authenticated:
        raise Http404
    if person.is_superuser:
        return programme
    kinds = set(Role.objects.filter(person_id=person.pk, programme=programme).values_list("kind", flat=True))
    if not kinds & set(OVERVIEW_ROLES):
        raise Http404
    if manage and RoleKind.PROGRAMME_TEAM not in kinds:
        raise PermissionDenied
    return programme


def get_organisation_for_user(
    person: Person | AnonymousUser, organisation_id: int, *, write: bool = False
) -> Organisation:
    organisation = (
        Organisation.objects.select_related("city", "city__programme")
        .filter(pk=organisation_id, city__in=City.objects.visible_to(person))
        .first()
    )
    if organisation is None:
        raise Http404
    if write and not can_edit_city(person, organisation.city):
        raise PermissionDenied
    return organisation
