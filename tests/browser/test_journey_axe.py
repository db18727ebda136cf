"""Every page of the journey, as its users see it, checked by axe-core at two widths."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from conftest import Cast
from icc.journey.models import Event, Submission
from tests.browser.test_journeys import assert_accessible, heading, sign_in


@pytest.fixture
def journey_site(site: Cast, journey: object) -> Cast:
    """The browser cast with the journey template, city A's schedule and one submitted deliverable."""
    return site


@pytest.mark.browser
def test_city_pages_of_the_journey_are_accessible(page: Page, journey_site: Cast) -> None:
    city = journey_site.city_a
    event = Event.objects.filter(city=city, event_type__key="local-launch").get()
    milestone = Submission.objects.get().milestone
    sign_in(page, "lead_expert@example.org")

    page.goto("/")
    expect(heading(page)).to_contain_text("Welcome")
    assert_accessible(page, "home with what's next")
    for path, title in (
        (f"/cities/{city.pk}/journey/", "Schedule of Alphaville"),
        (f"/cities/{city.pk}/deliverables/", "Deliverables of Alphaville"),
        (f"/cities/{city.pk}/deliverables/{milestone.pk}/", milestone.deliverable_type.name),
        (f"/cities/{city.pk}/achievements/", "Phase achievements of Alphaville"),
        (f"/events/{event.pk}/", "Local launch"),
    ):
        page.goto(path)
        expect(heading(page)).to_contain_text(title)
        assert_accessible(page, title)

    page.goto(f"/events/{event.pk}/")
    page.get_by_role("region", name="Move the event").locator("input[name='ends_at']").fill("2020-01-01T10:00")
    page.get_by_role("button", name="Save the new time").click()
    expect(page.get_by_text("The end must come after the start.").first).to_be_visible()
    assert_accessible(page, "event with a form error")

    page.goto(f"/cities/{city.pk}/deliverables/{milestone.pk}/")
    page.get_by_label("Comment").fill("Please add the KPIs.")
    page.get_by_label("Decision").select_option("changes-requested")
    page.get_by_role("button", name="Save the review").click()
    expect(page.locator(".badge.status-changes-requested").first).to_be_visible()
    assert_accessible(page, "deliverable after review")


@pytest.mark.browser
def test_programme_pages_of_the_journey_are_accessible(page: Page, journey_site: Cast) -> None:
    slug = journey_site.programme.slug
    sign_in(page, "organiser@example.org")
    for path, title in (
        (f"/programmes/{slug}/cohort/", "Cohort progress"),
        (f"/programmes/{slug}/events/", "Multi-city events"),
        (f"/programmes/{slug}/event-types/", "Event catalogue"),
        (f"/programmes/{slug}/calendar/", "Calendar of the edition"),
        ("/calendars/", "Calendar subscriptions"),
        ("/preferences/", "Your preferences"),
    ):
        page.goto(path)
        expect(heading(page)).to_contain_text(title)
        assert_accessible(page, title)

    page.goto(f"/programmes/{slug}/event-types/")
    page.get_by_role("link", name="Local launch").click()
    expect(heading(page)).to_contain_text("Edit Local launch")
    page.get_by_label("Duration (minutes)").fill("-1")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".errorlist").first).to_be_visible()
    assert_accessible(page, "event type form with an error")

    page.goto("/calendars/")
    page.get_by_role("button", name="Create a calendar address").click()
    expect(page.get_by_label("Your new calendar address (copy it now; it is shown only once):")).to_have_value(
        re.compile(r"/calendars/.+\.ics$")
    )
    assert_accessible(page, "calendar address created")
