"""Who sees which erasure requests: the programme team, for the people of its programmes.

A person's own data needs no lookup: its pages serve the person signed in, and there is
no address for anyone else's. A programme team sees the requests of people who hold a
role in its programme, and of people who hold none; anyone else sees none of them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from icc.cities.models import Role, RoleKind
from icc.cities.roles import roles_of
from icc.core.params import MAX_ID
from icc.privacy.models import ErasureRequest

if TYPE_CHECKING:
    from icc.cities.roles import Someone


def is_privacy_team(person: Someone) -> bool:
    """Whether ``person`` is on the programme team of any edition (or a superuser)."""
    if not person.is_authenticated:
        return False
    return person.is_superuser or roles_of(person).filter(kind=RoleKind.PROGRAMME_TEAM).exists()


def require_privacy_team(person: Someone) -> None:
    if not is_privacy_team(person):
        raise PermissionDenied


def requests_for_user(person: Someone) -> QuerySet[ErasureRequest]:
    """The erasure requests ``person`` may decide on (none for anyone off a programme team)."""
    requests = ErasureRequest.objects.select_related("person", "decided_by")
    if not is_privacy_team(person):
        return requests.none()
    if person.is_superuser:
        return requests
    team_programmes = roles_of(person).filter(kind=RoleKind.PROGRAMME_TEAM).values("programme")
    in_their_programme = Role.objects.filter(person=OuterRef("person"), programme__in=team_programmes)
    any_role = Role.objects.filter(person=OuterRef("person"))
    return requests.filter(Q(Exists(in_their_programme)) | ~Q(Exists(any_role)))


def get_erasure_request_for_user(person: Someone, pk: int) -> ErasureRequest:
    """One request ``person`` may decide on: 403 off the programme team, 404 missing or not theirs."""
    require_privacy_team(person)
    if not 0 < pk <= MAX_ID:
        raise Http404
    request = requests_for_user(person).filter(pk=pk).first()
    if request is None:
        raise Http404
    return request
