"""Cross-city labs: the projects cities bring, their picks, brain dates and procurement use cases."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from icc.cities.models import City
from icc.core import lengths, validators
from icc.core.versioning import Versioned
from icc.programmes.models import Programme, Theme


class Lab(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="labs")
    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("date"), validators=[validators.validate_day])
    picks_close_on = models.DateField(_("picks close on"), validators=[validators.validate_day])
    min_group = models.PositiveSmallIntegerField(
        _("smallest brain date"), default=2, validators=[validators.BRAIN_DATE_SIZE]
    )
    max_group = models.PositiveSmallIntegerField(
        _("largest brain date"), default=5, validators=[validators.BRAIN_DATE_SIZE]
    )
    matching = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["held_on"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("tags:lab", kwargs={"pk": self.pk})


class Project(models.Model):
    """A project a city brings to a lab, or its slowest-moving one with its barriers."""

    lab = models.ForeignKey(Lab, on_delete=models.CASCADE, related_name="projects")
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="lab_projects")
    title = models.CharField(_("project"), max_length=200)
    description = models.TextField(_("description"), max_length=lengths.TEXT)
    theme = models.ForeignKey(Theme, verbose_name=_("theme"), on_delete=models.PROTECT, related_name="+")
    topic = models.CharField(_("topic"), max_length=80)
    slowest = models.BooleanField(_("our slowest-moving project"), default=False)
    barriers = models.TextField(_("barriers"), blank=True, max_length=lengths.TEXT)
    questions = models.TextField(_("questions for peers"), blank=True, max_length=lengths.TEXT)

    class Meta:
        ordering = ["city__name", "title"]
        constraints = [models.UniqueConstraint(fields=["lab", "city", "title"], name="project_title_unique")]

    def __str__(self) -> str:
        return f"{self.city.name}: {self.title}"


class Pick(models.Model):
    """One of a city's top five peer projects at a lab."""

    lab = models.ForeignKey(Lab, on_delete=models.CASCADE, related_name="picks")
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="lab_picks")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="picks")
    rank = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["city", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["lab", "city", "rank"], name="one_pick_per_rank"),
            models.UniqueConstraint(fields=["lab", "city", "project"], name="project_picked_once"),
            models.CheckConstraint(condition=Q(rank__gte=1, rank__lte=5), name="pick_rank_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.city} #{self.rank}: {self.project}"


class BrainDate(Versioned):
    lab = models.ForeignKey(Lab, on_delete=models.CASCADE, related_name="brain_dates")
    number = models.PositiveSmallIntegerField()
    cities = models.ManyToManyField(City, related_name="brain_dates")
    explanation = models.TextField(blank=True, max_length=lengths.NOTE)
    takeaway_1 = models.TextField(_("first takeaway"), blank=True, max_length=lengths.NOTE)
    takeaway_2 = models.TextField(_("second takeaway"), blank=True, max_length=lengths.NOTE)
    takeaway_3 = models.TextField(_("third takeaway"), blank=True, max_length=lengths.NOTE)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["lab", "number"], name="brain_date_number_unique")]

    def __str__(self) -> str:
        return str(_("Brain date %(number)s") % {"number": self.number})

    def get_absolute_url(self) -> str:
        return reverse("tags:brain_date", kwargs={"pk": self.pk})


class UseCase(models.Model):
    """A use case a city brings for joint procurement; cities are grouped by category."""

    lab = models.ForeignKey(Lab, on_delete=models.CASCADE, related_name="use_cases")
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="use_cases")
    category = models.CharField(_("what the city wants to buy"), max_length=80)
    description = models.TextField(_("use case"), max_length=lengths.TEXT)

    class Meta:
        ordering = ["category", "city__name"]
        constraints = [models.UniqueConstraint(fields=["lab", "city", "category"], name="use_case_unique")]

    def __str__(self) -> str:
        return f"{self.city}: {self.category}"
