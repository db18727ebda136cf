"""Who holds which role: every role predicate of the platform, defined once.

Each app's ``access.py`` builds its rules from these; actions check a role with the same
functions. A person who is not signed in holds no role.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from icc.cities.models import City, Role, RoleKind
from icc.programmes.models import Programme

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.db.models import QuerySet

    from icc.accounts.models import Person

    Someone = Person | AnonymousUser

# Roles that open the page of the city they are scoped to.
CITY_VIEW_ROLES = (RoleKind.LEAD_EXPERT, RoleKind.CITY_REP, RoleKind.MAYOR, RoleKind.MENTOR_REP)
# Roles that may change the profile and ecosystem of the city they are scoped to.
CITY_EDIT_ROLES = (RoleKind.LEAD_EXPERT, RoleKind.CITY_REP, RoleKind.MENTOR_REP)
# Roles that speak for a city in the programme's groups (topics, commitments, picks).
CITY_SPEAKERS = (RoleKind.CITY_REP, RoleKind.MENTOR_REP)
# The roles that take part in labs and vote for awards.
PARTICIPANT_ROLES = (
    RoleKind.LEAD_EXPERT,
    RoleKind.THEMATIC_EXPERT,
    RoleKind.TRANSVERSAL_EXPERT,
    RoleKind.CITY_REP,
    RoleKind.MAYOR,
    RoleKind.MENTOR_REP,
)
# Roles that open the programme overview (stakeholders see only what is addressed to them).
OVERVIEW_ROLES = (RoleKind.PROGRAMME_TEAM, *PARTICIPANT_ROLES)


def roles_of(person: Someone) -> QuerySet[Role]:
    return Role.objects.filter(person_id=person.pk) if person.is_authenticated else Role.objects.none()


def holds_a_role(person: Someone, programme_id: int | None = None) -> bool:
    """Whether ``person`` holds any role at all, or any in the programme ``programme_id``."""
    roles = roles_of(person)
    if programme_id is not None:
        roles = roles.filter(programme_id=programme_id)
    return roles.exists()


def city_ids_of(person: Someone, programme: Programme) -> set[int]:
    """The cities of ``programme`` for which ``person`` holds a role (any kind)."""
    return set(roles_of(person).filter(programme=programme, city__isnull=False).values_list("city_id", flat=True))


def is_programme_team(person: Someone, programme: Programme) -> bool:
    if not person.is_authenticated:
        return False
    if person.is_superuser:
        return True
    return roles_of(person).filter(programme=programme, kind=RoleKind.PROGRAMME_TEAM).exists()


def can_edit_city(person: Someone, city: City) -> bool:
    """Whether ``person`` may change ``city``'s profile and ecosystem: its own team, or the programme team."""
    if is_programme_team(person, city.programme):
        return True
    return roles_of(person).filter(city=city, kind__in=CITY_EDIT_ROLES).exists()


def is_lead_expert_of(person: Someone, city: City) -> bool:
    return roles_of(person).filter(city=city, kind=RoleKind.LEAD_EXPERT).exists()


def is_lead_expert_of_any(person: Someone, cities: Any) -> bool:
    """Whether ``person`` is the lead expert of one of ``cities`` (a QuerySet or a list)."""
    return roles_of(person).filter(city__in=cities, kind=RoleKind.LEAD_EXPERT).exists()


def is_mayor_of(person: Someone, city: City) -> bool:
    return roles_of(person).filter(city=city, kind=RoleKind.MAYOR).exists()


def speaks_for(person: Someone, city: City) -> bool:
    """Whether ``person`` represents ``city`` (a city or mentor representative)."""
    return roles_of(person).filter(city=city, kind__in=CITY_SPEAKERS).exists()


def is_participant(person: Someone, programme: Programme) -> bool:
    """Whether ``person`` takes part in ``programme`` as a city, a mentor or an expert."""
    return roles_of(person).filter(programme=programme, kind__in=PARTICIPANT_ROLES).exists()


def may_vote(person: Someone, programme: Programme) -> bool:
    """Award votes are cast by the participants (the programme team counts them)."""
    return is_participant(person, programme)


def thematic_tracks(person: Someone, programme: Programme | None = None) -> Any:
    """The themes ``person`` follows as a thematic expert, as a ``values("theme")`` subquery."""
    roles = roles_of(person).filter(kind=RoleKind.THEMATIC_EXPERT)
    if programme is not None:
        roles = roles.filter(programme=programme)
    return roles.values("theme")
