"""The early warning's scores, one a city a day, and the reports made of a city's data, each a snapshot."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from icc.cities.models import City
from icc.core import validators
from icc.programmes.models import Programme


class RiskScore(models.Model):
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="risk_scores")
    on = models.DateField(_("day"), validators=[validators.validate_day])
    score = models.FloatField(_("risk of falling behind"))
    # The signals as counted that day (``icc.reports.risk.Signals``'s fields).
    signals = models.JSONField(default=dict)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-on"]
        constraints = [
            models.UniqueConstraint(fields=["city", "on"], name="one_risk_score_a_day"),
            models.CheckConstraint(condition=Q(score__gte=0, score__lte=1), name="risk_score_is_a_probability"),
        ]
        indexes = [models.Index(fields=["city", "-on"], name="risk_latest")]

    def __str__(self) -> str:
        return f"{self.city}: {self.score:.2f} ({self.on})"


class ReportKind(models.TextChoices):
    ASSESSMENT = "assessment-strategy", _("Assessment and strategy report")
    ROADMAP = "roadmap-kpis", _("Roadmap and KPI targets")
    FINAL = "final", _("Final report")
    PROGRAMME = "programme", _("Programme report")


# The reports of one city; the programme report covers the whole cohort.
CITY_KINDS = (ReportKind.ASSESSMENT, ReportKind.ROADMAP, ReportKind.FINAL)
PROGRAMME_KINDS = (ReportKind.PROGRAMME,)


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to be made")
    MAKING = "making", _("Being made")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Could not be made")


IN_PROGRESS = (ReportStatus.QUEUED, ReportStatus.MAKING)


def report_path(instance: Report, filename: str) -> str:
    return f"reports/{instance.programme_id}/{instance.city_id or 'cohort'}/{uuid.uuid4().hex}/{filename}"


class Report(models.Model):
    """One made report of a city, or of a whole edition's cohort (no city): a snapshot of
    the data it shows, read at one moment and kept with its date, and the PDF and Word
    files made from that snapshot alone."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="reports")
    city = models.ForeignKey(City, on_delete=models.CASCADE, null=True, blank=True, related_name="reports")
    kind = models.CharField(_("report"), max_length=24, choices=ReportKind.choices)
    language = models.CharField(_("language"), max_length=8)
    status = models.CharField(max_length=8, choices=ReportStatus.choices, default=ReportStatus.QUEUED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now, validators=[validators.validate_day])
    data_as_of = models.DateTimeField(null=True, blank=True, validators=[validators.validate_day])
    made_at = models.DateTimeField(null=True, blank=True, validators=[validators.validate_day])
    snapshot = models.JSONField(default=dict, blank=True)
    pdf = models.FileField(upload_to=report_path, blank=True)
    docx = models.FileField(upload_to=report_path, blank=True)
    error = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            # A second request while one is waiting or being made gets that one, not a new job.
            models.UniqueConstraint(
                fields=["city", "kind", "language"],
                condition=Q(status__in=["queued", "making"], city__isnull=False),
                name="one_report_in_the_making",
            ),
            models.UniqueConstraint(
                fields=["programme", "kind", "language"],
                condition=Q(status__in=["queued", "making"], city__isnull=True),
                name="one_programme_report_in_the_making",
            ),
            models.CheckConstraint(
                condition=Q(city__isnull=True, kind__in=PROGRAMME_KINDS) | Q(city__isnull=False, kind__in=CITY_KINDS),
                name="report_kind_fits_its_subject",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.city or self.programme} ({self.language})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.programme_id is None and self.city_id is not None:  # a city's report is of its edition
            self.programme_id = City.objects.values_list("programme_id", flat=True).get(pk=self.city_id)
        super().save(*args, **kwargs)

    @property
    def subject_name(self) -> str:
        """The city's name, or the edition's for the programme report."""
        return self.city.name if self.city else self.programme.name

    @property
    def in_progress(self) -> bool:
        return self.status in IN_PROGRESS
