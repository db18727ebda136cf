"""The mayor's sign-off of a cycle budget: what it covers and whether it still holds.

A sign-off records each action's budget. Once an action's budget changes, an action is
added to the cycle or dropped from it, the sign-off no longer covers the plan and the
mayor is asked to sign off again.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from icc.cities.models import RoleKind
from icc.roadmaps.models import Action, ActionStatus, BudgetSignOff

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from icc.accounts.models import Person
    from icc.cities.models import City
    from icc.programmes.models import Cycle


def budget_lines(city: City, cycle: Cycle) -> list[dict[str, Any]]:
    """Each action of ``cycle`` that is not dropped, with its budget, as a sign-off records it."""
    actions = Action.objects.filter(city=city, cycle=cycle).exclude(status=ActionStatus.DROPPED).order_by("pk")
    return [{"action": a.pk, "title": a.title, "budget": str(a.budget or 0)} for a in actions]


def _budgets(lines: list[dict[str, Any]]) -> dict[int, Decimal]:
    return {int(line["action"]): Decimal(str(line["budget"])) for line in lines}


def is_outdated(sign_off: BudgetSignOff, lines: list[dict[str, Any]]) -> bool:
    """Whether the budget changed since ``sign_off``, given the cycle's current ``lines``."""
    return _budgets(sign_off.lines) != _budgets(lines)


def to_renew(person: Person | AnonymousUser) -> list[BudgetSignOff]:
    """The sign-offs of the cities ``person`` is mayor of whose budget changed since (in two queries)."""
    if not person.is_authenticated:
        return []
    sign_offs = list(
        BudgetSignOff.objects.filter(city__roles__person_id=person.pk, city__roles__kind=RoleKind.MAYOR)
        .select_related("city", "cycle")
        .distinct()
        .order_by("city__name", "cycle__number")
    )
    if not sign_offs:
        return []
    current: dict[tuple[int, int], list[dict[str, Any]]] = {}
    actions = (
        Action.objects.filter(city__in={s.city_id for s in sign_offs}, cycle__in={s.cycle_id for s in sign_offs})
        .exclude(status=ActionStatus.DROPPED)
        .order_by("pk")
        .values_list("city_id", "cycle_id", "pk", "budget")
    )
    for city_id, cycle_id, pk, budget in actions:
        current.setdefault((city_id, cycle_id), []).append({"action": pk, "budget": str(budget or 0)})
    return [s for s in sign_offs if is_outdated(s, current.get((s.city_id, s.cycle_id), []))]
