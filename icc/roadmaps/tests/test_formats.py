"""Numbers, amounts and dates on the roadmap pages read one way: the reader's language's.

English reads €320,000, 7.8 and 1 Dec 2026; German 320.000 €, 7,8 and 1. Dezember 2026
(01.12.2026 in dense tables). Never €320000.00, 7.8000, 2026-12-01 or Dec. 1, 2026, in the
page, in its charts or in its messages. Only ``datetime`` attributes keep ISO 8601.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext, override

from icc.roadmaps import actions
from icc.roadmaps.models import Action, Measurement

pytestmark = pytest.mark.django_db

NBSP = "\xa0"

# What each language writes for the figures of the ``figures`` fixture.
STYLES: dict[str, dict[str, str]] = {
    "en": {
        "budget": "€320,000",
        "cell": ">320,000<",
        "no money": "€0",
        "baseline": "1,000 (2 Mar 2026; Energy agency)",
        "value": '<td class="num">7.8</td>',
        "measured": "1 Dec 2026",
        "point": "<title>1 Dec 2026: 7.8</title>",
        "cycle": "1 May 2026 – 30 Sep 2026",
        "action dates": "19 May 2026 – 30 Sep 2026",
        "bar": "Secret retrofit plan: 19 May 2026 – 30 Sep 2026",
        "month": ">July 2026<",
        "baseline date": "2 Mar 2026",
    },
    "de": {
        "budget": f"320.000{NBSP}€",
        "cell": ">320.000<",
        "no money": f"0{NBSP}€",
        "baseline": "1.000 (2. März 2026; Energy agency)",
        "value": '<td class="num">7,8</td>',
        "measured": "1. Dezember 2026",
        "point": "<title>1. Dezember 2026: 7,8</title>",
        "cycle": "1. Mai 2026 – 30. September 2026",
        "action dates": "19.05.2026 – 30.09.2026",
        "bar": "Secret retrofit plan: 19. Mai 2026 – 30. September 2026",
        "month": ">Juli 2026<",
        "baseline date": "2. März 2026",
    },
}

# The other ways the same figures used to be written.
WRONG = ["€320000", "320000.00", "7.8000", "2026-12-01", "2026-05-19", "Dec. 1, 2026", "12/01/2026", "€320.000"]


@pytest.fixture
def figures(roadmap: Any) -> Any:
    """One action of €320,000 from 19 May 2026, the other without a budget; a KPI measured
    at 7.8000 on 1 Dec 2026 from a baseline of 1000 on 2 Mar 2026."""
    Action.objects.filter(pk=roadmap.draft.pk).update(budget=Decimal("320000.00"), starts_on=dt.date(2026, 5, 19))
    Action.objects.filter(pk=roadmap.owned.pk).update(budget=None)
    roadmap.kpi.baseline_date = dt.date(2026, 3, 2)
    roadmap.kpi.save(update_fields=["baseline_date"])
    Measurement.objects.create(kpi=roadmap.kpi, date=dt.date(2026, 12, 1), value=Decimal("7.8000"), source="Meters")
    return roadmap


def reader(roadmap: Any, persona: str, language: str) -> Client:
    """A client whose language is ``language``, chosen the way the language menu chooses it."""
    client = roadmap.cast.client_for(persona)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def text(response: Any) -> str:
    """The page without its ``datetime`` attributes, the one place where ISO 8601 belongs."""
    return re.sub(r'datetime="[^"]*"', "", response.content.decode())


def say(language: str, msgid: str, **values: Any) -> str:
    """``msgid`` in ``language``, with ``values`` in it, as the catalogue says it."""
    with override(language):
        return gettext(msgid) % values


def cycle_name(language: str, number: int) -> str:
    return say(language, "Cycle %(number)s", number=number)


def assert_no_other_style(page: str) -> None:
    for wrong in WRONG:
        assert wrong not in page
    assert not re.search(r"\b20\d\d-\d\d(-\d\d)?\b", page), re.search(r".{40}\b20\d\d-\d\d(-\d\d)?\b.{40}", page)


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_roadmap_writes_amounts_and_dates_the_readers_way(figures: Any, language: str) -> None:
    style = STYLES[language]
    client = reader(figures, "rep_a", language)
    url = reverse("roadmaps:roadmap", kwargs={"pk": figures.cast.city_a.pk})

    page = text(client.get(url))
    assert say(language, "budget %(budget)s, spent %(spent)s", budget=style["budget"], spent=style["no money"]) in page
    assert style["cell"] in page
    assert style["action dates"] in page
    assert_no_other_style(page)

    timeline = text(client.get(url, {"view": "timeline"}))
    assert style["bar"] in timeline
    assert style["month"] in timeline
    assert_no_other_style(timeline)

    action = text(client.get(figures.draft.get_absolute_url()))
    assert f"<dd>{style['budget']}</dd>" in action
    assert_no_other_style(action)


@pytest.mark.parametrize("language", ["en", "de"])
def test_a_kpi_writes_its_values_and_dates_the_readers_way(figures: Any, language: str) -> None:
    style = STYLES[language]
    page = text(reader(figures, "rep_a", language).get(figures.kpi.get_absolute_url()))
    assert style["baseline"] in page
    assert style["value"] in page
    assert f'<th scope="row">{style["measured"]}</th>' in page
    assert style["point"] in page  # the chart says the same as the table
    assert_no_other_style(page)


@pytest.mark.parametrize("language", ["en", "de"])
def test_a_refused_measurement_names_the_baseline_date_the_readers_way(figures: Any, language: str) -> None:
    response = reader(figures, "rep_a", language).post(
        reverse("roadmaps:kpi_measure", kwargs={"pk": figures.kpi.pk}),
        {"date": "2026-01-01", "value": "1", "source": "x"},
    )
    expected = say(
        language,
        "The baseline is dated %(baseline)s; a measurement must come after it.",
        baseline=STYLES[language]["baseline date"],
    )
    assert expected in text(response)


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_cycle_plan_writes_its_budget_the_readers_way_messages_included(figures: Any, language: str) -> None:
    style = STYLES[language]
    city = figures.cast.city_a
    url = reverse("roadmaps:cycle", kwargs={"pk": city.pk, "number": 1})
    mayor = reader(figures, "mayor_a", language)

    page = text(mayor.get(url))
    assert style["cycle"] in page
    cycle = cycle_name(language, 1)
    assert say(language, "Budget of the actions in %(cycle)s: %(budget)s.", cycle=cycle, budget=style["budget"]) in page
    assert say(language, "Sign off %(budget)s", budget=style["budget"]) in page
    assert_no_other_style(page)

    signed = text(mayor.post(reverse("roadmaps:sign_off", kwargs={"pk": city.pk, "number": 1}), follow=True))
    assert say(language, "You signed off %(amount)s for %(cycle)s.", amount=style["budget"], cycle=cycle) in signed
    with override(language):
        signed_off = gettext("Signed off: %(amount)s by %(who)s on %(when)s.")
    assert signed_off.split("%(who)s")[0] % {"amount": style["budget"]} in signed
    assert_no_other_style(signed)


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_review_of_a_kept_plan_writes_its_dates_the_readers_way(figures: Any, language: str) -> None:
    style = STYLES[language]
    city = figures.cast.city_a
    cycle = figures.cast.programme.cycles.get(number=1)
    actions.confirm_cycle_plan(city=city, cycle=cycle, review="", by=figures.cast.people["rep_a"])

    page = text(reader(figures, "rep_a", language).get(reverse("roadmaps:cycle", kwargs={"pk": city.pk, "number": 2})))
    assert say(language, "%(budget)s planned, %(spent)s spent", budget=style["budget"], spent=style["no money"]) in page
    assert f"{style['action dates']} · {style['budget']}" in page  # the snapshot keeps ISO dates; the page does not
    assert_no_other_style(page)


def test_the_browsers_language_is_enough(figures: Any) -> None:
    client = figures.cast.client_for("rep_a")
    url = reverse("roadmaps:roadmap", kwargs={"pk": figures.cast.city_a.pk})
    page = text(client.get(url, HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9,en;q=0.5"))
    expected = say(
        "de", "budget %(budget)s, spent %(spent)s", budget=STYLES["de"]["budget"], spent=STYLES["de"]["no money"]
    )
    assert expected in page
