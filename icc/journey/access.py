"""Who may see and change events, follow-ups, deliverables, achievements and calendar feeds.

Every id a journey view gets from its URL or a form becomes an object here and nowhere
else: something a person may not see, or that does not exist, is a 404; something they
may see but not change is a 403.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import Http404

from icc.accounts.models import Person
from icc.cities.access import can_edit_city, get_city_for_user, get_programme_for_user, programmes_for
from icc.cities.models import City, Organisation, Role, RoleKind
from icc.cities.roles import CITY_VIEW_ROLES, is_lead_expert_of, is_programme_team
from icc.journey.models import (
    ECOSYSTEM_CALL,
    AchievementItem,
    AgendaItem,
    Agreement,
    CalendarFeed,
    Event,
    EventType,
    ExpertVisit,
    FollowUp,
    Milestone,
    Submission,
    city_type_keys,
)
from icc.programmes.models import Programme

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.db.models import QuerySet


def get_event_for_user(person: Person | AnonymousUser, event_id: int, *, write: bool = False) -> Event:
    """A city's event follows the city's rules; a multi-city event is seen by the
    edition's participants and changed by its programme team."""
    event = (
        Event.objects.select_related("event_type", "city", "phase", "programme", "city__programme")
        .filter(pk=event_id)
        .first()
    )
    if event is None:
        raise Http404
    if event.city is not None:
        get_city_for_user(person, event.city.pk, write=write)
        return event
    if event.programme not in programmes_for(person):
        raise Http404
    if write and not is_programme_team(person, event.programme):
        raise PermissionDenied
    return event


def may_edit_event(person: Person | AnonymousUser, event: Event) -> bool:
    """Whether ``person`` may move and write up ``event`` (which they may see)."""
    if event.city is not None:
        return can_edit_city(person, event.city)
    return is_programme_team(person, event.programme)


def get_city_event_for_user(
    person: Person | AnonymousUser, event_id: int, *, write: bool = False
) -> tuple[Event, City]:
    """An event of one city, and the city: only those take follow-ups, which belong to the city."""
    event = get_event_for_user(person, event_id, write=write)
    if event.city is None:
        raise Http404
    return event, event.city


def people_for_event(event: Event) -> QuerySet[Person]:
    """Who can attend ``event`` or own one of its follow-ups: the people with a role in its city (or the edition)."""
    roles = (
        Role.objects.filter(city=event.city)
        if event.city
        else Role.objects.filter(programme=event.programme, city__isnull=True)
    )
    return Person.objects.filter(pk__in=roles.values("person")).order_by("full_name")


def get_follow_up_for_user(person: Person | AnonymousUser, follow_up_id: int) -> FollowUp:
    """Its owner or anyone who may edit the city may close a follow-up."""
    follow_up = FollowUp.objects.select_related("event", "city", "city__programme").filter(pk=follow_up_id).first()
    if follow_up is None:
        raise Http404
    if follow_up.owner_id == person.pk:
        return follow_up
    city = get_city_for_user(person, follow_up.city.pk)
    if not can_edit_city(person, city):
        raise PermissionDenied
    return follow_up


def get_milestone_for_user(
    person: Person | AnonymousUser, city_id: int, milestone_id: int, *, write: bool = False
) -> tuple[City, Milestone]:
    """A deliverable's milestone that concerns the city (by its type), and the city itself.

    Writing (submitting a version) needs the right to change the city.
    """
    city = get_city_for_user(person, city_id, write=write)
    milestone = (
        Milestone.objects.select_related("deliverable_type")
        .filter(pk=milestone_id, deliverable_type__programme=city.programme)
        .first()
    )
    if milestone is None or not (city_type_keys(city) & set(milestone.deliverable_type.city_types)):
        raise Http404
    return city, milestone


def get_submission_for_user(person: Person | AnonymousUser, submission_id: int, *, review: bool = False) -> Submission:
    """A submitted version of a deliverable; only the city's lead expert reviews it."""
    submission = (
        Submission.objects.select_related("city", "city__programme", "milestone__deliverable_type")
        .filter(pk=submission_id)
        .first()
    )
    if submission is None:
        raise Http404
    get_city_for_user(person, submission.city.pk)
    if review and not is_lead_expert_of(person, submission.city):
        raise PermissionDenied
    return submission


def get_achievement_item_for_user(
    person: Person | AnonymousUser, city_id: int, item_id: int, *, write: bool = False
) -> tuple[City, AchievementItem]:
    """One of the edition's phase achievements, for the city to tick or untick."""
    city = get_city_for_user(person, city_id, write=write)
    item = AchievementItem.objects.filter(pk=item_id, phase__programme=city.programme).first()
    if item is None:
        raise Http404
    return city, item


