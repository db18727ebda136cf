"""iCalendar feeds: a person's or a city's events, with stable UIDs and revision numbers
so that calendar programs update an event in place when it moves."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as VEvent

from icc.cities.access import get_city_for_user
from icc.journey.access import cities_of
from icc.journey.models import CalendarFeed, Event, EventStatus

PRODUCT_ID = "-//ICC platform//Programme journey//EN"


def feed_for_token(token: str) -> CalendarFeed | None:
    """The feed behind a calendar address, while it may still be served.

    An address carries its owner's rights as they are now, not as they were when it was
    made: it stops once the owner is deactivated, and a city's address stops once the
    owner may no longer open that city (a role removed, a city moved to another track).
    """
    feed = CalendarFeed.objects.for_token(token)
    if feed is None or not feed.person.is_active:
        return None
    if feed.city is not None:
        try:
            get_city_for_user(feed.person, feed.city.pk)
        except (Http404, PermissionDenied):
            return None
    return feed


def feed_events(feed: CalendarFeed) -> list[Event]:
    cities = [feed.city] if feed.city is not None else cities_of(feed.person)
    return list(Event.objects.for_cities(cities).select_related("event_type", "city").order_by("starts_at"))


def render_calendar(feed: CalendarFeed) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", str(feed))
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0]
    stamp = timezone.now()
    for event in feed_events(feed):
        entry = VEvent()
        entry.add("uid", f"{event.uid}@{host}")
        entry.add("sequence", event.sequence)
        entry.add("dtstamp", stamp)
        entry.add("last-modified", event.updated_at)
        entry.add("dtstart", event.starts_at)
        entry.add("dtend", event.ends_at)
        title = str(event)
        entry.add("summary", f"{event.city.name}: {title}" if event.city else title)
        lines = [event.event_type.purpose]
        if event.event_type.checklist:
            lines += ["", "To have ready:", *(f"- {item}" for item in event.event_type.checklist)]
        lines += ["", settings.SITE_URL + event.get_absolute_url()]
        entry.add("description", "\n".join(lines).strip())
        if event.location:
            entry.add("location", event.location)
        entry.add("url", settings.SITE_URL + event.get_absolute_url())
        entry.add("status", "CANCELLED" if event.status == EventStatus.CANCELLED else "CONFIRMED")
        calendar.add_component(entry)
    return calendar.to_ical()
