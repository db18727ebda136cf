"""Who may see and change strategies, roadmaps and KPIs.

A city's strategy, roadmap and KPIs are open to those who see the city (its team, its
experts and the programme team) and changed by those who may edit it. An ecosystem
stakeholder sees only the actions they own, directly or through their organisation,
and reports progress on them; the rest of the city's drafts stays hidden (404).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import Http404

from icc.cities.access import can_edit_city, is_programme_team
from icc.cities.models import City
from icc.cities.roles import is_lead_expert_of
from icc.roadmaps.models import KPI, Action

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from icc.accounts.models import Person


def get_action_for_user(person: Person | AnonymousUser, action_id: int) -> Action:
    """The action, to those who see its city or own it."""
    related = ("city", "city__programme", "opportunity", "cycle", "owner_person", "owner_organisation")
    action = (
        Action.objects.select_related(*related).filter(pk=action_id, city__in=City.objects.visible_to(person)).first()
    )
    if action is None and person.is_authenticated:
        action = Action.objects.owned_by(person).select_related(*related).filter(pk=action_id).first()
    if action is None:
        raise Http404
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
