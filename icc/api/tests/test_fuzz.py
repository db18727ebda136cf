"""Generated requests against the API's own OpenAPI document, signed with a real token:
no answer is a server error, and every answer has a declared status, content type and
body. A bounded number of examples per operation keeps it to seconds."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from hypothesis import settings as generation
from pytest_django import Settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application
from conftest import RoadmapCast
from icc.api.actions import create_token
from icc.api.models import Scope
from icc.api.tests.conftest import Market

pytestmark = pytest.mark.django_db
EXAMPLES = 15
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def connection_kept() -> Iterator[None]:
    """The WSGI handler closes the database connection around each request, as a server
    must; the test's transaction lives on it, so keep it open as Django's test client does."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.mark.usefixtures("connection_kept")
def test_generated_requests_get_declared_answers(roadmap: RoadmapCast, market: Market, settings: Settings) -> None:
    settings.API_TOKEN_RATE_LIMIT = 10**6
    _token, secret = create_token(
        owner=roadmap.cast.person("rep_a"), name="fuzz", scopes=[str(scope) for scope in Scope]
    )
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    operations = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]
    assert len(operations) == 20
    for operation in operations:

        @given(case=operation.as_strategy())
        @generation(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case: schemathesis.Case) -> None:
            case.call_and_validate(headers={"Authorization": f"Bearer {secret}"}, checks=CHECKS)

        check()
