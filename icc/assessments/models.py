"""Assessment instruments as versioned data, and the cities' responses to them."""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from icc.cities.models import City
from icc.core import lengths, validators
from icc.programmes.models import Programme


class InstrumentKind(models.TextChoices):
    SCAN = "scan", _("Thematic scan")
    SURVEY = "survey", _("Questionnaire")
    ENABLERS = "enablers", _("Anonymous stakeholder survey")
    READINESS = "readiness", _("Finance team readiness")


class Instrument(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="instruments")
    key = models.SlugField(_("key"), max_length=80)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=lengths.TEXT)
    disclaimer = models.TextField(_("how to read the result"), blank=True, max_length=lengths.TEXT)
    kind = models.CharField(_("kind"), max_length=10, choices=InstrumentKind.choices, default=InstrumentKind.SURVEY)

    class Meta:
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "key", "version"], name="instrument_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"


class Section(models.Model):
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="sections")
    key = models.SlugField(max_length=80)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=lengths.TEXT)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order"]
        constraints = [models.UniqueConstraint(fields=["instrument", "key"], name="section_key_unique")]

    def __str__(self) -> str:
        return self.title


class QuestionType(models.TextChoices):
    SCALE = "scale", _("1–5 scale")
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    NUMBER = "number", _("Number")
    PERCENTAGE = "percentage", _("Percentage")
    YEAR = "year", _("Year")
    TEXT = "text", _("Free text")


class Question(models.Model):
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    key = models.SlugField(max_length=80)
    text = models.CharField(_("question"), max_length=400)
    help = models.TextField(_("help text"), blank=True, max_length=lengths.NOTE)
    type = models.CharField(_("type"), max_length=12, choices=QuestionType.choices)
    required = models.BooleanField(_("required"), default=False)
    allow_unknown = models.BooleanField(_("“don't know” allowed"), default=True)
    levels = models.JSONField(_("labelled levels"), default=list, blank=True)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    dimension = models.CharField(_("dimension"), max_length=40, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["section__order", "order"]
        constraints = [models.UniqueConstraint(fields=["section", "key"], name="question_key_unique")]

    def __str__(self) -> str:
        return self.text

    def is_answered(self) -> bool:
        """Whether any city or survey answer refers to it: its type and levels are then fixed."""
        return Answer.objects.filter(question=self).exists() or SatAnswer.objects.filter(question=self).exists()


class Round(models.TextChoices):
    BASELINE = "baseline", _("Baseline")
    RERUN = "rerun", _("Re-run")


class ResponseStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class Response(models.Model):
    """A city's answers to one instrument in one round."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="responses")
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="assessment_responses")
    round = models.CharField(_("round"), max_length=10, choices=Round.choices, default=Round.BASELINE)
    status = models.CharField(_("status"), max_length=10, choices=ResponseStatus.choices, default=ResponseStatus.DRAFT)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True, validators=[validators.validate_day])
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["instrument", "city", "round"], name="one_response_per_round")]

    def __str__(self) -> str:
        return f"{self.city} – {self.instrument} – {self.get_round_display()}"

    def get_absolute_url(self) -> str:
        return reverse(
            "assessments:response",
            kwargs={"pk": self.city_id, "instrument_pk": self.instrument_id, "round": self.round},
        )

    @property
    def is_locked(self) -> bool:
        return self.status == ResponseStatus.SUBMITTED


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    value = models.JSONField(null=True, blank=True)
    unknown = models.BooleanField(_("don't know"), default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["response", "question"], name="one_answer_per_question")]

    def __str__(self) -> str:
        return f"{self.question.key}: {'?' if self.unknown else self.value}"


# The anonymous local-enablers survey ------------------------------------------------

MIN_RESPONSES = 5


class SatCampaign(models.Model):
    """A city's round of the anonymous local-enablers survey."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="campaigns")
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="sat_campaigns")
    round = models.CharField(_("round"), max_length=10, choices=Round.choices, default=Round.BASELINE)
    closes_on = models.DateField(_("closes on"), validators=[validators.validate_day])
    closed_on = models.DateField(_("closed early on"), null=True, blank=True, validators=[validators.validate_day])
    # How many invitations went out: a counter, so that nothing about an invitation's
    # use can be read from the invitations themselves.
    invitations_sent = models.PositiveIntegerField(default=0)
    share_token_digest = models.CharField(max_length=64, blank=True, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    # Set once, the first time the results are asked for after closing; the results are
    # then always served from ``released_results``, never counted again.
    released_at = models.DateTimeField(null=True, blank=True, validators=[validators.validate_day])
    released_results = models.JSONField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["instrument", "city", "round"], name="one_campaign_per_round")]

    def __str__(self) -> str:
        return f"{self.instrument.name} – {self.city} – {self.get_round_display()}"

    def is_closed(self, today: dt.date) -> bool:
        """Released, closed early by the city team, or past its closing date (``today`` in the
        city's time zone): answers stop for good, results may show."""
        return self.released_at is not None or self.closed_on is not None or self.closes_on < today


