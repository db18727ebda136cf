"""Everything that changes a strategy, a roadmap or a KPI. Each change is audited."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from icc.assessments.models import MaturityRating
from icc.cities.models import City
from icc.core.models import AuditKind, record
from icc.core.versioning import StaleEdit, save_versioned
from icc.inbox import actions as inbox
from icc.inbox.models import Kind as NoticeKind
from icc.programmes.models import Cycle
from icc.roadmaps import kpis as kpi_figures
from icc.roadmaps import signoffs
from icc.roadmaps.models import (
    KPI,
    Action,
    ActionStatus,
    BudgetSignOff,
    CyclePlan,
    Measurement,
    Opportunity,
    Solution,
    Strategy,
    StrategyComment,
    StrategyVersion,
)
from icc.roadmaps.signoffs import budget_lines

if TYPE_CHECKING:
    from icc.accounts.models import Person


def _changes(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    return {name: str(getattr(obj, name)) for name in fields}


SOLUTION_FIELDS = ["name", "description", "priority"]
OPPORTUNITY_FIELDS = ["title", "need", "rank"]

# Strategy ------------------------------------------------------------------------------

STRATEGY_FIELDS = ["vision", "short_term_goals", "long_term_goals", "ecosystem_role"]


@transaction.atomic
def save_strategy(*, strategy: Strategy, expected_version: int, by: Person) -> StrategyVersion:
    if strategy.pk is None:
        existing = Strategy.objects.select_for_update().filter(city_id=strategy.city_id).first()
        if existing is not None:  # someone wrote the first version meanwhile
            raise StaleEdit(existing)
    strategy.updated_by = by
    save_versioned(strategy, fields=[*STRATEGY_FIELDS, "updated_by"], expected=expected_version)
    version = StrategyVersion.objects.create(
        strategy=strategy,
        number=strategy.version,
        priority_solutions=list(
            Solution.objects.filter(city_id=strategy.city_id, priority=True).values_list("name", flat=True)
        ),
        created_by=by,
        **{name: getattr(strategy, name) for name in STRATEGY_FIELDS},
    )
    record(obj=strategy, action=AuditKind.STRATEGY_SAVED, actor=by, changes={"version": version.number})
    return version


@transaction.atomic
def comment_on_strategy(*, version: StrategyVersion, body: str, by: Person) -> StrategyComment:
    comment = StrategyComment.objects.create(version=version, body=body, author=by)
    record(obj=version.strategy, action=AuditKind.STRATEGY_COMMENTED, actor=by, changes={"version": version.number})
    return comment


@transaction.atomic
def save_solution(*, solution: Solution, expected_version: int, by: Person) -> Solution:
    created = solution.pk is None
    save_versioned(solution, fields=SOLUTION_FIELDS, expected=expected_version)
    record(
        obj=solution,
        action=AuditKind.SOLUTION_ADDED if created else AuditKind.SOLUTION_CHANGED,
        actor=by,
        changes=_changes(solution, ["name", "priority"]),
    )
    return solution


@transaction.atomic
def add_assessed_solutions(*, city: City, by: Person) -> int:
    """Put every solution rated in the technology maturity assessment on the long list."""
    known = {name.lower() for name in city.solutions.values_list("name", flat=True)}
    names = sorted(set(MaturityRating.objects.filter(city=city).values_list("solution", flat=True)))
    new = [Solution(city=city, name=name) for name in names if name.lower() not in known]
    Solution.objects.bulk_create(new)
    if new:
        record(obj=city, action=AuditKind.SOLUTIONS_FROM_ASSESSMENT, actor=by, changes={"count": len(new)})
    return len(new)


def maturity_of(city: City) -> dict[str, MaturityRating]:
    """Each rated solution's latest rating (a re-run replaces the baseline), by lower-case name."""
    ratings: dict[str, MaturityRating] = {}
    for rating in MaturityRating.objects.filter(city=city).order_by("round"):
        key = rating.solution.lower()
        if key not in ratings or rating.round == "rerun":
            ratings[key] = rating
    return ratings


# Roadmap -------------------------------------------------------------------------------


@transaction.atomic
def save_opportunity(*, opportunity: Opportunity, expected_version: int, by: Person) -> Opportunity:
    created = opportunity.pk is None
    save_versioned(opportunity, fields=OPPORTUNITY_FIELDS, expected=expected_version)
    record(
        obj=opportunity,
        action=AuditKind.OPPORTUNITY_ADDED if created else AuditKind.OPPORTUNITY_CHANGED,
        actor=by,
        changes=_changes(opportunity, ["title", "rank"]),
    )
    return opportunity


ACTION_FIELDS = [
    "opportunity",
    "title",
    "description",
    "kind",
    "detail",
    "owner_person",
    "owner_organisation",
    "starts_on",
    "ends_on",
    "cycle",
    "budget",
    "spent",
    "funding_source",
    "funding_status",
    "status",
    "enablers",
    "quick",
    "limited_investment",
    "measurable",
    "nature",
]


