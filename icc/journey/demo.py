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
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from icc.accounts.models import Person
from icc.cities.models import City, Organisation, Role, RoleKind
from icc.cities.roles import CITY_SPEAKERS
from icc.journey.actions import TAG_SESSION_EVENT_KEYS
from icc.journey.models import (
    ECOSYSTEM_CALL,
    Achievement,
    AchievementItem,
    Agreement,
    Event,
    EventStatus,
    ExpertVisit,
    FollowUp,
    Milestone,
    Review,
    Submission,
    SubmissionStatus,
    city_type_keys,
)
from icc.programmes.models import Programme, TransversalService
from icc.roadmaps.models import Opportunity

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


# Ecosystem calls and transversal expert visits ------------------------------------------
# Run after the roadmaps are in place, so that some agreements become actions of them.

DEMO_CALL_CITIES = 6
PERSONA_CITY_REP = "city.rep@icc.example"


def _agreements_for(city: City, organisations: list[Organisation]) -> list[tuple[str, Organisation | None, str]]:
    """(what was agreed, by which stakeholder, what it becomes: action, follow-up or nothing yet)."""
    first, second = organisations[0], organisations[1 % len(organisations)]
    third = organisations[2 % len(organisations)]
    return [
        (
            f"{first.name} runs a joint call for smart-parking pilots in the old town with the city",
            first,
            "action",
        ),
        (f"{second.name} shares anonymised footfall data for the city centre", second, "follow-up"),
        (f"Invite the regional energy agency to the next complete ecosystem call of {city.name}", None, "follow-up"),
        (f"{third.name} checks whether its members can co-fund air-quality sensors", third, ""),
    ]


def record_demo_journey(*, programme: Programme) -> int:
    """Agendas, stakeholder attendance and agreements (some now roadmap actions or follow-ups)
    for the ecosystem calls of a few cities in implementation, and a held and a booked
    transversal expert visit for each. Returns how many cities got them; a city that already
    has agreements or visits is left as it is."""
    now = timezone.now()
    experts: dict[int, Person] = {
        role.service_id: role.person
        for role in Role.objects.filter(
            programme=programme, kind=RoleKind.TRANSVERSAL_EXPERT, service__isnull=False
        ).select_related("person")
        if role.service_id is not None
    }
    services = {service.slug: service for service in programme.services.all()}
    done = City.objects.filter(programme=programme, pk__in=Agreement.objects.values("city")).count()
    persona_city = Role.objects.filter(
        programme=programme, kind=RoleKind.CITY_REP, person__email=PERSONA_CITY_REP
    ).values("city")
    cities = (
        City.objects.filter(programme=programme)
        .filter(Q(current_phase__key="implementation") | Q(pk__in=persona_city))
        .exclude(pk__in=Agreement.objects.values("city"))
        .exclude(pk__in=ExpertVisit.objects.values("city"))
        .annotate(persona=Exists(persona_city.filter(city=OuterRef("pk"))))
        .select_related("programme")
        .order_by("-persona", "name")
    )
    added = 0
    for city in cities:
        if done + added >= DEMO_CALL_CITIES:
            break
        roles = list(Role.objects.filter(city=city).select_related("person"))
        rep = next((r.person for r in roles if r.kind == RoleKind.CITY_REP), None)
        organisations = list(Organisation.objects.filter(city=city))
        calls = list(Event.objects.filter(city=city, event_type__key=ECOSYSTEM_CALL).order_by("starts_at"))
        past = [call for call in calls if call.ends_at < now - dt.timedelta(days=1)]
        upcoming = [call for call in calls if call.starts_at > now]
        if rep is None or len(organisations) < 2 or len(past) < 2 or not upcoming:
            continue
        with transaction.atomic():
            _record_calls(city, rep, roles, organisations, past[-2], past[-1], upcoming[0])
            _record_visits(city, rep, experts, services, now)
        added += 1
    return added


