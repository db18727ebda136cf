"""Awards: nominations, votes and the reveal of each result."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from icc.cities.models import City
from icc.core import lengths
from icc.programmes.models import Programme


class Award(models.TextChoices):
    STRATEGY = "strategy", _("Most innovative strategy")
    MENTOR = "mentor", _("Best mentor")
    COMMUNITY = "community", _("Best community member")


class Nomination(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="nominations")
    award = models.CharField(_("award"), max_length=10, choices=Award.choices)
    city = models.ForeignKey(City, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(_("why"), max_length=lengths.NOTE)
    nominated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(city__isnull=False, person__isnull=True) | Q(city__isnull=True, person__isnull=False)),
                name="nominee_is_a_city_or_a_person",
            ),
            models.UniqueConstraint(fields=["programme", "award", "city"], name="city_nominated_once"),
            models.UniqueConstraint(fields=["programme", "award", "person"], name="person_nominated_once"),
        ]

    def __str__(self) -> str:
        return str(self.city or self.person)


class Vote(models.Model):
    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="votes")
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    award = models.CharField(max_length=10, choices=Award.choices)
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["programme", "award", "voter"], name="one_vote_per_award")]

    def __str__(self) -> str:
        return f"{self.voter} → {self.nomination}"


class Reveal(models.Model):
    """The programme team revealed an award's result; before that only the team sees counts."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    award = models.CharField(max_length=10, choices=Award.choices)
    revealed_at = models.DateTimeField(auto_now_add=True)
    revealed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["programme", "award"], name="one_reveal_per_award")]

    def __str__(self) -> str:
        return f"{self.programme} {self.award}"
