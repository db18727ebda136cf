"""The main journeys through the platform in a real browser, with an axe-core check of every page.

Each journey signs in through the real form and asserts what the person sees. Every page a
journey visits is checked with axe-core against WCAG 2.0 and 2.1 A and AA, at a phone width
(390px) and a desktop width (1280px).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import FilePayload, Locator, Page, ViewportSize, expect

from conftest import Cast
from icc.cities.models import City, Organisation

PASSWORD = "a-long-test-password"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
HOME_URL = re.compile(r"^https?://[^/]+/$")
VIEWPORTS: dict[str, ViewportSize] = {"narrow": {"width": 390, "height": 844}, "wide": {"width": 1280, "height": 800}}
AXE = Axe()


# Helpers ------------------------------------------------------------------------------


def _targets(node: dict[str, Any]) -> str:
    # A target is a CSS selector, or a list of selectors through shadow roots and frames.
    return ", ".join(" >> ".join(t) if isinstance(t, list) else str(t) for t in node["target"])


def assert_accessible(page: Page, label: str) -> None:
    """Run axe-core (WCAG 2.0/2.1 A and AA) at a narrow and a wide viewport; fail on any violation,
    on a page that scrolls sideways, and on a table that does not fit a desktop screen."""
    page.wait_for_load_state("load")
    original = page.viewport_size
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    problems = []
    try:
        for name, size in VIEWPORTS.items():
            page.set_viewport_size(size)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > size["width"]:
                problems.append(f"  [{name}, {size['width']}px] the page scrolls sideways ({width}px wide)")
            if name == "wide":
                clipped = page.evaluate(
                    "[...document.querySelectorAll('.table-scroll')]"
                    ".filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.querySelector('caption')?.textContent)"
                )
                for caption in clipped:
                    problems.append(f"  [{name}, {size['width']}px] a table does not fit: {caption}")
            results = AXE.run(page, options=options)
            for violation in results.response["violations"]:
                nodes = "\n".join(f"      - {_targets(node)}" for node in violation["nodes"])
                problems.append(
                    f"  [{name}, {size['width']}px] {violation['id']} ({violation['impact']}): "
                    f"{violation['description']}\n{nodes}"
                )
    finally:
        if original is not None:
            page.set_viewport_size(original)
    if problems:
        pytest.fail(
            f"axe-core found WCAG 2.0/2.1 A/AA violations on the {label} ({page.url}):\n" + "\n".join(problems),
            pytrace=False,
        )


def sign_in(page: Page, email: str, password: str = PASSWORD) -> None:
    """Fill in and send the real sign-in form (after checking the form page itself)."""
    page.goto(reverse("accounts:login"))
    expect(heading(page)).to_have_text("Sign in")
    assert_accessible(page, "sign-in page")
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(password)
    page.get_by_role("main").get_by_role("button", name="Sign in").click()


def heading(page: Page) -> Locator:
    return page.get_by_role("heading", level=1)


def message(page: Page) -> Locator:
    return page.locator(".messages")


def city_names(page: Page) -> Locator:
    """The city names, in the order of the overview table's rows."""
    return page.get_by_role("table", name=re.compile(r"^Cities")).locator("tbody th[scope=row] a")


def fact(section: Locator, term: str) -> Locator:
    """The <dd> that follows the <dt> `term` in a list of facts."""
    return section.locator("dt", has_text=re.compile(rf"^{re.escape(term)}$")).locator("xpath=following-sibling::dd[1]")


# 1. The organiser explores the programme ----------------------------------------------


