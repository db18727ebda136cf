"""The city and people pages write numbers and dates one way: the reader's language's.

English reads 320,000, 1,234.5 km² and 1 Dec 2026, 11:30; German 320.000, 1.234,5 km² and
1. Dezember 2026 11:30. Never 1,234.50, 1 Dez 2026, 2026-12-01 or Dec. 1, 2026, in the page
or in its messages. Only ``datetime`` attributes keep ISO 8601.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, ngettext

from icc.cities import actions
from icc.cities.models import City, RoleKind

pytestmark = pytest.mark.django_db

# 11:30 in Brussels, the programme's zone.
MOMENT = dt.datetime(2026, 12, 1, 10, 30, tzinfo=dt.UTC)

STYLES: dict[str, dict[str, str]] = {
    "en": {
        "population": "<dd>320,000</dd>",
        "area": "<dd>1,234.5 km²</dd>",
        "coordinates": "<dd>52.52°, 13.405°</dd>",
        "changed": "on 1 Dec 2026, 11:30 (entered in the app).",
        "invited": "Invited on 1 Dec 2026; has not chosen a password yet.",
        "history": "<li>1 Dec 2026, 11:30 · ",
        "problems": "Nothing was saved: 1,200 problems",
    },
    "de": {
        "population": "<dd>320.000</dd>",
        "area": "<dd>1.234,5 km²</dd>",
        "coordinates": "<dd>52,52°, 13,405°</dd>",
        "history": "<li>1. Dezember 2026 11:30 · ",
    },
}

# The reader's formats of the figures inside the translated sentences.
VALUES: dict[str, dict[str, str]] = {
    "de": {"date": "1. Dezember 2026", "datetime": "1. Dezember 2026 11:30", "problems": "1.200"},
}


def sentence(language: str, key: str) -> str:
    """The expected sentence: English as written above, other languages from the catalogue."""
    if language in STYLES and key in STYLES[language]:
        return STYLES[language][key]
    values = VALUES[language]
    with translation.override(language):
        if key == "changed":
            # Only the part after the actor's name: "on <when> (<source>)." in the reader's words.
            marker = "\x00"
            full = gettext("Last changed by %(who)s on %(when)s (%(source)s).") % {
                "who": marker,
                "when": values["datetime"],
                "source": "entered in the app",
            }
            return full.split(marker, 1)[1].lstrip()
        if key == "invited":
            return gettext("Invited on %(when)s; has not chosen a password yet.") % {"when": values["date"]}
        if key == "problems":
            return ngettext("Nothing was saved: %(shown)s problem", "Nothing was saved: %(shown)s problems", 1200) % {
                "shown": values["problems"]
            }
    raise KeyError(key)


# The other ways the same figures used to be written.
WRONG = ["1,234.50", "1.234,50", "Dec. 1, 2026", "12/01/2026", "1 Dec 2026 11:30", "1 Dez 2026", "52.52000"]


def reader(cast: Any, persona: str, language: str) -> Client:
    """A client whose language is ``language``, chosen the way the language menu chooses it."""
    client = cast.client_for(persona)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def text(response: Any) -> str:
    """The page without its ``datetime`` attributes, the one place where ISO 8601 belongs."""
    return re.sub(r'datetime="[^"]*"', "", response.content.decode())


def assert_no_other_style(page: str) -> None:
    for wrong in WRONG:
        assert wrong not in page
    assert not re.search(r"\b20\d\d-\d\d(-\d\d)?\b", page), re.search(r".{40}\b20\d\d-\d\d(-\d\d)?\b.{40}", page)


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_city_page_writes_its_figures_and_last_change_the_readers_way(cast: Any, language: str) -> None:
    style = STYLES[language]
    city = City.objects.get(pk=cast.city_a.pk)
    city.population, city.area_km2 = 320_000, Decimal("1234.50")
    city.latitude, city.longitude = Decimal("52.52000"), Decimal("13.40500")
    with time_machine.travel(MOMENT, tick=False):
        actions.save_city(
            city=city, changed=["population", "area_km2"], by=cast.people["organiser"], source="entered in the app"
        )

    page = text(reader(cast, "rep_a", language).get(city.get_absolute_url()))
    assert style["population"] in page
    assert style["area"] in page
    assert style["coordinates"] in page
    assert sentence(language, "changed") in page
    assert_no_other_style(page)


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_person_page_writes_the_invitation_and_history_dates_the_readers_way(cast: Any, language: str) -> None:
    style = STYLES[language]
    with time_machine.travel(MOMENT, tick=False):
        person = actions.invite_person(
            programme=cast.programme,
            email="ana@alphaville.example",
            full_name="Ana Costa",
            specs=[actions.RoleSpec(kind=RoleKind.STAKEHOLDER, city=cast.city_a)],
            by=cast.people["organiser"],
        )
    url = reverse("cities:person", kwargs={"slug": cast.programme.slug, "pk": person.pk})

    page = text(reader(cast, "organiser", language).get(url))
    assert sentence(language, "invited") in page
    assert style["history"] in page
    assert_no_other_style(page)


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_import_counts_its_problems_the_readers_way(cast: Any, language: str) -> None:
    rows = "".join(f"City {n},XX,eu-core,Europe/Lisbon\n" for n in range(1200))
    upload = SimpleUploadedFile("cohort.csv", f"name,country,type,time_zone\n{rows}".encode())

    response = reader(cast, "organiser", language).post(
        reverse("cities:import", kwargs={"slug": cast.programme.slug}), {"kind": "cities", "file": upload}
    )

    assert sentence(language, "problems") in text(response)
