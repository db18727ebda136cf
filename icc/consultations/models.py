"""Citizen surveys and quick polls: what a city asks, and what its people answer.

A :class:`Consultation` belongs to a city and is built from :class:`Question`\\ s (with
their :class:`Choice`\\ s) while it is a draft; once opened its questions no longer
change, so that every answer was given to the same questions. Texts the city writes are
``{language: text}`` mappings. A :class:`Submission` is one browser's answers to one
consultation: it keeps a keyed hash of the browser's identifier (one per browser, by a
unique constraint), the hour it arrived, and, for a consultation that asks for an e-mail
confirmation, a keyed hash of the address until answering ends; nothing else about who
answered. An :class:`Answer` is one picked choice, one ranked place, one rating or one
text.

The tables of submissions and answers do not raise the data version (see
:mod:`icc.core.dataversion`): results are always counted live.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from icc.cities.models import City
from icc.core import lengths
from icc.core.validators import validate_day

# How long a text answer may be: a name or a postcode, and a paragraph of opinion.
SHORT_ANSWER = 200
LONG_ANSWER = lengths.NOTE
# Texts the city writes: a title or a choice, a question, an introduction.
TITLE = 200
QUESTION = 500
INTRODUCTION = lengths.NOTE
# The most questions a consultation and choices a question may hold.
MAX_QUESTIONS = 40
MAX_CHOICES = 20
MAX_SCALE = 10


class Kind(models.TextChoices):
    SURVEY = "survey", pgettext_lazy("consultation kind", "Survey")
    POLL = "poll", pgettext_lazy("consultation kind", "Quick poll")


class Status(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("consultation status", "Draft")
    OPEN = "open", pgettext_lazy("consultation status", "Open")
    CLOSED = "closed", pgettext_lazy("consultation status", "Closed")


class Phase(models.TextChoices):
    """Where a consultation stands at a given moment: its status read with its dates."""

    DRAFT = "draft", pgettext_lazy("consultation phase", "Draft")
    SCHEDULED = "scheduled", pgettext_lazy("consultation phase", "Opens soon")
    OPEN = "open", pgettext_lazy("consultation phase", "Open")
    CLOSED = "closed", pgettext_lazy("consultation phase", "Closed")


class Consultation(models.Model):
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="consultations")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SURVEY)
    title = models.JSONField(_("title"), default=dict, blank=True)
    introduction = models.JSONField(_("introduction"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    opens_at = models.DateTimeField(_("opens"), null=True, blank=True, validators=[validate_day])
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True, validators=[validate_day])
    needs_confirmation = models.BooleanField(
        _("confirm answers by e-mail"),
        default=False,
        help_text=_("Each answer counts only once its sender confirms it from a link sent by e-mail."),
    )
    personal_data_until = models.DateField(
        _("personal answers kept until"), null=True, blank=True, validators=[validate_day]
    )
    personal_data_erased_at = models.DateTimeField(null=True, blank=True, validators=[validate_day])
    results_published = models.BooleanField(_("results published"), default=False)
    results_published_at = models.DateTimeField(null=True, blank=True, validators=[validate_day])
    template = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    # Any change to the consultation or its questions moves it; the cached form follows it.
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["city", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | (Q(opens_at__isnull=False) & Q(closes_at__isnull=False)),
                name="consultation_open_has_dates",
            ),
            models.CheckConstraint(
                condition=Q(results_published=False) | Q(status__in=["open", "closed"]),
                name="consultation_results_not_of_a_draft",
            ),
        ]

    def __str__(self) -> str:
        texts = self.title or {}
        return str(next(iter(texts.values()), "")) or f"consultation {self.pk}"

    def phase(self, now: dt.datetime | None = None) -> Phase:
        now = now or timezone.now()
        if self.status == Status.DRAFT:
            return Phase.DRAFT
        if self.status == Status.CLOSED or (self.closes_at is not None and self.closes_at <= now):
            return Phase.CLOSED
        if self.opens_at is not None and self.opens_at > now:
            return Phase.SCHEDULED
        return Phase.OPEN

    @property
    def is_draft(self) -> bool:
        return self.status == Status.DRAFT

    def accepts_answers(self, now: dt.datetime | None = None) -> bool:
        return self.phase(now) == Phase.OPEN


class QuestionType(models.TextChoices):
    SINGLE = "single", _("One choice")
    MULTIPLE = "multiple", _("Several choices")
    RANKING = "ranking", _("Ranking")
    RATING = "rating", _("Rating on a scale")
    SHORT_TEXT = "short_text", _("Short text")
    LONG_TEXT = "long_text", _("Long text")


CHOICE_TYPES = frozenset({QuestionType.SINGLE, QuestionType.MULTIPLE, QuestionType.RANKING})
PICKING_TYPES = frozenset({QuestionType.SINGLE, QuestionType.MULTIPLE})
TEXT_TYPES = frozenset({QuestionType.SHORT_TEXT, QuestionType.LONG_TEXT})


class Question(models.Model):
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(default=0)
    type = models.CharField(_("type"), max_length=12, choices=QuestionType.choices, default=QuestionType.SINGLE)
    text = models.JSONField(_("question"), default=dict, blank=True)
    help = models.JSONField(_("explanation"), default=dict, blank=True)
    required = models.BooleanField(_("an answer is required"), default=False)
    allow_other = models.BooleanField(_("offer “Other” with a text"), default=False)
    # Multiple choice: the most choices one may pick; ranking: how many places to rank.
    picks = models.PositiveSmallIntegerField(_("how many"), null=True, blank=True)
    # Rating: 1 to ``scale``, with words for both ends.
    scale = models.PositiveSmallIntegerField(_("points on the scale"), null=True, blank=True)
    low_label = models.JSONField(_("lowest point means"), default=dict, blank=True)
    high_label = models.JSONField(_("highest point means"), default=dict, blank=True)
    personal = models.BooleanField(
        _("asks for personal data"),
        default=False,
        help_text=_("A name, an e-mail address, a postcode: kept only with consent, and erased after the date set."),
    )
    condition_question = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="dependants"
    )
    condition_choice = models.ForeignKey(
        "Choice", on_delete=models.SET_NULL, null=True, blank=True, related_name="dependants"
    )

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        texts = self.text or {}
        return str(next(iter(texts.values()), "")) or f"question {self.pk}"

    @property
    def has_choices(self) -> bool:
        return self.type in CHOICE_TYPES

    @property
    def is_text(self) -> bool:
        return self.type in TEXT_TYPES


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    order = models.PositiveSmallIntegerField(default=0)
    label = models.JSONField(_("choice"), default=dict, blank=True)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        texts = self.label or {}
        return str(next(iter(texts.values()), "")) or f"choice {self.pk}"


class Submission(models.Model):
    """One browser's answers to one consultation, and nothing about who sent them."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="submissions")
    participant_key = models.CharField(max_length=64)
    # The hour it arrived (to forget unconfirmed answers in time), not the minute.
    created_at = models.DateTimeField(validators=[validate_day])
    confirmed = models.BooleanField(default=True)
    email_key = models.CharField(max_length=64, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["consultation", "confirmed"]),
            models.Index(fields=["confirmed", "created_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "participant_key"], name="consultation_answered_once_per_browser"
            ),
            models.UniqueConstraint(
                fields=["consultation", "email_key"],
                condition=Q(confirmed=True) & ~Q(email_key=""),
                name="consultation_confirmed_once_per_email",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.consultation_id}: {self.participant_key[:8]}…"


class Moderation(models.TextChoices):
    NONE = "", _("not moderated")
    PENDING = "pending", _("waiting for review")
    SHOWN = "shown", _("shown")
    HIDDEN = "hidden", _("hidden")


class Answer(models.Model):
    """One part of a submission: a picked choice (or “Other” with its text), a ranked
    place, a rating, or a text."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    choice = models.ForeignKey(Choice, on_delete=models.CASCADE, null=True, blank=True, related_name="answers")
    other = models.BooleanField(default=False)
    position = models.PositiveSmallIntegerField(null=True, blank=True)
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True, max_length=LONG_ANSWER)
    moderation = models.CharField(max_length=10, choices=Moderation.choices, default=Moderation.NONE, blank=True)

    class Meta:
        indexes = [models.Index(fields=["question", "moderation"])]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "question", "choice"],
                condition=Q(choice__isnull=False),
                name="answer_choice_once",
            ),
            models.UniqueConstraint(
                fields=["submission", "question", "position"],
                condition=Q(position__isnull=False),
                name="answer_place_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.submission_id}/{self.question_id}"