@pytest.mark.browser
def test_organiser_filters_sorts_and_groups_the_overview_then_opens_a_city(page: Page, site: Cast) -> None:
    theme_a, theme_b = site.city_a.track, site.city_b.track
    assert theme_a is not None and theme_b is not None

    sign_in(page, "organiser@example.org")
    expect(page).to_have_url(HOME_URL)
    expect(heading(page)).to_contain_text("Welcome")
    assert_accessible(page, "organiser's home page")

    page.get_by_role("link", name="Programme overview", exact=True).click()
    expect(heading(page)).to_have_text(site.programme.name)
    expect(page.get_by_role("status")).to_have_text("3 cities")
    expect(city_names(page)).to_have_text(["Alphaville", "Betatown", "Mentorburg"])
    assert_accessible(page, "programme overview")

    page.get_by_label("Country").select_option(label="Germany")
    page.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(r"country=DE"))
    expect(page.get_by_role("status")).to_have_text("1 city")
    expect(city_names(page)).to_have_text(["Betatown"])
    expect(page.get_by_label("Country")).to_have_value("DE")
    assert_accessible(page, "overview filtered by country")

    page.get_by_role("link", name="Clear").click()
    expect(city_names(page)).to_have_text(["Alphaville", "Betatown", "Mentorburg"])
    population = page.get_by_role("columnheader", name="Population")
    population.get_by_role("link").click()
    expect(population).to_have_attribute("aria-sort", "ascending")
    expect(city_names(page)).to_have_text(["Betatown", "Mentorburg", "Alphaville"])
    expect(page.get_by_role("table").locator("tbody td.num")).to_have_text(["120,000", "450,000", "900,000"])
    assert_accessible(page, "overview sorted by population")
    population.get_by_role("link").click()
    expect(population).to_have_attribute("aria-sort", "descending")
    expect(city_names(page)).to_have_text(["Alphaville", "Mentorburg", "Betatown"])

    page.get_by_role("link", name="Grouped").click()
    expect(page.get_by_role("link", name="Grouped")).to_have_attribute("aria-current", "true")
    expect(page.get_by_role("table", name=re.compile(r"^Cities"))).to_have_count(0)
    group_a = page.get_by_role("region", name=re.compile(rf"^{re.escape(theme_a.name)}"))
    group_b = page.get_by_role("region", name=re.compile(rf"^{re.escape(theme_b.name)}"))
    expect(group_a.get_by_role("link")).to_have_text(["Alphaville", "Mentorburg"])
    expect(group_b.get_by_role("link")).to_have_text(["Betatown"])
    assert_accessible(page, "overview in grouped view")

    group_a.get_by_role("link", name="Alphaville", exact=True).click()
    expect(heading(page)).to_contain_text("Alphaville")
    expect(heading(page)).to_contain_text("Portugal")
    profile = page.get_by_role("region", name="Profile")
    expect(fact(profile, "Population")).to_have_text("900,000")
    expect(fact(profile, "Thematic track")).to_have_text(theme_a.name)
    ecosystem = page.get_by_role("region", name="Local ecosystem")
    expect(ecosystem.get_by_role("rowheader")).to_have_text(["Alphaville Innovation Hub"])
    assert_accessible(page, "city page")


# 2. A city representative edits the profile of their city -----------------------------


@pytest.mark.browser
def test_city_representative_edits_the_population_of_their_city(page: Page, site: Cast) -> None:
    sign_in(page, "rep_a@example.org")
    expect(page).to_have_url(HOME_URL)
    expect(heading(page)).to_contain_text("Welcome")
    assert_accessible(page, "city representative's home page")

    page.get_by_role("link", name="Alphaville", exact=True).click()
    expect(heading(page)).to_contain_text("Alphaville")
    expect(fact(page.get_by_role("region", name="Profile"), "Population")).to_have_text("900,000")
    assert_accessible(page, "city page (city representative)")

    page.get_by_role("link", name="Edit the profile").click()
    expect(heading(page)).to_have_text("Edit Alphaville")
    expect(page.get_by_label("Population")).to_have_value("900000")
    assert_accessible(page, "city profile form")
    page.get_by_label("Population").fill("123456")
    page.get_by_role("button", name="Save").click()

    expect(message(page)).to_have_text("The profile of Alphaville was saved.")
    expect(heading(page)).to_contain_text("Alphaville")
    expect(fact(page.get_by_role("region", name="Profile"), "Population")).to_have_text("123,456")
    assert_accessible(page, "city page after saving the profile")
    assert City.objects.get(pk=site.city_a.pk).population == 123_456


# 3. The organiser invites a person, then adds an organisation -------------------------


@pytest.mark.browser
def test_organiser_invites_a_person_and_adds_an_organisation(page: Page, site: Cast, mailoutbox: list[Any]) -> None:
    sign_in(page, "organiser@example.org")
    page.get_by_role("link", name="People and roles", exact=True).click()
    expect(heading(page)).to_have_text("People and roles")
    people = page.get_by_role("table", name="People of this edition")
    for persona in ("organiser", "rep_a", "stakeholder"):
        expect(people.get_by_role("rowheader", name=site.person(persona).full_name, exact=True)).to_be_visible()
    assert_accessible(page, "people list")

    page.get_by_role("main").get_by_role("link", name="Invite a person", exact=True).click()
    expect(heading(page)).to_have_text("Invite a person")
    assert_accessible(page, "invitation form")
    page.get_by_label("Full name").fill("Chiara Rossi")
    page.get_by_label("E-mail address").fill("chiara.rossi@example.org")
    page.get_by_label("Role").select_option(label="City representative")
    page.get_by_label(re.compile(r"^City:?$")).select_option(label="Betatown")
    page.get_by_role("button", name="Invite").click()

    expect(message(page)).to_have_text("An invitation was sent to chiara.rossi@example.org.")
    expect(heading(page)).to_have_text("Chiara Rossi")
    expect(page.get_by_role("region", name="Roles in this edition")).to_contain_text("City representative")
    expect(page.get_by_text("has not chosen a password yet")).to_be_visible()
    assert_accessible(page, "person page after the invitation")
    assert [m.to for m in mailoutbox] == [["chiara.rossi@example.org"]]

    page.get_by_role("navigation", name="Main").get_by_role("link", name=site.programme.name).click()
    page.get_by_role("link", name="Betatown", exact=True).click()
    expect(heading(page)).to_contain_text("Betatown")
    ecosystem = page.get_by_role("region", name="Local ecosystem")
    expect(ecosystem).to_contain_text("No organisation of the local ecosystem is listed yet.")
    assert_accessible(page, "city page (organiser)")

    ecosystem.get_by_role("link", name="Add an organisation").click()
    expect(heading(page)).to_have_text("Add an organisation")
    assert_accessible(page, "organisation form")
    page.get_by_label("Name").fill("Betatown Data Office")
    page.get_by_label("Sector").select_option(label="City technology office or data team")
    page.get_by_label("Website").fill("data.betatown.example")
    page.get_by_role("button", name="Save").click()

    expect(message(page)).to_have_text("Betatown Data Office was added.")
    expect(heading(page)).to_contain_text("Betatown")
    row = page.get_by_role("region", name="Local ecosystem").get_by_role("row", name=re.compile("Betatown Data Office"))
    expect(row).to_contain_text("City technology office or data team")
    expect(row.get_by_role("link", name="Betatown Data Office", exact=True)).to_have_attribute(
        "href", "https://data.betatown.example"
    )
    assert_accessible(page, "city page after adding an organisation")
    assert Organisation.objects.filter(city=site.city_b, name="Betatown Data Office").exists()


