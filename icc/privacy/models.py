"""Requests to erase a person's data, and what the programme team decided about them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from icc.core import lengths, validators


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the programme team")
    ERASED = "erased", _("Erased")
    DECLINED = "declined", _("Declined")


class ErasureRequest(models.Model):
    """One person's request to be erased; the programme team confirms or declines it."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.TextField(_("reason"), max_length=lengths.NOTE)
    requested_at = models.DateTimeField(default=timezone.now, validators=[validators.validate_day])
    status = models.CharField(_("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING)
    decided_at = models.DateTimeField(null=True, blank=True, validators=[validators.validate_day])
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decision_note = models.TextField(_("note on the decision"), blank=True, max_length=lengths.NOTE)

    class Meta:
        ordering = ["requested_at", "pk"]
        verbose_name = _("erasure request")
        verbose_name_plural = _("erasure requests")
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(status="pending"), name="privacy_one_pending_request_per_person"
            )
        ]

    def __str__(self) -> str:
        # Never the person's name: the audit trail prints this, and it outlives the erasure.
        return str(_("Erasure request %(pk)s") % {"pk": self.pk})

    @property
    def is_pending(self) -> bool:
        return self.status == RequestStatus.PENDING
