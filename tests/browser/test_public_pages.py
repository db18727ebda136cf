"""The public side in a real browser: a city team sets up and publishes its page, then a
resident reads the city page, the dashboard, the programme dashboard and the open data in
several languages, each checked with axe at 390 and 1280 px."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import Page, expect

from conftest import Cast
from icc.public.models import Publication
from icc.roadmaps.models import Measurement
from tests.browser.test_journeys import assert_accessible, heading, message, sign_in


def _url(name: str, language: str, **kwargs: str) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


@pytest.mark.browser
def test_a_city_team_publishes_its_page_and_residents_read_it(page: Page, site: Cast, roadmap: Any) -> None:
    city = site.city_a
    city.latitude, city.longitude = Decimal("38.72"), Decimal("-9.14")
    city.save(update_fields=["latitude", "longitude"])
    kpi = roadmap.kpi
    for months in (3, 6):
        Measurement.objects.create(
            kpi=kpi,
            date=kpi.baseline_date + dt.timedelta(days=30 * months + 45),
            value=Decimal(990 - months * 5),
            source="Meters",
        )

    sign_in(page, "rep_a@example.org")
    page.goto(f"/cities/{city.pk}/")
    page.get_by_role("link", name="Public page for residents").click()
    expect(heading(page)).to_have_text("Public page of Alphaville")
    assert_accessible(page, "publication settings")
    page.get_by_label("Next update of the dashboard").fill("2001-01-01")
    page.get_by_role("button", name="Save the settings").click()
    expect(page.get_by_text("The next update cannot be in the past.")).to_be_visible()
    assert_accessible(page, "publication settings with errors")

    next_update = (timezone.localdate() + dt.timedelta(days=90)).isoformat()
    page.get_by_label("Next update of the dashboard").fill(next_update)
    page.get_by_label("Language of the strategy, actions and KPIs").select_option("en")
    page.get_by_label("Introduction (português)").fill("Alphaville quer gastar menos energia nos edifícios públicos.")
    page.get_by_label("Energy use of public buildings (MWh)").check()
    page.get_by_role("checkbox", name=re.compile(r"Audit public buildings")).check()
    page.get_by_role("button", name="Save the settings").click()
    expect(message(page)).to_contain_text("Public page settings saved.")
    page.get_by_role("link", name="Preview the dashboard").first.click()
    # In the city's default language (Portuguese), with a switch to the others.
    expect(page.locator("html")).to_have_attribute("lang", "pt")
    page.get_by_role("link", name="English").click()
    expect(heading(page)).to_have_text("Progress of Alphaville")
    assert_accessible(page, "preview of the dashboard")
    page.goto(f"/cities/{city.pk}/public/")
    page.get_by_role("button", name="Publish").click()
    expect(message(page)).to_contain_text("The public page is published.")
    publication = Publication.objects.get(city=city)
    assert publication.published

    # A resident, without an account.
    page.context.clear_cookies()
    slugs = {"programme": site.programme.slug, "city": publication.slug}
    for language, country, progress in (
        ("en", "Portugal", "Progress"),
        ("fr", "Portugal", None),
        ("pl", "Portugalia", None),
    ):
        page.goto(_url("public:city", language, **slugs))
        expect(page.locator("html")).to_have_attribute("lang", language)
        expect(heading(page)).to_have_text("Alphaville")
        expect(page.get_by_role("main")).to_contain_text(country)
        expect(page.locator('.public-introduction [lang="pt"]')).to_contain_text("Alphaville quer gastar menos energia")
        assert_accessible(page, f"city page ({language})")
        if progress:
            page.get_by_role("link", name=progress, exact=True).click()
        else:
            page.goto(_url("public:city_dashboard", language, **slugs))
        expect(page.locator("svg.plot")).to_have_count(1)
        assert_accessible(page, f"city dashboard ({language})")
        page.locator("details.figures-table summary").first.click()
        expect(page.get_by_role("table").first).to_be_visible()
        assert_accessible(page, f"city dashboard with its table open ({language})")
        page.goto(_url("public:programme", language, programme=site.programme.slug))
        expect(page.locator("svg.map")).to_be_visible()
        assert_accessible(page, f"programme dashboard ({language})")
        page.goto(_url("public:open_data", language, programme=site.programme.slug))
        assert_accessible(page, f"open data ({language})")

    page.goto(_url("public:programme", "en", programme=site.programme.slug))
    page.get_by_role("link", name="Alphaville").first.click()
    expect(heading(page)).to_have_text("Alphaville")
    page.locator(".languages summary").click()  # the language menu is folded
    page.get_by_role("link", name="français").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
