"""The thematic scan in a real browser: answer, save a draft, submit, read the result; axe on every page."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlparse

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from conftest import Cast
from icc.assessments.actions import load_default_instruments
from icc.assessments.models import Response
from tests.browser.test_journeys import assert_accessible, heading, sign_in


@pytest.mark.browser
def test_city_representative_takes_the_thematic_scan(page: Page, site: Cast) -> None:
    instrument = next(i for i in load_default_instruments(programme=site.programme) if i.key == "thematic-scan")
    sign_in(page, "rep_a@example.org")

    page.goto(f"/cities/{site.city_a.pk}/assessments/")
    expect(heading(page)).to_contain_text("Assessments of Alphaville")
    assert_accessible(page, "assessments list")
    page.locator("section", has_text="Thematic choice support tool").get_by_role(
        "link", name="Baseline", exact=True
    ).click()
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


@pytest.mark.browser
def test_stakeholders_answer_the_anonymous_survey_and_results_wait_for_five(
    page: Page, site: Cast, browser: object
) -> None:
    load_default_instruments(programme=site.programme)
    sign_in(page, "rep_a@example.org")
    page.goto(f"/cities/{site.city_a.pk}/assessments/enablers/baseline/")
    assert_accessible(page, "survey not open")
    page.get_by_label("Open until").fill((timezone.localdate() + dt.timedelta(days=90)).isoformat())
    page.get_by_role("button", name="Open", exact=True).click()
    expect(page.get_by_text("The survey is open.")).to_be_visible()
    page.get_by_role("button", name="Create a shareable link").click()
    link = urlparse(page.get_by_label("Shareable link (shown once; a new one replaces it):").input_value()).path
    expect(page.get_by_text("Results appear once at least 5 people have answered")).to_be_visible()
    assert_accessible(page, "survey management")

    base = "{0.scheme}://{0.netloc}".format(urlparse(page.url))
    for n in range(5):  # five people, each in a browser of their own
        stakeholder = page.context.browser.new_context(viewport={"width": 1280, "height": 800}, base_url=base)  # type: ignore[union-attr]
        anonymous = stakeholder.new_page()
        anonymous.goto(link)
        expect(anonymous.get_by_text("Your answers are anonymous")).to_be_visible()
        if n == 0:
            assert_accessible(anonymous, "anonymous survey form")
        anonymous.locator(".question fieldset").first.locator("input[value='4']").check()
        anonymous.get_by_label("What is the city's greatest strength for this transformation?").fill(
            f"Strong university network {n}"
        )
        anonymous.get_by_role("button", name="Send my answers").click()
        expect(anonymous.get_by_role("heading", name="Thank you")).to_be_visible()
        if n < 4:
            stakeholder.close()
    assert_accessible(anonymous, "survey thank-you page")
    anonymous.goto(link)  # the same browser again: thank you, not the form
    expect(anonymous.get_by_role("heading", name="Thank you")).to_be_visible()
    expect(anonymous.get_by_role("button", name="Send my answers")).to_have_count(0)
    anonymous.goto("/survey/i/guessed-token/")
    expect(anonymous.get_by_text("This link is not valid", exact=False)).to_be_visible()
    assert_accessible(anonymous, "invalid survey link")
    stakeholder.close()

    page.goto(f"/cities/{site.city_a.pk}/assessments/enablers/baseline/")
    page.get_by_role("button", name="Close the survey now").click()
    expect(page.get_by_text("The survey is closed: it takes no more answers.")).to_be_visible()
    expect(page.get_by_role("rowheader", name="Stakeholder networks")).to_be_visible()
    expect(page.get_by_text("use: network, strong, university")).to_be_visible()
    assert_accessible(page, "survey results")


@pytest.mark.browser
def test_indicator_and_peer_pages_are_accessible(page: Page, site: Cast) -> None:
    from icc.assessments.indicators import load_indicator_library

    load_indicator_library(programme=site.programme)
    sign_in(page, "rep_a@example.org")
    page.goto(f"/cities/{site.city_a.pk}/assessments/indicators/baseline/")
    expect(heading(page)).to_contain_text("City performance and technology maturity")
    assert_accessible(page, "indicators")
    page.locator("fieldset.indicator").first.get_by_label("Source").fill("Eurostat")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Give the value, or clear the year and source.")).to_be_visible()
    assert_accessible(page, "indicators with errors")
    page.goto(f"/cities/{site.city_a.pk}/assessments/indicators/peers/")
    expect(heading(page)).to_contain_text("How Alphaville compares")
    assert_accessible(page, "peer comparison")


@pytest.mark.browser
def test_workbook_and_instrument_pages_are_accessible(page: Page, site: Cast, tmp_path: object) -> None:
    from pathlib import Path

    instrument = next(i for i in load_default_instruments(programme=site.programme) if i.key == "thematic-scan")
    sign_in(page, "rep_a@example.org")
    page.goto(f"/cities/{site.city_a.pk}/assessments/workbook/baseline/")
    expect(heading(page)).to_contain_text("Assessment workbook")
    assert_accessible(page, "workbook page")
    broken = Path(str(tmp_path)) / "broken.xlsx"
    broken.write_bytes(b"not a workbook")
    page.get_by_label("Filled-in workbook (.xlsx)").set_input_files(str(broken))
    page.get_by_role("button", name="Check the workbook").click()
    expect(page.get_by_text("not a readable .xlsx workbook")).to_be_visible()
    assert_accessible(page, "workbook upload with errors")

    page.context.clear_cookies()
    sign_in(page, "organiser@example.org")
    page.goto(f"/programmes/{site.programme.slug}/instruments/")
    assert_accessible(page, "instruments")
    section = instrument.sections.first()
    question = section.questions.first() if section is not None else None
    assert question is not None
    page.goto(f"/programmes/{site.programme.slug}/instruments/questions/{question.pk}/")
    page.get_by_label("Labelled levels, 1 to 5, one per line").fill("only one")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("exactly five labelled levels")).to_be_visible()
    assert_accessible(page, "question form with an error")
