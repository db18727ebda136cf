"""Strategy, roadmap, KPIs and cycle planning in a real browser, with axe on every page and state."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from playwright.sync_api import Page, expect

from conftest import Cast
from icc.roadmaps.models import KPI, Action, CyclePlan, Measurement, Strategy
from tests.browser.test_journeys import assert_accessible, heading, message, sign_in

# Cycle 1 of the test edition has ended and cycle 2 is running.
TODAY = dt.datetime(2026, 11, 21, 10, tzinfo=dt.UTC)


@pytest.mark.browser
@time_machine.travel(TODAY, tick=True)
def test_city_representative_plans_and_measures(page: Page, site: Cast, roadmap: Any) -> None:
    city = site.city_a.pk
    sign_in(page, "rep_a@example.org")

    page.goto(f"/cities/{city}/strategy/")
    expect(heading(page)).to_have_text("Strategy of Alphaville")
    assert_accessible(page, "strategy")
    page.get_by_label("Vision statement").fill("Alphaville, a city that measures what matters")
    page.get_by_role("button", name="Save as a new version").click()
    expect(message(page)).to_contain_text("Strategy saved as version 2")
    assert Strategy.objects.get().vision == "Alphaville, a city that measures what matters"
    page.goto(f"/cities/{city}/strategy/versions/2/")
    assert_accessible(page, "strategy version")
    page.goto(f"/cities/{city}/strategy/solutions/")
    assert_accessible(page, "solutions")
    page.get_by_role("button", name="Add every solution rated in the maturity assessment").click()
    expect(message(page)).to_contain_text("0 solutions added from the assessment")
    page.get_by_label("Solution:", exact=True).fill("smart METERS")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("already has a solution called")).to_be_visible()
    assert_accessible(page, "solution form with errors")
    page.get_by_label("Solution:", exact=True).fill("Open data portal")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(message(page)).to_contain_text("Solution saved")

    page.goto(f"/cities/{city}/roadmap/")
    expect(heading(page)).to_have_text("Roadmap of Alphaville")
    assert_accessible(page, "roadmap list")
    page.get_by_role("link", name="Add an opportunity").click()
    assert_accessible(page, "opportunity form")
    page.get_by_label("City opportunity").fill("Cleaner air near schools")
    page.get_by_label("Need it serves").fill("Children breathe the worst air of the city")
    page.get_by_role("button", name="Save").click()
    expect(message(page)).to_contain_text("Opportunity saved")

    page.get_by_role("link", name="Add an action").click()
    expect(heading(page)).to_have_text("Add an action")
    assert_accessible(page, "action form")
    page.get_by_label("Opportunity:", exact=True).select_option(label="Cleaner air near schools")
    page.get_by_label("Title").fill("School streets pilot")
    page.get_by_label("Owner (person)").select_option(label=site.people["rep_a"].full_name)  # type: ignore[union-attr]
    cycle = site.programme.cycles.get(number=2)
    page.get_by_label("Start").fill(cycle.starts_on.isoformat())
    page.get_by_label("End:", exact=True).fill((cycle.starts_on + dt.timedelta(days=60)).isoformat())
    page.get_by_label("Cycle").select_option(label="Cycle 2")
    page.get_by_label("Budget (€)").fill("-100")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("An amount cannot be negative.")).to_be_visible()
    assert_accessible(page, "action form with errors")
    page.get_by_label("Budget (€)").fill("12000")
    page.get_by_label("Energy use of public buildings").check()
    page.get_by_role("button", name="Save").click()
    expect(heading(page)).to_have_text("School streets pilot")
    assert_accessible(page, "action page")
    assert Action.objects.get(title="School streets pilot").kpis.count() == 1

    page.goto(f"/cities/{city}/roadmap/?view=timeline")
    expect(page.locator("svg.gantt")).to_be_visible()
    assert_accessible(page, "roadmap timeline")

    page.goto(f"/cities/{city}/kpis/")
    expect(page.get_by_role("link", name="Energy use of public buildings")).to_be_visible()
    assert_accessible(page, "KPI dashboard")
    page.get_by_role("link", name="Add a KPI").click()
    page.get_by_label("Name").fill("Share of trips by bike")
    page.get_by_label("Unit").fill("%")
    page.get_by_label("Desired direction").select_option("up")
    page.get_by_label("Baseline value").fill("12")
    page.get_by_label("Baseline date").fill("2026-01-01")
    page.get_by_label("Baseline source").fill("Mobility survey")
    page.get_by_label("Target value").fill("8")
    page.get_by_label("Target date").fill("2028-01-01")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("so the target must be above the baseline")).to_be_visible()
    assert_accessible(page, "KPI form with errors")
    page.get_by_label("Target value").fill("20")
    page.get_by_role("button", name="Save").click()
    expect(heading(page)).to_have_text("Share of trips by bike")
    page.get_by_label("Date:", exact=True).fill("2026-09-01")
    page.get_by_role("spinbutton", name="Value:").fill("16")
    page.get_by_label("Source:", exact=True).fill("Bike counters")
    page.get_by_role("button", name="Record").click()
    expect(message(page)).to_contain_text("Value recorded")
    expect(page.locator("svg.plot")).to_be_visible()
    expect(page.locator(".badge").first).to_have_text("On track")
    assert_accessible(page, "KPI page")
    assert Measurement.objects.filter(kpi=KPI.objects.get(name="Share of trips by bike")).count() == 1

    page.goto(f"/cities/{city}/cycles/2/")
    expect(heading(page)).to_have_text("Cycle 2 plan of Alphaville")
    assert_accessible(page, "cycle plan")
    page.get_by_label("Cut energy use").fill("1")
    page.get_by_label("Cleaner air near schools").fill("1")
    page.get_by_role("button", name="Save the ranking").click()
    expect(page.get_by_text("Rank 1 is already given")).to_be_visible()
    assert_accessible(page, "cycle plan with a ranking error")
    page.get_by_label("Cleaner air near schools").fill("2")
    page.get_by_role("button", name="Save the ranking").click()
    expect(message(page)).to_contain_text("Top opportunities saved")
    page.get_by_label("Budget (€) – School streets pilot").fill("15000")
    page.get_by_role("button", name="Save owners, cycles and budgets").click()
    expect(message(page)).to_contain_text("Owners, cycles and budgets saved")
    assert str(Action.objects.get(title="School streets pilot").budget) == "15000.00"
    page.get_by_label("Review of the last cycle").fill("The audit is done; the retrofit moves on.")
    page.get_by_role("button", name="Keep the plan with a snapshot of the roadmap").click()
    expect(message(page)).to_contain_text("Plan for Cycle 2 kept")
    assert CyclePlan.objects.get().review.startswith("The audit is done")

    page.goto(f"/cities/{city}/chain/")
    expect(heading(page)).to_contain_text("From enablers to performance")
    assert_accessible(page, "chain of four concepts")


@pytest.mark.browser
@time_machine.travel(TODAY, tick=True)
def test_stakeholder_reports_on_their_action_and_the_team_sees_the_cohort(page: Page, site: Cast, roadmap: Any) -> None:
    Measurement.objects.all().delete()  # so city A's update for cycle 1 is missing
    sign_in(page, "stakeholder@example.org")
    page.goto("/my-actions/")
    expect(page.get_by_role("link", name="Audit public buildings")).to_be_visible()
    expect(page.get_by_text("Secret retrofit plan")).to_have_count(0)
    assert_accessible(page, "my actions")
    page.get_by_role("link", name="Audit public buildings").click()
    page.get_by_label("Status").select_option("done")
    page.get_by_label("Spent so far (€)").fill("18000")
    page.get_by_role("button", name="Save progress").click()
    expect(message(page)).to_contain_text("Progress saved")
    assert_accessible(page, "owned action")
    assert Action.objects.get(pk=roadmap.owned.pk).status == "done"

    page.context.clear_cookies()
    sign_in(page, "organiser@example.org")
    page.goto(f"/programmes/{site.programme.slug}/kpis/")
    expect(heading(page)).to_have_text("KPI progress across the cohort")
    assert_accessible(page, "programme KPI overview")
    page.get_by_role("link", name="Show only cities with missing updates").click()
    expect(page.get_by_role("link", name="Alphaville")).to_be_visible()
    expect(page.get_by_text("1 KPI update for Cycle 1 is missing")).to_be_visible()
