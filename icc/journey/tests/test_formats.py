"""Dates and numbers on the journey pages read one way: the reader's language's.

English reads 1 Dec 2026 and 1 Dec 2026, 10:00; German 1. Dezember 2026 and
1. Dezember 2026 10:00 (01.12.2026 in the dense deliverables table). Never 2026-12-01,
Dec. 1, 2026, 12/01/2026, 1 December 2026 beside 1 Dec 2026, or a German 1 Dez 2026, in the
page or in its messages. Only ``datetime`` attributes and the values of date inputs keep
ISO 8601.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from icc.journey.actions import move_event
from icc.journey.models import Event, Milestone, Submission

pytestmark = pytest.mark.django_db

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
STARTS = dt.datetime(2026, 12, 1, 10, tzinfo=BRUSSELS)  # a Tuesday
SUBMITTED = dt.datetime(2026, 12, 1, 9, 30, tzinfo=BRUSSELS)
DAY = dt.date(2026, 12, 1)

STYLES: dict[str, dict[str, str]] = {
    "en": {
        "event": ">1 Dec 2026, 10:00</time> – <time",
        "weekday": "Tuesday, <time",
        "due": "due 1 Dec 2026",
        "milestone": "Due on 1 Dec 2026.",
        "submitted": "on 1 Dec 2026, 09:30",
        "table": "<td>1 Dec 2026</td>",
    },
    "de": {
        "event": ">1. Dezember 2026 10:00</time> – <time",
        "weekday": "Dienstag, <time",
        # "due", "milestone" and "submitted" are built from the German catalogue; see
        # ``style()``.
        "table": "<td>01.12.2026</td>",
    },
}

# The German dates as the translated sentences around them carry them.
DE_DATE = "1. Dezember 2026"
DE_DATETIME = "1. Dezember 2026 09:30"


def style(language: str, key: str) -> str:
    """The expected snippet: English literally; other languages' words from the catalogue
    (the exact msgids of the templates), around that language's formatted value."""
    if language == "en" or key in STYLES[language]:
        return STYLES[language][key]
    with translation.override(language):
        if key == "due":
            return translation.gettext("due %(due)s") % {"due": DE_DATE}
        if key == "milestone":
            return translation.gettext("Due on %(due)s.") % {"due": DE_DATE}
        if key == "submitted":
            # "Submitted by {{ who }} on {{ when }}": the words after the submitter.
            sentence = translation.gettext("Submitted by %(who)s on %(when)s")
            after_who = sentence.split("%(who)s", 1)[1]
            return after_who % {"when": DE_DATETIME}
    raise KeyError(key)


# The other ways the same dates used to be written.
WRONG = [
    "2026-12-01",
    "Dec. 1, 2026",
    "12/01/2026",
    "1 December 2026",
    "Tue 1 Dec",
    "1 Dec 2026 09:30",
    "1 Dez 2026",
    "Di 1 Dez",
    "1. Dez 2026",
]


@pytest.fixture
def dated(journey: Any) -> Any:
    """City A's first event on Tuesday 1 Dec 2026, 10:00–12:00, with its follow-up due that
    day; the first deliverable due that day, its version submitted at 09:30."""
    event = journey.event_a
    Event.objects.filter(pk=event.pk).update(starts_at=STARTS, ends_at=STARTS + dt.timedelta(hours=2))
    journey.follow_up_a.due_on = DAY
    journey.follow_up_a.save(update_fields=["due_on"])
    Milestone.objects.filter(pk=journey.milestone.pk).update(due_on=DAY)
    Submission.objects.filter(pk=journey.submission_a.pk).update(submitted_at=SUBMITTED)
    return journey


def reader(cast: Any, language: str) -> Client:
    """City A's representative, reading in ``language`` as chosen in the language menu."""
    client: Client = cast.client_for("rep_a")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def text_of(page: str) -> str:
    """The page without what machines read: ``datetime`` attributes and the ISO values of
    date and time inputs."""
    return re.sub(r'(datetime|value)="[^"]*"', "", page)


def assert_no_other_style(page: str) -> None:
    shown = text_of(page)
    for wrong in WRONG:
        assert wrong not in shown


@pytest.mark.parametrize("language", ["en", "de"])
def test_schedule_writes_event_times_and_phase_dates_in_the_readers_style(dated: Any, language: str) -> None:
    cast = dated.cast
    phase = Event.objects.get(pk=dated.event_a.pk).phase

    page = reader(cast, language).get(reverse("journey:city", kwargs={"pk": cast.city_a.pk})).content.decode()

    with translation.override(language):
        phase_dates = f"{date_format(phase.starts_on, 'DATE_FORMAT')} – {date_format(phase.ends_on, 'DATE_FORMAT')}"
    assert STYLES[language]["event"] in page
    assert phase_dates in page
    assert f'<time datetime="{STARTS.isoformat()}">' in page  # machines still read ISO 8601
    assert_no_other_style(page)


@pytest.mark.parametrize("language", ["en", "de"])
def test_event_page_names_the_weekday_then_the_date_and_dates_its_follow_ups_alike(dated: Any, language: str) -> None:
    page = reader(dated.cast, language).get(reverse("journey:event", kwargs={"pk": dated.event_a.pk})).content.decode()

    assert STYLES[language]["weekday"] + f' datetime="{STARTS.isoformat()}"' in page
    assert STYLES[language]["event"] in page
    assert style(language, "due") in page
    assert_no_other_style(page)


@pytest.mark.parametrize("language", ["en", "de"])
def test_deliverable_pages_write_due_and_submission_dates_in_the_readers_style(dated: Any, language: str) -> None:
    cast, client = dated.cast, reader(dated.cast, language)

    milestone = client.get(
        reverse("journey:milestone", kwargs={"pk": cast.city_a.pk, "milestone_pk": dated.milestone.pk})
    ).content.decode()
    table = client.get(reverse("journey:deliverables", kwargs={"pk": cast.city_a.pk})).content.decode()

    assert style(language, "milestone") in milestone
    assert style(language, "submitted") in milestone
    assert STYLES[language]["table"] in table
    assert_no_other_style(milestone)
    assert_no_other_style(table)


@pytest.mark.parametrize("language", ["en", "de"])
def test_moving_an_event_out_of_its_phase_names_the_phase_dates_in_the_readers_style(dated: Any, language: str) -> None:
    event = Event.objects.select_related("phase", "city").get(pk=dated.event_a.pk)
    outside = dt.datetime.combine(event.phase.ends_on + dt.timedelta(days=3), dt.time(10), tzinfo=BRUSSELS)

    with translation.override(language), pytest.raises(ValidationError) as refused:
        move_event(
            event=event,
            starts_at=outside,
            ends_at=outside + dt.timedelta(hours=1),
            location="",
            by=dated.cast.people["rep_a"],
        )
    with translation.override(language):
        # The exact message of move_event, from the reader's catalogue.
        expected = translation.gettext(
            "%(event)s belongs to the %(phase)s phase: choose dates between %(start)s and %(end)s."
        ) % {
            "event": event,
            "phase": event.phase.name,
            "start": date_format(event.phase.starts_on, "DATE_FORMAT"),
            "end": date_format(event.phase.ends_on, "DATE_FORMAT"),
        }

    message = " ".join(refused.value.messages)
    assert expected in message
    assert not re.search(r"\d{4}-\d{2}-\d{2}", message)