def get_event_type_for_user(
    person: Person | AnonymousUser, slug: str, event_type_id: int, *, write: bool = False
) -> EventType:
    """An event type of the edition's catalogue; reading and writing both belong to the programme team."""
    programme = get_programme_for_user(person, slug, write=True)
    event_type = EventType.objects.filter(programme=programme, pk=event_type_id).select_related("programme").first()
    if event_type is None:
        raise Http404
    return event_type


def get_feed_for_user(person: Person, feed_id: int, *, write: bool = False) -> CalendarFeed:
    """One of the person's own calendar addresses: nobody else's exists for them."""
    feed = CalendarFeed.objects.filter(pk=feed_id, person=person).first()
    if feed is None:
        raise Http404
    return feed


def cities_of(person: Person | AnonymousUser) -> list[City]:
    """The cities a person works for or coaches: the ones their home page and feed follow."""
    if not person.is_authenticated:
        return []
    return list(
        City.objects.filter(roles__person_id=person.pk, roles__kind__in=CITY_VIEW_ROLES)
        .select_related("programme")
        .distinct()
        .order_by("name")
    )


# Ecosystem calls -----------------------------------------------------------------------


def get_call_for_user(person: Person | AnonymousUser, event_id: int, *, write: bool = False) -> tuple[Event, City]:
    """An ecosystem call of a city: its team writes its agenda and agreements, those who see the city read them."""
    event, city = get_city_event_for_user(person, event_id, write=write)
    if event.event_type.key != ECOSYSTEM_CALL:
        raise Http404
    return event, city


def get_agenda_item_for_user(person: Person | AnonymousUser, item_id: int) -> AgendaItem:
    """An item of a call's agenda, to move or remove: the call's writers only."""
    item = AgendaItem.objects.filter(pk=item_id).only("pk", "event_id").first()
    if item is None:
        raise Http404
    event, _city = get_call_for_user(person, item.event_id, write=True)
    item = AgendaItem.objects.get(pk=item.pk)
    item.event = event
    return item


def get_agreement_for_user(person: Person | AnonymousUser, agreement_id: int, *, write: bool = False) -> Agreement:
    """An agreement of a call, read and changed as its call is."""
    agreement = Agreement.objects.filter(pk=agreement_id).first()
    if agreement is None:
        raise Http404
    event, city = get_call_for_user(person, agreement.event_id, write=write)
    agreement.event, agreement.city = event, city
    return agreement


def get_review_pair_for_user(
    person: Person | AnonymousUser, event_id: int, agreement_id: int
) -> tuple[Event, Agreement]:
    """A call and an agreement of an earlier call of the same city, which the call reviews."""
    event, city = get_call_for_user(person, event_id, write=True)
    agreement = (
        Agreement.objects.select_related("event", "follow_up")
        .filter(pk=agreement_id, city=city, event__starts_at__lt=event.starts_at)
        .first()
    )
    if agreement is None:
        raise Http404
    return event, agreement


def organisations_of(city: City) -> QuerySet[Organisation]:
    """The city's ecosystem organisations: who may attend its calls, agree and own what was agreed."""
    return Organisation.objects.filter(city=city).order_by("name")


# Transversal expert visits -------------------------------------------------------------


def transversal_experts(programme: Programme) -> QuerySet[Person]:
    """The people holding the transversal expert role of the edition, who may be booked for a visit."""
    roles = Role.objects.filter(programme=programme, kind=RoleKind.TRANSVERSAL_EXPERT)
    return Person.objects.filter(pk__in=roles.values("person"), is_active=True).order_by("full_name")


def get_visit_for_user(
    person: Person | AnonymousUser, visit_id: int, *, write: bool = False, report: bool = False
) -> ExpertVisit:
    """A city's visit: those who see the city read it, its team cancels it; the team or the
    visiting expert writes its report."""
    visit = (
        ExpertVisit.objects.select_related("event__event_type", "event__phase", "service", "expert", "city")
        .filter(pk=visit_id)
        .first()
    )
    if visit is None:
        raise Http404
    expert_reporting = report and person.is_authenticated and visit.expert_id == person.pk
    city = get_city_for_user(person, visit.city_id, write=write or (report and not expert_reporting))
    visit.city = city
    return visit


def may_report_visit(person: Person | AnonymousUser, visit: ExpertVisit) -> bool:
    return (person.is_authenticated and visit.expert_id == person.pk) or can_edit_city(person, visit.city)