@transaction.atomic
def save_action(
    *, action: Action, relations: dict[str, list[Any]], expected_version: int, changed: list[str], by: Person
) -> Action:
    """Save an action with its dependencies, KPIs and solutions, unless someone got there first."""
    created = action.pk is None
    _check_same_city(action)
    save_versioned(action, fields=ACTION_FIELDS, expected=expected_version)
    for name, values in relations.items():
        getattr(action, name).set(values)
    record(
        obj=action,
        action=AuditKind.ACTION_ADDED if created else AuditKind.ACTION_CHANGED,
        actor=by,
        changes={name: str(getattr(action, name, "")) for name in changed if name in ACTION_FIELDS},
    )
    return action


def _check_same_city(action: Action) -> None:
    city_id = action.city_id
    if action.opportunity.city_id != city_id:
        raise ValidationError(_("The opportunity belongs to another city."))
    if action.owner_organisation is not None and action.owner_organisation.city_id != city_id:
        raise ValidationError(_("The owner belongs to another city."))
    if action.owner_person is not None and not action.owner_person.roles.filter(city_id=city_id).exists():
        raise ValidationError(_("The owner belongs to another city."))
    if action.cycle is not None and action.cycle.programme_id != action.city.programme_id:
        raise ValidationError(_("That cycle is not one of the programme's."))


@transaction.atomic
def report_progress(*, action: Action, expected_version: int, by: Person) -> Action:
    """The owner's report: status and money spent."""
    save_versioned(action, fields=["status", "spent"], expected=expected_version)
    record(obj=action, action=AuditKind.PROGRESS_REPORTED, actor=by, changes=_changes(action, ["status", "spent"]))
    return action


@dataclass(frozen=True)
class PlanLine:
    """One line of the cycle plan as sent: an action's owner, cycle, level of detail and budget."""

    action: Action
    owner_person_id: int | None
    owner_organisation_id: int | None
    cycle: Cycle | None
    detail: str
    budget: Decimal | None
    expected_version: int


@transaction.atomic
def reallocate(*, lines: list[PlanLine], by: Person) -> list[Action]:
    """Save the owners, cycles, levels of detail and budgets of the cycle plan.

    A line someone else saved since the plan was opened is not written and is returned;
    the other lines are saved all the same. Moving an action to another cycle shifts its
    dates by as much as the cycles' starts differ, so that it keeps its length and lands
    in the cycle it was moved to.
    """
    stale = []
    # The cycles whose budget may change: those the actions leave and those they join.
    touched = {c.pk: c for line in lines for c in (line.action.cycle, line.cycle) if c is not None}
    for line in lines:
        try:
            with transaction.atomic():
                _reallocate_one(line, by=by)
        except StaleEdit:
            stale.append(line.action)
    if lines:
        for cycle in sorted(touched.values(), key=lambda c: c.number):
            signoffs.ask_for_sign_off(city=lines[0].action.city, cycle=cycle, by=by)
    return stale


def _reallocate_one(line: PlanLine, *, by: Person) -> None:
    action = line.action
    moved_from = action.cycle
    action.owner_person_id = line.owner_person_id
    action.owner_organisation_id = line.owner_organisation_id
    action.cycle = line.cycle
    action.detail = line.detail
    action.budget = line.budget
    cycle = action.cycle
    if cycle is not None and moved_from is not None and cycle.pk != moved_from.pk:
        shift = cycle.starts_on - moved_from.starts_on
        action.starts_on += shift
        action.ends_on += shift
    _check_same_city(action)
    fields = ["owner_person", "owner_organisation", "cycle", "detail", "budget", "starts_on", "ends_on"]
    save_versioned(action, fields=fields, expected=line.expected_version)
    record(obj=action, action=AuditKind.ACTION_REALLOCATED, actor=by, changes=_changes(action, fields))


@transaction.atomic
def rank_opportunities(*, city: City, ranks: dict[int, int | None], by: Person) -> None:
    opportunities = Opportunity.objects.select_for_update().filter(city=city, pk__in=ranks)
    for opportunity in opportunities:
        opportunity.rank = ranks[opportunity.pk]
        opportunity.version += 1  # an opportunity form opened before this is then refused
    Opportunity.objects.bulk_update(opportunities, ["rank", "version"])
    record(obj=city, action=AuditKind.TOP_OPPORTUNITIES_SET, actor=by, changes={str(k): v for k, v in ranks.items()})


def cycle_budget(city: City, cycle: Cycle) -> Decimal:
    total = (
        Action.objects.filter(city=city, cycle=cycle)
        .exclude(status=ActionStatus.DROPPED)
        .aggregate(total=Sum("budget"))["total"]
    )
    return total or Decimal(0)


@transaction.atomic
def sign_off_budget(*, city: City, cycle: Cycle, by: Person) -> BudgetSignOff:
    """The mayor signs off the budget of ``cycle``; a later sign-off replaces an earlier one.

    Who may sign off is decided before (``access.get_cycle_to_sign_off``): only the mayor.
    """
    lines = budget_lines(city, cycle)
    amount = sum((Decimal(line["budget"]) for line in lines), Decimal(0))
    sign_off, _created = BudgetSignOff.objects.update_or_create(
        city=city, cycle=cycle, defaults={"amount": amount, "lines": lines, "signed_by": by}
    )
    sign_off.signed_at = timezone.now()
    sign_off.save(update_fields=["signed_at"])
    record(obj=sign_off, action=AuditKind.BUDGET_SIGNED_OFF, actor=by, changes={"amount": str(amount)})
    signoffs.signed_off(city=city, cycle=cycle)
    return sign_off


