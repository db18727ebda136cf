"""The shared open data policy charter of an edition and each city's checklist against it.

The programme team keeps the charter: its vision and its principles, each with an example
clause and the technical standards it points to. The charter is versioned: the team
edits a draft and publishes it as the next version, and each city's checklist belongs to
one version. Publishing a new version carries every city's answers over, principle by
principle (by key), so that nothing a city recorded is lost and history stays readable.

A city's team records, for each principle, whether the city meets it, is working on it or
not yet, with evidence: a link and/or a few words. The summary ("n of m principles met")
feeds the city's smart-city profile in the marketplace.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from icc.cities.models import City
from icc.core import lengths, validators
from icc.core.versioning import Versioned
from icc.programmes.models import Programme

TITLE_LENGTH = 200
STANDARDS_LENGTH = 500
URL_LENGTH = 500


class Charter(models.Model):
    """One version of an edition's open data policy charter; a draft until published."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="open_data_charters")
    number = models.PositiveSmallIntegerField(_("version"))
    vision = models.TextField(_("vision"), max_length=lengths.TEXT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, validators=[validators.validate_day])
    published_at = models.DateTimeField(null=True, blank=True, validators=[validators.validate_day])
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["programme", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="opendata_charter_version_once"),
            models.UniqueConstraint(
                fields=["programme"], condition=Q(published_at__isnull=True), name="opendata_one_draft"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme} · v{self.number}"

    @property
    def is_draft(self) -> bool:
        return self.published_at is None


class Principle(models.Model):
    charter = models.ForeignKey(Charter, on_delete=models.CASCADE, related_name="principles")
    key = models.SlugField(
        _("key"), max_length=80, help_text=_("Stays the same from version to version, so answers carry over.")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("principle"), max_length=TITLE_LENGTH)
    statement = models.TextField(_("what it means"), max_length=lengths.TEXT)
    clause = models.TextField(_("example clause"), blank=True, max_length=lengths.NOTE)
    standards = models.CharField(_("technical standards"), blank=True, max_length=STANDARDS_LENGTH)

    class Meta:
        ordering = ["charter", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["charter", "key"], name="opendata_principle_key_once")]

    def __str__(self) -> str:
        return self.title


class Status(models.TextChoices):
    MET = "met", _("Met")
    IN_PROGRESS = "in-progress", _("In progress")
    NOT_YET = "not-yet", _("Not yet")


class Checklist(Versioned):
    """A city's answers to one version of the charter."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="open_data_checklists")
    charter = models.ForeignKey(Charter, on_delete=models.CASCADE, related_name="checklists")
    updated_at = models.DateTimeField(default=timezone.now, validators=[validators.validate_day])
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["city", "charter"], name="opendata_checklist_once")]

    def __str__(self) -> str:
        return f"{self.city} · v{self.charter.number}"


class Entry(models.Model):
    checklist = models.ForeignKey(Checklist, on_delete=models.CASCADE, related_name="entries")
    principle = models.ForeignKey(Principle, on_delete=models.CASCADE, related_name="entries")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.NOT_YET)
    evidence_url = models.URLField(_("evidence (link)"), blank=True, max_length=URL_LENGTH)
    evidence = models.TextField(_("evidence"), blank=True, max_length=lengths.NOTE)

    class Meta:
        ordering = ["principle__order", "pk"]
        constraints = [models.UniqueConstraint(fields=["checklist", "principle"], name="opendata_entry_once")]

    def __str__(self) -> str:
        return f"{self.checklist} · {self.principle}"
