"""The OpenAPI document and its documentation page: complete, strict, served locally and
working under the platform's Content-Security-Policy."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client
from jsonschema import Draft202012Validator
from pytest_django.live_server_helper import LiveServer

from icc.api.tests.conftest import Contract
from icc.core.tests.test_deployment import inline_code_in

pytestmark = pytest.mark.django_db

CHROMIUM = Path("/usr/bin/chromium")


def _referenced(roots: list[Any], schemas: dict[str, Any]) -> set[str]:
    """The names of the component schemas reachable from ``roots`` through ``$ref``."""
    found: set[str] = set()
    todo = list(roots)
    while todo:
        node = todo.pop()
        if isinstance(node, dict):
            ref = node.get("$ref", "")
            name = ref.removeprefix("#/components/schemas/")
            if ref and name not in found:
                found.add(name)
                todo.append(schemas[name])
            todo.extend(node.values())
        elif isinstance(node, list):
            todo.extend(node)
    return found


def test_every_operation_declares_its_answers_and_every_schema_is_closed(contract: Contract) -> None:
    document = contract.document
    assert document["openapi"].startswith("3.1") and document["info"]["version"] == "1"
    operations = [(path, method, op) for path, item in document["paths"].items() for method, op in item.items()]
    assert len(operations) == 20
    for path, method, operation in operations:
        assert method == "get", path
        assert {"200", "400", "404"} <= operation["responses"].keys(), path
        if path.startswith("/api/v1/programmes/{slug}/marketplace/"):
            assert "security" not in operation, f"{path} is open to anyone"
        else:
            assert operation["security"] and {"401", "403", "429"} <= operation["responses"].keys(), path
    schemas = document["components"]["schemas"]
    for schema in schemas.values():
        Draft202012Validator.check_schema(schema)
    answers = [
        r["content"]["application/json"]["schema"] for _p, _m, op in operations for r in op["responses"].values()
    ]
    for name in _referenced(answers, schemas):
        schema = schemas[name]
        if schema.get("type") == "object":
            assert schema.get("additionalProperties") is False, f"{name} accepts undeclared fields"
            assert set(schema.get("required", [])) == set(schema["properties"]), f"{name} has optional fields"


def test_the_contract_check_refuses_an_undeclared_missing_or_mistyped_field(contract: Contract) -> None:
    schema = contract.schema_for("/api/v1/programmes/x/marketplace/providers", 200)
    good: dict[str, Any] = {"count": 0, "next": None, "previous": None, "results": []}
    assert contract.errors(schema, good) == []
    assert contract.errors(schema, {**good, "total": 0})
    assert contract.errors(schema, {"count": 0, "next": None, "results": []})
    assert contract.errors(schema, {**good, "results": [{"id": "1"}]})


def test_the_docs_page_loads_only_the_platforms_own_static_files() -> None:
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    page = response.content.decode()
    addresses = re.findall(r'<(?:script|link|img)\b[^>]*\b(?:src|href)="([^"]+)"', page)
    assert len(addresses) == 4 and all(a.startswith(settings.STATIC_URL) for a in addresses), addresses
    for address in addresses:
        assert finders.find(address.removeprefix(settings.STATIC_URL)), address
    assert inline_code_in(page) == []
    assert 'data-openapi-url="/api/v1/openapi.json"' in page
    policy = response["Content-Security-Policy"]
    assert "script-src 'self';" in policy and "style-src 'self';" in policy and "unsafe" not in policy


@pytest.mark.browser
def test_the_docs_page_renders_every_operation_under_the_sites_policy(live_server: LiveServer) -> None:
    if os.environ.get("ICC_SKIP_BROWSER") == "1":
        pytest.skip("ICC_SKIP_BROWSER=1: the browser tests are skipped.")
    assert CHROMIUM.is_file(), f"The browser tests need Chromium at {CHROMIUM}."
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"])
        try:
            page = browser.new_page()
            elsewhere: list[str] = []
            page.on("request", lambda r: None if r.url.startswith(live_server.url) else elsewhere.append(r.url))
            page.add_init_script(
                "window.__violations = [];"
                "document.addEventListener('securitypolicyviolation',"
                " e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));"
            )
            page.goto(f"{live_server.url}/api/v1/docs")
            expect(page.locator(".opblock")).to_have_count(20, timeout=15_000)  # every operation
            expect(page.locator(".info .title")).to_contain_text("ICC platform open API")
            assert page.evaluate("window.__violations") == []
            assert [url for url in elsewhere if not url.startswith("data:")] == []
            # The watch works: an inline script, which the policy blocks, is reported.
            page.evaluate("document.body.append(Object.assign(document.createElement('script'), {text: '1'}))")
            page.wait_for_function("window.__violations.length > 0")
        finally:
            browser.close()
