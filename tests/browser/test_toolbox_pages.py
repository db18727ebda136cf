"""The city toolbox as a city representative uses it: search, share a page, read it;
each page checked by axe-core at two widths, and the shared page's Markdown shown safely."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from conftest import Cast
from icc.library.models import Form, Item, Kind
from tests.browser.test_journeys import assert_accessible, heading, sign_in


@pytest.mark.browser
def test_a_representative_searches_shares_and_reads_the_toolbox(page: Page, site: Cast) -> None:
    Item.objects.create(
        programme=site.programme,
        kind=Kind.GUIDANCE,
        form=Form.LINK,
        title="Methodological handbook",
        url="https://example.org/handbook",
        added_by=site.person("organiser"),
    )
    sign_in(page, "rep_a@example.org")
    page.goto(f"/programmes/{site.programme.slug}/toolbox/")
    expect(heading(page)).to_have_text("City toolbox")
    assert_accessible(page, "toolbox")
    page.get_by_role("searchbox", name="Search").fill("handbook")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("link", name="Methodological handbook")).to_be_visible()

    page.get_by_role("link", name="Share an item").click()
    expect(heading(page)).to_have_text("Share an item")
    assert_accessible(page, "share an item")
    page.get_by_label("Title").fill("Our ecosystem map, step by step")
    page.get_by_label("Page", exact=True).check()
    page.get_by_role("button", name="Share").click()
    expect(page.get_by_text("Write the page.")).to_be_visible()
    assert_accessible(page, "share an item, with an error")
    page.get_by_label("Page:").fill("## Steps\n\n1. List the members\n2. <script>alert(1)</script>")
    page.get_by_role("button", name="Share").click()
    expect(heading(page)).to_have_text("Our ecosystem map, step by step")
    expect(page.get_by_role("heading", name="Steps")).to_be_visible()
    expect(page.get_by_text("<script>alert(1)</script>")).to_be_visible()
    assert_accessible(page, "a shared page")
