"""The early warning's scores, one a city a day, and the reports made of a city's data, each a snapshot."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from icc.cities.models import City
from icc.core import validators


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


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to be made")
    MAKING = "making", _("Being made")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Could not be made")


IN_PROGRESS = (ReportStatus.QUEUED, ReportStatus.MAKING)


def report_path(instance: Report, filename: str) -> str:
    return f"reports/{instance.city_id}/{uuid.uuid4().hex}/{filename}"


class Report(models.Model):
    """One made report of a city: a snapshot of the data it shows, read at one moment and
    kept with its date, and the PDF and Word files made from that snapshot alone."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="reports")
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
                condition=Q(status__in=["queued", "making"]),
                name="one_report_in_the_making",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.city} ({self.language})"

    @property
    def in_progress(self) -> bool:
        return self.status in IN_PROGRESS
