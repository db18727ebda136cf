"""The marketplace by and for cities: city profiles, providers, solutions, deployments
and challenges.

Everything a city or a provider writes is theirs: it is published only after review by
the programme team or the editors the cities appoint, a refusal carries its reason, and
every change stays in the audit trail. A deployment counts once the deploying city has
confirmed it; a provider's profile shows confirmed deployments only, which is how a
vendor is qualified by what it did elsewhere.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from icc.cities.models import City, validate_country_code
from icc.core import lengths, validators
from icc.marketplace.vocabulary import CostModel, ProviderKind, SolutionStatus
from icc.programmes.models import Programme, Theme

NAME_LENGTH = 200
URL_LENGTH = 500
BUDGET_LIMIT = 2_000_000_000  # EUR


class Review(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Waiting for review")
    PUBLISHED = "published", _("Published")
    REFUSED = "refused", _("Refused")


class Reviewed(models.Model):
    """What goes through the marketplace's review before anyone else sees it."""

    review = models.CharField(_("review"), max_length=10, choices=Review.choices, default=Review.DRAFT)
    refusal = models.CharField(_("reason for the refusal"), max_length=500, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True, validators=[validators.validate_day])
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, validators=[validators.validate_day])
    updated_at = models.DateTimeField(default=timezone.now, validators=[validators.validate_day])

    class Meta:
        abstract = True

    @property
    def is_published(self) -> bool:
        return self.review == Review.PUBLISHED


class CityProfile(Reviewed):
    """A city's showcase: its general profile (from its record), smart-city profile and procurement."""

    city = models.OneToOneField(City, on_delete=models.CASCADE, related_name="marketplace_profile")
    summary = models.TextField(_("who we are"), blank=True, max_length=lengths.TEXT)
    open_data_portal = models.URLField(_("open data portal"), blank=True, max_length=URL_LENGTH)
    open_data_charter = models.BooleanField(_("we have adopted an open data charter"), default=False)
    platforms = models.TextField(_("platforms in use"), blank=True, max_length=lengths.NOTE)
    mims = models.JSONField(_("OASC MIMs adopted"), default=list, blank=True)
    procurement = models.TextField(_("how we buy innovation"), blank=True, max_length=lengths.TEXT)
    procurement_contact = models.EmailField(_("procurement contact"), blank=True)
    tenders = models.TextField(_("upcoming tenders"), blank=True, max_length=lengths.NOTE)

    def __str__(self) -> str:
        return str(self.city)

    def get_absolute_url(self) -> str:
        return reverse("marketplace:profile", kwargs={"pk": self.city_id})


class Provider(Reviewed):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="providers")
    name = models.CharField(_("name"), max_length=NAME_LENGTH)
    kind = models.CharField(_("kind"), max_length=10, choices=ProviderKind.choices)
    country = models.CharField(_("country"), max_length=2, validators=[validate_country_code])
    website = models.URLField(_("website"), blank=True, max_length=URL_LENGTH)
    # A city that provides its own solution to others.
    city = models.ForeignKey(City, on_delete=models.CASCADE, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="provider_name_unique"),
            models.CheckConstraint(
                condition=Q(kind="city", city__isnull=False) | (~Q(kind="city") & Q(city=None)),
                name="provider_city_only_for_cities",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("marketplace:provider", kwargs={"pk": self.pk})


class Solution(Reviewed):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="marketplace_solutions")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="solutions")
    # The city whose team wrote it (a provider's own submission has none).
    city = models.ForeignKey(City, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    name = models.CharField(_("name"), max_length=NAME_LENGTH)
    summary = models.TextField(_("what it does"), max_length=lengths.TEXT)
    themes = models.ManyToManyField(Theme, blank=True, verbose_name=_("themes"), related_name="+")
    functions = models.JSONField(_("technology functions"), default=list, blank=True)
    mims = models.JSONField(_("OASC MIMs"), default=list, blank=True)
    data_models = models.JSONField(_("Smart Data Models"), default=list, blank=True)
    ngsi_ld = models.BooleanField(_("offers an NGSI-LD interface"), default=False)
    standards = models.CharField(_("other standards"), max_length=500, blank=True)
    requirements = models.TextField(_("technical requirements"), blank=True, max_length=lengths.NOTE)
    cost_model = models.CharField(_("cost model"), max_length=14, choices=CostModel.choices)
    licence = models.CharField(_("licence (SPDX)"), max_length=100, blank=True)
    repository = models.URLField(_("source code"), blank=True, max_length=URL_LENGTH)
    development = models.CharField(
        _("development status"), max_length=12, choices=SolutionStatus.choices, default=SolutionStatus.STABLE
    )
    sdgs = models.JSONField(_("SDG targets"), default=list, blank=True)

    class Meta:
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["programme", "review", "name"], name="market_solution_published")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("marketplace:solution", kwargs={"pk": self.pk})


