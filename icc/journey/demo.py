"""Journey activity for the demo edition: what a cohort half-way through would have done.

Cities on schedule have held their past events and handed in their past-due
deliverables, which their lead expert accepted; cities behind schedule stopped at the
phase they are still in, and missed a few of its events. Past multi-city events were
held, bar a few not yet recorded. Running it again adds nothing that is already there.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from icc.cities.models import City, RoleKind
from icc.cities.roles import CITY_SPEAKERS
from icc.journey.actions import TAG_SESSION_EVENT_KEYS
from icc.journey.models import (
    Achievement,
    AchievementItem,
    Event,
    EventStatus,
    FollowUp,
    Milestone,
    Review,
    Submission,
    SubmissionStatus,
    city_type_keys,
)
from icc.programmes.models import Programme

# The smallest well-formed PDF, cross-reference table included: enough for the upload
# checks and any PDF reader.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n0000000101 00000 n \n"
    b"trailer<</Size 4/Root 1 0 R>>\nstartxref\n164\n%%EOF\n"
)


@transaction.atomic
def record_demo_activity(*, programme: Programme) -> None:
    now = timezone.now()
    today = timezone.localdate()
    cities = list(
        City.objects.filter(programme=programme).select_related("current_phase").prefetch_related("roles__person")
    )
    _hold_past_multi_city_events(programme, now)
    for city in cities:
        if city.current_phase is None:
            continue
        held_until = (
            now
            if city.current_phase.key == "implementation"
            else dt.datetime.combine(city.current_phase.starts_on, dt.time(), tzinfo=dt.UTC)
        )
        Event.objects.filter(city=city, status=EventStatus.PLANNED, edited=False, ends_at__lt=held_until).update(
            status=EventStatus.HELD,
            minutes="Notes kept by the city team.",
            outcomes="Next steps agreed with the lead expert.",
            other_attendees=3,
        )
        if held_until < now:
            _hold_most_since(city, held_until, now)
        lead = next((r.person for r in city.roles.all() if r.kind == RoleKind.LEAD_EXPERT), None)
        rep = next((r.person for r in city.roles.all() if r.kind in CITY_SPEAKERS), None)
        if lead is None or rep is None:
            continue
        last_check_in = (
            Event.objects.filter(city=city, status=EventStatus.HELD, event_type__key__contains="lead-expert")
            .order_by("-starts_at")
            .first()
        )
        if last_check_in is not None and not last_check_in.follow_ups.exists():
            FollowUp.objects.create(
                event=last_check_in,
                city=city,
                text="Share the updated stakeholder map with the lead expert",
                owner=rep,
                due_on=last_check_in.starts_at.date() + dt.timedelta(days=21),
            )
        keys = city_type_keys(city)
        _tick_demo_achievements(city, keys, lead)
        if city.current_phase.key != "implementation":
            continue
        for milestone in Milestone.objects.filter(
            deliverable_type__programme=programme, due_on__lt=today
        ).select_related("deliverable_type"):
            if (
                not keys & set(milestone.deliverable_type.city_types)
                or Submission.objects.filter(city=city, milestone=milestone).exists()
            ):
                continue
            submission = Submission(
                city=city,
                milestone=milestone,
                number=1,
                original_name=f"{milestone.deliverable_type.key}-{milestone.version}.pdf",
                size=len(DEMO_PDF),
                submitted_by=rep,
                submitted_at=timezone.make_aware(dt.datetime.combine(milestone.due_on, dt.time(12))),
                status=SubmissionStatus.ACCEPTED,
            )
            submission.document.save(submission.original_name, ContentFile(DEMO_PDF), save=False)
            submission.save()
            Review.objects.create(
                submission=submission, author=lead, decision=SubmissionStatus.ACCEPTED, comment="Clear and complete."
            )


def _hold_most_since(city: City, since: dt.datetime, now: dt.datetime) -> None:
    """A city behind schedule still held most of its events since its phase began; a few were missed."""
    held = []
    for event in Event.objects.filter(
        city=city, status=EventStatus.PLANNED, edited=False, ends_at__gte=since, ends_at__lt=now
    ).select_related("event_type"):
        if _number(city.name, event.event_type.key, str(event.occurrence)) % 6 == 0:
            continue
        event.status = EventStatus.HELD
        event.minutes = "Notes kept by the city team."
        event.outcomes = "Progress reviewed; the city is catching up on its roadmap."
        event.other_attendees = 2
        held.append(event)
    Event.objects.bulk_update(held, ["status", "minutes", "outcomes", "other_attendees"])


def _number(*parts: str) -> int:
    return int(hashlib.sha256("|".join(parts).encode()).hexdigest()[:8], 16)


MULTI_CITY_OUTCOMES = (
    "Cities compared their approaches and agreed on three points to follow up.",
    "Each city presented its progress; the programme office shared the next steps.",
    "Peer feedback recorded for every city; slides and recordings shared afterwards.",
    "Good practices collected; two cities offered study visits to the others.",
)


def _hold_past_multi_city_events(programme: Programme, now: dt.datetime) -> None:
    """Past multi-city events were held, with a short outcome, except a realistic few not yet recorded.

    The TAG sessions are left to the TAGs, which hold their own dates."""
    past = (
        Event.objects.filter(programme=programme, city__isnull=True, status=EventStatus.PLANNED, ends_at__lt=now)
        .exclude(event_type__key__in=TAG_SESSION_EVENT_KEYS)
        .select_related("event_type")
    )
    held = []
    for event in past:
        number = _number(event.event_type.key, str(event.occurrence))
        # About one in twelve is still waiting for its record, as well as anything of the last fortnight.
        if number % 12 == 0 or event.ends_at > now - dt.timedelta(days=14):
            continue
        event.status = EventStatus.HELD
        event.outcomes = MULTI_CITY_OUTCOMES[number % len(MULTI_CITY_OUTCOMES)]
        event.other_attendees = 40 + number % 80
        held.append(event)
    Event.objects.bulk_update(held, ["status", "outcomes", "other_attendees"])


def _tick_demo_achievements(city: City, keys: set[str], lead: object) -> None:
    """Earlier phases done; the first two outcomes of the current phase done."""
    current = city.current_phase
    assert current is not None
    for item in AchievementItem.objects.filter(phase__programme_id=city.programme_id, phase__order__lte=current.order):
        if not keys & set(item.city_types):
            continue
        if item.phase_id == current.pk and item.order >= 2:
            continue
        Achievement.objects.get_or_create(
            city=city, item=item, defaults={"ticked_by": lead, "evidence_note": "Confirmed at a lead expert check-in."}
        )
