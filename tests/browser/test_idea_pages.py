"""The public pages of the ideas and the city team's moderation page in a real browser,
without JavaScript doing anything: a citizen sends an idea and votes, each page checked by
axe-core (WCAG 2.1 A and AA) at 390 and 1280 pixels."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from conftest import Cast
from icc.ideas import keys
from icc.ideas.models import CallStatus, Idea, IdeaCall, IdeaState, IdeaVote, Purpose
from icc.public.models import Publication
from tests.browser.test_journeys import assert_accessible, heading, message, sign_in


def _idea(call: IdeaCall, title: str, text: str, state: str, language: str = "en", **fields: object) -> Idea:
    return Idea.objects.create(
        call=call,
        title=title,
        text=text,
        language=language,
        state=state,
        fingerprint=keys.fingerprint(call.pk, title, text),
        secret=keys.new_secret(),
        **fields,
    )


@pytest.fixture
def ideas_site(site: Cast) -> tuple[Cast, IdeaCall, IdeaCall]:
    """City A published, with an open call for project ideas and a call whose shortlist is in the vote."""
    today = timezone.localdate()
    Publication.objects.create(
        city=site.city_a, programme=site.programme, slug="alphaville", published=True, default_language="en",
        languages=["en", "pt"],
    )  # fmt: skip
    energy = IdeaCall.objects.create(
        city=site.city_a,
        question={"en": "How could the city reduce its electricity consumption?", "pt": "Como reduzir a eletricidade?"},
        description={"en": "Public buildings and street lights use much of the city's electricity."},
        opens_on=today - dt.timedelta(days=3),
        closes_on=today + dt.timedelta(days=30),
        status=CallStatus.OPEN,
        version=1,
    )
    planning = IdeaCall.objects.create(
        city=site.city_a,
        question={"en": "What should the city work on in its next cycle?"},
        purpose=Purpose.CYCLE_PLANNING,
        cycle=site.programme.cycles.get(number=2),
        opens_on=today - dt.timedelta(days=40),
        closes_on=today - dt.timedelta(days=10),
        voting_opens_on=today - dt.timedelta(days=5),
        voting_closes_on=today + dt.timedelta(days=9),
        status=CallStatus.VOTING,
        version=1,
    )
    solar = _idea(energy, "Solar panels on every school roof", "School roofs are large, flat and empty.", "published")
    _idea(energy, "Solar roofs for schools", "Put panels on the schools.", "merged", merged_into=solar)
    _idea(energy, "Switch off all street lights", "Nobody is out at night.", "declined", decline_reason="Safety.")
    _idea(energy, "Painéis nas piscinas", "As piscinas gastam muita eletricidade.", "published", language="pt")
    trees = _idea(planning, "More trees and shade in the squares", "The squares get too hot in summer.", "shortlisted")
    _idea(planning, "Safe cycle routes to schools", "Parents drive because there is no lane.", "shortlisted")
    IdeaVote.objects.create(idea=trees, participant="someone-else")
    return site, energy, planning


@pytest.mark.browser
def test_a_citizen_sends_an_idea_and_votes_on_accessible_pages(page: Page, ideas_site: tuple) -> None:
    site, energy, planning = ideas_site
    base = f"/en/{site.programme.slug}/alphaville/ideas/"
    page.goto(base)
    expect(heading(page)).to_have_text("Your ideas for Alphaville")
    assert_accessible(page, "the city's calls for ideas")

    page.get_by_role("link", name="How could the city reduce its electricity consumption?").click()
    expect(heading(page)).to_have_text("How could the city reduce its electricity consumption?")
    expect(page.get_by_text("1 idea was not taken forward; its author was told why.")).to_be_visible()
    assert_accessible(page, "an open call with its form")

    # A refused idea keeps what was typed and says why.
    page.get_by_label("Title").fill("LED street lights")
    page.get_by_label("Your e-mail address (optional)").fill("ana@example.org")
    page.get_by_role("button", name="Send my idea").click()
    expect(page.get_by_text("Tick this box to leave your e-mail address")).to_be_visible()
    assert_accessible(page, "the idea form with errors")

    page.get_by_role("textbox", name="Your idea").fill(
        "Dim the lights late at night and brighten them when someone passes."
    )
    page.get_by_label("I agree that the city keeps my e-mail address").check()
    page.get_by_role("button", name="Send my idea").click()
    expect(message(page)).to_contain_text("Thank you: your idea is sent.")
    expect(heading(page)).to_have_text("LED street lights")
    expect(page.get_by_text("Waiting for the city to read it.")).to_be_visible()
    assert_accessible(page, "the author's private page")

    page.goto(f"{base}{energy.pk}/{Idea.objects.get(title='Solar panels on every school roof').pk}/")
    expect(page.get_by_text("1 similar idea was merged into this one.")).to_be_visible()
    assert_accessible(page, "a published idea")

    page.goto(f"{base}{planning.pk}/")
    expect(page.get_by_text("To prepare the city's planning of cycle 2.")).to_be_visible()
    page.get_by_role("button", name="Vote for this idea").first.click()
    expect(message(page)).to_contain_text("is counted")
    expect(page.get_by_text("You voted for this idea.")).to_be_visible()
    assert_accessible(page, "the vote on a shortlist")

    page.goto(f"/pt/{site.programme.slug}/alphaville/ideas/{energy.pk}/")
    expect(heading(page)).to_have_text("Como reduzir a eletricidade?")
    assert_accessible(page, "a call read in another language")


@pytest.mark.browser
def test_the_city_team_moderates_on_an_accessible_page(page: Page, ideas_site: tuple) -> None:
    site, energy, _planning = ideas_site
    _idea(energy, "Free energy advice for households", "A visit from an adviser, with a meter to borrow.", "pending")
    sign_in(page, "rep_a@example.org")
    page.goto(f"/cities/{site.city_a.pk}/ideas/")
    expect(heading(page)).to_have_text("Calls for ideas of Alphaville")
    assert_accessible(page, "the city's calls")
    page.goto(f"/idea-calls/{energy.pk}/?state=pending")
    expect(page.get_by_text("Free energy advice for households")).to_be_visible()
    assert_accessible(page, "the moderation page")
    page.get_by_role("button", name="Decline").click()
    expect(page.get_by_text("This field is required.")).to_be_visible()
    assert_accessible(page, "the moderation page with an error")
    page.get_by_role("button", name="Publish").click()
    expect(message(page)).to_contain_text("is published")
    assert Idea.objects.get(title="Free energy advice for households").state == IdeaState.PUBLISHED
    page.goto(f"/cities/{site.city_a.pk}/cycles/2/")
    expect(page.get_by_role("heading", name="Citizens' ideas to prepare this cycle's planning")).to_be_visible()
    assert_accessible(page, "the cycle plan with its ideas")