def snapshot(city: City, *, today: dt.date | None = None) -> dict[str, Any]:
    """The roadmap as it stands: opportunities, actions and KPIs, in plain JSON."""
    today = today or timezone.localdate()
    actions = (
        Action.objects.filter(city=city)
        .select_related("opportunity", "cycle", "owner_person", "owner_organisation")
        .prefetch_related("kpis")
    )
    kpi_rows = kpi_figures.with_latest(KPI.objects.filter(city=city))
    return {
        "taken_on": today.isoformat(),
        "opportunities": [
            {"id": o.pk, "title": o.title, "rank": o.rank} for o in Opportunity.objects.filter(city=city)
        ],
        "actions": [
            {
                "id": a.pk,
                "title": a.title,
                "opportunity": a.opportunity.title,
                "kind": a.kind,
                "detail": a.detail,
                "cycle": a.cycle.number if a.cycle else None,
                "owner": str(a.owner or ""),
                "starts_on": a.starts_on.isoformat(),
                "ends_on": a.ends_on.isoformat(),
                "budget": _plain(a.budget) if a.budget is not None else None,
                "status": a.status,
                "kpis": [k.pk for k in a.kpis.all()],
            }
            for a in actions
        ],
        "kpis": [
            {
                "id": k.pk,
                "name": k.name,
                "value": _plain(_latest_or_baseline(k)),
                "target": _plain(k.target_value),
                "status": kpi_figures.assess(k).status.value,
            }
            for k in kpi_rows
        ],
    }


def _latest_or_baseline(kpi: KPI) -> Any:
    latest = getattr(kpi, "latest_value", None)
    return kpi.baseline_value if latest is None else latest


def _plain(value: Any) -> str:
    """A number as plain text without trailing zeros, the same on every database."""
    return format(Decimal(value).normalize(), "f")


@transaction.atomic
def confirm_cycle_plan(*, city: City, cycle: Cycle, review: str, by: Person) -> CyclePlan:
    """Keep the plan for ``cycle``: the review of the last one and a snapshot of the roadmap."""
    if cycle.programme_id != city.programme_id:
        raise ValidationError(_("That cycle is not one of the programme's."))
    plan, _created = CyclePlan.objects.update_or_create(
        city=city, cycle=cycle, defaults={"review": review, "snapshot": snapshot(city), "confirmed_by": by}
    )
    record(obj=plan, action=AuditKind.CYCLE_PLAN_CONFIRMED, actor=by, changes={"cycle": cycle.number})
    signoffs.ask_for_sign_off(city=city, cycle=cycle, by=by)
    return plan


# KPIs ----------------------------------------------------------------------------------

KPI_FIELDS = [
    "indicator",
    "name",
    "unit",
    "direction",
    "baseline_value",
    "baseline_date",
    "baseline_source",
    "target_value",
    "target_date",
    "frequency",
]


def kpi_name_taken(*, city: City, name: str, excluding: int | None) -> bool:
    """Whether another KPI of ``city`` has this name, in any letter case."""
    wanted = name.strip().casefold()
    others = KPI.objects.filter(city=city)
    if excluding is not None:
        others = others.exclude(pk=excluding)
    return any(other.strip().casefold() == wanted for other in others.values_list("name", flat=True))


@transaction.atomic
def save_kpi(*, kpi: KPI, expected_version: int, by: Person) -> KPI:
    if kpi_name_taken(city=kpi.city, name=kpi.name, excluding=kpi.pk):
        raise ValidationError({"name": _("The city already tracks a KPI called “%(name)s”.") % {"name": kpi.name}})
    created = kpi.pk is None
    save_versioned(kpi, fields=KPI_FIELDS, expected=expected_version)
    record(
        obj=kpi,
        action=AuditKind.KPI_ADDED if created else AuditKind.KPI_CHANGED,
        actor=by,
        changes=_changes(kpi, ["baseline_value", "target_value", "target_date"]),
    )
    return kpi


@transaction.atomic
def add_measurement(*, kpi: KPI, measurement: Measurement, by: Person) -> Measurement:
    """Record a value of ``kpi``, entered by ``by``."""
    measurement.kpi = kpi
    measurement.entered_by = by
    measurement.save()
    record(
        obj=measurement.kpi,
        action=AuditKind.KPI_MEASURED,
        actor=by,
        changes={"date": measurement.date.isoformat(), "value": str(measurement.value)},
        source=measurement.source,
    )
    # A new value answers the reminders that an update is due or late.
    for kind in (NoticeKind.KPI_DUE, NoticeKind.KPI_LATE):
        inbox.settle(kind=kind, target_id=kpi.pk)
    return measurement
