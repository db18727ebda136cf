"""The programme overview writes populations and dates one way: the reader's language's.

English reads 320,000 and 1 Dec 2026; German 320.000 and 1. Dezember 2026. Never
1 Dez 2026, 2026-12-01 or Dec. 1, 2026. The calendar's date pickers keep ISO 8601, the
value browsers require, in every language.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from icc.cities.models import City
from icc.programmes.models import Programme
from tests.factories import make_programme

pytestmark = pytest.mark.django_db

STYLES: dict[str, dict[str, str]] = {
    "en": {
        "edition": "From 1 Dec 2026 to ",
        "phase": "<td>1 Dec 2026</td><td>31 Jan 2027</td>",
        "population": '<td class="num">320,000</td>',
    },
    "de": {
        "start": "1. Dezember 2026",
        "phase": "<td>1. Dezember 2026</td><td>31. Januar 2027</td>",
        "population": '<td class="num">320.000</td>',
    },
}

WRONG = ["Dec. 1, 2026", "12/01/2026", "1 Dez 2026", "01.12.2026", "320000"]


@pytest.fixture
def programme(db: None) -> Programme:
    """An edition that starts on 1 December 2026; its first phase runs to 31 January 2027."""
    return make_programme(first_month=dt.date(2026, 12, 1))


def edition(language: str) -> str:
    """The start of the overview's "From <start> to <end>." sentence, in the reader's words.

    English keeps its literal expectation; other languages read the sentence from the
    catalogue (the template's msgid) with the start date in their own style.
    """
    style = STYLES[language]
    if "edition" in style:
        return style["edition"]
    with translation.override(language):
        sentence = translation.gettext("From %(start)s to %(end)s.") % {"start": style["start"], "end": "\x00"}
    assert "\x00" in sentence and style["start"] in sentence
    return sentence.split("\x00")[0]


def reader(cast: Any, persona: str, language: str) -> Client:
    client = cast.client_for(persona)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_overview_writes_populations_and_dates_the_readers_way(cast: Any, language: str) -> None:
    style = STYLES[language]
    City.objects.filter(pk=cast.city_a.pk).update(population=320_000)
    url = reverse("programmes:overview", kwargs={"slug": cast.programme.slug})

    page = re.sub(r'datetime="[^"]*"', "", reader(cast, "organiser", language).get(url).content.decode())
    assert edition(language) in page
    assert style["phase"] in page
    assert style["population"] in page
    for wrong in WRONG:
        assert wrong not in page
    assert not re.search(r"\b20\d\d-\d\d(-\d\d)?\b", page)


def test_both_languages_render_the_overview_each_in_its_own_style(cast: Any) -> None:
    """The cached content is kept per language: German does not get the English page."""
    url = reverse("programmes:overview", kwargs={"slug": cast.programme.slug})
    english = reader(cast, "organiser", "en").get(url).content.decode()
    german = reader(cast, "organiser", "de").get(url).content.decode()
    assert STYLES["en"]["edition"] in english
    assert edition("de") in german
    assert edition("de") != STYLES["en"]["edition"]


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_calendar_pickers_keep_iso_dates_in_every_language(cast: Any, language: str) -> None:
    url = reverse("programmes:calendar_setup", kwargs={"slug": cast.programme.slug})
    page = reader(cast, "organiser", language).get(url).content.decode()
    assert 'type="date" name="phases-0-starts_on" value="2026-12-01"' in page
