"""A TAG's sessions have one date, wherever they are listed; the session page shows them plainly."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.urls import reverse

from icc.journey.actions import generate_schedules
from icc.journey.models import Event
from icc.tags.models import Session, SessionKind

pytestmark = pytest.mark.django_db


def starts_of_rows(page: str, *markers: str) -> list[dt.datetime]:
    """The start of every table row of ``page`` that mentions one of ``markers``."""
    rows = [row for row in re.findall(r"<tr>(.*?)</tr>", page, re.S) if any(m in row for m in markers)]
    found = [re.search(r'<time datetime="([^"]+)"', row) for row in rows]
    return [dt.datetime.fromisoformat(match.group(1)) for match in found if match]


def test_programme_event_list_gives_tag_working_sessions_the_dates_of_the_tag_page(tags: Any) -> None:
    cast, tag = tags.cast, tags.tag
    generate_schedules(programme=cast.programme)
    client = cast.client_for("organiser")

    events_page = client.get(reverse("journey:programme_events", kwargs={"slug": cast.programme.slug}))
    tag_page = client.get(tag.get_absolute_url())

    working = list(tag.sessions.filter(kind=SessionKind.WORKING))
    listed = starts_of_rows(events_page.content.decode(), "TAG working session", "Working session")
    assert sorted(listed) == [s.starts_at for s in working]
    for session in working:
        assert session.get_absolute_url() in events_page.content.decode()
        assert session.get_absolute_url() in tag_page.content.decode()


def test_refreshing_schedules_keeps_no_programme_wide_tag_session_once_tags_have_their_own(tags: Any) -> None:
    programme = tags.cast.programme
    generate_schedules(programme=programme)

    keys = set(Event.objects.filter(programme=programme, city__isnull=True).values_list("event_type__key", flat=True))
    assert "tag-working-session" not in keys
    assert "tag-progress-tracker" not in keys
    assert "cross-city-lab-1" in keys


def test_without_tags_the_journey_still_holds_the_tag_session_dates(cast: Any) -> None:
    from icc.journey.actions import install_template

    install_template(programme=cast.programme)
    generate_schedules(programme=cast.programme)

    assert Event.objects.filter(programme=cast.programme, event_type__key="tag-working-session").count() == 10


def test_session_questions_written_as_dashes_read_as_an_escaped_list(tags: Any) -> None:
    cast, session = tags.cast, tags.tag.sessions.filter(kind=SessionKind.WORKING).first()
    Session.objects.filter(pk=session.pk).update(
        questions="Before the session:\n- Read the <b>pre-reads</b>\n- Send your questions\nThanks"
    )

    page = cast.client_for("rep_a").get(session.get_absolute_url()).content.decode()

    assert "<ul><li>Read the &lt;b&gt;pre-reads&lt;/b&gt;</li><li>Send your questions</li></ul>" in page
    assert "- Send your questions" not in page
    assert "Before the session:" in page and "Thanks" in page


def test_session_page_names_the_end_day_when_a_session_runs_past_midnight(tags: Any) -> None:
    cast, session = tags.cast, tags.session
    starts = dt.datetime(2026, 3, 10, 22, tzinfo=dt.UTC)
    Session.objects.filter(pk=session.pk).update(starts_at=starts, ends_at=starts + dt.timedelta(hours=3))

    page = cast.client_for("rep_a").get(session.get_absolute_url()).content.decode()

    end = re.search(r'– <time datetime="([^"]+)">([^<]*)</time>', page)
    assert end and dt.datetime.fromisoformat(end.group(1)) == starts + dt.timedelta(hours=3)
    assert "11" in end.group(2) and "2026" in end.group(2)
