"""What a city shows the public, and the counters that keep floods of answers out.

Nothing of a city is public until its team publishes it: a :class:`Publication` names
the address (programme and city slugs), the languages the city writes in, and which KPIs
and roadmap actions it shows. Consultations and calls for ideas have their own
publication state in their apps.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from icc.cities.models import City
from icc.core import validators
from icc.programmes.models import Programme
from icc.public.languages import CONTENT_LANGUAGE_CHOICES


class Publication(models.Model):
    city = models.OneToOneField(City, on_delete=models.CASCADE, related_name="publication")
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="publications")
    slug = models.SlugField(_("address of the public page"), max_length=80)
    published = models.BooleanField(_("published"), default=False)
    default_language = models.CharField(
        _("default language"), max_length=5, choices=CONTENT_LANGUAGE_CHOICES, default="en"
    )
    languages = models.JSONField(_("languages the city writes in"), default=list, blank=True)
    # The strategy, actions and KPIs are written on the programme's own pages, often in
    # English: the language they are in, so that the public page marks them truly.
    roadmap_language = models.CharField(
        _("language of the strategy, actions and KPIs"),
        max_length=5,
        choices=CONTENT_LANGUAGE_CHOICES,
        blank=True,
    )
    introduction = models.JSONField(_("introduction"), default=dict, blank=True)
    next_update_on = models.DateField(
        _("next update of the dashboard"), null=True, blank=True, validators=[validators.validate_day]
    )
    kpis = models.ManyToManyField("roadmaps.KPI", verbose_name=_("KPIs shown"), blank=True, related_name="publications")
    actions = models.ManyToManyField(
        "roadmaps.Action", verbose_name=_("actions shown"), blank=True, related_name="publications"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["programme", "slug"], name="publication_slug_unique_in_programme"),
        ]

    def __str__(self) -> str:
        return f"{self.city} ({self.slug})"

    @property
    def written_languages(self) -> list[str]:
        """The default language first, then the others the city writes in."""
        return [self.default_language, *(code for code in self.languages if code != self.default_language)]

    @property
    def plan_language(self) -> str:
        """The language of the strategy, actions and KPIs (the default language unless set)."""
        return self.roadmap_language or self.default_language


class AddressWindow(models.Model):
    """How many submissions one address made to one thing in one time window.

    The key is a keyed hash of the scope, the address and the window: the address itself
    is never stored, and old windows are deleted by the worker.
    """

    key = models.CharField(max_length=64, primary_key=True)
    count = models.PositiveIntegerField(default=0)
    window_ends = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.key[:8]}…: {self.count}"
