"""Who may see and change events, follow-ups, deliverables and calendar feeds."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import Http404

from icc.cities.access import can_edit_city, get_city_for_user, is_programme_team, programmes_for
from icc.cities.models import City
from icc.journey.models import CalendarFeed, Event, FollowUp, Submission

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from icc.accounts.models import Person


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


def get_submission_for_user(person: Person | AnonymousUser, submission_id: int) -> Submission:
    submission = (
        Submission.objects.select_related("city", "milestone__deliverable_type").filter(pk=submission_id).first()
    )
    if submission is None:
        raise Http404
    get_city_for_user(person, submission.city.pk)
    return submission


def get_feed_for_user(person: Person, feed_id: int) -> CalendarFeed:
    feed = CalendarFeed.objects.filter(pk=feed_id, person=person).first()
    if feed is None:
        raise Http404
    return feed


def cities_of(person: Person | AnonymousUser) -> list[City]:
    """The cities a person works for or coaches: the ones their home page and feed follow."""
    from icc.cities.access import CITY_VIEW_ROLES

    if not person.is_authenticated:
        return []
    return list(
        City.objects.filter(roles__person_id=person.pk, roles__kind__in=CITY_VIEW_ROLES)
        .select_related("programme")
        .distinct()
        .order_by("name")
    )
