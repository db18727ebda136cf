"""Innovation procurement plans: a roadmap action or a joint-procurement group bought
through its phases, each with its dates, its budget and its documents.

A plan follows one of the two routes of innovation procurement the programme coaches:
pre-commercial procurement (PCP: the R&D of solutions that do not exist yet, bought in
three competitive phases) or the public procurement of innovative solutions (PPI: a
tender and a contract for solutions not yet widely on the market). Every phase belongs to
a stage of the Open Contracting Data Standard, which is how a plan is exported
(:mod:`icc.procurement.ocds`).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from icc.cities.models import City
from icc.core import lengths, validators
from icc.core.versioning import Versioned
from icc.programmes.models import Programme

TITLE_LENGTH = 200
SUPPLIERS_LENGTH = 1_000
DOCUMENT_NAME_LENGTH = 200  # a document's original file name


class Route(models.TextChoices):
    PCP = "pcp", _("Pre-commercial procurement (PCP)")
    PPI = "ppi", _("Public procurement of innovative solutions (PPI)")


class Category(models.TextChoices):
    """The OCDS main procurement category."""

    SERVICES = "services", _("Services")
    GOODS = "goods", _("Goods")
    WORKS = "works", _("Works")


class Stage(models.TextChoices):
    """The stages of an Open Contracting process a phase is published in."""

    PLANNING = "planning", _("Planning")
    TENDER = "tender", _("Tender")
    CONTRACT = "contract", _("Award, contract and implementation")


class PhaseKind(models.TextChoices):
    CONSULTATION = "consultation", _("Needs and market consultation")
    TENDER = "tender", _("Call for tenders")
    DESIGN = "design", _("Solution design (PCP phase 1)")
    PROTOTYPE = "prototype", _("Prototyping (PCP phase 2)")
    TEST = "test", _("Original development and testing (PCP phase 3)")
    CONTRACT = "contract", _("Contract and deployment (PPI)")


# The order phases follow, the route that has them and the OCDS stage they go into.
PHASES: dict[str, tuple[int, tuple[str, ...], str]] = {
    PhaseKind.CONSULTATION: (1, (Route.PCP, Route.PPI), Stage.PLANNING),
    PhaseKind.TENDER: (2, (Route.PCP, Route.PPI), Stage.TENDER),
    PhaseKind.DESIGN: (3, (Route.PCP,), Stage.CONTRACT),
    PhaseKind.PROTOTYPE: (4, (Route.PCP,), Stage.CONTRACT),
    PhaseKind.TEST: (5, (Route.PCP,), Stage.CONTRACT),
    PhaseKind.CONTRACT: (6, (Route.PPI,), Stage.CONTRACT),
}


def kinds_of(route: str) -> list[str]:
    """The phases a plan on ``route`` goes through, in their order."""
    return sorted((k for k, (_o, routes, _s) in PHASES.items() if route in routes), key=lambda k: PHASES[k][0])


class PhaseStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    UNDER_WAY = "under-way", _("Under way")
    DONE = "done", _("Done")


class PlanQuerySet(models.QuerySet["Plan"]):
    def of_city(self, city: City) -> PlanQuerySet:
        """The plans ``city`` takes part in: its own actions' and its groups'."""
        return self.filter(Q(action__city=city) | Q(group__members=city)).distinct()


class Plan(Versioned):
    """How a roadmap action, or a joint-procurement group of cities, buys its innovation."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="procurement_plans")
    action = models.ForeignKey(
        "roadmaps.Action",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        verbose_name=_("roadmap action"),
        related_name="procurement_plans",
    )
    group = models.ForeignKey(
        "marketplace.ProcurementGroup",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        verbose_name=_("joint-procurement group"),
        related_name="procurement_plans",
    )
    # The city that buys (for a group: the city of its challenge, the lead buyer).
    buyer = models.ForeignKey(City, on_delete=models.CASCADE, related_name="procurement_plans_led")
    title = models.CharField(_("what the plan buys"), max_length=TITLE_LENGTH)
    need = models.TextField(_("the need behind it"), max_length=lengths.TEXT)
    route = models.CharField(_("route"), max_length=3, choices=Route.choices)
    category = models.CharField(
        _("main procurement category"), max_length=8, choices=Category.choices, default=Category.SERVICES
    )
    tender_title = models.CharField(
        _("title of the tender"),
        max_length=TITLE_LENGTH,
        blank=True,
        help_text=_("As it is (or will be) published in the call for tenders."),
    )
    tender_description = models.TextField(_("what the tender asks for"), blank=True, max_length=lengths.NOTE)
    suppliers = models.TextField(
        _("suppliers awarded"), blank=True, max_length=SUPPLIERS_LENGTH, help_text=_("One per line, once awarded.")
    )
    cities = models.ManyToManyField(City, verbose_name=_("cities taking part"), related_name="procurement_plans")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, validators=[validators.validate_day])
    updated_at = models.DateTimeField(default=timezone.now, validators=[validators.validate_day])

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(action__isnull=False) & Q(group__isnull=True))
                | (Q(action__isnull=True) & Q(group__isnull=False)),
                name="procurement_plan_of_action_or_group",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("procurement:plan", kwargs={"pk": self.pk})

    def taking_part(self) -> list[City]:
        """The cities taking part now, the buying city first, then by name.

        A roadmap action's plan is its city's alone. A group's plan takes the cities chosen
        for it that are still members of the group: a city that left the group no longer
        takes part (nor appears in the plan's export). Uses ``cities`` and the group's
        ``members`` as prefetched, when they are.
        """
        if self.group_id is None or self.group is None:
            return [self.buyer]
        members = {c.pk for c in self.group.members.all()}
        chosen = sorted(
            (c for c in self.cities.all() if c.pk in members and c.pk != self.buyer_id), key=lambda c: (c.name, c.pk)
        )
        return [self.buyer, *chosen]

    @property
    def supplier_names(self) -> list[str]:
        return [line.strip() for line in self.suppliers.splitlines() if line.strip()]


