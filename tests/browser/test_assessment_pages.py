"""The thematic scan in a real browser: answer, save a draft, submit, read the result; axe on every page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from conftest import Cast
from icc.assessments.actions import load_default_instruments
from icc.assessments.models import Response
from tests.browser.test_journeys import assert_accessible, heading, sign_in


@pytest.mark.browser
def test_city_representative_takes_the_thematic_scan(page: Page, site: Cast) -> None:
    instrument = load_default_instruments(programme=site.programme)[0]
    sign_in(page, "rep_a@example.org")

    page.goto(f"/cities/{site.city_a.pk}/assessments/")
    expect(heading(page)).to_contain_text("Assessments of Alphaville")
    assert_accessible(page, "assessments list")
    page.get_by_role("link", name="Baseline", exact=True).click()
    expect(heading(page)).to_contain_text("Thematic choice support tool")
    assert_accessible(page, "empty scan")

    groups = page.locator(".question fieldset")
    for index in range(groups.count()):
        # Weak performance and strong technology on the first theme, middling elsewhere.
        level = ("1" if index % 8 < 4 else "5") if index < 8 else "3"
        groups.nth(index).locator(f"input[value='{level}']").check()
        if index == 8:
            page.get_by_role("button", name="Save draft").click()
            expect(page.get_by_role("status").first).to_contain_text("Draft saved")
            groups = page.locator(".question fieldset")
            expect(groups.nth(0).locator("input[value='1']")).to_be_checked()
    page.get_by_role("button", name="Submit").click()

    expect(heading(page)).to_contain_text("Thematic profile of Alphaville")
    expect(page.locator(".ranking li").first).to_contain_text("Green economy")
    expect(page.get_by_text("not a diagnostic")).to_be_visible()
    expect(page.locator("svg.radar")).to_be_visible()
    assert_accessible(page, "scan result")
    assert Response.objects.get(instrument=instrument).status == "submitted"

    page.goto(f"/cities/{site.city_a.pk}/assessments/{instrument.pk}/baseline/")
    expect(page.get_by_text("Submitted answers are locked.")).to_be_visible()
    expect(page.get_by_role("button", name="Submit")).to_have_count(0)
    assert_accessible(page, "locked scan")
    page.goto(f"/cities/{site.city_a.pk}/assessments/{instrument.pk}/compare/")
    assert_accessible(page, "baseline against re-run")