class Deployment(models.Model):
    """A solution deployed in a city; it counts once that city's team confirmed it."""

    solution = models.ForeignKey(Solution, on_delete=models.CASCADE, related_name="deployments")
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="marketplace_deployments")
    started_on = models.DateField(_("deployed since"), validators=[validators.validate_day])
    scale = models.CharField(_("scale"), max_length=200, help_text=_("For example: 40 buildings, the whole city."))
    outcome = models.TextField(_("outcome"), blank=True, max_length=lengths.NOTE)
    kpi = models.ForeignKey(
        "roadmaps.KPI", on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("KPI"), related_name="+"
    )
    action = models.ForeignKey(
        "roadmaps.Action",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("roadmap action"),
        related_name="marketplace_deployments",
    )
    claimed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    claimed_at = models.DateTimeField(default=timezone.now, validators=[validators.validate_day])
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True, validators=[validators.validate_day])

    class Meta:
        ordering = ["-started_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["solution", "city"], name="deployment_once_per_city")]
        indexes = [
            models.Index(fields=["solution"], condition=Q(confirmed_at__isnull=False), name="deployment_confirmed")
        ]

    def __str__(self) -> str:
        return f"{self.solution} · {self.city}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class Challenge(Reviewed):
    """A need a city posts, so that other cities say "we have this too" and solutions are matched."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="marketplace_challenges")
    title = models.CharField(_("title"), max_length=NAME_LENGTH)
    context = models.TextField(_("context"), max_length=lengths.TEXT)
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, verbose_name=_("ICC theme"), related_name="+")
    functions = models.JSONField(_("technology functions needed"), default=list, blank=True)
    data_models = models.JSONField(_("Smart Data Models"), default=list, blank=True)
    sdgs = models.JSONField(_("SDG targets"), default=list, blank=True)
    budget_min = models.PositiveIntegerField(
        _("budget from (EUR)"), null=True, blank=True, validators=[MaxValueValidator(BUDGET_LIMIT)]
    )
    budget_max = models.PositiveIntegerField(
        _("budget up to (EUR)"), null=True, blank=True, validators=[MaxValueValidator(BUDGET_LIMIT)]
    )
    needed_by = models.DateField(_("needed by"), null=True, blank=True, validators=[validators.validate_day])
    shared_by = models.ManyToManyField(City, blank=True, related_name="+", verbose_name=_("cities with the same need"))

    class Meta:
        ordering = ["-created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(budget_min=None) | Q(budget_max=None) | Q(budget_max__gte=models.F("budget_min")),
                name="challenge_budget_range",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("marketplace:challenge", kwargs={"pk": self.pk})


class ReportStatus(models.TextChoices):
    OPEN = "open", _("Open")
    SETTLED = "settled", _("Settled")


class Report(models.Model):
    """Someone says published content is wrong; it goes to the reviewers' queue."""

    solution = models.ForeignKey(Solution, on_delete=models.CASCADE, related_name="reports")
    reason = models.CharField(_("what is wrong"), max_length=500)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reported_at = models.DateTimeField(default=timezone.now, validators=[validators.validate_day])
    status = models.CharField(max_length=8, choices=ReportStatus.choices, default=ReportStatus.OPEN)

    class Meta:
        ordering = ["-reported_at"]

    def __str__(self) -> str:
        return f"{self.solution}: {self.reason[:40]}"


class Editor(models.Model):
    """Someone of the cities whom the programme team made a marketplace editor: they review too."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="marketplace_editors")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    appointed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    appointed_at = models.DateTimeField(default=timezone.now, validators=[validators.validate_day])

    class Meta:
        constraints = [models.UniqueConstraint(fields=["programme", "person"], name="marketplace_editor_once")]

    def __str__(self) -> str:
        return f"{self.person} · {self.programme}"


class FacetKind(models.TextChoices):
    FUNCTION = "function", _("Technology function")
    MIM = "mim", _("OASC MIM")
    DATA_MODEL = "data-model", _("Smart Data Model")
    SDG = "sdg", _("SDG goal")


class Facet(models.Model):
    """One code a solution carries (a function, a MIM, a data model, an SDG goal), kept in
    step with its lists so that browsing filters and counts by an index, on any database."""

    solution = models.ForeignKey(Solution, on_delete=models.CASCADE, related_name="facets")
    kind = models.CharField(max_length=10, choices=FacetKind.choices)
    code = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["solution", "kind", "code"], name="market_facet_once")]
        indexes = [models.Index(fields=["kind", "code", "solution"], name="market_facet_lookup")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.code}"


# Joint procurement and market consultation -----------------------------------------------


class ProcurementModel(models.TextChoices):
    """How the cities of a group mean to buy together (the flip book's collaboration models)."""

    UNDECIDED = "undecided", _("Not decided yet")
    LEAD_BUYER = "lead-buyer", _("One city buys on behalf of the others")
    CENTRAL = "central", _("A central purchasing body buys for all")
    PIGGY_BACK = "piggy-back", _("The others join the first city's contract")
    COORDINATED = "coordinated", _("Each city buys, on shared tender documents")


class ProcurementGroup(models.Model):
    """A challenge several cities share, taken to a cross-city lab to be bought together.

    Its members are the challenge's city (the lead) and the cities that said "we have this
    too" when it was formed; a city that says so later may join, and any member but the
    lead may leave.
    """

    challenge = models.OneToOneField(Challenge, on_delete=models.CASCADE, related_name="procurement_group")
    lab = models.ForeignKey(
        "tags.Lab", on_delete=models.RESTRICT, verbose_name=_("cross-city lab"), related_name="procurement_groups"
    )
    model = models.CharField(
        _("how the cities buy together"),
        max_length=12,
        choices=ProcurementModel.choices,
        default=ProcurementModel.UNDECIDED,
    )
    members = models.ManyToManyField(City, related_name="procurement_groups", verbose_name=_("member cities"))
    formed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    formed_at = models.DateTimeField(default=timezone.now, validators=[validators.validate_day])

    class Meta:
        ordering = ["-formed_at", "pk"]

    def __str__(self) -> str:
        return str(self.challenge)


CONSULTATION_NOTE = 1_000
CONSULTATION_MAX_DAYS = 365


class MarketConsultation(models.Model):
    """An open call on a challenge: providers answer with a solution of the marketplace and a
    short note until the closing date (or until the city closes it earlier)."""

    challenge = models.OneToOneField(Challenge, on_delete=models.CASCADE, related_name="market_consultation")
    question = models.TextField(_("what the city asks the market"), max_length=lengths.NOTE)
    closes_on = models.DateField(
        _("responses until"), validators=[validators.validate_day], help_text=_("Responses are taken until this day.")
    )
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(default=timezone.now, validators=[validators.validate_day])
    closed_at = models.DateTimeField(null=True, blank=True, validators=[validators.validate_day])
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return str(self.challenge)

    @property
    def is_open(self) -> bool:
        return self.closed_at is None and timezone.localdate() <= self.closes_on


class MarketResponse(models.Model):
    """A provider's answer to a market consultation: one of its solutions and a short note."""

    consultation = models.ForeignKey(MarketConsultation, on_delete=models.CASCADE, related_name="responses")
    solution = models.ForeignKey(
        Solution, on_delete=models.CASCADE, verbose_name=_("solution"), related_name="market_responses"
    )
    note = models.TextField(_("note to the city"), max_length=CONSULTATION_NOTE)
    responded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    responded_at = models.DateTimeField(default=timezone.now, validators=[validators.validate_day])

    class Meta:
        ordering = ["responded_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["consultation", "solution"], name="market_response_once_per_solution")
        ]

    def __str__(self) -> str:
        return f"{self.solution} → {self.consultation}"


# The people of a provider -------------------------------------------------------------------


class ProviderMember(models.Model):
    """Someone a city's team invited to act for a provider: they keep its record, submit its
    solutions for review and answer market consultations for it, and nothing more."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="provider_roles")
    # The city whose team invited them (none when the programme team did).
    city = models.ForeignKey(City, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    invited_at = models.DateTimeField(default=timezone.now, validators=[validators.validate_day])

    class Meta:
        ordering = ["provider", "person__full_name"]
        constraints = [models.UniqueConstraint(fields=["provider", "person"], name="provider_member_once")]

    def __str__(self) -> str:
        return f"{self.person} · {self.provider}"


# Images --------------------------------------------------------------------------------------

IMAGE_SIDE_LIMIT = 8_000  # pixels, whatever the kind of image
IMAGE_BYTES_LIMIT = 10 * 1024 * 1024


def image_path(instance: models.Model, filename: str) -> str:
    # A name of the platform's own: nothing of the uploaded name reaches the disk.
    kind = "logos" if isinstance(instance, ProviderLogo) else "screenshots"
    return f"marketplace/{kind}/{uuid.uuid4().hex}"


class StoredImage(models.Model):
    """An image that passed :mod:`icc.marketplace.images`: its type read from its content,
    its size and dimensions read from its header."""

    file = models.FileField(upload_to=image_path, max_length=200)
    content_type = models.CharField(max_length=20)
    width = models.PositiveIntegerField(validators=[MaxValueValidator(IMAGE_SIDE_LIMIT)])
    height = models.PositiveIntegerField(validators=[MaxValueValidator(IMAGE_SIDE_LIMIT)])
    size = models.PositiveIntegerField(validators=[MaxValueValidator(IMAGE_BYTES_LIMIT)])
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now, validators=[validators.validate_day])

    BOX: tuple[int, int] = (224, 168)  # the largest it is shown at (in a card), in CSS pixels

    class Meta:
        abstract = True

    def fit(self, width: int, height: int) -> tuple[int, int]:
        """The size it is shown at within ``width`` × ``height``, never enlarged."""
        scale = min(1.0, width / max(self.width, 1), height / max(self.height, 1))
        return max(1, round(self.width * scale)), max(1, round(self.height * scale))

    @property
    def shown(self) -> tuple[int, int]:
        return self.fit(*self.BOX)


class ProviderLogo(StoredImage):
    provider = models.OneToOneField(Provider, on_delete=models.CASCADE, related_name="logo")

    BOX = (160, 80)

    def __str__(self) -> str:
        return f"{self.provider} logo"


class Screenshot(StoredImage):
    solution = models.ForeignKey(Solution, on_delete=models.CASCADE, related_name="screenshots")
    caption = models.CharField(
        _("what it shows"), max_length=200, help_text=_("Read out to those who cannot see the image.")
    )

    class Meta:
        ordering = ["added_at", "pk"]

    def __str__(self) -> str:
        return self.caption
