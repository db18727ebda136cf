"""Cities of an edition, their local ecosystems, and who does what in the programme."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pycountry
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from icc.core import validators
from icc.core.validators import validate_time_zone
from icc.core.versioning import Versioned
from icc.programmes.models import Phase, Programme, Theme, TransversalService

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from icc.accounts.models import Person


def validate_country_code(value: str) -> None:
    if pycountry.countries.get(alpha_2=value) is None:
        raise ValidationError(_("“%(value)s” is not an ISO 3166 country code."), params={"value": value})


def country_name(code: str) -> str:
    country = pycountry.countries.get(alpha_2=code)
    return getattr(country, "common_name", None) or (country.name if country else code)


class Network(models.Model):
    """A city network or partnership (Eurocities, Covenant of Mayors…)."""

    name = models.CharField(_("name"), max_length=160, unique=True)
    slug = models.SlugField(_("key"), unique=True)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CityType(models.TextChoices):
    EU_CORE = "eu-core", _("EU core city")
    INTERNATIONAL_CORE = "intl-core", _("International core city")
    EU_MENTOR = "eu-mentor", _("EU mentor city")
    INTERNATIONAL_MENTOR = "intl-mentor", _("International mentor city")


MENTOR_TYPES = frozenset({CityType.EU_MENTOR, CityType.INTERNATIONAL_MENTOR})
CORE_TYPES = frozenset({CityType.EU_CORE, CityType.INTERNATIONAL_CORE})


class PhaseStatus(models.TextChoices):
    NOT_STARTED = "not-started", _("Not started")
    BEHIND = "behind", _("Behind schedule")
    ON_SCHEDULE = "on-schedule", _("On schedule")


class CityQuerySet(models.QuerySet["City"]):
    def visible_to(self, person: Person | AnonymousUser) -> CityQuerySet:
        """Cities whose pages ``person`` may open."""
        from icc.cities.access import visible_cities_filter

        return self.filter(visible_cities_filter(person))

    def for_listing(self) -> CityQuerySet:
        """What a list of cities shows, in a fixed number of queries however many cities there are."""
        lead_experts = Role.objects.filter(kind=RoleKind.LEAD_EXPERT).select_related("person")
        return self.select_related("track", "current_phase").prefetch_related(
            "networks", models.Prefetch("roles", queryset=lead_experts, to_attr="lead_expert_roles")
        )

    def with_phase_status(self, status: str, *, today: dt.date, expected: Phase | None) -> CityQuerySet:
        """Cities whose :meth:`City.phase_status` is ``status``, decided in the database."""
        late_pre_phase = Q(current_phase__former_dcc_only=True, current_phase__ends_on__lt=today)
        behind = late_pre_phase
        if expected is not None:
            behind |= Q(current_phase__former_dcc_only=False, current_phase__order__lt=expected.order)
        if status == PhaseStatus.NOT_STARTED:
            return self.filter(current_phase__isnull=True)
        if status == PhaseStatus.BEHIND:
            return self.filter(behind)
        return self.filter(current_phase__isnull=False).exclude(behind)


class City(Versioned):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="cities")
    name = models.CharField(_("name"), max_length=160)
    country = models.CharField(_("country"), max_length=2, validators=[validate_country_code])
    population = models.PositiveIntegerField(_("population"), null=True, blank=True, validators=[validators.POPULATION])
    area_km2 = models.DecimalField(
        _("area (km²)"), max_digits=9, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    time_zone = models.CharField(_("time zone"), max_length=64, validators=[validate_time_zone])
    type = models.CharField(_("type"), max_length=12, choices=CityType.choices, default=CityType.EU_CORE)
    former_dcc = models.BooleanField(
        _("former DCC city"), default=False, help_text=_("Took part in the earlier Digital Cities Challenge.")
    )
    track = models.ForeignKey(
        Theme,
        verbose_name=_("thematic track"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cities",
    )
    secondary_themes = models.ManyToManyField(
        Theme, verbose_name=_("secondary themes"), blank=True, related_name="secondary_cities"
    )
    networks = models.ManyToManyField(Network, verbose_name=_("networks"), blank=True, related_name="cities")
    current_phase = models.ForeignKey(
        Phase,
        verbose_name=_("current phase"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The phase this city is working in; it may lag behind the programme calendar."),
    )
    named_in_comparisons = models.BooleanField(
        _("may be named in peer comparisons"),
        default=False,
        help_text=_("Other cities see this city's name beside its figures only if this is ticked."),
    )
    source = models.CharField(
        _("source of the profile data"), max_length=200, blank=True, help_text=_("Where the figures come from.")
    )

    objects = CityQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = _("cities")
        constraints = [
            models.UniqueConstraint(fields=["programme", "name", "country"], name="city_unique_in_programme"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("cities:detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        track, phase = self.track, self.current_phase
        if track is not None and self.programme_id and track.programme_id != self.programme_id:
            raise ValidationError({"track": _("This track belongs to another programme.")})
        if phase is not None and self.programme_id and phase.programme_id != self.programme_id:
            raise ValidationError({"current_phase": _("This phase belongs to another programme.")})
        if phase is not None and phase.former_dcc_only and not self.former_dcc:
            raise ValidationError({"current_phase": _("Only former DCC cities go through this phase.")})
        if self.former_dcc and self.type not in CORE_TYPES:
            raise ValidationError({"former_dcc": _("Only core cities can be former DCC cities.")})

    @property
    def is_mentor(self) -> bool:
        return self.type in MENTOR_TYPES

    @property
    def country_name(self) -> str:
        return country_name(self.country)

    def phase_status(self, today: dt.date, expected: Phase | None) -> PhaseStatus:
        """Compare the phase the city is in with ``expected``, the one the calendar has on ``today``."""
        phase = self.current_phase
        if phase is None:
            return PhaseStatus.NOT_STARTED
        if phase.former_dcc_only:
            return PhaseStatus.BEHIND if today > phase.ends_on else PhaseStatus.ON_SCHEDULE
        if expected is not None and phase.order < expected.order:
            return PhaseStatus.BEHIND
        return PhaseStatus.ON_SCHEDULE


class Sector(models.TextChoices):
    INNOVATION_HUB = "innovation-hub", _("Innovation hub, incubator or accelerator")
    KNOWLEDGE = "knowledge", _("Knowledge institution")
    CITY_TECHNOLOGY = "city-technology", _("City technology office or data team")
    UTILITY = "utility", _("Utility (energy, water, telecoms, post)")
    TRANSPORT = "transport", _("Transport operator")
    LARGE_COMPANY = "large-company", _("Large company")
    SME = "sme", _("Small or medium-sized enterprise")
    CIVIC = "civic", _("Civic or community organisation")
    PUBLIC = "public", _("Public authority or agency")
    OTHER = "other", _("Other")


class Organisation(Versioned):
    """A member of a city's local ecosystem."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="organisations")
    name = models.CharField(_("name"), max_length=200)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["city", "name"], name="organisation_unique_in_city")]

    def __str__(self) -> str:
        return self.name


