"""A channel as the people in it use it: write, see another's message arrive without
reloading, answer it in its thread; each page checked by axe-core at two widths."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from conftest import Cast
from icc.channels import actions
from icc.channels.models import Channel, Kind
from tests.browser.test_journeys import assert_accessible, heading, sign_in


@pytest.mark.browser
def test_a_representative_writes_sees_new_messages_arrive_and_answers(page: Page, site: Cast) -> None:
    actions.ensure_channels(site.programme)
    channel = Channel.objects.get(programme=site.programme, kind=Kind.QUESTIONS)
    sign_in(page, "rep_a@example.org")
    page.goto(f"/programmes/{site.programme.slug}/channels/")
    expect(heading(page)).to_have_text("Channels")
    assert_accessible(page, "channels")
    page.get_by_role("link", name="Questions and answers").first.click()
    expect(heading(page)).to_have_text("Questions and answers")
    page.get_by_role("textbox", name="Message").fill(
        "Who has a **template** for the roadmap? <script>alert(1)</script>"
    )
    page.get_by_role("button", name="Send").click()
    expect(page.locator(".post-body strong", has_text="template")).to_be_visible()
    expect(page.get_by_text("<script>alert(1)</script>")).to_be_visible()
    assert_accessible(page, "a channel")
    # Someone else answers while the page is open: it arrives by itself.
    actions.post_message(channel=channel, body="The toolbox has one.", by=site.person("lead_expert"))
    expect(page.get_by_text("The toolbox has one.")).to_be_visible(timeout=15_000)
    page.get_by_role("link", name="Reply").first.click()
    expect(heading(page)).to_have_text("Thread")
    page.get_by_role("textbox", name="Message").fill("Thank you!")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_text("Thank you!")).to_be_visible()
    assert_accessible(page, "a thread")
