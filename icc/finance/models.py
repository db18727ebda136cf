"""Access to finance: the edition's funding catalogue, the cities' applications, the
matches computed between the two, and the searches people save with their alerts.

Eligibility lists (city types, countries) are kept as space-separated codes so that both
SQLite and PostgreSQL filter them with the same ``contains`` lookup: every code is a
whole token (two-letter country codes; city types that are not part of one another), and
an empty list means "open to all".
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from icc.cities.models import City
from icc.core import lengths, validators
from icc.core.validators import NumberRange
from icc.core.versioning import Versioned
from icc.programmes.models import Programme, Theme
from icc.roadmaps.models import Action

CO_FUNDING = NumberRange(Decimal(0), Decimal(100), 0, False)
TOKEN_LENGTH = 600  # up to 200 country codes


def tokens(value: str) -> list[str]:
    return [part for part in value.split() if part]


class Call(Versioned):
    """One call for proposals a city may reach, in one edition's catalogue."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="funding_calls")
    identifier = models.CharField(
        _("call identifier"), max_length=80, help_text=_("The funder's reference, unique in the catalogue.")
    )
    funding_programme = models.CharField(
        _("funding programme"), max_length=120, help_text=_("Horizon Europe, Digital Europe, LIFE, Interreg…")
    )
    title = models.CharField(_("call"), max_length=200)
    topic = models.CharField(_("topic"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True, max_length=lengths.TEXT)
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), blank=True, related_name="funding_calls")
    opens_on = models.DateField(_("opens on"), validators=[validators.validate_day])
    deadline = models.DateField(_("deadline"), validators=[validators.validate_day])
    city_types = models.CharField(_("eligible city types"), max_length=TOKEN_LENGTH, blank=True)
    countries = models.CharField(_("eligible countries"), max_length=TOKEN_LENGTH, blank=True)
    co_funding_rate = models.PositiveSmallIntegerField(_("co-funding rate (%)"), validators=[CO_FUNDING])
    min_amount = models.DecimalField(
        _("smallest grant (€)"), max_digits=14, decimal_places=2, null=True, blank=True, validators=[validators.MONEY]
    )
    max_amount = models.DecimalField(
        _("largest grant (€)"), max_digits=14, decimal_places=2, null=True, blank=True, validators=[validators.MONEY]
    )
    url = models.URLField(_("link"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["deadline", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "identifier"],
                name="funding_call_identifier_unique",
                violation_error_message=_("Another call of the catalogue has this identifier."),
            ),
            models.CheckConstraint(
                condition=Q(deadline__gte=F("opens_on")),
                name="funding_call_deadline_after_opening",
                violation_error_message=_("The deadline is before the call opens."),
            ),
            models.CheckConstraint(
                condition=Q(co_funding_rate__lte=100),
                name="funding_call_rate_at_most_100",
                violation_error_message=_("The co-funding rate is at most 100 %."),
            ),
            models.CheckConstraint(
                condition=Q(min_amount__isnull=True) | Q(min_amount__gte=0),
                name="funding_call_min_positive",
                violation_error_message=_("The smallest grant cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(min_amount__isnull=True) | Q(max_amount__isnull=True) | Q(min_amount__lte=F("max_amount")),
                name="funding_call_min_at_most_max",
                violation_error_message=_("The largest grant is smaller than the smallest grant."),
            ),
        ]
        indexes = [models.Index(fields=["programme", "deadline"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("finance:call", kwargs={"pk": self.pk})

    @property
    def city_type_list(self) -> list[str]:
        return tokens(self.city_types)

    @property
    def country_list(self) -> list[str]:
        return tokens(self.countries)


class ApplicationStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    AWARDED = "awarded", _("Awarded")
    REJECTED = "rejected", _("Rejected")


class Application(Versioned):
    """A city's application to a call for one roadmap action, and its outcome."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="funding_applications")
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="funding_applications")
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications")
    amount_requested = models.DecimalField(
        _("amount requested (€)"), max_digits=14, decimal_places=2, validators=[validators.MONEY]
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ApplicationStatus.choices, default=ApplicationStatus.APPLIED
    )
    amount_secured = models.DecimalField(
        _("amount secured (€)"), max_digits=14, decimal_places=2, null=True, blank=True, validators=[validators.MONEY]
    )
    applied_on = models.DateField(_("applied on"), validators=[validators.validate_day])
    decided_on = models.DateField(_("decided on"), null=True, blank=True, validators=[validators.validate_day])
    note = models.CharField(_("note"), max_length=400, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-applied_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(decided_on__isnull=True) | Q(decided_on__gte=F("applied_on")),
                name="funding_application_decided_after_applying",
                violation_error_message=_("The decision is dated before the application."),
            ),
            models.CheckConstraint(condition=Q(amount_requested__gte=0), name="funding_application_requested_positive"),
            models.CheckConstraint(
                condition=Q(amount_secured__isnull=True) | Q(amount_secured__gte=0),
                name="funding_application_secured_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action} – {self.call}"


class FundingMatch(models.Model):
    """A call that fits an action's funding gap, as the last computation found it."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="funding_matches")
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="funding_matches")
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="matches")
    rank = models.PositiveSmallIntegerField()
    gap = models.DecimalField(max_digits=14, decimal_places=2)
    reasons = models.JSONField(default=list)
    computed_at = models.DateTimeField(validators=[validators.validate_day])

    class Meta:
        ordering = ["action_id", "rank"]
        constraints = [models.UniqueConstraint(fields=["action", "call"], name="funding_match_unique")]
        indexes = [models.Index(fields=["city", "action", "rank"])]

    def __str__(self) -> str:
        return f"{self.action_id} → {self.call_id}"


class SavedSearch(models.Model):
    """A person's search of the catalogue; with alerts on, new calls it finds reach their inbox."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="funding_searches")
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="funding_searches")
    name = models.CharField(_("name"), max_length=120)
    filters = models.JSONField(default=dict)
    alerts = models.BooleanField(_("alert me in my inbox when a new call matches"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["person", "programme", "name"], name="funding_search_name_unique")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("finance:searches", kwargs={"slug": self.programme.slug})
