"""Every URL pattern × every persona → the status code that persona must get.

The tables live in ``tests/matrix/``, one per app. The test enumerates the URL patterns
of the project, so a view added later without an entry fails the suite instead of
slipping through unchecked; and every URL that does not list a POST check must refuse
POST (405), so no write hides behind a page that is only tried with GET.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from conftest import PERSONAS, Cast, JourneyCast
from tests.matrix import (
    api,
    api_tokens,
    assessments,
    channels,
    cities,
    consultations,
    core,
    dashboard,
    ecosystem,
    finance,
    ideas,
    inbox,
    journey,
    library,
    marketplace,
    opendata,
    privacy,
    procurement,
    programmes,
    public,
    reports,
    roadmaps,
    tags,
)
from tests.matrix.common import NOT_ALLOWED, Check

# Django's own admin checks staff status itself and is left out of the matrix.
EXCLUDED_NAMESPACES = {"admin"}
TABLES = (
    core,
    programmes,
    cities,
    journey,
    assessments,
    roadmaps,
    tags,
    public,
    consultations,
    ideas,
    library,
    channels,
    inbox,
    marketplace,
    ecosystem,
    finance,
    procurement,
    opendata,
    reports,
    dashboard,
    api,
    api_tokens,
    privacy,
)


def _checks() -> dict[str, list[Check]]:
    checks: dict[str, list[Check]] = {}
    for table in TABLES:
        for name, entry in table.ROUTES.items():
            assert name not in checks, f"{name} is in two tables"
            checks[name] = entry if isinstance(entry, list) else [entry]
    return checks


CHECKS = _checks()
CASES = [(name, index) for name, checks in sorted(CHECKS.items()) for index in range(len(checks))]


def _names(resolver: URLResolver, prefix: str = "") -> Iterator[str]:
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            namespace = pattern.namespace
            if namespace in EXCLUDED_NAMESPACES:
                continue
            yield from _names(pattern, f"{prefix}{namespace}:" if namespace else prefix)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{prefix}{pattern.name}"


def test_every_url_pattern_is_in_the_matrix() -> None:
    names = set(_names(get_resolver()))
    assert names - CHECKS.keys() == set(), "add these views to the permission matrix"
    assert CHECKS.keys() - names == set(), "these matrix entries name no view"


def _attach(request: pytest.FixtureRequest, cast: Cast, name: str) -> None:
    if name.startswith("assessments:"):
        cast.assessment = request.getfixturevalue("assessment")  # type: ignore[attr-defined]
    if name.startswith("journey:"):
        journey_cast: JourneyCast = request.getfixturevalue("journey")
        cast.journey = journey_cast  # type: ignore[attr-defined]
    if name.startswith("tags:"):
        cast.tags = request.getfixturevalue("tags")  # type: ignore[attr-defined]
    if name.startswith("roadmaps:"):
        cast.roadmap = request.getfixturevalue("roadmap")  # type: ignore[attr-defined]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("name", "index"), CASES)
def test_status(request: pytest.FixtureRequest, cast: Cast, name: str, index: int, persona: str) -> None:
    _attach(request, cast, name)
    method, kwargs, expected = CHECKS[name][index]
    url = reverse(name, kwargs=kwargs(cast))
    response = getattr(cast.client_for(persona), method)(url)
    assert response.status_code == expected[persona], f"{persona} {method.upper()} {url}"


@pytest.mark.parametrize("name", sorted(name for name, checks in CHECKS.items() if {c[0] for c in checks} == {"get"}))
def test_a_url_without_a_post_check_refuses_post(request: pytest.FixtureRequest, cast: Cast, name: str) -> None:
    """A page listed only for GET must not take a write: the organiser's POST gets 405."""
    _attach(request, cast, name)
    _method, kwargs, _expected = CHECKS[name][0]
    response = cast.client_for("organiser").post(reverse(name, kwargs=kwargs(cast)))
    assert response.status_code == NOT_ALLOWED, f"POST {name}: list its POST check in tests/matrix/"