class SatInvitation(models.Model):
    """A single-use link sent to one stakeholder. The address it went to is not kept.

    Answering deletes the invitation, so the ones left say nothing about who answered,
    and its random key says nothing about the order in which invitations went out.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    campaign = models.ForeignKey(SatCampaign, on_delete=models.CASCADE, related_name="invitations")
    token_digest = models.CharField(max_length=64, unique=True)
    expires_on = models.DateField(validators=[validators.validate_day])

    def __str__(self) -> str:
        return f"invitation to {self.campaign}"


class SatResponse(models.Model):
    """One anonymous answer sheet: no person, address or time is stored with it, and its
    random key says nothing about the order in which answers came in."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    campaign = models.ForeignKey(SatCampaign, on_delete=models.CASCADE, related_name="responses")

    def __str__(self) -> str:
        return f"anonymous answer to {self.campaign}"


class SatAnswer(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(SatResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    value = models.JSONField(null=True, blank=True)
    unknown = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.question.key}: {self.value}"


# City performance indicators and technology maturity ---------------------------------


class Direction(models.TextChoices):
    UP = "up", _("Higher is better")
    DOWN = "down", _("Lower is better")


class Indicator(models.Model):
    """An outcome indicator of a track's library."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="indicators")
    theme = models.ForeignKey("programmes.Theme", on_delete=models.CASCADE, related_name="indicators")
    key = models.SlugField(max_length=80)
    name = models.CharField(_("name"), max_length=200)
    definition = models.TextField(_("definition"), max_length=lengths.TEXT)
    unit = models.CharField(_("unit"), max_length=40)
    direction = models.CharField(_("desired direction"), max_length=4, choices=Direction.choices)
    framework_id = models.CharField(_("U4SSC KPI id"), max_length=40, blank=True)
    sdg_target = models.CharField(_("SDG target"), max_length=10, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["theme__order", "order"]
        constraints = [models.UniqueConstraint(fields=["programme", "key"], name="indicator_key_unique")]

    def __str__(self) -> str:
        return self.name


class IndicatorValue(models.Model):
    """A city's value of an indicator in a round, with its year and source."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="indicator_values")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    round = models.CharField(_("round"), max_length=10, choices=Round.choices, default=Round.BASELINE)
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=4)
    year = models.PositiveSmallIntegerField(_("year"))
    source = models.CharField(_("source"), max_length=300)
    submitted = models.BooleanField(_("submitted"), default=False)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    entered_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["city", "indicator", "round"], name="one_value_per_round")]

    def __str__(self) -> str:
        return f"{self.city} {self.indicator}: {self.value}"


MAX_POPULATION = 100_000_000


class PeerPopulation(models.Model):
    """The population the programme team confirmed for comparing a city with its peers.

    A city's own team edits the population on its profile; peer bands are taken from this
    figure instead, so that no city can narrow its band onto one other city.
    """

    city = models.OneToOneField(City, on_delete=models.CASCADE, primary_key=True, related_name="peer_population")
    population = models.PositiveIntegerField(
        _("population for peer comparisons"), validators=[MinValueValidator(1), MaxValueValidator(MAX_POPULATION)]
    )
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    def __str__(self) -> str:
        return f"{self.city}: {self.population}"


class MaturityLevel(models.IntegerChoices):
    ABSENT = 0, _("0 – Absent")
    PILOTED = 1, _("1 – Piloted")
    AVAILABLE = 2, _("2 – Available to stakeholders")
    WIDELY_USED = 3, _("3 – Widely used and valued")
    OPTIMISED = 4, _("4 – Optimised")


class MaturityRating(models.Model):
    """How far a solution the city considers is in use, and how far it should get."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="maturity_ratings")
    round = models.CharField(_("round"), max_length=10, choices=Round.choices, default=Round.BASELINE)
    solution = models.CharField(_("solution"), max_length=200)
    level = models.PositiveSmallIntegerField(_("current level"), choices=MaturityLevel.choices)
    target = models.PositiveSmallIntegerField(_("target level"), choices=MaturityLevel.choices)

    class Meta:
        ordering = ["solution"]
        constraints = [models.UniqueConstraint(fields=["city", "round", "solution"], name="one_rating_per_solution")]

    def __str__(self) -> str:
        return f"{self.solution}: {self.level} → {self.target}"