class Phase(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="phases")
    kind = models.CharField(_("phase"), max_length=12, choices=PhaseKind.choices)
    starts_on = models.DateField(_("starts"), null=True, blank=True, validators=[validators.validate_day])
    ends_on = models.DateField(_("ends"), null=True, blank=True, validators=[validators.validate_day])
    budget = models.DecimalField(
        _("budget (€)"), max_digits=14, decimal_places=2, null=True, blank=True, validators=[validators.MONEY]
    )
    status = models.CharField(_("status"), max_length=10, choices=PhaseStatus.choices, default=PhaseStatus.PLANNED)
    notes = models.TextField(_("notes"), blank=True, max_length=lengths.NOTE)

    class Meta:
        ordering = ["plan", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "kind"], name="procurement_phase_once"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")) | Q(ends_on__isnull=True) | Q(starts_on__isnull=True),
                name="procurement_phase_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(budget__gte=0) | Q(budget__isnull=True), name="procurement_phase_budget_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan} · {self.get_kind_display()}"

    @property
    def order(self) -> int:
        return PHASES[self.kind][0]

    @property
    def stage(self) -> str:
        return PHASES[self.kind][2]


class DocumentKind(models.TextChoices):
    """Codes of the OCDS documentType codelist a procurement plan uses."""

    NEEDS = "needsAssessment", _("Needs assessment")
    MARKET = "marketStudies", _("Market studies and consultation report")
    NOTICE = "tenderNotice", _("Tender notice")
    SPECIFICATIONS = "technicalSpecifications", _("Technical specifications")
    CRITERIA = "evaluationCriteria", _("Evaluation criteria")
    EVALUATION = "evaluationReports", _("Evaluation report")
    CONTRACT = "contractSigned", _("Signed contract")
    PLAN = "projectPlan", _("Project plan")
    OTHER = "other", _("Other")


def document_path(instance: Document, filename: str) -> str:
    # A name of the platform's own: nothing of the uploaded name reaches the disk.
    return f"procurement/{uuid.uuid4().hex}"


class Document(models.Model):
    """A file of a phase, stored after it passed the uploads gate."""

    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind of document"), max_length=24, choices=DocumentKind.choices)
    title = models.CharField(_("title"), max_length=TITLE_LENGTH)
    file = models.FileField(upload_to=document_path, max_length=200)
    original_name = models.CharField(max_length=DOCUMENT_NAME_LENGTH)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now, validators=[validators.validate_day])

    class Meta:
        ordering = ["added_at", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("procurement:document", kwargs={"pk": self.pk})
