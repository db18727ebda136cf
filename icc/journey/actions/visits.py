"""Booking, cancelling and reporting transversal expert visits, against the city's credit.

The credit is the count of the edition's transversal expert visit event type (the seeds'
"credit of two"). A booking locks the city's row, so two bookings at once are taken one
after the other; and each visit holds a numbered credit that the database lets no two
live visits of a city share, so a third visit is refused whatever the database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from icc.cities.models import City, Role, RoleKind
from icc.core.models import AuditKind, record
from icc.journey.actions.schedule import add_city_event
from icc.journey.models import (
    DEFAULT_VISIT_CREDIT,
    EXPERT_VISIT,
    EventStatus,
    EventType,
    ExpertVisit,
    VisitStatus,
)
from icc.programmes.models import Programme, TransversalService

if TYPE_CHECKING:
    from icc.accounts.models import Person


def visit_event_type(programme: Programme) -> EventType | None:
    return EventType.objects.filter(programme=programme, key=EXPERT_VISIT).first()


def visit_credit(event_type: EventType | None) -> int:
    """How many visits each city may book: the event type's count, or the seeds' two."""
    if event_type is None or event_type.count is None:
        return DEFAULT_VISIT_CREDIT
    return int(event_type.count)


@dataclass(frozen=True)
class Balance:
    credit: int
    used: int

    @property
    def remaining(self) -> int:
        return max(self.credit - self.used, 0)


def balance_of(city: City, event_type: EventType | None = None) -> Balance:
    event_type = event_type if event_type is not None else visit_event_type(city.programme)
    used = ExpertVisit.objects.filter(city=city).exclude(status=VisitStatus.CANCELLED).count()
    return Balance(credit=visit_credit(event_type), used=used)


def _no_credit(credit: int) -> ValidationError:
    return ValidationError(
        ngettext(
            "The city has used its %(credit)s transversal expert visit. Cancel a booked visit to book another.",
            "The city has used all %(credit)s of its transversal expert visits. Cancel a booked visit to book another.",
            credit,
        )
        % {"credit": credit}
    )


def check_expert(*, programme: Programme, service: TransversalService, expert: Person) -> None:
    roles = Role.objects.filter(person_id=expert.pk, programme=programme, kind=RoleKind.TRANSVERSAL_EXPERT)
    if not expert.is_active or not roles.exists():
        raise ValidationError(
            _("%(person)s is not a transversal expert of %(programme)s.") % {"person": expert, "programme": programme}
        )
    if not roles.filter(service=service).exists():
        raise ValidationError(
            _("%(person)s is not a transversal expert for %(service)s; choose one of its experts.")
            % {"person": expert, "service": service}
        )


@transaction.atomic
def book_visit(
    *,
    city: City,
    service: TransversalService,
    expert: Person,
    day: dt.date,
    purpose: str,
    by: Person,
    location: str = "",
) -> ExpertVisit:
    """Book a visit: it takes one of the city's credits and puts the visit in the city's journey."""
    programme = city.programme
    event_type = visit_event_type(programme)
    if event_type is None:
        raise ValidationError(
            _(
                "The edition's journey has no transversal expert visits yet; the programme team loads its template first."
            )
        )
    if day < timezone.localdate():
        raise ValidationError(_("The visit date is in the past; choose today or a later day."))
    if service.programme_id != programme.pk:
        raise ValidationError(_("That service is not one of the edition's."))
    check_expert(programme=programme, service=service, expert=expert)
    if not purpose.strip():
        raise ValidationError(_("Say what the visit is for."))
    # Bookings of one city are taken one at a time (PostgreSQL waits here; SQLite writes one at a time anyway).
    City.objects.select_for_update().filter(pk=city.pk).first()
    credit = visit_credit(event_type)
    taken = set(
        ExpertVisit.objects.filter(city=city).exclude(status=VisitStatus.CANCELLED).values_list("slot", flat=True)
    )
    free = sorted(set(range(1, credit + 1)) - taken)
    if not free:
        raise _no_credit(credit)
    event = add_city_event(
        city=city,
        event_type=event_type,
        day=day,
        location=location,
        variant=f"{event_type.name}: {service.name}",
        by=by,
    )
    try:
        with transaction.atomic():
            visit = ExpertVisit.objects.create(
                city=city,
                event=event,
                slot=free[0],
                service=service,
                expert=expert,
                purpose=purpose.strip(),
                booked_by=by,
            )
    except IntegrityError:
        raise _no_credit(credit) from None
    record(
        obj=visit,
        action=AuditKind.CREATED,
        actor=by,
        changes={"service": str(service), "expert": str(expert), "day": day.isoformat()},
    )
    return visit


@transaction.atomic
def cancel_visit(*, visit: ExpertVisit, by: Person) -> ExpertVisit:
    """Cancel a booked visit: its credit is given back and calendars show it cancelled."""
    visit = ExpertVisit.objects.select_for_update().select_related("event").get(pk=visit.pk)
    if visit.status == VisitStatus.CANCELLED:
        return visit
    if visit.status == VisitStatus.HELD:
        raise ValidationError(_("This visit took place and has its report; it cannot be cancelled."))
    visit.status, visit.cancelled_by, visit.cancelled_at = VisitStatus.CANCELLED, by, timezone.now()
    visit.save(update_fields=["status", "cancelled_by", "cancelled_at"])
    event = visit.event
    event.status = EventStatus.CANCELLED
    event.sequence += 1
    event.save(update_fields=["status", "sequence", "updated_at"])
    record(obj=visit, action=AuditKind.CHANGED, actor=by, changes={"status": VisitStatus.CANCELLED})
    return visit


@transaction.atomic
def report_visit(*, visit: ExpertVisit, report: str, by: Person) -> ExpertVisit:
    """Write (or correct) the report after the visit; the visit and its event count as held."""
    visit = ExpertVisit.objects.select_for_update().select_related("event", "expert").get(pk=visit.pk)
    if visit.status == VisitStatus.CANCELLED:
        raise ValidationError(_("This visit was cancelled; there is nothing to report."))
    if visit.event.starts_at > timezone.now():
        raise ValidationError(_("The visit has not taken place yet; write its report afterwards."))
    if not report.strip():
        raise ValidationError(_("Write what the visit achieved."))
    visit.report, visit.status = report.strip(), VisitStatus.HELD
    visit.reported_by, visit.reported_at = by, timezone.now()
    visit.save(update_fields=["report", "status", "reported_by", "reported_at"])
    event = visit.event
    if event.status != EventStatus.HELD:
        event.status = EventStatus.HELD
        event.sequence += 1
        event.save(update_fields=["status", "sequence", "updated_at"])
    event.attendees.add(visit.expert)
    record(obj=visit, action=AuditKind.CHANGED, actor=by, changes={"report": "written"})
    return visit
