"""Who sees the early warning: the programme team for every city, a lead expert for the
cities they lead; cities do not see their own score. Who reads a city's reports: whoever
may open the city (the reports show what its pages show them); who asks for one: those
who may change the city and its lead expert. Everyone else gets 404."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from icc.cities.access import can_edit_city, get_city_for_user
from icc.cities.models import City, Role, RoleKind
from icc.cities.roles import is_lead_expert_of, is_programme_team, roles_of
from icc.programmes.access import get_programme_for_user
from icc.programmes.models import Programme
from icc.reports.models import Report, ReportStatus

if TYPE_CHECKING:
    from collections.abc import Collection

    from django.contrib.auth.models import AnonymousUser
    from django.db.models import QuerySet

    from icc.accounts.models import Person


def watched_cities(person: Person | AnonymousUser, programme: Programme) -> QuerySet[City]:
    """The cities of ``programme`` whose early warning ``person`` follows."""
    cities = City.objects.filter(programme=programme)
    if is_programme_team(person, programme):
        return cities
    led = roles_of(person).filter(programme=programme, kind=RoleKind.LEAD_EXPERT).values("city_id")
    return cities.filter(pk__in=led)


def followed_cities(person: Person | AnonymousUser, ids: Collection[int]) -> list[City]:
    """Those of the cities ``ids`` whose early warning ``person`` follows (two queries)."""
    roles = list(
        roles_of(person)
        .filter(kind__in=(RoleKind.PROGRAMME_TEAM, RoleKind.LEAD_EXPERT))
        .values_list("kind", "programme_id", "city_id")
    )
    cities = list(City.objects.filter(pk__in=set(ids)).select_related("programme"))
    if getattr(person, "is_superuser", False):
        return cities
    teams = {programme for kind, programme, _city in roles if kind == RoleKind.PROGRAMME_TEAM}
    led = {city for kind, _programme, city in roles if kind == RoleKind.LEAD_EXPERT}
    return [city for city in cities if city.programme_id in teams or city.pk in led]


def followers(city: City) -> list[int]:
    """The people told when ``city`` is flagged: its lead experts and the programme team."""
    return list(
        Role.objects.filter(
            Q(kind=RoleKind.LEAD_EXPERT, city=city) | Q(kind=RoleKind.PROGRAMME_TEAM, programme_id=city.programme_id)
        )
        .values_list("person_id", flat=True)
        .distinct()
    )


def get_warnings_programme_for_user(person: Person | AnonymousUser, slug: str) -> Programme:
    """The edition, 404 unless ``person`` follows at least one of its cities' early warning."""
    programme = get_programme_for_user(person, slug)
    if not watched_cities(person, programme).exists():
        raise Http404
    return programme


def get_city_risk_for_user(person: Person | AnonymousUser, city_id: int) -> City:
    city = get_city_for_user(person, city_id)
    if not (is_programme_team(person, city.programme) or is_lead_expert_of(person, city)):
        raise Http404
    return city


def may_refresh(person: Person | AnonymousUser, programme: Programme) -> bool:
    return is_programme_team(person, programme)


def may_request_reports(person: Person | AnonymousUser, city: City) -> bool:
    return can_edit_city(person, city) or is_lead_expert_of(person, city)


def get_reports_city_for_user(person: Person | AnonymousUser, city_id: int, *, write: bool = False) -> City:
    city = get_city_for_user(person, city_id)
    if write and not may_request_reports(person, city):
        raise PermissionDenied
    return city


def get_report_for_user(person: Person | AnonymousUser, report_id: int, *, ready: bool = False) -> Report:
    """A report of a city ``person`` may open, or the cohort's for the programme team (its
    files too); with ``ready``, only a made one."""
    report = Report.objects.select_related("city__programme", "programme").filter(pk=report_id).first()
    if report is None:
        raise Http404
    if report.city_id is None:
        get_programme_reports_for_user(person, report.programme.slug)
    else:
        get_city_for_user(person, report.city_id)
    if ready and report.status != ReportStatus.READY:
        raise Http404
    return report


def get_programme_reports_for_user(person: Person | AnonymousUser, slug: str) -> Programme:
    """The edition whose cohort reports ``person`` reads and asks for: the programme team's
    alone, as they show every city; 404 for anyone else."""
    programme = get_programme_for_user(person, slug)
    if not is_programme_team(person, programme):
        raise Http404
    return programme
