"""Who opens and changes the open data charter and the cities' checklists.

The charter of an edition is read by everyone who opens the programme's overview and
changed by its programme team (others taking part get 403, outsiders and stakeholders
404). A city's checklist is read by those who see the city (its team, its experts, the
transversal experts, the programme team) and changed by those who edit it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import Http404

from icc.cities.access import get_city_for_user, get_programme_for_user
from icc.cities.models import City
from icc.cities.roles import is_programme_team
from icc.core.params import MAX_ID
from icc.opendata.models import Principle
from icc.programmes.models import Programme

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from icc.accounts.models import Person

    Someone = Person | AnonymousUser

__all__ = ["get_charter_programme_for_user", "get_checklist_city_for_user", "get_principle_for_user"]


def get_charter_programme_for_user(person: Someone, slug: str, *, write: bool = False) -> Programme:
    """The programme whose charter is read (or, with ``write``, changed by its programme team)."""
    return get_programme_for_user(person, slug, write=write)


def get_checklist_city_for_user(person: Someone, pk: int, *, write: bool = False) -> City:
    return get_city_for_user(person, pk, write=write)


def get_principle_for_user(person: Someone, pk: int) -> Principle:
    """A principle of a draft charter, for the programme team to change (published ones are fixed)."""
    if not 0 < pk <= MAX_ID:
        raise Http404
    principle = Principle.objects.select_related("charter__programme").filter(pk=pk).first()
    if principle is None:
        raise Http404
    programme = get_programme_for_user(person, principle.charter.programme.slug)
    if not is_programme_team(person, programme):
        raise PermissionDenied
    if not principle.charter.is_draft:
        raise Http404
    return principle
