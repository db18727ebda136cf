"""The ecosystem pages in Chromium: axe-core at a phone and a desktop width, no sideways scrolling."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from conftest import Cast
from icc.ecosystem.models import Contact, Insight, Interview, SensitiveNote, Stakeholder
from tests.browser.test_journeys import assert_accessible, heading, sign_in


@pytest.mark.browser
def test_the_lead_expert_reads_the_map_and_an_interview_with_her_note(page: Page, site: Cast) -> None:
    hub = site.organisation_a
    Stakeholder.objects.create(organisation=hub, role="connector", influence=4, interest=5, champion=True)
    contact = Contact.objects.create(organisation=hub, name="Ana Fictional", email="ana@example.org")
    interview = Interview.objects.create(
        city=site.city_a,
        organisation=hub,
        contact=contact,
        interviewer=site.person("lead_expert"),
        planned_on=dt.date(2026, 3, 2),
        created_by=site.person("lead_expert"),
        summary="Keen to host pilots.",
    )
    Insight.objects.create(interview=interview, text="Start-ups lack test sites", enabler="data")
    SensitiveNote.objects.create(interview=interview, author=site.person("lead_expert"), text="Board is split.")
    sign_in(page, "lead_expert@example.org")
    page.goto(f"/cities/{site.city_a.pk}/ecosystem/")
    expect(heading(page)).to_have_text("Stakeholder map of Alphaville")
    expect(page.get_by_role("img", name="Influence and interest of Alphaville's organisations")).to_be_visible()
    assert_accessible(page, "stakeholder map")
    page.get_by_role("link", name="Alphaville Innovation Hub").first.click()
    assert_accessible(page, "a stakeholder")
    page.goto(f"/cities/{site.city_a.pk}/ecosystem/interviews/")
    assert_accessible(page, "interviews")
    page.goto(f"/ecosystem/interviews/{interview.pk}/")
    expect(page.get_by_text("Board is split.")).to_be_visible()
    assert_accessible(page, "an interview")