class RoleKind(models.TextChoices):
    PROGRAMME_TEAM = "programme-team", _("Programme team")
    LEAD_EXPERT = "lead-expert", _("Lead expert")
    THEMATIC_EXPERT = "thematic-expert", _("Thematic expert")
    TRANSVERSAL_EXPERT = "transversal-expert", _("Transversal expert")
    CITY_REP = "city-rep", _("City representative")
    MAYOR = "mayor", _("Mayor")
    MENTOR_REP = "mentor-rep", _("Mentor city representative")
    STAKEHOLDER = "stakeholder", _("Ecosystem stakeholder")


CITY_ROLES = frozenset(
    {RoleKind.LEAD_EXPERT, RoleKind.CITY_REP, RoleKind.MAYOR, RoleKind.MENTOR_REP, RoleKind.STAKEHOLDER}
)
MAX_CITY_REPS = 3


class Role(models.Model):
    """One hat a person wears in one programme, scoped to a city, theme or service where it applies."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="roles")
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="roles")
    kind = models.CharField(_("role"), max_length=20, choices=RoleKind.choices)
    city = models.ForeignKey(City, on_delete=models.CASCADE, null=True, blank=True, related_name="roles")
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, null=True, blank=True, related_name="roles")
    service = models.ForeignKey(
        TransversalService, on_delete=models.CASCADE, null=True, blank=True, related_name="roles"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="roles"
    )

    class Meta:
        ordering = ["kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "programme"], condition=Q(kind="programme-team"), name="one_team_role_per_person"
            ),
            models.UniqueConstraint(
                fields=["person", "kind", "city"], condition=Q(city__isnull=False), name="city_role_unique"
            ),
            models.UniqueConstraint(
                fields=["person", "theme"], condition=Q(theme__isnull=False), name="theme_role_unique"
            ),
            models.UniqueConstraint(
                fields=["person", "service"], condition=Q(service__isnull=False), name="service_role_unique"
            ),
            models.UniqueConstraint(fields=["city"], condition=Q(kind="lead-expert"), name="one_lead_expert_per_city"),
            models.CheckConstraint(
                condition=(
                    Q(
                        kind__in=sorted(k.value for k in CITY_ROLES),
                        city__isnull=False,
                        theme__isnull=True,
                        service__isnull=True,
                    )
                    | Q(kind="thematic-expert", city__isnull=True, theme__isnull=False, service__isnull=True)
                    | Q(kind="transversal-expert", city__isnull=True, theme__isnull=True, service__isnull=False)
                    | Q(kind="programme-team", city__isnull=True, theme__isnull=True, service__isnull=True)
                ),
                name="role_scope_matches_kind",
            ),
        ]

    def __str__(self) -> str:
        scope = self.city or self.theme or self.service
        label = self.get_kind_display()
        return f"{label} · {scope}" if scope else str(label)
