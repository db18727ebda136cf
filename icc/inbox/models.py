"""The inbox: one notice per person and thing that concerns them, and how often they get a digest.

A notice stores only what it points at (its kind and the target's id) and who caused it;
the words it shows are read from the target when the person reads it, through the
owning app's access rules (:mod:`icc.inbox.targets`), so it never shows more than the
person may open at that moment, nor an old title.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from icc.core import validators
from icc.programmes.models import Programme

KEY_LENGTH = 120


class Kind(models.TextChoices):
    MENTION = "mention", _("Mention")
    REPLY = "reply", _("Reply")
    DIRECT = "direct", _("Direct message")
    REVIEWED = "reviewed", _("Deliverable reviewed")
    SIGN_OFF = "sign-off", _("Sign-off needed")
    KPI_DUE = "kpi-due", _("KPI update due")
    KPI_LATE = "kpi-late", _("KPI update late")
    SESSION_TOMORROW = "session-tomorrow", _("TAG session tomorrow")
    FOLLOW_UP_OVERDUE = "follow-up-overdue", _("Follow-up overdue")
    LIBRARY_ITEM = "library-item", _("New in the toolbox")
    ACTION_OVERDUE = "action-overdue", _("Action past its end")
    FUNDING_CALLS = "funding-calls", _("New funding calls")
    RISK_FLAGGED = "risk-flagged", _("City at risk of falling behind")


class Frequency(models.TextChoices):
    NEVER = "never", _("Never")
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")


class Notification(models.Model):
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # The id of what the notice is about; which model it is follows from the kind.
    target_id = models.PositiveBigIntegerField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # What the notice says besides its target: the cycle of a sign-off, the day an update is due.
    params = models.JSONField(default=dict, blank=True)
    # Set by producers that may run twice (the daily scan, a post edited): one notice per person and key.
    key = models.CharField(max_length=KEY_LENGTH, blank=True)
    created_at = models.DateTimeField(default=timezone.now, validators=[validators.validate_day])
    read_at = models.DateTimeField(null=True, blank=True, validators=[validators.validate_day])

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["person", "-created_at", "-id"], name="inbox_person_recent"),
            models.Index(
                fields=["person", "-created_at", "-id"], condition=Q(read_at=None), name="inbox_person_unread"
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["person", "key"], condition=~Q(key=""), name="inbox_notification_key"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.target_id} → {self.person_id}"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class Subscription(models.Model):
    """How often a person gets the e-mail digest, and which period's digest they last got.

    A person without a row gets the default (weekly); the row is made when they choose,
    or when the first digest is due.
    """

    person = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    frequency = models.CharField(_("e-mail digest"), max_length=8, choices=Frequency.choices, default=Frequency.WEEKLY)
    # The period of the last digest ("2026-02-03" for a day, "2026-W06" for a week): one per period.
    last_period = models.CharField(max_length=10, blank=True)
    last_sent_at = models.DateTimeField(null=True, blank=True, validators=[validators.validate_day])
    # The run that claimed this period's digest, so that two runs at once never both send it.
    claim = models.UUIDField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["frequency", "last_period"], name="inbox_subscription_due")]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.frequency}"
