"""Changes to an ecosystem call: its agenda, the agreements made, and their review at the next call.

An agreement becomes, in the same step or later, a roadmap action or a follow-up of the
call's city, never of another: the opportunity, the owner and the stakeholder must all be
the city's own.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from icc.cities.models import City, Organisation, Role
from icc.core.models import AuditKind, record
from icc.journey.actions.schedule import add_follow_up, complete_follow_up
from icc.journey.models import (
    AgendaItem,
    Agreement,
    AgreementReview,
    AgreementStatus,
    Event,
    EventStatus,
    ReviewOutcome,
)
from icc.journey.models.calls import MAX_AGENDA_ITEMS
from icc.roadmaps import actions as roadmap_actions
from icc.roadmaps.models import Action, Opportunity

if TYPE_CHECKING:
    from icc.accounts.models import Person

BECOMES_ACTION = "action"
BECOMES_FOLLOW_UP = "follow-up"
_MINUTES = re.compile(r"\s*\((\d{1,3})\s*min\)\s*$")


# Agenda -------------------------------------------------------------------------------


def _next_position(event: Event) -> int:
    return (event.agenda_items.aggregate(last=Max("position"))["last"] or 0) + 1


@transaction.atomic
def add_agenda_item(*, event: Event, title: str, duration_minutes: int | None, by: Person) -> AgendaItem:
    Event.objects.select_for_update().filter(pk=event.pk).first()
    if event.agenda_items.count() >= MAX_AGENDA_ITEMS:
        raise ValidationError(
            _("An agenda holds at most %(count)s items; remove one first.") % {"count": MAX_AGENDA_ITEMS}
        )
    item = AgendaItem.objects.create(
        event=event, position=_next_position(event), title=title.strip(), duration_minutes=duration_minutes
    )
    record(obj=event, action=AuditKind.CHANGED, actor=by, changes={"agenda_item_added": item.title})
    return item


@transaction.atomic
def use_illustrative_agenda(*, event: Event, by: Person) -> list[AgendaItem]:
    """Start the call's agenda from its event type's illustrative one (only while it has none)."""
    Event.objects.select_for_update().filter(pk=event.pk).first()
    if event.agenda_items.exists():
        raise ValidationError(_("This call already has an agenda; add or remove items instead."))
    items = []
    for position, line in enumerate(event.event_type.agenda[:MAX_AGENDA_ITEMS], start=1):
        text = str(line)
        found = _MINUTES.search(text)
        minutes = int(found.group(1)) if found else None
        title = (_MINUTES.sub("", text) if found else text).strip()[:200]
        items.append(AgendaItem(event=event, position=position, title=title, duration_minutes=minutes))
    AgendaItem.objects.bulk_create(items)
    record(obj=event, action=AuditKind.CHANGED, actor=by, changes={"agenda": "illustrative agenda used"})
    return items


@transaction.atomic
def move_agenda_item(*, item: AgendaItem, up: bool, by: Person) -> AgendaItem:
    """Swap the item with the one before it (``up``) or after it; at either end nothing moves."""
    items = list(AgendaItem.objects.select_for_update().filter(event_id=item.event_id).order_by("position", "pk"))
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    other_index = index - 1 if up else index + 1
    if 0 <= other_index < len(items):
        items[index], items[other_index] = items[other_index], items[index]
        for position, each in enumerate(items, start=1):
            each.position = position
        AgendaItem.objects.bulk_update(items, ["position"])
        record(obj=item.event, action=AuditKind.CHANGED, actor=by, changes={"agenda_item_moved": item.title})
    return item


@transaction.atomic
def remove_agenda_item(*, item: AgendaItem, by: Person) -> None:
    event = item.event
    item.delete()
    items = list(AgendaItem.objects.select_for_update().filter(event=event).order_by("position", "pk"))
    for position, each in enumerate(items, start=1):
        each.position = position
    AgendaItem.objects.bulk_update(items, ["position"])
    record(obj=event, action=AuditKind.CHANGED, actor=by, changes={"agenda_item_removed": item.title})


# Agreements ---------------------------------------------------------------------------


def is_of_city(person: Person, city: City) -> bool:
    """Whether ``person`` holds a role in ``city``: who may own its actions and follow-ups."""
    return Role.objects.filter(person_id=person.pk, city=city).exists()


def _check_stakeholder(organisation: Organisation | None, city: City) -> None:
    if organisation is not None and organisation.city_id != city.pk:
        raise ValidationError(
            _("%(organisation)s is not in the ecosystem of %(city)s.") % {"organisation": organisation, "city": city}
        )


@transaction.atomic
def record_agreement(
    *,
    event: Event,
    text: str,
    organisation: Organisation | None,
    by: Person,
    becomes: str = "",
    owner_person: Person | None = None,
    owner_organisation: Organisation | None = None,
    due_on: dt.date | None = None,
    opportunity: Opportunity | None = None,
) -> Agreement:
    """Record what was agreed during the call and, in the same step, what it becomes (if anything)."""
    city = event.city
    if city is None:
        raise ValidationError(_("Only a city's own calls record agreements."))
    if event.status == EventStatus.CANCELLED:
        raise ValidationError(_("This call was cancelled: it has no agreements."))
    _check_stakeholder(organisation, city)
    agreement = Agreement.objects.create(
        event=event, city=city, text=text.strip(), organisation=organisation, recorded_by=by
    )
    record(obj=event, action=AuditKind.CHANGED, actor=by, changes={"agreement_recorded": agreement.text})
    if becomes:
        turn_agreement_into(
            agreement=agreement,
            becomes=becomes,
            owner_person=owner_person,
            owner_organisation=owner_organisation,
            due_on=due_on,
            opportunity=opportunity,
            by=by,
        )
    return agreement


def _check_owner(
    city: City, becomes: str, owner_person: Person | None, owner_organisation: Organisation | None
) -> None:
    if owner_person is not None and owner_organisation is not None:
        raise ValidationError(_("Name one owner: a person or an organisation, not both."))
    if owner_person is None and owner_organisation is None:
        raise ValidationError(_("Name who owns it: a person or an organisation of %(city)s.") % {"city": city})
    if owner_person is not None and not is_of_city(owner_person, city):
        raise ValidationError(
            _("%(person)s has no role in %(city)s: the owner must be one of the city's people.")
            % {"person": owner_person, "city": city}
        )
    if owner_organisation is not None:
        if owner_organisation.city_id != city.pk:
            raise ValidationError(
                _("%(organisation)s is not in the ecosystem of %(city)s: the owner must be the city's own.")
                % {"organisation": owner_organisation, "city": city}
            )
        if becomes == BECOMES_FOLLOW_UP:
            raise ValidationError(
                _("A follow-up is owned by a person; an organisation can own a roadmap action instead.")
            )


@transaction.atomic
def turn_agreement_into(
    *,
    agreement: Agreement,
    becomes: str,
    by: Person,
    owner_person: Person | None = None,
    owner_organisation: Organisation | None = None,
    due_on: dt.date | None = None,
    opportunity: Opportunity | None = None,
) -> Agreement:
    """Make the agreement a roadmap action of its city (on one of the city's opportunities) or
    a follow-up of its call; the agreement keeps the link to it."""
    agreement = Agreement.objects.select_for_update().select_related("event__event_type", "city").get(pk=agreement.pk)
    city = agreement.city
    if agreement.action_id or agreement.follow_up_id:
        raise ValidationError(_("This agreement already became an action or a follow-up."))
    if becomes not in (BECOMES_ACTION, BECOMES_FOLLOW_UP):
        raise ValidationError(_("Choose what the agreement becomes: a roadmap action or a follow-up."))
    _check_owner(city, becomes, owner_person, owner_organisation)
    if due_on is None:
        raise ValidationError(_("Give the due date."))
    if due_on < timezone.localdate():
        raise ValidationError(_("The due date is in the past."))
    if becomes == BECOMES_ACTION:
        if opportunity is None:
            raise ValidationError(_("Choose the opportunity of %(city)s the action serves.") % {"city": city})
        if opportunity.city_id != city.pk:
            raise ValidationError(
                _("That opportunity belongs to another city: an agreement of %(city)s becomes an action of %(city)s.")
                % {"city": city}
            )
        call_day = timezone.localdate(agreement.event.starts_at)
        action = Action(
            city=city,
            opportunity=opportunity,
            title=agreement.text[:200],
            description=_("Agreed at the %(call)s of %(day)s.")
            % {"call": agreement.event, "day": date_format(call_day, "DATE_FORMAT")},
            owner_person=owner_person,
            owner_organisation=owner_organisation,
            starts_on=min(call_day, due_on),
            ends_on=due_on,
        )
        roadmap_actions.save_action(
            action=action,
            relations={},
            expected_version=0,
            changed=["title", "opportunity", "owner_person", "owner_organisation", "starts_on", "ends_on"],
            by=by,
        )
        agreement.action = action
    else:
        assert owner_person is not None  # checked above: a follow-up is owned by a person
        agreement.follow_up = add_follow_up(
            event=agreement.event, city=city, text=agreement.text, owner=owner_person, due_on=due_on, by=by
        )
    agreement.save(update_fields=["action", "follow_up"])
    record(
        obj=agreement.event,
        action=AuditKind.CHANGED,
        actor=by,
        changes={"agreement": agreement.text, "became": becomes},
    )
    return agreement


@transaction.atomic
def review_agreement(*, event: Event, agreement: Agreement, outcome: str, by: Person) -> AgreementReview:
    """A later call of the same city marks an earlier agreement done, or carries it over to the next call."""
    if outcome not in ReviewOutcome.values:
        raise ValidationError(_("Choose done or carried over."))
    if agreement.city_id != event.city_id or agreement.event.starts_at >= event.starts_at:
        raise ValidationError(_("A call reviews the agreements of the city's earlier calls only."))
    agreement = Agreement.objects.select_for_update(of=("self",)).select_related("follow_up").get(pk=agreement.pk)
    later = AgreementReview.objects.filter(agreement=agreement, event__starts_at__gt=event.starts_at).exists()
    if later:
        raise ValidationError(_("A later call already reviewed this agreement; change it there."))
    review, _created = AgreementReview.objects.update_or_create(
        agreement=agreement, event=event, defaults={"outcome": outcome, "by": by, "at": timezone.now()}
    )
    if outcome == ReviewOutcome.DONE:
        agreement.status, agreement.done_at = AgreementStatus.DONE, timezone.now()
        if agreement.follow_up is not None:
            complete_follow_up(follow_up=agreement.follow_up, by=by)
    else:
        agreement.status, agreement.done_at = AgreementStatus.OPEN, None
    agreement.save(update_fields=["status", "done_at"])
    record(obj=event, action=AuditKind.CHANGED, actor=by, changes={"agreement": agreement.text, "review": outcome})
    return review
