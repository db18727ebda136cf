"""The journey pages in a real browser: a city's schedule and events, its deliverables and
their review, its phase achievements, and the programme team's cohort, events and calendar pages.

The journey template is installed and the schedules generated in the data setup, which is
committed (transactional database) so that the live server sees it. Every page a journey
visits, including the ones showing form errors, is checked with axe-core at two widths.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, Locator, Page, expect
from pytest_django.live_server_helper import LiveServer

from conftest import Cast
from icc.journey import progress
from icc.journey.actions import generate_schedules, install_template
from icc.journey.demo import DEMO_PDF
from icc.journey.models import Achievement, Event, EventStatus, FollowUp, Submission, SubmissionStatus
from tests.browser.conftest import TIMEOUT_MS, VIEWPORT
from tests.browser.test_journeys import HOME_URL, assert_accessible, fact, heading, message, sign_in


@pytest.fixture
def scheduled_site(site: Cast) -> Cast:
    """The browser cast with the default journey template and the schedules of every city of the edition."""
    install_template(programme=site.programme)
    generate_schedules(programme=site.programme)
    return site


@pytest.fixture
def new_page(browser: Browser | None, live_server: LiveServer) -> Iterator[Callable[[], Page]]:
    """Opens pages in new browser contexts (no shared cookies): a second person at another computer."""
    contexts = []

    def open_page() -> Page:
        assert browser is not None
        context = browser.new_context(viewport=VIEWPORT, base_url=live_server.url, locale="en-GB")
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def city_nav(page: Page) -> Locator:
    return page.get_by_role("navigation", name="City sections")


def field_errors(page: Page) -> Locator:
    return page.locator(".errorlist")


# 1. A city representative plans, moves and writes up an event --------------------------


@pytest.mark.browser
def test_city_representative_moves_records_and_follows_up_an_event(page: Page, scheduled_site: Cast) -> None:
    city, rep, lead = scheduled_site.city_a, scheduled_site.people["rep_a"], scheduled_site.people["lead_expert"]
    assert rep is not None and lead is not None
    # The most recent of the city's own events that ended at least two days ago: "held" is allowed,
    # and moving it within its day keeps it in the past and inside its phase.
    event = (
        Event.objects.filter(city=city, ends_at__lt=timezone.now() - dt.timedelta(days=2))
        .select_related("phase", "event_type")
        .order_by("-starts_at")
        .first()
    )
    assert event is not None, "the generated schedule has no past event"
    day = timezone.localtime(event.starts_at).date()
    assert event.phase.starts_on <= day <= event.phase.ends_on

    sign_in(page, rep.email)
    expect(page).to_have_url(HOME_URL)
    expect(page.get_by_role("heading", name=re.compile(r"^What.s next$"))).to_be_visible()
    assert_accessible(page, "city representative's home page with what's next")

    page.get_by_role("main").get_by_role("link", name=city.name, exact=True).click()
    expect(heading(page)).to_contain_text(city.name)
    city_nav(page).get_by_role("link", name="Schedule", exact=True).click()
    expect(heading(page)).to_have_text(f"Schedule of {city.name}")
    expect(city_nav(page).get_by_role("link", name="Schedule", exact=True)).to_have_attribute("aria-current", "page")
    phase_section = page.get_by_role("region", name=re.compile(rf"^{re.escape(event.phase.name)}"))
    row = phase_section.get_by_role("row").filter(has=page.get_by_role("link", name=str(event), exact=True))
    expect(row).to_contain_text("Not recorded")
    assert_accessible(page, "city schedule")

    phase_section.get_by_role("link", name=str(event), exact=True).click()
    expect(heading(page)).to_contain_text(str(event))
    expect(page).to_have_url(re.compile(rf"/events/{event.pk}/$"))
    assert_accessible(page, "event page")

    # Move it: same day, in the afternoon, in the person's time zone (the programme's).
    move = page.get_by_role("region", name="Move the event")
    move.get_by_label("Starts").fill(f"{day.isoformat()}T14:00")
    move.get_by_label("Ends").fill(f"{day.isoformat()}T15:30")
    move.get_by_label("Place or video link").fill("City hall, room 2")
    move.get_by_role("button", name="Save the new time").click()
    expect(message(page)).to_have_text("The event was moved. Calendars will show the new time.")
    about = page.get_by_role("region", name="About")
    when = f"{day:%A}, {day.day} {day:%b} {day.year}, 14:00 – 15:30"
    expect(fact(about, "When")).to_contain_text(when)
    expect(fact(about, "Where")).to_have_text("City hall, room 2")
    expect(page.get_by_text("moved by hand", exact=True)).to_be_visible()
    expect(move.get_by_label("Starts")).to_have_value(f"{day.isoformat()}T14:00")
    assert_accessible(page, "event page after moving it")

    # Write it up.
    write = page.get_by_role("region", name="Write up the event")
    write.get_by_label("Status").select_option(label="Held")
    write.get_by_role("checkbox", name=rep.full_name, exact=True).check()
    write.get_by_label("Minutes").fill("We agreed on the stakeholder map.")
    write.get_by_role("button", name="Save the record").click()
    expect(message(page)).to_have_text("The record of the event was saved.")
    record = page.get_by_role("region", name="Record")
    expect(record).to_contain_text(rep.full_name)
    expect(record).to_contain_text("We agreed on the stakeholder map.")
    expect(page.get_by_role("main").locator(".badge.status-held").first).to_have_text("Held")
    assert_accessible(page, "event page after writing it up")

    # A follow-up with a due date in the past is refused; one in the future is listed.
    write.get_by_label("Follow-up").fill("Send the stakeholder map")
    write.get_by_label("Owner").select_option(label=lead.full_name)
    write.get_by_label("Due").fill((timezone.localdate() - dt.timedelta(days=1)).isoformat())
    write.get_by_role("button", name="Add", exact=True).click()
    expect(field_errors(page)).to_have_text(["The due date is in the past."])
    assert_accessible(page, "event page with a follow-up error")

    due = timezone.localdate() + dt.timedelta(days=14)
    write.get_by_label("Due").fill(due.isoformat())
    write.get_by_role("button", name="Add", exact=True).click()
    expect(message(page)).to_have_text("The follow-up was added.")
    item = record.get_by_role("listitem").filter(has_text="Send the stakeholder map")
    expect(item.locator(".badge")).to_have_text("open")
    expect(item).to_contain_text(f"{lead.full_name} · due {due.day} {due:%b} {due.year}")
    assert_accessible(page, "event page with an open follow-up")

    # The visually hidden part of the name is a block (absolutely positioned): a space precedes its colon.
    item.get_by_role("button", name=re.compile(r"^Mark done\s*: Send the stakeholder map$")).click()
    expect(message(page)).to_have_text("Marked as done: Send the stakeholder map")
    item = record.get_by_role("listitem").filter(has_text="Send the stakeholder map")
    expect(item.locator(".badge")).to_have_text("done")
    expect(item.get_by_role("button")).to_have_count(0)
    assert_accessible(page, "event page after closing the follow-up")

    event.refresh_from_db()
    assert event.status == EventStatus.HELD and event.edited
    assert timezone.localtime(event.starts_at).time() == dt.time(14, 0)
    assert list(event.attendees.all()) == [rep]
    assert FollowUp.objects.get(event=event).done_at is not None


# 2. Deliverables: upload, review, and a refused file ----------------------------------


@pytest.mark.browser
def test_deliverable_is_uploaded_reviewed_and_a_wrong_file_refused(
    page: Page, scheduled_site: Cast, new_page: Callable[[], Page], tmp_path: Path
) -> None:
    city = scheduled_site.city_a
    pdf = tmp_path / "assessment-report.pdf"
    pdf.write_bytes(DEMO_PDF)
    text = tmp_path / "notes.txt"
    text.write_text("Not an office document.\n", encoding="utf-8")

    sign_in(page, "rep_a@example.org")
    page.get_by_role("main").get_by_role("link", name=city.name, exact=True).click()
    city_nav(page).get_by_role("link", name="Deliverables", exact=True).click()
    expect(heading(page)).to_have_text(f"Deliverables of {city.name}")
    assert_accessible(page, "deliverables list")

    first = page.get_by_role("table").locator("tbody th[scope=row] a").first
    deliverable_name = first.inner_text()
    first.click()
    expect(heading(page)).to_contain_text(deliverable_name)
    expect(page.get_by_text("No version has been submitted yet.")).to_be_visible()
    milestone_url = page.url
    assert_accessible(page, "milestone page")

    upload = page.get_by_role("region", name="Submit a version")
    upload.get_by_label("Document").set_input_files(pdf)
    upload.get_by_label("Note to the reviewer").fill("The first draft.")
    upload.get_by_role("button", name="Submit").click()
    expect(message(page)).to_have_text("Version submitted. Your lead expert has been told.")
    version = page.get_by_role("article", name=re.compile(r"^Version 1"))
    expect(version.get_by_role("heading")).to_have_text(re.compile(r"^Version 1\s+Awaiting review$"))
    expect(version.get_by_role("link", name=re.compile(r"^Download assessment-report\.pdf"))).to_be_visible()
    assert_accessible(page, "milestone page after the upload")

    lead_page = new_page()
    sign_in(lead_page, "lead_expert@example.org")
    expect(lead_page).to_have_url(HOME_URL)
    lead_page.goto(milestone_url)
    lead_version = lead_page.get_by_role("article", name=re.compile(r"^Version 1"))
    expect(lead_version).to_contain_text("The first draft.")
    assert_accessible(lead_page, "milestone page (lead expert)")
    lead_version.get_by_label("Decision").select_option(label="Changes requested")
    lead_version.get_by_label("Comment").fill("Please add the KPI targets.")
    lead_version.get_by_role("button", name="Save the review").click()
    expect(message(lead_page)).to_have_text("Your review was saved.")
    lead_version = lead_page.get_by_role("article", name=re.compile(r"^Version 1"))
    expect(lead_version.locator(".badge")).to_have_text("Changes requested")
    expect(lead_version.locator(".review")).to_contain_text("Please add the KPI targets.")
    assert_accessible(lead_page, "milestone page after the review")

    page.reload()
    expect(page.get_by_role("article", name=re.compile(r"^Version 1")).locator(".badge")).to_have_text(
        "Changes requested"
    )
    upload = page.get_by_role("region", name="Submit a version")
    upload.get_by_label("Document").set_input_files(text)
    upload.get_by_role("button", name="Submit").click()
    expect(field_errors(page)).to_have_text(
        ["Upload a document of one of these types: docx, odp, ods, odt, pdf, pptx, xlsx."]
    )
    expect(page.get_by_role("article")).to_have_count(1)
    assert_accessible(page, "milestone page refusing a text file")

    submission = Submission.objects.get(city=city)
    assert submission.status == SubmissionStatus.CHANGES_REQUESTED
    assert submission.original_name == "assessment-report.pdf"


# 3. Phase achievements ------------------------------------------------------------------


@pytest.mark.browser
def test_city_representative_ticks_an_achievement_with_evidence(page: Page, scheduled_site: Cast) -> None:
    city = scheduled_site.city_a
    phase, items = progress.achievement_groups(city)[0]
    item = items[0][0]

    sign_in(page, "rep_a@example.org")
    page.get_by_role("main").get_by_role("link", name=city.name, exact=True).click()
    city_nav(page).get_by_role("link", name="Phase achievements", exact=True).click()
    expect(heading(page)).to_have_text(f"Phase achievements of {city.name}")
    assert_accessible(page, "phase achievements")

    card = (
        page.get_by_role("region", name=f"By the end of {phase.name}")
        .get_by_role("listitem")
        .filter(has_text=item.text)
    )
    expect(card.locator(".badge")).to_have_text("to do")
    card.get_by_text("Tick with evidence").click()
    expect(card.get_by_label("Note or link")).to_be_visible()
    assert_accessible(page, "phase achievements with a tick form open")

    card.get_by_role("button", name="Tick", exact=True).click()
    expect(page.get_by_role("alert")).to_have_text("Give the evidence: an event, a deliverable or a note.")
    expect(card.get_by_label("Note or link")).to_be_visible()
    assert_accessible(page, "phase achievements with the missing-evidence error")

    card.get_by_label("Note or link").fill("Agreed at the lead expert check-in.")
    card.get_by_role("button", name="Tick", exact=True).click()
    expect(message(page)).to_have_text(f"Ticked: {item.text}")
    expect(card.locator(".badge")).to_have_text("done")
    expect(card).to_contain_text("Agreed at the lead expert check-in.")
    expect(card.get_by_role("button", name="Untick")).to_be_visible()
    assert_accessible(page, "phase achievements after ticking")
    assert Achievement.objects.get(city=city, item=item).evidence_note == "Agreed at the lead expert check-in."


# 4. The programme team's pages ----------------------------------------------------------


@pytest.mark.browser
def test_organiser_follows_the_cohort_and_sets_up_calendars_and_preferences(page: Page, scheduled_site: Cast) -> None:
    programme, organiser = scheduled_site.programme, scheduled_site.people["organiser"]
    assert organiser is not None
    needing_attention = progress.cohort(programme, QueryDict("attention=any"), today=timezone.localdate()).rows
    assert needing_attention, "no city needs attention: the filter would show nothing"

    sign_in(page, organiser.email)
    expect(page).to_have_url(HOME_URL)
    page.get_by_role("link", name="Cohort progress", exact=True).click()
    expect(heading(page)).to_have_text("Cohort progress")
    expect(page.get_by_role("status")).to_have_text("3 cities")
    assert_accessible(page, "cohort progress")

    page.get_by_label("Needs attention").select_option(label="Anything late")
    page.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(r"attention=any"))
    expect(page.get_by_label("Needs attention")).to_have_value("any")
    count = len(needing_attention)
    expect(page.get_by_role("status")).to_have_text(f"{count} {'city' if count == 1 else 'cities'}")
    names = [row.city.name for row in needing_attention]
    expect(page.get_by_role("table").locator("tbody th[scope=row]")).to_have_text(names)
    csv_link = page.get_by_role("link", name="Download as CSV")
    expect(csv_link).to_have_attribute("href", re.compile(r"attention=any.*format=csv"))
    assert_accessible(page, "cohort progress filtered on needing attention")
    response = page.request.get(page.url.split("?")[0] + (csv_link.get_attribute("href") or ""))
    assert response.ok and response.headers["content-type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(response.body().decode("utf-8-sig"))))
    assert lines[0] == list(progress.COHORT_CSV_HEADER)
    assert [line[0] for line in lines[1:]] == names

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Home").click()
    page.get_by_role("link", name="Multi-city events", exact=True).click()
    expect(heading(page)).to_have_text("Multi-city events")
    shared = Event.objects.filter(programme=programme, city__isnull=True).count()
    assert shared > 0
    expect(page.get_by_role("table").locator("tbody tr")).to_have_count(shared)
    assert_accessible(page, "multi-city events")

    page.goto(reverse("journey:calendars"))
    expect(heading(page)).to_have_text("Calendar subscriptions")
    expect(page.get_by_role("main").get_by_role("listitem")).to_have_text(["None yet."])
    assert_accessible(page, "calendar subscriptions")
    page.get_by_role("button", name="Create a calendar address").click()
    expect(page.get_by_label("Your new calendar address (copy it now; it is shown only once):")).to_have_value(
        re.compile(r"^https?://[^/]+/calendars/[^/]+\.ics$")
    )
    expect(page.get_by_role("main").get_by_role("listitem")).to_have_text(
        [re.compile(rf"^Calendar of {re.escape(organiser.full_name)}")]
    )
    assert_accessible(page, "calendar subscriptions with a new address")

    page.get_by_role("banner").get_by_role("link", name=organiser.full_name).click()
    expect(heading(page)).to_have_text("Your preferences")
    assert_accessible(page, "preferences")
    page.get_by_label("Time zone").fill("Mars/Olympus")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(field_errors(page)).to_have_text(["“Mars/Olympus” is not a known time zone."])
    assert_accessible(page, "preferences with an unknown time zone")
    page.get_by_label("Time zone").fill("Europe/Lisbon")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(message(page)).to_have_text("Your preferences were saved.")
    expect(page.get_by_label("Time zone")).to_have_value("Europe/Lisbon")
    assert_accessible(page, "preferences after saving")
    organiser.refresh_from_db()
    assert organiser.time_zone == "Europe/Lisbon"
