"""Who may see and change strategies, roadmaps and KPIs.

A city's strategy, roadmap and KPIs are open to those who see the city (its team, its
experts and the programme team) and changed by those who may edit it. An ecosystem
stakeholder sees only the actions they own, directly or through their organisation,
and reports progress on them; the rest of the city's drafts stays hidden (404).

Every id a roadmap page takes from its address or a form becomes an object here, and
nowhere else: something the person may not see is a 404, something they see but may not
change is a 403.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import Http404

from icc.cities.access import can_edit_city, get_city_for_user, is_programme_team
from icc.cities.models import City
from icc.cities.roles import is_lead_expert_of, is_mayor_of
from icc.programmes.models import Cycle
from icc.roadmaps.models import KPI, Action, Opportunity, Solution, StrategyVersion

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from icc.accounts.models import Person


def get_action_for_user(
    person: Person | AnonymousUser, action_id: int, *, write: bool = False, report: bool = False
) -> Action:
    """The action, to those who see its city or own it.

    With ``write``, only to those who may edit the city (its owner may not: 403); with
    ``report``, to those who may report progress on it.
    """
    related = ("city", "city__programme", "opportunity", "cycle", "owner_person", "owner_organisation")
    action = (
        Action.objects.select_related(*related).filter(pk=action_id, city__in=City.objects.visible_to(person)).first()
    )
    if action is None and person.is_authenticated:
        action = Action.objects.owned_by(person).select_related(*related).filter(pk=action_id).first()
    if action is None:
        raise Http404
    if write and not can_edit_city(person, action.city):
        raise PermissionDenied
    if report and not can_report_on(person, action):
        raise PermissionDenied
    return action


def sees_city(person: Person | AnonymousUser, city: City) -> bool:
    return City.objects.visible_to(person).filter(pk=city.pk).exists()


def can_report_on(person: Person | AnonymousUser, action: Action) -> bool:
    """Whether ``person`` may report progress (status, spending) on ``action``."""
    if not person.is_authenticated:
        return False
    return can_edit_city(person, action.city) or Action.objects.owned_by(person).filter(pk=action.pk).exists()


def get_kpi_for_user(person: Person | AnonymousUser, kpi_id: int, *, write: bool = False) -> KPI:
    kpi = (
        KPI.objects.select_related("city", "city__programme", "indicator")
        .filter(pk=kpi_id, city__in=City.objects.visible_to(person))
        .first()
    )
    if kpi is None:
        raise Http404
    if write and not can_edit_city(person, kpi.city):
        raise PermissionDenied
    return kpi


def can_comment(person: Person | AnonymousUser, city: City) -> bool:
    """The lead expert comments on the strategy; so does the programme team."""
    if not person.is_authenticated:
        return False
    return is_programme_team(person, city.programme) or is_lead_expert_of(person, city)


def get_strategy_version_for_user(
    person: Person | AnonymousUser, city_id: int, number: int, *, comment: bool = False
) -> StrategyVersion:
    """Version ``number`` of the strategy of city ``city_id``; with ``comment``, to those who comment on it."""
    city = get_city_for_user(person, city_id)
    version = StrategyVersion.objects.filter(strategy__city=city, number=number).select_related("created_by").first()
    if version is None:
        raise Http404
    if comment and not can_comment(person, city):
        raise PermissionDenied
    version.strategy.city = city
    return version


def get_solution_for_user(
    person: Person | AnonymousUser, city_id: int, solution_id: int, *, write: bool = False
) -> Solution:
    """A solution on the long list of city ``city_id``."""
    city = get_city_for_user(person, city_id, write=write)
    solution = Solution.objects.filter(city=city, pk=solution_id).first()
    if solution is None:
        raise Http404
    solution.city = city
    return solution


def get_opportunity_for_user(
    person: Person | AnonymousUser, city_id: int, opportunity_id: int, *, write: bool = False
) -> Opportunity:
    """An opportunity of city ``city_id``."""
    city = get_city_for_user(person, city_id, write=write)
    opportunity = Opportunity.objects.filter(city=city, pk=opportunity_id).first()
    if opportunity is None:
        raise Http404
    opportunity.city = city
    return opportunity


def find_opportunity(city: City, opportunity_id: int | None) -> Opportunity | None:
    """The opportunity of ``city`` a new action's form starts with, if the address names one of its own."""
    if opportunity_id is None:
        return None
    return Opportunity.objects.filter(city=city, pk=opportunity_id).first()


def get_cycle_for_user(
    person: Person | AnonymousUser, city_id: int, number: int, *, write: bool = False
) -> tuple[City, Cycle]:
    """City ``city_id`` and cycle ``number`` of its programme, for the cycle plan."""
    city = get_city_for_user(person, city_id, write=write)
    return city, _cycle(city, number)


def get_cycle_to_sign_off(person: Person | AnonymousUser, city_id: int, number: int) -> tuple[City, Cycle]:
    """City ``city_id`` and cycle ``number``, for its mayor, who alone signs off the cycle budget."""
    city = get_city_for_user(person, city_id)
    cycle = _cycle(city, number)
    if not is_mayor_of(person, city):
        raise PermissionDenied
    return city, cycle


def _cycle(city: City, number: int) -> Cycle:
    cycle = Cycle.objects.filter(programme_id=city.programme_id, number=number).first()
    if cycle is None:
        raise Http404
    return cycle
