"""Changes to the journey: the template, schedules, event records, deliverables, achievements, calendars.

Verb-named, keyword-only and atomic, each with its audit entry. Who may make a change is
decided before, in :mod:`icc.journey.access`; these check only what the data allows.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import zoneinfo
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from icc.cities.models import City, Organisation
from icc.core import uploads
from icc.core.models import AuditKind, record
from icc.core.versioning import lock_at_version
from icc.inbox import actions as inbox
from icc.inbox.models import Kind as NoticeKind
from icc.journey import scheduling, tasks
from icc.journey.models import (
    CITY_TYPE_KEYS,
    EXPERT_VISIT,
    Achievement,
    AchievementItem,
    CalendarFeed,
    DeliverableType,
    Event,
    EventStatus,
    EventType,
    ExpertVisit,
    FollowUp,
    Milestone,
    Review,
    ScheduledBy,
    Submission,
    SubmissionStatus,
    city_type_keys,
)
from icc.programmes.models import Phase, Programme

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from icc.accounts.models import Person

DATA = Path(__file__).resolve().parent.parent / "data"
LOCAL_START = dt.time(10, 0)
ALL_CITY_TYPES = CITY_TYPE_KEYS
# Event types each TAG schedules for itself once the TAGs are formed (``tags.Session``): until
# then the journey holds programme-wide dates for them, afterwards only the TAGs' own dates exist.
TAG_SESSION_EVENT_KEYS = frozenset({"tag-working-session", "tag-progress-tracker"})
# Event types a city books when it needs them (against a credit) rather than being scheduled:
# the schedules leave their occurrences alone, and the type's count is the credit.
BOOKED_EVENT_KEYS = frozenset({EXPERT_VISIT})


# The template ------------------------------------------------------------------------


def _read(name: str) -> Any:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def _due(rule: dict[str, Any], phases: dict[str, Phase], event_days: dict[str, dt.date], fallback: dt.date) -> dt.date:
    relative_to, offset = rule.get("relative_to"), dt.timedelta(days=int(rule.get("offset_days") or 0))
    if relative_to == "event" and rule.get("event") in event_days:
        return event_days[rule["event"]] + offset
    phase = phases.get(rule.get("phase") or "")
    if phase is None:
        return fallback + offset
    return (phase.starts_on if relative_to == "phase-start" else phase.ends_on) + offset


@transaction.atomic
def install_template(*, programme: Programme) -> None:
    """Load the default event catalogue, deliverables and phase achievements into an edition.

    Entries the edition already has (by key) are left as the programme team edited them.
    """
    phases = {phase.key: phase for phase in programme.phases.all()}
    existing = set(programme.event_types.values_list("key", flat=True))
    for order, item in enumerate(_read("event_types.json")):
        if item["key"] in existing:
            continue
        recurrence = item["recurrence"]
        event_type = EventType.objects.create(
            programme=programme,
            key=item["key"],
            name=item["name"],
            purpose=item.get("purpose", ""),
            format=item["format"],
            mode=item["mode"],
            duration_minutes=item["duration_minutes"],
            audience=item.get("audience", []),
            city_types=item["city_types"],
            scheduled_by=item["scheduled_by"],
            recurrence=recurrence["kind"],
            count=recurrence.get("count"),
            every_weeks=recurrence.get("weeks"),
            variants=item.get("variants", []),
            position=item.get("position") or "middle",
            checklist=item.get("checklist", []),
            agenda=item.get("agenda", []),
            notes=item.get("notes", ""),
            order=order,
        )
        event_type.phases.set([phases[key] for key in item["phases"] if key in phases])
    specs = {t.key: t for t in programme.event_types.prefetch_related("phases")}
    spans = _spans(programme)
    event_days = {
        key: slots[-1].day
        for key, spec in specs.items()
        if (slots := scheduling.plan(_spec(spec), spans, _cycles(programme))) and spec.recurrence == "once"
    }
    existing = set(programme.deliverable_types.values_list("key", flat=True))
    for order, item in enumerate(_read("deliverables.json")):
        if item["key"] in existing:
            continue
        deliverable = DeliverableType.objects.create(
            programme=programme,
            key=item["key"],
            name=item["name"],
            description=item.get("description", ""),
            city_types=item["city_types"],
            order=order,
        )
        for index, milestone in enumerate(item["milestones"]):
            Milestone.objects.create(
                deliverable_type=deliverable,
                version=milestone["version"],
                due_on=_due(milestone["due"], phases, event_days, programme.ends_on),
                order=index,
            )
    existing_items = set(AchievementItem.objects.filter(phase__programme=programme).values_list("phase__key", "key"))
    for group in _read("achievements.json"):
        phase = phases.get(group["phase"])
        if phase is None:
            continue
        for order, item in enumerate(group["items"]):
            if (phase.key, item["key"]) not in existing_items:
                AchievementItem.objects.create(
                    phase=phase, key=item["key"], text=item["text"], city_types=group["city_types"], order=order
                )


@transaction.atomic
def update_event_type(
    *, event_type: EventType, changed: list[str], save_m2m: Callable[[], object], by: Person
) -> EventType:
    event_type.save()
    save_m2m()
    record(
        obj=event_type,
        action=AuditKind.CHANGED,
        actor=by,
        changes={name: str(getattr(event_type, name, "")) for name in changed if name != "phases"},
    )
    return event_type


# Schedules ---------------------------------------------------------------------------


def _spans(programme: Programme) -> dict[str, scheduling.PhaseSpan]:
    return {p.key: scheduling.PhaseSpan(p.key, p.starts_on, p.ends_on) for p in programme.phases.all()}


def _cycles(programme: Programme) -> list[scheduling.PhaseSpan]:
    return [scheduling.PhaseSpan(f"cycle-{c.number}", c.starts_on, c.ends_on) for c in programme.cycles.all()]


def _spec(event_type: EventType) -> scheduling.EventSpec:
    return scheduling.EventSpec(
        key=event_type.key,
        recurrence=event_type.recurrence,
        phases=tuple(p.key for p in event_type.phases.all()),
        city_types=frozenset(event_type.city_types),
        position=event_type.position,
        count=event_type.count,
        every_weeks=event_type.every_weeks,
        variants=tuple(v["name"] if isinstance(v, dict) else str(v) for v in event_type.variants),
    )


@functools.cache
def _times(day: dt.date, minutes: int, time_zone: str) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(day, LOCAL_START, tzinfo=zoneinfo.ZoneInfo(time_zone))
    return start.astimezone(dt.UTC), (start + dt.timedelta(minutes=minutes)).astimezone(dt.UTC)


@dataclass
class ScheduleResult:
    created: int = 0
    updated: int = 0
    removed: int = 0
    kept: int = 0


def _is_untouched(event: Event) -> bool:
    return event.status == EventStatus.PLANNED and not event.edited and not event.minutes and not event.outcomes


@transaction.atomic
def generate_schedules(*, programme: Programme, cities: Iterable[City] | None = None) -> ScheduleResult:
    """Create or refresh the schedules of ``cities`` (all of the edition's by default) and
    of its multi-city events.

    An occurrence that was held, moved by hand or written up is never changed or removed;
    untouched ones follow the template and the phase dates, and keep their identity (and
    calendar UID) across runs.
    """
    event_types = list(programme.event_types.prefetch_related("phases"))
    spans = _spans(programme)
    phases = {p.key: p for p in programme.phases.all()}
    by_key = {t.key: t for t in event_types}
    city_list = list(cities) if cities is not None else list(programme.cities.all())
    wanted: dict[tuple[int, int | None, int], tuple[scheduling.Slot, City | None]] = {}
    city_specs = [
        _spec(t) for t in event_types if t.scheduled_by == ScheduledBy.CITY and t.key not in BOOKED_EVENT_KEYS
    ]
    held_by_tags = TAG_SESSION_EVENT_KEYS if programme.tags.filter(sessions__isnull=False).exists() else frozenset()
    shared_specs = [
        _spec(t) for t in event_types if t.scheduled_by == ScheduledBy.PROGRAMME and t.key not in held_by_tags
    ]
    cycles = _cycles(programme)
    for slot in scheduling.plan_all(shared_specs, spans, ALL_CITY_TYPES, cycles):
        wanted[(by_key[slot.event_key].pk, None, slot.occurrence)] = (slot, None)
    plans: dict[frozenset[str], list[scheduling.Slot]] = {}
    for city in city_list:
        types = frozenset(city_type_keys(city))
        if types not in plans:  # cities of the same types share one plan
            plans[types] = scheduling.plan_all(city_specs, spans, types, cycles)
        for slot in plans[types]:
            wanted[(by_key[slot.event_key].pk, city.pk, slot.occurrence)] = (slot, city)
    existing = Event.objects.filter(programme=programme, event_type__in=event_types)
    existing = existing.filter(city__in=city_list) | existing.filter(city__isnull=True)
    current = {(e.event_type_id, e.city_id, e.occurrence): e for e in existing}
    with_follow_ups = set(FollowUp.objects.filter(event__programme=programme).values_list("event_id", flat=True))
    with_follow_ups |= set(ExpertVisit.objects.filter(city__programme=programme).values_list("event_id", flat=True))
    result, to_create, to_update, to_delete = ScheduleResult(), [], [], []
    programme_zone = settings.TIME_ZONE
    for key, (slot, target) in wanted.items():
        event_type = by_key[slot.event_key]
        zone = target.time_zone if target else programme_zone
        starts_at, ends_at = _times(slot.day, event_type.duration_minutes, zone)
        event = current.pop(key, None)
        if event is None:
            to_create.append(
                Event(
                    programme=programme,
                    event_type=event_type,
                    city=target,
                    occurrence=slot.occurrence,
                    variant=slot.variant,
                    phase=phases[slot.phase_key],
                    starts_at=starts_at,
                    ends_at=ends_at,
                )
            )
        elif not _is_untouched(event):
            result.kept += 1
        elif (event.starts_at, event.ends_at, event.variant, event.phase_id) != (
            starts_at,
            ends_at,
            slot.variant,
            phases[slot.phase_key].pk,
        ):
            event.starts_at, event.ends_at, event.variant = starts_at, ends_at, slot.variant
            event.phase = phases[slot.phase_key]
            event.sequence += 1
            to_update.append(event)
    for event in current.values():
        if event.pk in with_follow_ups:
            result.kept += 1
        elif _is_untouched(event):
            to_delete.append(event.pk)
        else:
            result.kept += 1
    Event.objects.bulk_create(to_create, batch_size=2000)
    Event.objects.bulk_update(to_update, ["starts_at", "ends_at", "variant", "phase", "sequence"], batch_size=2000)
    for start in range(0, len(to_delete), 2000):
        Event.objects.filter(pk__in=to_delete[start : start + 2000]).delete()
    result.created, result.updated, result.removed = len(to_create), len(to_update), len(to_delete)
    return result


# Event records -----------------------------------------------------------------------


@transaction.atomic
def move_event(
    *,
    event: Event,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    location: str,
    by: Person,
    expected_version: int | None = None,
) -> Event:
    """Move an event; with ``expected_version``, refuse if it changed since the form was opened."""
    if expected_version is not None:
        lock_at_version(event, expected=expected_version, field="sequence")
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The end must come after the start.")})
    phase = event.phase
    zone = zoneinfo.ZoneInfo(event.city.time_zone if event.city else settings.TIME_ZONE)
    first, last = starts_at.astimezone(zone).date(), ends_at.astimezone(zone).date()
    if first < phase.starts_on or last > phase.ends_on:
        raise ValidationError(
            _("%(event)s belongs to the %(phase)s phase: choose dates between %(start)s and %(end)s.")
            % {
                "event": event,
                "phase": phase.name,
                "start": date_format(phase.starts_on, "DATE_FORMAT"),
                "end": date_format(phase.ends_on, "DATE_FORMAT"),
            }
        )
    changes = {}
    if (event.starts_at, event.ends_at) != (starts_at, ends_at):
        changes = {"starts_at": starts_at.isoformat(), "ends_at": ends_at.isoformat()}
    if event.location != location:
        changes["location"] = location
    if not changes:
        return event
    event.starts_at, event.ends_at, event.location = starts_at, ends_at, location
    event.edited = True
    event.sequence += 1
    event.save()
    record(obj=event, action=AuditKind.EVENT_MOVED, actor=by, changes=changes)
    return event


@transaction.atomic
def record_event(
    *,
    event: Event,
    status: str,
    minutes: str,
    outcomes: str,
    attendees: Iterable[Person],
    other_attendees: int,
    by: Person,
    organisations: Iterable[Organisation] | None = None,
    expected_version: int | None = None,
) -> Event:
    """Write up an event; with ``expected_version``, refuse if it changed since the form was opened.

    ``organisations`` (the city's ecosystem organisations that attended) is left as it is when not given.
    """
    if expected_version is not None:
        lock_at_version(event, expected=expected_version, field="sequence")
    if status == EventStatus.HELD and event.starts_at > timezone.now():
        raise ValidationError(_("An event that has not started yet cannot be marked as held."))
    if status != event.status and ExpertVisit.objects.filter(event=event).exists():
        raise ValidationError(
            _("A transversal expert visit is held by writing its report and cancelled from its own form.")
        )
    attending = list(organisations) if organisations is not None else None
    if attending and any(o.city_id != event.city_id for o in attending):
        raise ValidationError(_("Only organisations of the city's own ecosystem can be recorded as attending."))
    event.status, event.minutes, event.outcomes, event.other_attendees = status, minutes, outcomes, other_attendees
    event.sequence += 1
    event.save()
    event.attendees.set(list(attendees))
    if attending is not None:
        event.organisations.set(attending)
    record(obj=event, action=AuditKind.EVENT_RECORDED, actor=by, changes={"status": status})
    return event


@transaction.atomic
def add_city_event(
    *, city: City, event_type: EventType, day: dt.date, location: str = "", variant: str = "", by: Person
) -> Event:
    """Put one more occurrence of ``event_type`` in the city's journey on ``day`` (at the usual
    local start time), in the phase running then: it shows on the schedule and in calendars
    like any other, and the schedules keep it as placed by hand."""
    programme = city.programme
    phase = programme.phase_on(day)
    if phase is None:
        raise ValidationError(
            _("Choose a day within the edition, between %(start)s and %(end)s.")
            % {
                "start": date_format(programme.starts_on, "DATE_FORMAT"),
                "end": date_format(programme.ends_on, "DATE_FORMAT"),
            }
        )
    starts_at, ends_at = _times(day, event_type.duration_minutes, city.time_zone)
    latest = Event.objects.filter(event_type=event_type, city=city).order_by("-occurrence").first()
    event = Event.objects.create(
        programme=programme,
        event_type=event_type,
        city=city,
        occurrence=(latest.occurrence + 1) if latest else 1,
        variant=variant[:160],
        phase=phase,
        starts_at=starts_at,
        ends_at=ends_at,
        location=location,
        edited=True,
    )
    record(obj=event, action=AuditKind.CREATED, actor=by, changes={"starts_at": starts_at.isoformat()})
    return event


@transaction.atomic
def add_follow_up(*, event: Event, city: City, text: str, owner: Person, due_on: dt.date, by: Person) -> FollowUp:
    follow_up = FollowUp.objects.create(event=event, city=city, text=text.strip(), owner=owner, due_on=due_on)
    record(obj=event, action=AuditKind.FOLLOW_UP_ADDED, actor=by, changes={"text": follow_up.text, "owner": str(owner)})
    return follow_up


@transaction.atomic
def complete_follow_up(*, follow_up: FollowUp, by: Person) -> FollowUp:
    if follow_up.done_at is None:
        follow_up.done_at = timezone.now()
        follow_up.save(update_fields=["done_at"])
        record(obj=follow_up.event, action=AuditKind.FOLLOW_UP_DONE, actor=by, changes={"text": follow_up.text})
        inbox.settle(kind=NoticeKind.FOLLOW_UP_OVERDUE, target_id=follow_up.pk)
    return follow_up


# Deliverables ------------------------------------------------------------------------


def check_document(upload: UploadedFile) -> None:
    """Refuse files that are too large or are not the office document they claim to be."""
    uploads.check_document(upload)


@transaction.atomic
def submit_deliverable(*, city: City, milestone: Milestone, upload: UploadedFile, note: str, by: Person) -> Submission:
    check_document(upload)
    latest = Submission.objects.select_for_update().filter(city=city, milestone=milestone).order_by("-number").first()
    if latest is not None and latest.status == SubmissionStatus.ACCEPTED:
        raise ValidationError(_("This version was already accepted; nothing more is due."))
    submission = Submission(
        city=city,
        milestone=milestone,
        number=(latest.number + 1) if latest else 1,
        original_name=Path(upload.name or "document").name[:200],
        size=upload.size or 0,
        note=note,
        submitted_by=by,
    )
    submission.document.save(submission.original_name, upload, save=False)
    submission.save()
    record(obj=submission, action=AuditKind.SUBMITTED, actor=by, changes={"file": submission.original_name})
    transaction.on_commit(lambda: tasks.notify_submission.enqueue(submission_id=submission.pk))
    return submission


@transaction.atomic
def review_submission(*, submission: Submission, decision: str, comment: str, by: Person) -> Review:
    """The lead expert's review (see :func:`icc.journey.access.get_submission_for_user`)."""
    if submission.status == SubmissionStatus.ACCEPTED:
        raise ValidationError(_("This version was already accepted."))
    latest = submission.city.submissions.filter(milestone=submission.milestone).order_by("-number").first()
    if decision != "comment" and latest is not None and latest.pk != submission.pk:
        raise ValidationError(_("A newer version was submitted; review that one."))
    review = Review.objects.create(submission=submission, author=by, decision=decision, comment=comment.strip())
    if decision in (SubmissionStatus.ACCEPTED, SubmissionStatus.CHANGES_REQUESTED):
        submission.status = decision
        submission.save(update_fields=["status"])
    record(obj=submission, action=AuditKind.REVIEWED, changes={"decision": decision}, actor=by)
    transaction.on_commit(lambda: tasks.notify_review.enqueue(review_id=review.pk))
    inbox.notify(
        kind=NoticeKind.REVIEWED,
        people=[submission.submitted_by_id],
        programme=submission.city.programme,
        target=review,
        actor=by,
        key=f"review:{review.pk}",
    )
    return review


# Achievements ------------------------------------------------------------------------


@transaction.atomic
def tick_achievement(
    *,
    city: City,
    item: AchievementItem,
    by: Person,
    evidence_event: Event | None = None,
    evidence_submission: Submission | None = None,
    evidence_note: str = "",
) -> Achievement:
    if not (evidence_event or evidence_submission or evidence_note.strip()):
        raise ValidationError(_("Give the evidence: an event, a deliverable or a note."))
    if evidence_event is not None and evidence_event.city_id not in (None, city.pk):
        raise ValidationError(_("That event belongs to another city."))
    if evidence_submission is not None and evidence_submission.city_id != city.pk:
        raise ValidationError(_("That deliverable belongs to another city."))
    achievement, _created = Achievement.objects.update_or_create(
        city=city,
        item=item,
        defaults={
            "evidence_event": evidence_event,
            "evidence_submission": evidence_submission,
            "evidence_note": evidence_note.strip(),
            "ticked_by": by,
            "ticked_at": timezone.now(),
        },
    )
    record(obj=city, action=AuditKind.ACHIEVEMENT_TICKED, actor=by, changes={"achievement": item.text})
    return achievement


@transaction.atomic
def untick_achievement(*, city: City, item: AchievementItem, by: Person) -> None:
    if Achievement.objects.filter(city=city, item=item).delete()[0]:
        record(obj=city, action=AuditKind.ACHIEVEMENT_UNTICKED, actor=by, changes={"achievement": item.text})


# Calendars and preferences -----------------------------------------------------------


@transaction.atomic
def issue_calendar_feed(*, person: Person, city: City | None) -> tuple[CalendarFeed, str]:
    """A new private calendar address of ``person`` (of one city, or of all theirs); the token is shown once."""
    feed, token = CalendarFeed.issue(person=person, city=city)
    record(obj=feed, action=AuditKind.CALENDAR_ISSUED, actor=person, changes={"city": str(city or "")})
    return feed, token


@transaction.atomic
def revoke_calendar_feed(*, feed: CalendarFeed, by: Person) -> CalendarFeed:
    """Stop a calendar address for good; revoking it again changes nothing."""
    if feed.revoked_at is None:
        feed.revoked_at = timezone.now()
        feed.save(update_fields=["revoked_at"])
        record(
            obj=feed, action=AuditKind.CALENDAR_REVOKED, actor=by, changes={"revoked_at": feed.revoked_at.isoformat()}
        )
    return feed


@transaction.atomic
def save_preferences(*, person: Person, changed: list[str], by: Person) -> Person:
    """Save the name and time zone a person chose (``person`` carries the form's values)."""
    person.save()
    if changed:
        record(
            obj=person,
            action=AuditKind.PREFERENCES_CHANGED,
            actor=by,
            changes={name: str(getattr(person, name)) for name in changed},
        )
    return person
