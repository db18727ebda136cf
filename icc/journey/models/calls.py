"""What an ecosystem call records besides its minutes: the agenda, the agreements made, and
the review of earlier agreements at the next call."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from icc.cities.models import City, Organisation
from icc.core import validators
from icc.journey.models.schedule import Event, FollowUp

MAX_AGENDA_ITEMS = 30
MAX_ITEM_MINUTES = 240


class AgendaItem(models.Model):
    """One item of a call's agenda, in the order the call takes them."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveSmallIntegerField(_("position"))
    title = models.CharField(_("item"), max_length=200)
    duration_minutes = models.PositiveSmallIntegerField(
        _("minutes"), null=True, blank=True, validators=[MaxValueValidator(MAX_ITEM_MINUTES)]
    )

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


class AgreementStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")


class Agreement(models.Model):
    """Something agreed during a call; it may become a roadmap action or a follow-up of the city."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="agreements")
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="agreements")
    text = models.CharField(_("what was agreed"), max_length=300)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("stakeholder who agreed"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=8, choices=AgreementStatus.choices, default=AgreementStatus.OPEN)
    action = models.ForeignKey(
        "roadmaps.Action",
        verbose_name=_("roadmap action"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agreements",
    )
    follow_up = models.OneToOneField(
        FollowUp,
        verbose_name=_("follow-up"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agreement",
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now, validators=[validators.validate_day])
    done_at = models.DateTimeField(null=True, blank=True, validators=[validators.validate_day])

    class Meta:
        ordering = ["recorded_at", "pk"]
        indexes = [models.Index(fields=["city", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__isnull=True) | Q(follow_up__isnull=True), name="agreement_becomes_one_thing"
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def is_open(self) -> bool:
        return self.status == AgreementStatus.OPEN

    @property
    def became(self) -> models.Model | None:
        return self.action or self.follow_up


class ReviewOutcome(models.TextChoices):
    DONE = "done", _("Done")
    CARRIED = "carried", _("Carried over")


class AgreementReview(models.Model):
    """What a later call made of an earlier agreement: done, or carried over to the next call."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="reviews")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="agreement_reviews")
    outcome = models.CharField(_("outcome"), max_length=8, choices=ReviewOutcome.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now, validators=[validators.validate_day])

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "event"], name="agreement_reviewed_once_per_call"),
        ]

    def __str__(self) -> str:
        return f"{self.agreement}: {self.get_outcome_display()}"
