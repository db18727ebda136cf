"""From assessment to a plan that is carried out and measured.

A city's strategy (vision, solutions, goals) leads to city opportunities; each
opportunity has actions on the roadmap; actions are meant to move KPIs; KPIs are measured
over time. Every cycle of the implementation phase starts with a plan whose snapshot is
kept, so that what was planned can be set against what happened.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from icc.assessments.models import Direction, Indicator
from icc.cities.models import City, Organisation
from icc.core import lengths, validators
from icc.core.versioning import Versioned
from icc.programmes.models import Cycle

# Strategy ------------------------------------------------------------------------------


class Strategy(models.Model):
    """The city's current strategy text. Each save keeps a numbered version."""

    city = models.OneToOneField(City, on_delete=models.CASCADE, related_name="strategy")
    vision = models.TextField(_("vision statement"), blank=True, max_length=lengths.LONG_TEXT)
    short_term_goals = models.TextField(_("short-term goals"), blank=True, max_length=lengths.LONG_TEXT)
    long_term_goals = models.TextField(_("long-term goals"), blank=True, max_length=lengths.LONG_TEXT)
    ecosystem_role = models.TextField(_("role of the local ecosystem"), blank=True, max_length=lengths.LONG_TEXT)
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name_plural = _("strategies")

    def __str__(self) -> str:
        return str(_("Strategy of %(city)s") % {"city": self.city})


class StrategyVersion(models.Model):
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    vision = models.TextField(blank=True, max_length=lengths.LONG_TEXT)
    short_term_goals = models.TextField(blank=True, max_length=lengths.LONG_TEXT)
    long_term_goals = models.TextField(blank=True, max_length=lengths.LONG_TEXT)
    ecosystem_role = models.TextField(blank=True, max_length=lengths.LONG_TEXT)
    priority_solutions = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["strategy", "number"], name="strategy_version_unique")]

    def __str__(self) -> str:
        return str(_("Version %(number)s") % {"number": self.number})


class StrategyComment(models.Model):
    """The lead expert's (or programme team's) comment on one version of the strategy."""

    version = models.ForeignKey(StrategyVersion, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    body = models.TextField(_("comment"), max_length=lengths.NOTE)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.body[:60]


class Solution(Versioned):
    """A solution on the city's long list; priority solutions are the ones it goes for.

    Its current and target maturity are read from the city's technology maturity
    assessment (matched by name), never copied, so that they stay one truth.
    """

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="solutions")
    name = models.CharField(_("solution"), max_length=200)
    description = models.TextField(_("why and how"), blank=True, max_length=lengths.TEXT)
    priority = models.BooleanField(_("priority solution"), default=False)

    class Meta:
        ordering = ["-priority", "name"]
        constraints = [models.UniqueConstraint(fields=["city", "name"], name="solution_name_unique_in_city")]

    def __str__(self) -> str:
        return self.name


# Roadmap -------------------------------------------------------------------------------