def _record_calls(
    city: City,
    rep: Person,
    roles: list[Role],
    organisations: list[Organisation],
    earlier: Event,
    latest: Event,
    upcoming: Event,
) -> None:
    from icc.journey import actions

    today = timezone.localdate()
    stakeholders = [r.person for r in roles if r.kind == RoleKind.STAKEHOLDER]
    opportunity = Opportunity.objects.filter(city=city).first()
    for call in (earlier, latest, upcoming):
        actions.use_illustrative_agenda(event=call, by=rep)
    actions.add_agenda_item(
        event=upcoming, title="Funding opportunities: what the transversal expert found", duration_minutes=10, by=rep
    )
    for call in (earlier, latest):
        call.status = EventStatus.HELD
        call.save(update_fields=["status"])
        call.attendees.add(rep)
        if call.variant.lower().startswith("complete"):  # the alignment meeting is the city team's own
            call.attendees.add(*stakeholders)
            call.organisations.set(organisations)
    made = []
    for text, organisation, becomes in _agreements_for(city, organisations):
        if becomes == "action" and opportunity is None:
            becomes = "follow-up"
        owner_organisation = organisation if becomes == "action" else None
        made.append(
            actions.record_agreement(
                event=earlier,
                text=text,
                organisation=organisation,
                becomes=becomes,
                owner_person=None if owner_organisation else rep,
                owner_organisation=owner_organisation,
                due_on=today + dt.timedelta(days=28),
                opportunity=opportunity if becomes == "action" else None,
                by=rep,
            )
        )
    # The latest call closed the data-sharing agreement and carried the others over.
    actions.review_agreement(event=latest, agreement=made[1], outcome="done", by=rep)
    for agreement in (made[0], made[2]):
        actions.review_agreement(event=latest, agreement=agreement, outcome="carried", by=rep)
    actions.record_agreement(
        event=latest,
        text=f"The city team drafts the open data policy charter of {city.name} for the next call",
        organisation=None,
        becomes="follow-up",
        owner_person=rep,
        due_on=today + dt.timedelta(days=14),
        by=rep,
    )


def _record_visits(
    city: City, rep: Person, experts: dict[int, Person], services: dict[str, TransversalService], now: dt.datetime
) -> None:
    from icc.journey import actions

    finance, procurement = services.get("finance"), services.get("procurement")
    event_type = actions.visit_event_type(city.programme)
    if event_type is None or finance is None or procurement is None:
        return
    finance_expert, procurement_expert = experts.get(finance.pk), experts.get(procurement.pk)
    held_day = timezone.localdate(now) - dt.timedelta(days=40)
    if finance_expert is not None and city.programme.phase_on(held_day) is not None:
        event = actions.add_city_event(
            city=city,
            event_type=event_type,
            day=held_day,
            location=f"{city.name} city hall",
            variant=f"{event_type.name}: {finance.name}",
            by=rep,
        )
        visit = ExpertVisit.objects.create(
            city=city,
            event=event,
            slot=1,
            service=finance,
            expert=finance_expert,
            purpose="Review the funding plan of the roadmap's top actions and the readiness of the finance team "
            "to apply for EU programmes.",
            booked_by=rep,
            booked_at=now - dt.timedelta(days=70),
        )
        actions.report_visit(
            visit=visit,
            report=(
                "Met the finance team and the roadmap owners for a day and a half. Two actions (the heat network "
                "extension and the smart-parking pilot) fit open calls of the Urban Innovative Actions successor and "
                "the regional ERDF programme; the city lacks a named person to track calls and co-funding. Agreed: the "
                "finance team nominates a funding officer, and the city checks co-funding for the sensors with the "
                "chamber of commerce before the next cycle plan."
            ),
            by=finance_expert,
        )
    booked_day = timezone.localdate(now) + dt.timedelta(days=24)
    if procurement_expert is not None and city.programme.phase_on(booked_day) is not None:
        actions.book_visit(
            city=city,
            service=procurement,
            expert=procurement_expert,
            day=booked_day,
            location=f"{city.name} procurement office",
            purpose="Prepare a market consultation for the smart-parking pilot and decide between a PCP and a PPI "
            "tender, possibly jointly with another ICC city.",
            by=rep,
        )
