"""A programme edition and the structure it runs on: phases, cycles, themes, services.

All of it is data: another programme of the same shape sets up its own phases and
themes without a code change.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from icc.core import lengths, validators


class Programme(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), unique=True)
    description = models.TextField(_("description"), blank=True, max_length=lengths.TEXT)
    starts_on = models.DateField(_("starts on"), validators=[validators.validate_day])
    ends_on = models.DateField(_("ends on"), validators=[validators.validate_day])

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("programme edition")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gt=models.F("starts_on")), name="programme_ends_after_start"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("programmes:overview", kwargs={"slug": self.slug})

    def phase_on(self, day: dt.date) -> Phase | None:
        """The main-line phase running on ``day`` (phases only for former DCC cities aside)."""
        for phase in self.phases.all():
            if not phase.former_dcc_only and phase.starts_on <= day <= phase.ends_on:
                return phase
        return None


class Phase(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="phases")
    key = models.SlugField(_("key"))
    name = models.CharField(_("name"), max_length=120)
    order = models.PositiveSmallIntegerField(_("order"))
    starts_on = models.DateField(_("starts on"), validators=[validators.validate_day])
    ends_on = models.DateField(_("ends on"), validators=[validators.validate_day])
    former_dcc_only = models.BooleanField(
        _("only for former DCC cities"),
        default=False,
        help_text=_("A pre-phase that only cities from an earlier edition go through."),
    )
    description = models.TextField(_("description"), blank=True, max_length=lengths.TEXT)

    class Meta:
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "key"], name="phase_key_unique_in_programme"),
            models.UniqueConstraint(fields=["programme", "order"], name="phase_order_unique_in_programme"),
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="phase_ends_after_start"),
        ]

    def __str__(self) -> str:
        return self.name


class Cycle(models.Model):
    """An implementation cycle (Design – Act – Review)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="cycles")
    number = models.PositiveSmallIntegerField(_("number"))
    starts_on = models.DateField(_("starts on"), validators=[validators.validate_day])
    ends_on = models.DateField(_("ends on"), validators=[validators.validate_day])

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="cycle_number_unique_in_programme"),
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="cycle_ends_after_start"),
        ]

    def __str__(self) -> str:
        return str(_("Cycle %(number)s") % {"number": self.number})


class ProgrammeOffer(models.Model):
    """What an edition offers cities, identified by a key unique in the edition."""

    slug = models.SlugField(_("key"))
    name = models.CharField(_("name"), max_length=160)
    description = models.TextField(_("description"), blank=True, max_length=lengths.TEXT)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        abstract = True
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Theme(ProgrammeOffer):
    """A thematic track a city chooses (mentors may also take secondary themes)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="themes")

    class Meta(ProgrammeOffer.Meta):
        constraints = [
            models.UniqueConstraint(fields=["programme", "slug"], name="theme_slug_unique_in_programme"),
        ]


class TransversalService(ProgrammeOffer):
    """Cross-theme support any city may draw on (finance, procurement, open data…)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="services")

    class Meta(ProgrammeOffer.Meta):
        constraints = [
            models.UniqueConstraint(fields=["programme", "slug"], name="service_slug_unique_in_programme"),
        ]
