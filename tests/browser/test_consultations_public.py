"""A resident answers a survey of every question type and reads a poll's results, in a
real browser, checked by axe-core at 390 and 1280 px; and the city team's pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import Page, expect

from conftest import Cast
from icc.consultations import actions
from icc.consultations.models import Consultation, QuestionType, Submission
from icc.public.models import Publication
from tests.browser.test_journeys import assert_accessible, heading, sign_in


def _publish(cast: Cast) -> Publication:
    return Publication.objects.create(
        city=cast.city_a,
        programme=cast.programme,
        slug="alphaville",
        published=True,
        default_language="en",
        languages=["en", "fr"],
    )


def _consultation(cast: Cast, items: list[actions.QuestionData], *, lasts: int = 7) -> Consultation:
    by = cast.person("organiser")
    draft = actions.create_consultation(
        city=cast.city_a,
        start="blank-survey",
        title={"en": "Our city today", "fr": "Notre ville aujourd'hui"},
        languages=["en", "fr"],
        by=by,
    )
    for item in items:
        actions.add_question(consultation=draft, data=item, by=by)
    now = timezone.now()
    actions.save_settings(
        consultation=draft,
        title=draft.title,
        introduction={"en": "Tell us what matters to you.\n\nIt takes five minutes."},
        opens_at=now,
        closes_at=now + dt.timedelta(days=lasts),
        needs_confirmation=False,
        personal_data_until=timezone.localdate() + dt.timedelta(days=60),
        by=by,
    )
    return actions.open_consultation(consultation=draft, default_language="en", by=by)


def _texts(text: str) -> dict[str, str]:
    return {"en": text}


def _every_type(cast: Cast) -> Consultation:
    choose = actions.QuestionData(
        type=QuestionType.SINGLE,
        text=_texts("Have you used the city's online services this year?"),
        choices=[_texts("Yes"), _texts("No")],
        required=True,
        allow_other=True,
    )
    draft = _consultation(
        cast,
        [
            choose,
            actions.QuestionData(
                type=QuestionType.MULTIPLE,
                text=_texts("Where should the city act first?"),
                choices=[
                    _texts("Greener mobility"),
                    _texts("Energy savings in public buildings"),
                    _texts("Simpler online services"),
                ],
                picks=2,
            ),
            actions.QuestionData(
                type=QuestionType.RANKING,
                text=_texts("What are the 3 most relevant challenges for the city?"),
                choices=[_texts("Housing"), _texts("Transport"), _texts("Air quality"), _texts("Jobs")],
                picks=3,
            ),
            actions.QuestionData(
                type=QuestionType.RATING,
                text=_texts("How satisfied are you with the city's online services?"),
                scale=5,
                low_label=_texts("Not at all satisfied"),
                high_label=_texts("Very satisfied"),
            ),
            actions.QuestionData(type=QuestionType.SHORT_TEXT, text=_texts("Which service did you use?")),
            actions.QuestionData(type=QuestionType.LONG_TEXT, text=_texts("Anything else?")),
            actions.QuestionData(type=QuestionType.SHORT_TEXT, text=_texts("Your postcode"), personal=True),
        ],
    )
    return draft


def _url(publication: Publication, name: str, consultation: Consultation, language: str = "en") -> str:
    with translation.override(language):
        return reverse(
            f"public:{name}",
            kwargs={"programme": publication.programme.slug, "city": publication.slug, "pk": consultation.pk},
        )


@pytest.mark.browser
def test_a_resident_answers_every_type_of_question(page: Page, site: Cast) -> None:
    publication = _publish(site)
    survey = _every_type(site)
    url = _url(publication, "consultation", survey)
    page.goto(url)
    expect(heading(page)).to_have_text("Our city today")
    assert_accessible(page, "survey answer page")

    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_accessible(page, "survey answer page with errors")

    page.get_by_role("group", name="1. Have you used").get_by_label("Yes").check()
    page.get_by_label("Energy savings in public buildings").check()
    page.get_by_label("Place 1").select_option(label="Transport")
    page.get_by_label("Place 2").select_option(label="Housing")
    page.get_by_label("Place 3").select_option(label="Jobs")
    page.get_by_role("group", name="4. How satisfied").get_by_label("4", exact=True).check()
    page.get_by_label("Which service did you use?").fill("Booking at the town hall")
    page.get_by_label("Your postcode").fill("1000")
    page.get_by_label("I agree that the city keeps my answers").check()
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_text("Thank you: your answer is counted.")).to_be_visible()
    assert_accessible(page, "thank-you page")
    assert Submission.objects.count() == 1

    page.goto(_url(publication, "consultation", survey, language="fr"))
    expect(heading(page)).to_have_text("Notre ville aujourd'hui")


def _results(site: Cast, publication: Publication) -> Consultation:
    poll = _consultation(
        site,
        [
            actions.QuestionData(
                type=QuestionType.MULTIPLE,
                text=_texts("What are the 2 most important features of a public transport app?"),
                choices=[
                    _texts("Real-time departures"),
                    _texts("Buying tickets in the app"),
                    _texts("Step-free routes"),
                ],
                picks=2,
                allow_other=True,
            ),
            actions.QuestionData(
                type=QuestionType.RANKING,
                text=_texts("Rank the 2 most relevant challenges"),
                choices=[_texts("Housing"), _texts("Transport"), _texts("Air quality")],
                picks=2,
            ),
            actions.QuestionData(
                type=QuestionType.RATING,
                text=_texts("How happy are you with the buses?"),
                scale=5,
                low_label=_texts("Not at all"),
                high_label=_texts("Very"),
            ),
        ],
    )
    from django.test import RequestFactory

    from icc.consultations.answering import parse
    from icc.consultations.structure import read

    shape = read(poll)
    multiple, ranking, rating = shape.questions
    for index in range(7):
        picks = [multiple.choices[index % 3].pk, multiple.choices[(index + 1) % 3].pk]
        values: dict[str, Any] = {f"q{multiple.pk}": picks, f"q{rating.pk}": 1 + index % 5}
        values[f"q{ranking.pk}-1"] = ranking.choices[index % 3].pk
        values[f"q{ranking.pk}-2"] = ranking.choices[(index + 2) % 3].pk
        request = RequestFactory().post("/", values)
        actions.submit(request=request, consultation=poll, parsed=parse(shape, request.POST), visitor=f"{index:032d}")
    actions.close_consultation(consultation=poll, by=site.person("organiser"))
    return actions.publish_results(consultation=poll, by=site.person("organiser"))


@pytest.mark.browser
def test_a_resident_reads_a_polls_results(page: Page, site: Cast) -> None:
    publication = _publish(site)
    poll = _results(site, publication)
    page.goto(_url(publication, "consultation_results", poll))
    expect(heading(page)).to_have_text("Our city today")
    expect(
        page.get_by_role("img", name="What are the 2 most important features of a public transport app?")
    ).to_be_visible()
    expect(page.get_by_role("table", name="Figures of question 1")).to_be_visible()
    assert_accessible(page, "poll results")
    with translation.override("en"):
        listing = reverse(
            "public:consultations", kwargs={"programme": publication.programme.slug, "city": publication.slug}
        )
    page.goto(listing)
    assert_accessible(page, "list of consultations")


@pytest.mark.browser
def test_the_city_team_builds_and_reads_its_consultations(page: Page, site: Cast) -> None:
    publication = _publish(site)
    poll = _results(site, publication)
    sign_in(page, "rep_a@example.org")
    page.goto(reverse("consultations:city", kwargs={"pk": site.city_a.pk}))
    expect(heading(page)).to_contain_text("Consultations of Alphaville")
    assert_accessible(page, "team list of consultations")
    page.get_by_label("Start from").select_option("start")
    page.get_by_role("button", name="Create the draft").click()
    expect(heading(page)).to_have_text("Our city today: your priorities")
    assert_accessible(page, "draft consultation")
    page.goto(reverse("consultations:results", kwargs={"pk": poll.pk}))
    expect(heading(page)).to_have_text("Results and moderation")
    assert_accessible(page, "team results")