# 4. A failed sign-in ------------------------------------------------------------------


@pytest.mark.browser
def test_failed_sign_in_shows_the_error(page: Page, site: Cast) -> None:
    sign_in(page, "organiser@example.org", "not-the-right-password")

    expect(page.get_by_text("That e-mail address and password do not match an account.")).to_be_visible()
    expect(heading(page)).to_have_text("Sign in")
    expect(page.locator("#id_username")).to_have_value("organiser@example.org")
    expect(page.get_by_role("banner").get_by_role("link", name="Sign in")).to_be_visible()
    assert_accessible(page, "sign-in page with the error")


# 5. Accessibility of the other pages --------------------------------------------------


@pytest.mark.browser
def test_public_pages_are_accessible(page: Page, site: Cast) -> None:
    page.goto("/")
    expect(heading(page)).to_have_text("One place for the whole programme journey")
    assert_accessible(page, "welcome page")

    page.get_by_role("main").get_by_role("link", name="Sign in").click()
    expect(heading(page)).to_have_text("Sign in")
    assert_accessible(page, "sign-in page")

    page.get_by_role("link", name="Forgotten your password?").click()
    expect(heading(page)).to_have_text("Reset your password")
    assert_accessible(page, "password-reset page")


@pytest.mark.browser
def test_management_pages_are_accessible(page: Page, site: Cast) -> None:
    sign_in(page, "organiser@example.org")
    expect(page).to_have_url(HOME_URL)
    slug = site.programme.slug

    page.goto(reverse("cities:people", kwargs={"slug": slug}))
    page.get_by_role("main").get_by_role("link", name=site.person("rep_a").full_name, exact=True).click()
    expect(heading(page)).to_have_text(site.person("rep_a").full_name)
    expect(page.get_by_role("region", name="Roles in this edition")).to_contain_text("City representative")
    assert_accessible(page, "person page")

    page.goto(reverse("cities:import", kwargs={"slug": slug}))
    expect(heading(page)).to_have_text("Import cities or people from CSV")
    assert_accessible(page, "import page")
    page.get_by_role("radio", name="Cities").check()
    page.get_by_label("CSV file").set_input_files(
        files=[
            FilePayload(
                name="cities.csv",
                mimeType="text/csv",
                buffer=b"name,country,type,time_zone\nNowhere,ZZ,eu-core,Mars/Olympus\n",
            )
        ]
    )
    page.get_by_role("button", name="Import").click()
    problems = page.get_by_role("alert")
    expect(problems.get_by_role("heading")).to_have_text("Nothing was saved: 2 problems")
    expect(problems.locator("tbody tr")).to_have_text(
        [re.compile(r"2\s*country\s*Unknown country “ZZ”"), re.compile(r"2\s*time_zone\s*Unknown time zone")]
    )
    assert not City.objects.filter(name="Nowhere").exists()
    assert_accessible(page, "import page with the problems of a bad file")

    page.goto(reverse("programmes:overview", kwargs={"slug": slug}))
    page.get_by_role("link", name="Add a city", exact=True).click()
    expect(heading(page)).to_have_text("Add a city")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".errorlist").first).to_have_text("This field is required.")
    expect(heading(page)).to_have_text("Add a city")
    assert_accessible(page, "city form with validation errors")

    page.goto(reverse("programmes:overview", kwargs={"slug": slug}) + "?view=grouped&group=country")
    expect(page.get_by_role("region", name=re.compile(r"^Germany"))).to_contain_text("Betatown")
    assert_accessible(page, "overview grouped by country")
