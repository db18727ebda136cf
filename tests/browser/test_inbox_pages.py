"""The inbox as a mayor uses it: the count in the header, the list, marking read, opening a
notice, and the digest setting; each page checked by axe-core at 390 and 1280 pixels."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from conftest import Cast
from icc.inbox.actions import notify
from icc.inbox.models import Kind
from icc.library.models import Form, Item
from icc.library.models import Kind as ItemKind
from tests.browser.test_journeys import assert_accessible, heading, sign_in


@pytest.mark.browser
def test_a_mayor_reads_their_inbox_and_chooses_a_daily_digest(page: Page, site: Cast) -> None:
    mayor = site.person("mayor_a")
    item = Item.objects.create(
        programme=site.programme,
        kind=ItemKind.GUIDANCE,
        form=Form.LINK,
        title="A guide with a rather long title that has to wrap on a phone screen without scrolling sideways",
        url="https://example.org/guide",
        added_by=site.person("organiser"),
    )
    notify(kind=Kind.LIBRARY_ITEM, people=[mayor.pk], programme=site.programme, target=item)
    notify(kind=Kind.SIGN_OFF, people=[mayor.pk], programme=site.programme, target=site.city_a, params={"cycle": 1})
    sign_in(page, "mayor_a@example.org")
    expect(page.get_by_role("link", name="Inbox 2 unread")).to_be_visible()
    page.get_by_role("link", name="Inbox 2 unread").click()
    expect(heading(page)).to_have_text("Inbox")
    expect(page.get_by_text("2 unread notices")).to_be_visible()
    assert_accessible(page, "inbox")
    page.get_by_role("button", name=re.compile(r"^Mark read\W+A guide with a rather long title")).click()
    expect(page.get_by_text("1 unread notice")).to_be_visible()
    page.get_by_role("link", name="The budget of cycle 1 needs your sign-off").click()
    expect(heading(page)).to_contain_text("Cycle 1")
    page.goto("/inbox/?show=unread")
    expect(page.get_by_text("Nothing unread.")).to_be_visible()
    assert_accessible(page, "inbox, nothing unread")
    page.get_by_role("link", name="How often you get the e-mail digest").click()
    assert_accessible(page, "preferences with the digest")
    page.get_by_label("Daily").check()
    page.get_by_role("button", name="Save the digest").click()
    expect(page.get_by_text("You will get a daily digest.")).to_be_visible()
