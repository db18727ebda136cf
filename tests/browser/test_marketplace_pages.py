"""The marketplace as a city representative uses it: find a solution by its function,
read it, post a challenge and see it matched; each page checked by axe-core at two widths."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from conftest import Cast
from icc.marketplace import actions
from icc.marketplace.models import Provider, Review, Solution
from tests.browser.test_journeys import assert_accessible, heading, sign_in


@pytest.mark.browser
def test_a_representative_finds_a_solution_and_posts_a_challenge(page: Page, site: Cast) -> None:
    organiser = site.person("organiser")
    provider = Provider.objects.create(
        programme=site.programme,
        name="Lumenia",
        kind="sme",
        country="ES",
        review=Review.PUBLISHED,
        created_by=organiser,
    )
    solution = Solution(
        programme=site.programme,
        provider=provider,
        name="Adaptive street lighting",
        summary="Dims the lights when streets are empty.",
        functions=["lighting", "energy"],
        data_models=["Streetlight"],
        cost_model="subscription",
    )
    actions.save_solution(solution=solution, themes=[], by=organiser)
    Solution.objects.filter(pk=solution.pk).update(review=Review.PUBLISHED)
    sign_in(page, "rep_a@example.org")
    page.goto(f"/programmes/{site.programme.slug}/marketplace/")
    expect(heading(page)).to_have_text("Marketplace")
    page.get_by_label("Function").select_option("lighting")
    page.get_by_role("button", name="Find").click()
    assert_accessible(page, "marketplace")
    page.get_by_role("link", name="Adaptive street lighting").click()
    expect(heading(page)).to_have_text("Adaptive street lighting")
    assert_accessible(page, "a solution")
    page.goto(f"/programmes/{site.programme.slug}/marketplace/challenges/add/")
    page.get_by_label("City").select_option(label=site.city_a.name)
    track = site.city_a.track
    assert track is not None
    page.get_by_label("ICC theme").select_option(label=track.name)
    page.get_by_role("textbox", name="Title").fill("Our street lights burn all night")
    page.get_by_role("textbox", name="Context").fill("A fifth of our electricity bill.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Choose at least one function")).to_be_visible()
    assert_accessible(page, "a challenge, with an error")
    page.get_by_label("Street lighting control").check()
    page.get_by_role("button", name="Save").click()
    expect(heading(page)).to_have_text("Our street lights burn all night")
    assert_accessible(page, "a challenge")
