"""A production deployment: HTTPS settings, security headers, a strict CSP the pages keep, no caching of private pages."""

from __future__ import annotations

import datetime as dt
import os
import re
import runpy
import secrets
import subprocess
import sys
from html.parser import HTMLParser
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse

from conftest import PERSONAS, Cast
from tests.test_permission_matrix import CHECKS

SETTINGS_FILE = settings.BASE_DIR / "config" / "settings.py"
STRICT_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}


def production_environment() -> dict[str, str]:
    """The variables the README documents for a production deployment behind a TLS proxy."""
    return {
        "SECRET_KEY": secrets.token_urlsafe(64),
        "DEBUG": "0",
        "ALLOWED_HOSTS": "icc.example.org",
        "CSRF_TRUSTED_ORIGINS": "https://icc.example.org",
        "SITE_URL": "https://icc.example.org",
        "SECURE_HSTS_SECONDS": "31536000",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
        "SECURE_HSTS_PRELOAD": "1",
        "SECURE_SSL_REDIRECT": "1",
        "ICC_BEHIND_TLS_PROXY": "1",
    }


def settings_with(monkeypatch: pytest.MonkeyPatch, environment: dict[str, str]) -> dict[str, Any]:
    """Read config/settings.py afresh under the given environment (and nothing else of ours)."""
    for name in list(os.environ):
        if name.startswith(("SECURE_", "ICC_")) or name in {"DEBUG", "SECRET_KEY", "SITE_URL"}:
            monkeypatch.delenv(name)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS_FILE))


# HTTPS settings ---------------------------------------------------------------------


def test_check_deploy_is_clean_with_the_documented_production_settings():
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", "/tmp"),  # noqa: S108
        "DJANGO_SETTINGS_MODULE": "config.settings",
        **production_environment(),
    }

    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNINGS" not in output and "ERRORS" not in output, output
    assert not re.search(r"^\?: \(security\.", output, re.MULTILINE), output


def test_https_settings_are_taken_from_the_environment(monkeypatch):
    values = settings_with(monkeypatch, production_environment())

    assert values["SECURE_HSTS_SECONDS"] == 31536000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_HSTS_PRELOAD"] is True
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
    assert values["SESSION_COOKIE_SECURE"] is True and values["CSRF_COOKIE_SECURE"] is True


def test_hsts_redirect_and_proxy_header_stay_off_unless_turned_on(monkeypatch):
    values = settings_with(monkeypatch, {"DEBUG": "1"})

    assert values["SECURE_HSTS_SECONDS"] == 0
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is False
    assert values["SECURE_HSTS_PRELOAD"] is False
    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["SECURE_PROXY_SSL_HEADER"] is None


