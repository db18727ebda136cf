"""The early warning's scores, one a city a day, kept so that the trend since last month shows."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
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
