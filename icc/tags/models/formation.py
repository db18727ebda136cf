"""TAG formation: what cities ask for, the programme team's rules, the optimiser's runs and the TAGs they form."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from icc.cities.models import City
from icc.core import lengths, validators
from icc.programmes.models import Programme, Theme


class MentorPreference(models.Model):
    """A mentor a core city asked for in its expression of interest, ranked."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="mentor_preferences")
    mentor = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField(_("rank"))

    class Meta:
        ordering = ["city", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["city", "rank"], name="one_mentor_per_rank"),
            models.UniqueConstraint(fields=["city", "mentor"], name="mentor_ranked_once"),
            models.CheckConstraint(condition=Q(rank__gte=1, rank__lte=3), name="mentor_rank_1_to_3"),
            models.CheckConstraint(condition=~Q(city=F("mentor")), name="no_self_preference"),
        ]

    def __str__(self) -> str:
        return f"{self.city} → {self.mentor} ({self.rank})"


class MentorCapacity(models.Model):
    """How many TAGs a mentor city can lead in the edition (one when not set)."""

    city = models.OneToOneField(City, on_delete=models.CASCADE, related_name="tag_capacity")
    tags = models.PositiveSmallIntegerField(_("TAGs it can lead"), default=1, validators=[validators.MENTOR_CAPACITY])

    def __str__(self) -> str:
        return f"{self.city}: {self.tags}"


class RuleKind(models.TextChoices):
    PIN = "pin", _("Must be together")
    FORBID = "forbid", _("Must not be together")


class PairingRule(models.Model):
    """The programme team's decision about one core city and one mentor, kept for every run."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="pairing_rules")
    mentor = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("rule"), max_length=6, choices=RuleKind.choices)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["city", "mentor"], name="one_rule_per_pair")]

    def __str__(self) -> str:
        return f"{self.city} {self.kind} {self.mentor}"


class FormationRun(models.Model):
    """One run of the optimiser: its settings, what it proposed and whether it was adopted."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="tag_runs")
    min_size = models.PositiveSmallIntegerField(_("fewest core cities per TAG"), default=5)
    max_size = models.PositiveSmallIntegerField(_("most core cities per TAG"), default=7)
    status = models.CharField(max_length=12)
    result = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    adopted_at = models.DateTimeField(null=True, blank=True, validators=[validators.validate_day])

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.programme} run {self.pk} ({self.status})"


class Tag(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="tags")
    number = models.PositiveSmallIntegerField()
    mentor = models.ForeignKey(City, on_delete=models.PROTECT, related_name="led_tags")
    theme = models.ForeignKey(Theme, on_delete=models.SET_NULL, null=True, blank=True, related_name="tags")
    run = models.ForeignKey(FormationRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="tags")

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["programme", "number"], name="tag_number_unique")]

    def __str__(self) -> str:
        theme = self.theme.name if self.theme else ""
        return str(
            _("TAG %(number)s · %(theme)s · %(mentor)s")
            % {"number": self.number, "theme": theme, "mentor": self.mentor}
        )

    def get_absolute_url(self) -> str:
        return reverse("tags:tag", kwargs={"pk": self.pk})


class Membership(models.Model):
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="memberships")
    city = models.OneToOneField(City, on_delete=models.CASCADE, related_name="tag_membership")
    explanation = models.TextField(_("why this TAG"), blank=True, max_length=lengths.NOTE)

    class Meta:
        ordering = ["city__name"]

    def __str__(self) -> str:
        return f"{self.city} in {self.tag}"