def test_the_health_check_answers_over_plain_http_when_https_is_enforced(db, client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

    health = client.get(reverse("core:health"))
    home = client.get(reverse("core:home"))
    proxied = client.get(reverse("core:home"), headers={"x-forwarded-proto": "https"})

    assert health.status_code == 200
    assert home.status_code == 301 and home["Location"].startswith("https://")
    assert proxied.status_code == 200


# Security headers ---------------------------------------------------------------------


def policy_of(response: Any) -> dict[str, str]:
    header = response.headers.get("Content-Security-Policy", "")
    directives = (part.strip().split(None, 1) for part in header.split(";") if part.strip())
    return {name: rest[0] if rest else "" for name, *rest in directives}


def test_every_page_carries_a_strict_content_security_policy(cast):
    anonymous = Client().get(reverse("accounts:login"))
    signed_in = cast.client_for("rep_a").get(reverse("cities:detail", kwargs={"pk": cast.city_a.pk}))
    missing = cast.client_for("rep_a").get("/no-such-page/")

    for response in (anonymous, signed_in, missing):
        assert policy_of(response) == STRICT_POLICY
        assert "unsafe-inline" not in response["Content-Security-Policy"]


def test_every_page_turns_off_browser_features_it_does_not_use(cast):
    response = cast.client_for("rep_a").get(reverse("core:home"))

    features = dict(item.strip().split("=", 1) for item in response["Permissions-Policy"].split(","))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert features[feature] == "()"


# Pages keep working under the policy ---------------------------------------------------


class InlineCode(HTMLParser):
    """Collects everything in a page that a policy without 'unsafe-inline' would block."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name.lower(): value for name, value in attrs}
        if tag == "script" and not names.get("src"):
            self.problems.append("an inline <script>")
        if tag == "style":
            self.problems.append("a <style> element")
        if "style" in names:
            self.problems.append(f'a style="" attribute on <{tag}>')
        self.problems.extend(f"an {name}= handler on <{tag}>" for name in names if name.startswith("on"))
        for name in ("href", "src", "action", "formaction"):
            if (names.get(name) or "").strip().lower().startswith("javascript:"):
                self.problems.append(f"a javascript: address in {name} of <{tag}>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)


def inline_code_in(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    parser.close()
    return parser.problems


def test_the_inline_code_check_finds_what_the_policy_blocks():
    page = (
        '<p style="color:red">x</p><script>alert(1)</script><script src="/static/a.js"></script>'
        '<style>p{}</style><button onclick="go()">go</button><a href="javascript:go()">go</a>'
        '<svg><rect style="fill:red"/></svg>'
    )

    assert len(inline_code_in(page)) == 6
    assert inline_code_in('<script src="/static/a.js"></script><svg><rect class="bar" fill="#000"/></svg>') == []


@pytest.fixture
def every_fixture(request: pytest.FixtureRequest, cast: Cast) -> Cast:
    cast.assessment = request.getfixturevalue("assessment")  # type: ignore[attr-defined]
    cast.journey = request.getfixturevalue("journey")  # type: ignore[attr-defined]
    cast.tags = request.getfixturevalue("tags")  # type: ignore[attr-defined]
    cast.roadmap = request.getfixturevalue("roadmap")  # type: ignore[attr-defined]
    return cast


def pages_for(cast: Cast, persona: str) -> list[str]:
    """Every page of the permission matrix this persona may open, and the chart and export views."""
    urls = [
        reverse(name, kwargs=kwargs(cast))
        for name, checks in sorted(CHECKS.items())
        for method, kwargs, expected in checks
        if method == "get" and expected[persona] == 200
    ]
    if persona == "organiser":
        city = {"pk": cast.city_a.pk}
        instrument = {**city, "instrument_pk": cast.assessment.instrument_id}  # type: ignore[attr-defined]
        urls += [
            reverse("roadmaps:roadmap", kwargs=city) + "?view=timeline",
            reverse("assessments:result", kwargs={**instrument, "round": "baseline"}),
            reverse("assessments:compare", kwargs=instrument),
            reverse("roadmaps:kpi", kwargs={"pk": cast.roadmap.kpi.pk}),  # type: ignore[attr-defined]
        ]
    return urls


@pytest.mark.parametrize("persona", ["organiser", "rep_a", "stakeholder", "anonymous"])
def test_no_page_needs_inline_script_or_style(every_fixture: Cast, persona: str) -> None:
    assert persona in PERSONAS
    client = every_fixture.client_for(persona)
    problems = []
    checked = charts = 0
    for url in pages_for(every_fixture, persona):
        response = client.get(url)
        if "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        checked += 1
        charts += "<svg" in html
        problems += [f"{url}: {problem}" for problem in inline_code_in(html)]

    assert checked >= (30 if persona == "organiser" else 3)
    assert charts >= (3 if persona == "organiser" else 0)
    assert problems == []


def test_the_admin_site_renders_without_inline_script_or_style(cast):
    from icc.accounts.models import Person

    admin = Person.objects.create_superuser(email="admin@example.org", password="a-long-test-password")
    client = Client()
    client.force_login(admin)
    person = cast.people["rep_a"]
    assert person is not None
    urls = [
        reverse("admin:index"),
        reverse("admin:accounts_person_changelist"),
        reverse("admin:accounts_person_change", args=[person.pk]),
        reverse("admin:cities_city_changelist"),
        reverse("admin:cities_city_add"),
        reverse("admin:cities_city_change", args=[cast.city_a.pk]),
    ]

    problems = []
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert policy_of(response) == STRICT_POLICY
        problems += [f"{url}: {problem}" for problem in inline_code_in(response.content.decode())]

    assert problems == []


# No caching of private pages -------------------------------------------------------------


def assert_not_stored(response: Any) -> None:
    directives = {part.strip().split("=")[0] for part in response.get("Cache-Control", "").split(",")}
    assert {"private", "no-store"} <= directives, response.get("Cache-Control")
    assert "public" not in directives


def test_private_pages_and_exports_are_never_stored_by_a_cache(every_fixture):
    client = every_fixture.client_for("rep_a")
    city = {"pk": every_fixture.city_a.pk}

    page = client.get(reverse("cities:detail", kwargs=city))
    csv_export = client.get(reverse("roadmaps:roadmap_export", kwargs={**city, "fmt": "csv"}))
    xlsx_export = client.get(reverse("roadmaps:roadmap_export", kwargs={**city, "fmt": "xlsx"}))
    kpi_export = client.get(reverse("roadmaps:kpi_export", kwargs={**city, "fmt": "json"}))
    cohort_csv = every_fixture.client_for("organiser").get(
        reverse("journey:cohort", kwargs={"slug": every_fixture.programme.slug}) + "?format=csv"
    )

    assert csv_export["Content-Type"].startswith("text/csv")
    assert "spreadsheetml" in xlsx_export["Content-Type"]
    assert cohort_csv["Content-Type"].startswith("text/csv")
    for response in (page, csv_export, xlsx_export, kpi_export, cohort_csv):
        assert response.status_code == 200
        assert_not_stored(response)


def test_a_page_that_sets_a_cookie_for_an_anonymous_visitor_is_never_stored(client):
    response = client.get(reverse("accounts:login"))

    assert response.cookies
    assert_not_stored(response)


def test_a_signed_in_person_gets_no_stored_copy_even_of_a_privately_cacheable_feed(cast):
    from icc.journey.models import CalendarFeed

    person = cast.people["rep_a"]
    _calendar, token = CalendarFeed.issue(person=person)
    anonymous = Client().get(reverse("journey:feed", kwargs={"token": token}))
    signed_in = cast.client_for("rep_a").get(reverse("journey:feed", kwargs={"token": token}))

    assert anonymous.status_code == signed_in.status_code == 200
    assert "private" in anonymous["Cache-Control"]
    assert_not_stored(signed_in)


@time_machine.travel(dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC), tick=False)
def test_survey_answer_pages_are_never_stored_by_a_cache(cast, mailoutbox, django_capture_on_commit_callbacks):
    from icc.assessments.actions import load_default_instruments

    load_default_instruments(programme=cast.programme)
    city_round = {"pk": cast.city_a.pk, "round": "baseline"}
    rep = cast.client_for("rep_a")
    rep.post(reverse("assessments:survey_open", kwargs=city_round), {"closes_on": "2026-12-31"})
    with django_capture_on_commit_callbacks(execute=True):
        rep.post(reverse("assessments:survey_invite", kwargs=city_round), {"emails": "someone@org.example"})
    link = re.search(r"(/survey/i/[^/\s]+/)", mailoutbox[-1].body).group(1)  # type: ignore[union-attr]

    form = Client().get(link)
    unknown = Client().get("/survey/i/not-a-real-token/")

    assert form.status_code == 200
    assert_not_stored(form)
    assert_not_stored(unknown)


def test_static_files_keep_their_public_caching(client):
    response = client.get(settings.STATIC_URL + "core/site.css")

    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
    assert "no-store" not in response["Cache-Control"]


def test_in_development_only_django_error_pages_go_without_the_policy(db, client, settings):
    settings.DEBUG = True

    missing = client.get("/no-such-page/", follow=True)  # by way of the reader's language, /en/no-such-page/
    page = client.get(reverse("accounts:login"))

    assert missing.status_code == 404 and "Content-Security-Policy" not in missing
    assert policy_of(page) == STRICT_POLICY
