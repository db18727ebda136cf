"""Who opens and changes which procurement plan.

A plan of a roadmap action is the action's city's: those who see the city (its team, its
experts, the transversal experts and the programme team) read it, those who edit the city
write it. A plan of a joint-procurement group belongs to all the group's cities: those who
see one of them read it, those who edit one of them write it. Anyone else gets 404, as for
a plan that does not exist; who reads but may not write gets 403 on a write.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from icc.cities.access import get_programme_for_user, visible_city_ids
from icc.cities.models import City
from icc.cities.roles import can_edit_city, is_programme_team
from icc.core.params import MAX_ID
from icc.procurement.models import Document, Phase, Plan
from icc.programmes.models import Programme

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from icc.accounts.models import Person

    Someone = Person | AnonymousUser


def _city_ids(plan: Plan) -> set[int]:
    if plan.action is not None:
        return {plan.action.city_id}
    return {c.pk for c in plan.group.members.all()} if plan.group is not None else set()


def visible_plans(person: Someone, programme: Programme) -> QuerySet[Plan]:
    """The plans of ``programme`` whose city (or one of whose group's cities) ``person`` sees."""
    seen = visible_city_ids(person)
    if not seen:
        return Plan.objects.none()
    return (
        Plan.objects.filter(programme=programme)
        .filter(Q(action__city__in=seen) | Q(group__members__in=seen))
        .distinct()
    )


def may_write_plan(person: Someone, plan: Plan) -> bool:
    if is_programme_team(person, plan.programme):
        return True
    cities = City.objects.filter(pk__in=_city_ids(plan)).select_related("programme")
    return any(can_edit_city(person, city) for city in cities)


def get_plan_for_user(person: Someone, pk: int, *, write: bool = False) -> Plan:
    if not 0 < pk <= MAX_ID:
        raise Http404
    plan = (
        Plan.objects.select_related("programme", "action__city", "group__challenge__city", "buyer")
        .prefetch_related("group__members")
        .filter(pk=pk)
        .first()
    )
    if plan is None or not _city_ids(plan) & visible_city_ids(person):
        raise Http404
    if write and not may_write_plan(person, plan):
        raise PermissionDenied
    return plan


def get_phase_for_user(person: Someone, pk: int, *, write: bool = False) -> Phase:
    if not 0 < pk <= MAX_ID:
        raise Http404
    phase = Phase.objects.filter(pk=pk).only("pk", "plan_id").first()
    if phase is None:
        raise Http404
    plan = get_plan_for_user(person, phase.plan_id, write=write)
    found = Phase.objects.get(pk=pk)
    found.plan = plan
    return found


def get_document_for_user(person: Someone, pk: int) -> Document:
    if not 0 < pk <= MAX_ID:
        raise Http404
    document = Document.objects.filter(pk=pk).first()
    if document is None:
        raise Http404
    document.phase = get_phase_for_user(person, document.phase_id)
    return document


def get_procurement_for_user(person: Someone, slug: str) -> Programme:
    """The programme's list of plans, for those who open its overview (they see the plans
    of the cities they see)."""
    return get_programme_for_user(person, slug)
