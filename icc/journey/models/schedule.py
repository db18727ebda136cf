"""Events and their types, follow-ups, deliverables with their reviews, phase achievements and
calendar feeds.

Event types, deliverable types and achievements are a programme's template, loaded from
the default catalogue and editable per edition; occurrences are generated from them.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from icc.cities.models import City, CityType, Organisation, RoleKind
from icc.core import lengths, validators
from icc.programmes.models import Phase, Programme

# The event types the journey adds features to: the fortnightly ecosystem call (agenda,
# stakeholder attendance, agreements) and the transversal expert visit, which cities book
# against a credit instead of having it scheduled for them.
ECOSYSTEM_CALL = "ecosystem-call"
EXPERT_VISIT = "transversal-expert-visit"


class Format(models.TextChoices):
    IN_CITY = "in-city", _("In-city")
    MULTI_CITY = "multi-city", _("Multi-city")


class Mode(models.TextChoices):
    IN_PERSON = "in-person", _("In person")
    VIDEO = "video", _("Video")
    HYBRID = "hybrid", _("Hybrid")


class ScheduledBy(models.TextChoices):
    PROGRAMME = "programme", _("Programme team, once for all concerned cities")
    CITY = "city", _("Each city")


class Recurrence(models.TextChoices):
    ONCE = "once", _("Once")
    COUNT = "count", _("A number of times spread over its phases")
    EVERY = "every", _("Every few weeks through its phases")
    CYCLE = "cycle", _("At the start of each implementation cycle")


class Position(models.TextChoices):
    START = "start", _("Start of the phase")
    MIDDLE = "middle", _("Middle of the phase")
    END = "end", _("End of the phase")


class EventType(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="event_types")
    key = models.SlugField(_("key"), max_length=80)
    name = models.CharField(_("name"), max_length=160)
    purpose = models.TextField(_("purpose"), blank=True, max_length=lengths.TEXT)
    format = models.CharField(_("format"), max_length=12, choices=Format.choices)
    mode = models.CharField(_("delivery mode"), max_length=12, choices=Mode.choices)
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"))
    audience = models.JSONField(_("audience"), default=list, blank=True, help_text=_("Role keys."))
    city_types = models.JSONField(
        _("cities concerned"), default=list, help_text=_("former-dcc, eu-core, intl-core, eu-mentor, intl-mentor")
    )
    phases = models.ManyToManyField(Phase, verbose_name=_("phases"), related_name="event_types")
    scheduled_by = models.CharField(_("scheduled by"), max_length=12, choices=ScheduledBy.choices)
    recurrence = models.CharField(_("recurrence"), max_length=8, choices=Recurrence.choices, default=Recurrence.ONCE)
    count = models.PositiveSmallIntegerField(_("number of occurrences"), null=True, blank=True)
    every_weeks = models.PositiveSmallIntegerField(
        _("every (weeks)"), null=True, blank=True, validators=[validators.EVERY_WEEKS]
    )
    variants = models.JSONField(_("alternating formats"), default=list, blank=True)
    position = models.CharField(
        _("position in the phase"), max_length=8, choices=Position.choices, default=Position.MIDDLE
    )
    checklist = models.JSONField(_("key elements to have ready"), default=list, blank=True)
    agenda = models.JSONField(_("illustrative agenda"), default=list, blank=True)
    notes = models.TextField(_("notes"), blank=True, max_length=lengths.NOTE)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "name"]
        constraints = [models.UniqueConstraint(fields=["programme", "key"], name="event_type_key_unique")]

    def __str__(self) -> str:
        return self.name

    @property
    def audience_labels(self) -> list[str]:
        return [str(RoleKind(key).label) if key in RoleKind.values else key for key in self.audience]

    def concerns(self, city: City) -> bool:
        return bool(city_type_keys(city) & set(self.city_types))


class EventStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


# Besides the city types, events, deliverables and achievements can concern the former DCC cities.
FORMER_DCC = "former-dcc"
CITY_TYPE_KEYS = frozenset({FORMER_DCC, *CityType.values})


def city_type_keys(city: City) -> set[str]:
    """The keys an event type's ``city_types`` are matched against."""
    return {city.type, FORMER_DCC} if city.former_dcc else {city.type}


