"""Who opens and changes what in access to finance.

- The catalogue is read by everyone taking part in the edition (the programme team,
  experts, city and mentor representatives, mayors); ecosystem stakeholders and outsiders
  get 404, as for every programme page. The programme team and the transversal experts
  keep it; the others who read it get 403 on its forms.
- A city's matches and applications are seen by whoever opens the city and changed by
  whoever may edit it (its team and the programme team): 404 for the others, 403 for
  those who see but may not change.
- A saved search is its person's own: 404 for everyone else.
- The cohort statistics are the programme team's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import Http404

from icc.cities.access import can_edit_city, get_city_for_user, get_programme_for_user
from icc.cities.models import City, RoleKind
from icc.cities.roles import OVERVIEW_ROLES, is_programme_team, roles_of
from icc.core.params import MAX_ID
from icc.finance.models import Application, Call, SavedSearch
from icc.programmes.models import Programme
from icc.roadmaps.models import Action

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from icc.accounts.models import Person

    Someone = Person | AnonymousUser


def may_read_catalogue(person: Someone, programme: Programme) -> bool:
    if not person.is_authenticated:
        return False
    if person.is_superuser:
        return True
    return roles_of(person).filter(programme=programme, kind__in=OVERVIEW_ROLES).exists()


def may_keep_catalogue(person: Someone, programme: Programme) -> bool:
    """The programme team and the edition's transversal experts."""
    if is_programme_team(person, programme):
        return True
    return roles_of(person).filter(programme=programme, kind=RoleKind.TRANSVERSAL_EXPERT).exists()


def get_catalogue_for_user(person: Someone, slug: str, *, write: bool = False) -> Programme:
    """The edition whose catalogue ``person`` opens; with ``write``, 403 unless they keep it."""
    programme = get_programme_for_user(person, slug)
    if write and not may_keep_catalogue(person, programme):
        raise PermissionDenied
    return programme


def get_call_for_user(person: Someone, call_id: int, *, write: bool = False) -> Call:
    call = Call.objects.select_related("programme").filter(pk=call_id).first() if 0 < call_id <= MAX_ID else None
    if call is None or not may_read_catalogue(person, call.programme):
        raise Http404
    if write and not may_keep_catalogue(person, call.programme):
        raise PermissionDenied
    return call


def get_statistics_for_user(person: Someone, slug: str) -> Programme:
    return get_programme_for_user(person, slug, write=True)


def get_city_funding_for_user(person: Someone, city_id: int, *, write: bool = False) -> City:
    """The city whose matches and applications ``person`` opens (or, with ``write``, records)."""
    return get_city_for_user(person, city_id, write=write)


def get_action_for_user(person: Someone, action_id: int, *, write: bool = False) -> Action:
    """A roadmap action for its funding line: seen with its city, changed by the city's editors."""
    action = (
        Action.objects.select_related("city__programme").filter(pk=action_id).first()
        if 0 < action_id <= MAX_ID
        else None
    )
    if action is None:
        raise Http404
    get_city_for_user(person, action.city_id)
    if write and not can_edit_city(person, action.city):
        raise PermissionDenied
    return action


def get_application_for_user(person: Someone, application_id: int, *, write: bool = False) -> Application:
    application = (
        Application.objects.select_related("city__programme", "action", "call").filter(pk=application_id).first()
        if 0 < application_id <= MAX_ID
        else None
    )
    if application is None:
        raise Http404
    get_city_for_user(person, application.city_id)
    if write and not can_edit_city(person, application.city):
        raise PermissionDenied
    return application


def get_search_for_user(person: Someone, search_id: int) -> SavedSearch:
    search = (
        SavedSearch.objects.select_related("programme").filter(pk=search_id, person_id=person.pk).first()
        if person.is_authenticated and 0 < search_id <= MAX_ID
        else None
    )
    if search is None or not may_read_catalogue(person, search.programme):
        raise Http404
    return search