class Opportunity(Versioned):
    """An area of improvement or challenge the city addresses, with the need behind it."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="opportunities")
    title = models.CharField(_("city opportunity"), max_length=200)
    need = models.TextField(
        _("need it serves"), help_text=_("The city need or challenge behind this opportunity."), max_length=lengths.TEXT
    )
    rank = models.PositiveSmallIntegerField(
        _("top opportunity rank"),
        null=True,
        blank=True,
        help_text=_("1 for the most important; leave empty for opportunities not in this cycle's top list."),
        validators=[validators.RANK],
    )

    class Meta:
        ordering = [F("rank").asc(nulls_last=True), "title"]
        verbose_name_plural = _("opportunities")
        constraints = [models.UniqueConstraint(fields=["city", "title"], name="opportunity_title_unique_in_city")]

    def __str__(self) -> str:
        return self.title


class ActionKind(models.TextChoices):
    ACTIVITY = "activity", _("Activity")
    ACTION = "action", _("Action")
    ACCELERATED = "accelerated", _("Accelerated impact action")
    BIG_MOVE = "big-move", _("Big move")


class Detail(models.TextChoices):
    DETAILED = "detailed", _("Detailed (next 5 months)")
    HIGH_LEVEL = "high-level", _("High level (following 10 months)")


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in-progress", _("In progress")
    DONE = "done", _("Done")
    DELAYED = "delayed", _("Delayed")
    DROPPED = "dropped", _("Dropped")


OPEN_STATUSES = (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS, ActionStatus.DELAYED)


class FundingSource(models.TextChoices):
    OWN = "own", _("City's own budget")
    EU = "eu", _("EU fund")
    NATIONAL = "national", _("National or regional fund")
    PRIVATE = "private", _("Private")
    PARTNERSHIP = "partnership", _("Public-private partnership")
    IN_KIND = "in-kind", _("In kind")
    OTHER = "other", _("Other")


class FundingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    APPLIED = "applied", _("Applied for")
    SECURED = "secured", _("Secured")


class Nature(models.TextChoices):
    """The nature of an accelerated impact action, as the flip book lists it."""

    BUY_IN = "buy-in", _("Has full leadership buy-in")
    NO_FUNDING = "no-funding", _("Does not need substantial additional funding")
    WOW = "wow", _("Will create a “wow effect”")
    FEW_INSTITUTIONS = "few-institutions", _("Involves a minimum number of institutions")
    QUICK_RESULTS = "quick-results", _("Shows results in a short time frame")


class ActionQuerySet(models.QuerySet["Action"]):
    def owned_by(self, person: object) -> ActionQuerySet:
        """Actions ``person`` owns, directly or through an organisation they represent."""
        from icc.cities.models import Role

        pk = getattr(person, "pk", None)
        if pk is None:
            return self.none()
        organisations = Role.objects.filter(person_id=pk, organisation__isnull=False).values("organisation")
        return self.filter(Q(owner_person_id=pk) | Q(owner_organisation__in=organisations))


class Action(models.Model):
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="actions")
    opportunity = models.ForeignKey(Opportunity, on_delete=models.PROTECT, related_name="actions")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=lengths.TEXT)
    kind = models.CharField(_("kind"), max_length=12, choices=ActionKind.choices, default=ActionKind.ACTION)
    detail = models.CharField(_("level of detail"), max_length=12, choices=Detail.choices, default=Detail.DETAILED)
    owner_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner (person)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_actions",
    )
    owner_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("owner (ecosystem organisation)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_actions",
    )
    starts_on = models.DateField(_("start"), validators=[validators.validate_day])
    ends_on = models.DateField(_("end"), validators=[validators.validate_day])
    cycle = models.ForeignKey(
        Cycle, verbose_name=_("cycle"), on_delete=models.PROTECT, null=True, blank=True, related_name="actions"
    )
    budget = models.DecimalField(
        _("budget (€)"), max_digits=14, decimal_places=2, null=True, blank=True, validators=[validators.MONEY]
    )
    spent = models.DecimalField(
        _("spent so far (€)"), max_digits=14, decimal_places=2, null=True, blank=True, validators=[validators.MONEY]
    )
    funding_source = models.CharField(_("funding source"), max_length=12, choices=FundingSource.choices, blank=True)
    funding_status = models.CharField(_("funding status"), max_length=10, choices=FundingStatus.choices, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.PLANNED)
    depends_on = models.ManyToManyField(
        "self", verbose_name=_("depends on"), symmetrical=False, blank=True, related_name="needed_by"
    )
    kpis: models.ManyToManyField[KPI, Any] = models.ManyToManyField(
        "KPI", verbose_name=_("KPIs it should move"), blank=True, related_name="actions"
    )
    solutions = models.ManyToManyField(
        Solution, verbose_name=_("solutions it deploys"), blank=True, related_name="actions"
    )
    enablers = models.JSONField(_("local enablers it builds on"), default=list, blank=True)
    quick = models.BooleanField(_("Can it be implemented within 5–10 months?"), default=False)
    limited_investment = models.BooleanField(_("Can it be implemented with limited investment?"), default=False)
    measurable = models.BooleanField(_("Does it measurably improve a city KPI or a broader EU goal?"), default=False)
    nature = models.JSONField(_("nature"), default=list, blank=True)
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["starts_on", "title"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="action_ends_after_start"),
            models.CheckConstraint(condition=Q(budget__gte=0) | Q(budget__isnull=True), name="action_budget_positive"),
            models.CheckConstraint(condition=Q(spent__gte=0) | Q(spent__isnull=True), name="action_spent_positive"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("roadmaps:action", kwargs={"pk": self.pk})

    @property
    def qualifies_as_accelerated(self) -> bool:
        """Whether it ticks the three boxes that make an accelerated impact action."""
        return self.quick and self.limited_investment and self.measurable

    @property
    def owner(self) -> object:
        return self.owner_person or self.owner_organisation


class BudgetSignOff(models.Model):
    """The mayor's sign-off of the budget a city plans to spend in a cycle."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="budget_sign_offs")
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="+")
    amount = models.DecimalField(_("amount (€)"), max_digits=16, decimal_places=2)
    lines = models.JSONField(default=list)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    signed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["city", "cycle"], name="one_sign_off_per_cycle")]

    def __str__(self) -> str:
        return f"{self.city} {self.cycle}: {self.amount}"


