"""Transversal expert visits: a city books them against its credit, and each is an event of its journey."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from icc.cities.models import City
from icc.core import lengths, validators
from icc.journey.models.schedule import Event
from icc.programmes.models import TransversalService

# The seeds' "credit of two, for use as needed"; an edition sets its own as the count of
# its transversal expert visit event type.
DEFAULT_VISIT_CREDIT = 2


class VisitStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class ExpertVisit(models.Model):
    """One booked visit. While it is not cancelled it holds one of the city's credits (``slot``),
    and no two visits of a city hold the same one: the database refuses a double booking."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="expert_visits")
    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="expert_visit")
    slot = models.PositiveSmallIntegerField(_("credit used"))
    service = models.ForeignKey(
        TransversalService, verbose_name=_("service"), on_delete=models.PROTECT, related_name="visits"
    )
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("expert"), on_delete=models.PROTECT, related_name="expert_visits"
    )
    purpose = models.TextField(_("purpose"), max_length=lengths.NOTE)
    status = models.CharField(_("status"), max_length=10, choices=VisitStatus.choices, default=VisitStatus.BOOKED)
    report = models.TextField(_("report"), blank=True, max_length=lengths.LONG_TEXT)
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    booked_at = models.DateTimeField(default=timezone.now, validators=[validators.validate_day])
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reported_at = models.DateTimeField(null=True, blank=True, validators=[validators.validate_day])
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True, validators=[validators.validate_day])

    class Meta:
        ordering = ["-booked_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["city", "slot"], condition=~Q(status="cancelled"), name="expert_visit_credit_used_once"
            ),
            models.CheckConstraint(condition=Q(slot__gte=1), name="expert_visit_slot_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.service}: {self.city}"

    def get_absolute_url(self) -> str:
        return self.event.get_absolute_url()

    @property
    def counts(self) -> bool:
        """Whether it uses one of the city's credits."""
        return self.status != VisitStatus.CANCELLED
