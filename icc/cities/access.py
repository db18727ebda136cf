"""Who may see and change which city, person, role and organisation.

Views never look up a user-supplied id any other way than through these functions.
Something a person may not see is a 404, so that its existence stays secret; something
they may see but not change is a 403. The programme rules live in
:mod:`icc.programmes.access` and are re-exported here for the apps that import them from
this module.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Q
from django.http import Http404

from icc.accounts.models import Person
from icc.cities.models import City, Organisation, Role, RoleKind
from icc.cities.roles import (
    CITY_EDIT_ROLES,
    CITY_VIEW_ROLES,
    OVERVIEW_ROLES,
    can_edit_city,
    is_programme_team,
    roles_of,
    thematic_tracks,
)
from icc.core import dataversion
from icc.programmes.access import get_programme_for_user, programmes_for

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from icc.programmes.models import Programme

__all__ = [
    "CITY_EDIT_ROLES",
    "CITY_VIEW_ROLES",
    "OVERVIEW_ROLES",
    "can_edit_city",
    "get_city_for_user",
    "get_organisation_for_user",
    "get_person_for_user",
    "get_programme_for_user",
    "get_role_for_user",
    "is_programme_team",
    "programmes_for",
    "visible_cities_filter",
]


def visible_cities_filter(person: Person | AnonymousUser) -> Q:
    if not person.is_authenticated:
        return Q(pk__in=[])
    if person.is_superuser:
        return Q()
    mine = roles_of(person)
    return (
        Q(programme__in=mine.filter(kind=RoleKind.PROGRAMME_TEAM).values("programme"))
        | Q(programme__in=mine.filter(kind=RoleKind.TRANSVERSAL_EXPERT).values("programme"))
        | Q(pk__in=mine.filter(kind__in=CITY_VIEW_ROLES).values("city"))
        | Q(track__in=thematic_tracks(person))
    )


def visible_city_ids(person: Person | AnonymousUser) -> frozenset[int]:
    """The ids of the cities ``person`` may open, kept under the data version: a change of
    roles, tracks or cities makes the cached set unreachable in the same transaction."""
    if not person.is_authenticated:
        return frozenset()

    def read() -> frozenset[int]:
        return frozenset(City.objects.filter(visible_cities_filter(person)).values_list("pk", flat=True))

    if connection.in_atomic_block:
        # Inside a transaction the version may be one a rollback gives back: read, never keep.
        return read()
    return dataversion.cached(f"visible-cities:{person.pk}", dataversion.current(), read)


def _read_city(city_id: int) -> City | None:
    return City.objects.select_related("programme", "track", "current_phase").filter(pk=city_id).first()


def get_city_for_user(person: Person | AnonymousUser, city_id: int, *, write: bool = False) -> City:
    """The city, 404 unless ``person`` may open it, 403 if ``write`` and they may not change it.

    A city opened to read it (every page of it does) is kept under the data version, as
    the set of cities a person may open is: a fresh copy each time, read again after any
    change. One opened to change it, or inside a transaction, is read from the database.
    """
    if city_id not in visible_city_ids(person):
        raise Http404
    if write or connection.in_atomic_block:
        city = _read_city(city_id)
    else:
        city = dataversion.cached(f"city:{city_id}", dataversion.current(), lambda: _read_city(city_id))
    if city is None:
        raise Http404
    if write and not can_edit_city(person, city):
        raise PermissionDenied
    return city


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


def _require_team(person: Person | AnonymousUser, programme: Programme) -> None:
    if not is_programme_team(person, programme):
        raise PermissionDenied


def get_person_for_user(user: Person | AnonymousUser, programme: Programme, person_id: int) -> Person:
    """A person who holds a role in ``programme``, for its programme team (404 for anyone else's)."""
    _require_team(user, programme)
    person = Person.objects.filter(pk=person_id, roles__programme=programme).distinct().first()
    if person is None:
        raise Http404
    return person


def get_role_for_user(user: Person | AnonymousUser, programme: Programme, role_id: int) -> Role:
    """A role in ``programme``, for its programme team to change or remove."""
    _require_team(user, programme)
    role = Role.objects.filter(pk=role_id, programme=programme).select_related("person").first()
    if role is None:
        raise Http404
    return role