class EventQuerySet(models.QuerySet["Event"]):
    def for_city(self, city: City, event_types: list[EventType]) -> EventQuerySet:
        """The city's own events and the multi-city events that concern it."""
        shared = [t.pk for t in event_types if t.scheduled_by == ScheduledBy.PROGRAMME and t.concerns(city)]
        return self.filter(Q(city=city) | Q(city__isnull=True, event_type_id__in=shared))

    def for_cities(self, cities: list[City]) -> EventQuerySet:
        """The events of several cities and the multi-city events that concern any of them."""
        shared = [
            event_type.pk
            for event_type in EventType.objects.filter(
                programme_id__in={c.programme_id for c in cities}, scheduled_by=ScheduledBy.PROGRAMME
            )
            if any(event_type.concerns(c) for c in cities if c.programme_id == event_type.programme_id)
        ]
        return self.filter(Q(city__in=cities) | Q(city__isnull=True, event_type_id__in=shared))


class Event(models.Model):
    """One occurrence of an event type: for one city, or multi-city (``city`` empty)."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="events")
    event_type = models.ForeignKey(EventType, on_delete=models.CASCADE, related_name="events")
    city = models.ForeignKey(City, on_delete=models.CASCADE, null=True, blank=True, related_name="events")
    occurrence = models.PositiveSmallIntegerField(_("occurrence"), default=1)
    variant = models.CharField(_("format"), max_length=160, blank=True)
    phase = models.ForeignKey(Phase, on_delete=models.PROTECT, related_name="events")
    starts_at = models.DateTimeField(_("starts"), validators=[validators.validate_day])
    ends_at = models.DateTimeField(_("ends"), validators=[validators.validate_day])
    location = models.CharField(_("place or video link"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=EventStatus.choices, default=EventStatus.PLANNED)
    edited = models.BooleanField(_("moved by hand"), default=False)
    sequence = models.PositiveIntegerField(_("calendar revision"), default=0)
    minutes = models.TextField(_("minutes"), blank=True, max_length=lengths.LONG_TEXT)
    outcomes = models.TextField(_("outcomes"), blank=True, max_length=lengths.TEXT)
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("attendance"), blank=True, related_name="+"
    )
    other_attendees = models.PositiveSmallIntegerField(_("other attendees"), default=0)
    organisations = models.ManyToManyField(
        Organisation, verbose_name=_("organisations attending"), blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event_type", "city", "occurrence"], name="event_occurrence_unique"),
            models.UniqueConstraint(
                fields=["event_type", "occurrence"], condition=Q(city__isnull=True), name="multi_city_occurrence_unique"
            ),
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"),
        ]
        indexes = [models.Index(fields=["city", "starts_at"]), models.Index(fields=["programme", "starts_at"])]

    def __str__(self) -> str:
        label = self.variant or self.event_type.name
        return f"{label} {self.occurrence}" if self.event_type.recurrence != Recurrence.ONCE else label

    def get_absolute_url(self) -> str:
        return reverse("journey:event", kwargs={"pk": self.pk})

    @property
    def is_held(self) -> bool:
        return self.status == EventStatus.HELD

    @property
    def is_ecosystem_call(self) -> bool:
        return self.city_id is not None and self.event_type.key == ECOSYSTEM_CALL

    @property
    def is_expert_visit(self) -> bool:
        return self.city_id is not None and self.event_type.key == EXPERT_VISIT


class FollowUp(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="follow_ups")
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="follow_ups")
    text = models.CharField(_("what"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="follow_ups"
    )
    due_on = models.DateField(_("due"), validators=[validators.validate_day])
    done_at = models.DateTimeField(_("done"), null=True, blank=True, validators=[validators.validate_day])
    created_at = models.DateTimeField(default=timezone.now, validators=[validators.validate_day])

    class Meta:
        ordering = ["done_at", "due_on", "pk"]

    def __str__(self) -> str:
        return self.text


class DeliverableType(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="deliverable_types")
    key = models.SlugField(_("key"), max_length=80)
    name = models.CharField(_("name"), max_length=160)
    description = models.TextField(_("description"), blank=True, max_length=lengths.TEXT)
    city_types = models.JSONField(_("cities concerned"), default=list)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order"]
        constraints = [models.UniqueConstraint(fields=["programme", "key"], name="deliverable_type_key_unique")]

    def __str__(self) -> str:
        return self.name


class Milestone(models.Model):
    """One due version of a deliverable type (a draft, the final version…), with its due date."""

    deliverable_type = models.ForeignKey(DeliverableType, on_delete=models.CASCADE, related_name="milestones")
    version = models.CharField(_("version"), max_length=40)
    due_on = models.DateField(_("due"), validators=[validators.validate_day])
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["due_on", "order"]

    def __str__(self) -> str:
        return f"{self.deliverable_type} – {self.version}"


class SubmissionStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Awaiting review")
    CHANGES_REQUESTED = "changes-requested", _("Changes requested")
    ACCEPTED = "accepted", _("Accepted")


def submission_path(instance: Submission, filename: str) -> str:
    return f"deliverables/{instance.city_id}/{instance.milestone_id}/{uuid.uuid4().hex}/{filename}"


class Submission(models.Model):
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="submissions")
    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="submissions")
    number = models.PositiveSmallIntegerField(_("version number"))
    document = models.FileField(_("document"), upload_to=submission_path)
    original_name = models.CharField(max_length=200)
    size = models.PositiveIntegerField()
    note = models.TextField(_("note to the reviewer"), blank=True, max_length=lengths.NOTE)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(default=timezone.now, validators=[validators.validate_day])
    status = models.CharField(max_length=20, choices=SubmissionStatus.choices, default=SubmissionStatus.SUBMITTED)

    class Meta:
        ordering = ["milestone", "-number"]
        constraints = [models.UniqueConstraint(fields=["city", "milestone", "number"], name="submission_number_unique")]

    def __str__(self) -> str:
        return f"{self.milestone} v{self.number}"


class Review(models.Model):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="reviews")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(
        _("decision"),
        max_length=20,
        choices=[("comment", _("Comment only")), *SubmissionStatus.choices[1:]],
        default="comment",
    )
    comment = models.TextField(_("comment"), max_length=lengths.NOTE)
    at = models.DateTimeField(default=timezone.now, validators=[validators.validate_day])

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} – {self.submission}"


class AchievementItem(models.Model):
    """One of the "by the end of this phase, cities will have…" outcomes."""

    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="achievement_items")
    key = models.SlugField(max_length=80)
    text = models.CharField(_("outcome"), max_length=300)
    city_types = models.JSONField(default=list)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["phase__order", "order"]
        constraints = [models.UniqueConstraint(fields=["phase", "key"], name="achievement_key_unique")]

    def __str__(self) -> str:
        return self.text


class Achievement(models.Model):
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="achievements")
    item = models.ForeignKey(AchievementItem, on_delete=models.CASCADE, related_name="achievements")
    evidence_event = models.ForeignKey(Event, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    evidence_submission = models.ForeignKey(
        Submission, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    evidence_note = models.TextField(_("evidence"), blank=True, max_length=lengths.NOTE)
    ticked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    ticked_at = models.DateTimeField(default=timezone.now, validators=[validators.validate_day])

    class Meta:
        constraints = [models.UniqueConstraint(fields=["city", "item"], name="achievement_once_per_city")]

    def __str__(self) -> str:
        return f"{self.city}: {self.item}"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class CalendarFeedQuerySet(models.QuerySet["CalendarFeed"]):
    def active(self) -> CalendarFeedQuerySet:
        return self.filter(revoked_at__isnull=True)

    def for_token(self, token: str) -> CalendarFeed | None:
        return self.active().select_related("person", "city").filter(token_digest=_digest(token)).first()


class CalendarFeed(models.Model):
    """A private, revocable calendar address: only a digest of its token is stored."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds")
    city = models.ForeignKey(City, on_delete=models.CASCADE, null=True, blank=True, related_name="calendar_feeds")
    token_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now, validators=[validators.validate_day])
    revoked_at = models.DateTimeField(null=True, blank=True, validators=[validators.validate_day])

    objects = CalendarFeedQuerySet.as_manager()

    def __str__(self) -> str:
        return str(_("Calendar of %(whom)s") % {"whom": self.city or self.person})

    @classmethod
    def issue(cls, *, person: Any, city: City | None = None) -> tuple[CalendarFeed, str]:
        token = secrets.token_urlsafe(32)
        return cls.objects.create(person=person, city=city, token_digest=_digest(token)), token
