"""The mayor's sign-off of a cycle budget: what it covers and whether it still holds.

A sign-off records each action's budget. Once an action's budget changes, an action is
added to the cycle or dropped from it, the sign-off no longer covers the plan and the
mayor is asked to sign off again.

The mayor is asked in their inbox when the city's team saves the cycle's budgets or
keeps its plan and the budget is not covered by a sign-off: once per budget (the key
names a digest of its lines), so saving the same figures again asks nobody twice.
"""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from icc.cities.models import Role, RoleKind
from icc.inbox import actions as inbox
from icc.inbox.models import Kind as NoticeKind
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


def _fingerprint(lines: list[dict[str, Any]]) -> str:
    budgets = sorted((action, str(budget)) for action, budget in _budgets(lines).items())
    return hashlib.sha256(json.dumps(budgets).encode()).hexdigest()[:16]


def key_prefix(city: City, cycle: Cycle) -> str:
    return f"sign-off:{city.pk}:{cycle.number}:"


def ask_for_sign_off(*, city: City, cycle: Cycle, by: Person | None) -> bool:
    """Ask the city's mayors to sign off the budget of ``cycle`` if no sign-off covers it."""
    lines = budget_lines(city, cycle)
    sign_off = BudgetSignOff.objects.filter(city=city, cycle=cycle).first()
    if sign_off is None and not any(Decimal(line["budget"]) for line in lines):
        return False
    if sign_off is not None and not is_outdated(sign_off, lines):
        return False
    mayors = Role.objects.filter(city=city, kind=RoleKind.MAYOR).values_list("person_id", flat=True)
    inbox.notify(
        kind=NoticeKind.SIGN_OFF,
        people=mayors,
        programme=city.programme,
        target=city,
        actor=by,
        key=key_prefix(city, cycle) + _fingerprint(lines),
        params={"cycle": cycle.number},
    )
    return True


def signed_off(*, city: City, cycle: Cycle) -> None:
    """The budget is signed off: the mayors' requests for it are done."""
    inbox.settle(kind=NoticeKind.SIGN_OFF, target_id=city.pk, key_prefix=key_prefix(city, cycle))


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
