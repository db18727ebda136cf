"""A city's local ecosystem: who its organisations are to the programme, the people at
them, the 1:1 ecosystem interviews held with them and what those interviews taught.

The organisations themselves are the city's (:class:`icc.cities.models.Organisation`);
this app adds what the stakeholder mapping tool asks of each: its role in the ecosystem,
its influence and interest on a 1–5 scale, its commitment, and whether it champions the
city's work. Contacts are people at an organisation, not necessarily platform accounts.

An interview has a summary shared with the city's team and insights tagged to local
enablers and programme themes. What an interviewer wants to keep to themselves goes in a
:class:`SensitiveNote`, a table of its own, opened only by its author and the city's lead
expert (:mod:`icc.ecosystem.access`): no page, list, export, search entry or audit entry
of anyone else reads it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from icc.cities.models import City, Organisation
from icc.core import lengths, validators
from icc.core.versioning import Versioned
from icc.programmes.models import Programme, Theme

SCALE_LOW, SCALE_HIGH = 1, 5
SCALE = [MinValueValidator(SCALE_LOW), MaxValueValidator(SCALE_HIGH)]
NAME_LENGTH = 160
ENABLER_LENGTH = 40


class EcosystemRole(models.TextChoices):
    CONNECTOR = "connector", _("Connector or intermediary")
    KNOWLEDGE = "knowledge", _("Knowledge and research partner")
    PROVIDER = "provider", _("Solution or technology provider")
    INFRASTRUCTURE = "infrastructure", _("Owner of urban infrastructure or data")
    FUNDER = "funder", _("Funder or investor")
    USER = "user", _("User or beneficiary")
    POLICY = "policy", _("Policy maker or regulator")
    VOICE = "voice", _("Voice of citizens or businesses")


class Commitment(models.TextChoices):
    UNKNOWN = "unknown", _("Not known yet")
    LOW = "low", _("Low: aware of the city's work")
    MEDIUM = "medium", _("Medium: contributes when asked")
    HIGH = "high", _("High: gives time or resources")


# Organisations of this commitment do not close a gap in their sector.
WEAK_COMMITMENT = frozenset({Commitment.UNKNOWN, Commitment.LOW})


class Stakeholder(Versioned):
    """What the stakeholder mapping tool records of one of the city's organisations."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="ecosystem")
    role = models.CharField(_("role in the ecosystem"), max_length=20, choices=EcosystemRole.choices)
    influence = models.PositiveSmallIntegerField(
        _("influence"), validators=SCALE, help_text=_("From 1 (little) to 5 (decisive) over the city's plans.")
    )
    interest = models.PositiveSmallIntegerField(
        _("interest"), validators=SCALE, help_text=_("From 1 (little) to 5 (very keen) in the city's work.")
    )
    commitment = models.CharField(
        _("commitment"), max_length=10, choices=Commitment.choices, default=Commitment.UNKNOWN
    )
    champion = models.BooleanField(
        _("champion"), default=False, help_text=_("Actively supports the city's vision and brings others along.")
    )
    remarks = models.TextField(_("remarks"), blank=True, max_length=lengths.NOTE)
    updated_at = models.DateTimeField(default=timezone.now, validators=[validators.validate_day])

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(influence__gte=1, influence__lte=5), name="stakeholder_influence_1_5"
            ),
            models.CheckConstraint(
                condition=models.Q(interest__gte=1, interest__lte=5), name="stakeholder_interest_1_5"
            ),
        ]

    def __str__(self) -> str:
        return str(self.organisation)


class Contact(models.Model):
    """A person at one of the city's organisations (personal data: the city's team only)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=NAME_LENGTH)
    title = models.CharField(_("role or title"), max_length=NAME_LENGTH, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now, validators=[validators.validate_day])

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class InterviewStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class Interview(Versioned):
    """A 1:1 ecosystem interview with one of the city's organisations."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="ecosystem_interviews")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="interviews")
    contact = models.ForeignKey(
        Contact,
        verbose_name=_("interviewee"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="interviews",
    )
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("interviewer"),
        on_delete=models.PROTECT,
        related_name="ecosystem_interviews",
    )
    planned_on = models.DateField(_("planned for"), validators=[validators.validate_day])
    held_on = models.DateField(_("held on"), null=True, blank=True, validators=[validators.validate_day])
    status = models.CharField(
        _("status"), max_length=10, choices=InterviewStatus.choices, default=InterviewStatus.PLANNED
    )
    summary = models.TextField(
        _("summary"),
        blank=True,
        max_length=lengths.TEXT,
        help_text=_("Shared with the city's team. Keep what must stay confidential for your sensitive note."),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, validators=[validators.validate_day])
    updated_at = models.DateTimeField(default=timezone.now, validators=[validators.validate_day])

    class Meta:
        ordering = ["planned_on", "pk"]
        indexes = [models.Index(fields=["city", "planned_on"], name="eco_interview_city_day")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="held") | models.Q(held_on__isnull=False), name="eco_interview_held_has_day"
            )
        ]

    def __str__(self) -> str:
        return str(_("Interview with %(organisation)s") % {"organisation": self.organisation})

    def get_absolute_url(self) -> str:
        return reverse("ecosystem:interview", kwargs={"pk": self.pk})


class SensitiveNote(models.Model):
    """What the interviewer keeps out of the summary: opened by its author and the city's lead expert only."""

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="sensitive_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("sensitive note"), max_length=lengths.TEXT)
    written_at = models.DateTimeField(default=timezone.now, validators=[validators.validate_day])

    class Meta:
        ordering = ["written_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["interview", "author"], name="eco_one_note_per_author")]

    def __str__(self) -> str:
        # Never the text: whatever prints a note (an audit entry, a log line) shows only whose it is.
        return str(_("Sensitive note %(pk)s") % {"pk": self.pk})


class Insight(models.Model):
    """Something an interview taught, tagged to a local enabler, a programme theme, or both."""

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="insights")
    text = models.TextField(_("insight"), max_length=lengths.NOTE)
    enabler = models.CharField(_("local enabler"), max_length=ENABLER_LENGTH, blank=True)
    theme = models.ForeignKey(
        Theme, verbose_name=_("theme"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now, validators=[validators.validate_day])

    class Meta:
        ordering = ["added_at", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class InterviewGuide(Versioned):
    """The questions of an edition's 1:1 interviews, kept by its programme team."""

    programme = models.OneToOneField(Programme, on_delete=models.CASCADE, related_name="interview_guide")
    introduction = models.TextField(_("introduction"), blank=True, max_length=lengths.NOTE)
    questions = models.TextField(
        _("questions"), max_length=lengths.TEXT, help_text=_("One question a line, in the order they are asked.")
    )
    updated_at = models.DateTimeField(default=timezone.now, validators=[validators.validate_day])

    def __str__(self) -> str:
        return str(_("Interview guide of %(programme)s") % {"programme": self.programme})

    @property
    def question_list(self) -> list[str]:
        return [line.strip() for line in self.questions.splitlines() if line.strip()]
