from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from typing import Any

import pytest
from django.urls import reverse

from icc.journey.actions import generate_schedules, install_template
from icc.journey.models import Event

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
LAB_STARTS = dt.datetime(2026, 3, 10, 10, tzinfo=BRUSSELS)
LAB_ENDS = LAB_STARTS + dt.timedelta(minutes=960)


@pytest.fixture
def scheduled(cast: Any) -> Any:
    install_template(programme=cast.programme)
    generate_schedules(programme=cast.programme)
    return cast


def end_text(page: str, ends_at: dt.datetime) -> str:
    """The text of the <time> element that gives ``ends_at``."""
    found = re.search(rf'<time datetime="{re.escape(ends_at.isoformat())}">([^<]*)</time>', page)
    assert found, f"no end time {ends_at.isoformat()} on the page"
    return found.group(1)


def make_long(event: Event | None) -> Event:
    assert event is not None
    Event.objects.filter(pk=event.pk).update(starts_at=LAB_STARTS, ends_at=LAB_ENDS)
    event.refresh_from_db()
    return event


def test_event_page_of_an_event_ending_the_next_day_names_both_days(scheduled: Any) -> None:
    event = make_long(Event.objects.filter(city=scheduled.city_a).first())

    page = scheduled.client_for("rep_a").get(reverse("journey:event", kwargs={"pk": event.pk})).content.decode()

    text = end_text(page, LAB_ENDS)
    assert "02:00" in text and "11" in text and "2026" in text


def test_event_page_of_a_same_day_event_gives_only_the_end_time(scheduled: Any) -> None:
    event = Event.objects.filter(city=scheduled.city_a).first()
    assert event is not None
    Event.objects.filter(pk=event.pk).update(starts_at=LAB_STARTS, ends_at=LAB_STARTS + dt.timedelta(hours=2))

    page = scheduled.client_for("rep_a").get(reverse("journey:event", kwargs={"pk": event.pk})).content.decode()

    assert end_text(page, LAB_STARTS + dt.timedelta(hours=2)) == "12:00"


def test_city_journey_list_shows_the_end_day_of_a_multi_day_event(scheduled: Any) -> None:
    make_long(Event.objects.filter(city=scheduled.city_a).first())

    page = scheduled.client_for("rep_a").get(reverse("journey:city", kwargs={"pk": scheduled.city_a.pk}))

    text = end_text(page.content.decode(), LAB_ENDS)
    assert "02:00" in text and "11" in text


def test_programme_event_list_shows_the_end_day_of_a_multi_day_lab(scheduled: Any) -> None:
    make_long(Event.objects.filter(programme=scheduled.programme, city__isnull=True).first())

    page = scheduled.client_for("organiser").get(
        reverse("journey:programme_events", kwargs={"slug": scheduled.programme.slug})
    )

    text = end_text(page.content.decode(), LAB_ENDS)
    assert "02:00" in text and "11" in text
