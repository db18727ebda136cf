"""TAG formation, TAG life, a lab and the awards in a real browser, with axe on every page."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from conftest import Cast
from icc.cities.models import CityType
from icc.tags.models import Commitment, Tag, TopicVote
from tests.browser.test_journeys import assert_accessible, heading, message, sign_in
from tests.factories import CityFactory


@pytest.mark.browser
def test_organiser_forms_the_tags_and_a_city_takes_part(page: Page, site: Cast) -> None:
    from icc.journey.actions import install_template

    install_template(programme=site.programme)
    themes = list(site.programme.themes.all())
    CityFactory.create(
        programme=site.programme, name="Mentorstad", country="SE", type=CityType.INTERNATIONAL_MENTOR, track=themes[1]
    )
    for n in range(8):
        CityFactory.create(programme=site.programme, name=f"Core {n}", country="FR", track=themes[n % 2])

    sign_in(page, "organiser@example.org")
    page.goto(f"/programmes/{site.programme.slug}/tags/formation/")
    expect(heading(page)).to_have_text("Form the thematic action groups")
    assert_accessible(page, "TAG formation")
    page.get_by_label("Fewest core cities per TAG").fill("7")
    page.get_by_label("Most core cities per TAG").fill("7")
    page.get_by_role("button", name="Run", exact=True).click()
    expect(page.get_by_role("heading", name="Why no grouping is possible")).to_be_visible()
    assert_accessible(page, "infeasible run")
    page.goto(f"/programmes/{site.programme.slug}/tags/formation/")
    page.get_by_label("Fewest core cities per TAG").fill("4")
    page.get_by_label("Most core cities per TAG").fill("6")
    page.get_by_role("button", name="Run", exact=True).click()
    expect(heading(page)).to_have_text("Proposed thematic action groups")
    expect(page.get_by_text("same theme").first).to_be_visible()
    assert_accessible(page, "proposed TAGs")
    page.get_by_role("button", name="Adopt: form these TAGs and schedule their sessions").click()
    expect(message(page)).to_contain_text("2 TAGs formed")
    assert_accessible(page, "TAG list")
    tag = Tag.objects.get(memberships__city=site.city_a)

    page.context.clear_cookies()
    sign_in(page, "mentor@example.org")
    page.goto(f"/tags/{tag.pk}/")
    for title in ("Data spaces", "Digital twins"):
        page.get_by_role("textbox", name="Topic:").fill(title)
        page.get_by_role("button", name="Propose the topic").click()
        expect(message(page)).to_contain_text("Topic proposed")
    assert_accessible(page, "TAG page for the mentor")

    page.context.clear_cookies()
    sign_in(page, "rep_a@example.org")
    page.goto(f"/cities/{site.city_a.pk}/mentor-preferences/")
    expect(page.get_by_text(f"The city is in {tag}")).to_be_visible()
    assert_accessible(page, "mentor preferences")
    page.goto(f"/tags/{tag.pk}/")
    page.get_by_role("button", name="Vote Digital twins").click()
    expect(message(page)).to_contain_text("Vote saved for Alphaville")
    assert_accessible(page, "TAG page for a member city")
    assert TopicVote.objects.get(city=site.city_a).topic.title == "Digital twins"
    page.get_by_role("link", name="Working session 1", exact=True).click()
    expect(heading(page)).to_have_text("Working session 1")
    page.get_by_label("Commitment until the next session").fill("Map our data owners")
    page.get_by_role("button", name="Commit for Alphaville").click()
    expect(message(page)).to_contain_text("Commitment recorded")
    assert_accessible(page, "TAG session")
    assert Commitment.objects.get().text == "Map our data owners"


@pytest.mark.browser
def test_lab_brain_date_and_awards_pages(page: Page, site: Cast, tags: Any) -> None:
    sign_in(page, "rep_a@example.org")
    page.goto(f"/programmes/{site.programme.slug}/labs/")
    assert_accessible(page, "lab list")
    page.goto(f"/labs/{tags.lab.pk}/")
    expect(heading(page)).to_have_text("Lab")
    page.get_by_role("button", name="Add the project").click()
    expect(page.get_by_text("This field is required.").first).to_be_visible()
    assert_accessible(page, "lab with form errors")
    page.goto(f"/brain-dates/{tags.brain_date.pk}/")
    assert_accessible(page, "brain date")
    page.goto(f"/programmes/{site.programme.slug}/awards/")
    expect(heading(page)).to_have_text("Awards")
    assert_accessible(page, "awards")
