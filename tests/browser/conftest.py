"""Browser tests: Playwright's sync API drives Debian's Chromium against pytest-django's live server.

Chromium is launched once per session. Each test gets a fresh browser context (no shared
cookies) and the `cast` of the root conftest, written with `transactional_db` so that the
live server thread sees it. Set ICC_SKIP_BROWSER=1 to skip these tests where Chromium is
not installed; without it a missing Chromium fails them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect, sync_playwright
from pytest_django.live_server_helper import LiveServer

from conftest import Cast

# Playwright's sync API keeps an event loop running in the main thread, and Django refuses
# ORM calls from a thread with a running loop unless told that it is safe here.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SKIP_VARIABLE = "ICC_SKIP_BROWSER"
SKIP_REASON = f"{SKIP_VARIABLE}=1: the browser tests are skipped."
MISSING_CHROMIUM = (
    f"The browser tests need Chromium at {CHROMIUM}, which does not exist. "
    f"Install Debian's package (apt-get install chromium), or set {SKIP_VARIABLE}=1 to skip these tests."
)
TIMEOUT_MS = 10_000
expect.set_options(timeout=TIMEOUT_MS)

# The journeys run at a desktop size; the axe checks also look at a phone-sized one.
VIEWPORT: ViewportSize = {"width": 1280, "height": 800}


def _skip_requested() -> bool:
    return os.environ.get(SKIP_VARIABLE) == "1"


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    # Before any fixture: no database, live server or browser is set up for a skipped test.
    if item.get_closest_marker("browser") is not None and _skip_requested():
        pytest.skip(SKIP_REASON)


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> None:
    # A missing Chromium is a failure of the test itself (reported FAILED, not ERROR or SKIPPED).
    if pyfuncitem.get_closest_marker("browser") is not None and not CHROMIUM.is_file():
        pytest.fail(MISSING_CHROMIUM, pytrace=False)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser | None]:
    """Chromium, launched once for the whole session (None when it is missing: the test then fails)."""
    if _skip_requested():
        pytest.skip(SKIP_REASON)
    if not CHROMIUM.is_file():
        yield None
        return
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser | None, live_server: LiveServer, transactional_db: None) -> Iterator[Page | None]:
    """A fresh context and page at a desktop viewport, with short timeouts so a broken step fails fast."""
    if browser is None:
        yield None
        return
    context = browser.new_context(viewport=VIEWPORT, base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def site(cast: Cast, live_server: LiveServer, transactional_db: None) -> Cast:
    """The cast, committed where the live server sees it, with populations whose order differs from the names'."""
    for city, population in ((cast.city_a, 900_000), (cast.city_b, 120_000), (cast.mentor_city, 450_000)):
        city.population = population
        city.save(update_fields=["population"])
    return cast