class CyclePlan(models.Model):
    """A city's plan for a cycle: the review of the last one and a snapshot of the roadmap."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="cycle_plans")
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="+")
    review = models.TextField(_("review of the last cycle"), blank=True, max_length=lengths.LONG_TEXT)
    snapshot = models.JSONField(default=dict)
    confirmed_at = models.DateTimeField(auto_now=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["city", "cycle"], name="one_plan_per_cycle")]

    def __str__(self) -> str:
        return f"{self.city} {self.cycle}"


# KPIs ----------------------------------------------------------------------------------


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    CYCLE = "cycle", _("Once a cycle")
    YEARLY = "yearly", _("Yearly")


class KPI(models.Model):
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="kpis")
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("from the indicator library"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="kpis",
    )
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=40)
    direction = models.CharField(_("desired direction"), max_length=4, choices=Direction.choices)
    baseline_value = models.DecimalField(
        _("baseline value"), max_digits=18, decimal_places=4, validators=[validators.MEASURE]
    )
    baseline_date = models.DateField(_("baseline date"), validators=[validators.validate_day])
    baseline_source = models.CharField(_("baseline source"), max_length=300)
    target_value = models.DecimalField(
        _("target value"), max_digits=18, decimal_places=4, validators=[validators.MEASURE]
    )
    target_date = models.DateField(_("target date"), validators=[validators.validate_day])
    frequency = models.CharField(
        _("reporting frequency"), max_length=10, choices=Frequency.choices, default=Frequency.CYCLE
    )
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("KPI")
        verbose_name_plural = _("KPIs")
        constraints = [
            models.UniqueConstraint(fields=["city", "name"], name="kpi_name_unique_in_city"),
            models.CheckConstraint(condition=Q(target_date__gt=F("baseline_date")), name="kpi_target_after_baseline"),
            models.CheckConstraint(
                condition=(
                    Q(direction="up", target_value__gte=F("baseline_value"))
                    | Q(direction="down", target_value__lte=F("baseline_value"))
                ),
                name="kpi_target_in_desired_direction",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("roadmaps:kpi", kwargs={"pk": self.pk})


class Measurement(models.Model):
    kpi = models.ForeignKey(KPI, on_delete=models.CASCADE, related_name="measurements")
    date = models.DateField(_("date"), validators=[validators.validate_day])
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=4, validators=[validators.MEASURE])
    source = models.CharField(_("source"), max_length=300)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    entered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["kpi", "date"], name="one_measurement_per_day")]
        indexes = [models.Index(fields=["kpi", "-date"], name="measurement_latest")]

    def __str__(self) -> str:
        return f"{self.kpi}: {self.value} ({self.date})"
