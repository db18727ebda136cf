"""Who may open which programme, and which of its pages.

Views never look up a programme from its address any other way than through these
functions. A programme is secret (404) to whoever may not open its overview: people
without a role in it, and ecosystem stakeholders, who see only what is addressed to
them. Someone who opens the overview knows the programme exists; a page of the
programme team answers them 403.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import Http404

from icc.cities.models import RoleKind
from icc.cities.roles import OVERVIEW_ROLES, is_programme_team, roles_of
from icc.programmes.models import Programme

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from icc.accounts.models import Person

__all__ = ["get_programme_for_user", "is_programme_team", "programmes_for"]


def programmes_for(person: Person | AnonymousUser) -> list[Programme]:
    """Programmes whose overview ``person`` may open."""
    if not person.is_authenticated:
        return []
    programmes = Programme.objects.all()
    if not person.is_superuser:
        programmes = programmes.filter(pk__in=roles_of(person).filter(kind__in=OVERVIEW_ROLES).values("programme"))
    return list(programmes)


def get_programme_for_user(person: Person | AnonymousUser, slug: str, *, write: bool = False) -> Programme:
    """The programme ``slug`` for its pages: its overview, or with ``write`` a page of the programme team."""
    programme = Programme.objects.filter(slug=slug).first()
    if programme is None or not person.is_authenticated:
        raise Http404
    if person.is_superuser:
        return programme
    kinds = set(roles_of(person).filter(programme=programme).values_list("kind", flat=True))
    if not kinds & set(OVERVIEW_ROLES):
        raise Http404
    if write and RoleKind.PROGRAMME_TEAM not in kinds:
        raise PermissionDenied
    return programme
