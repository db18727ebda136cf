"""The marketplace's public pages: published content only, confirmed deployments only, in
the reader's language, with a flat query count and no 500 for crafted addresses."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from conftest import Cast
from icc.marketplace import actions
from icc.marketplace.models import Challenge, CityProfile, Deployment, Provider, Review, Solution

pytestmark = pytest.mark.django_db
CONFIRMED = dt.datetime(2025, 3, 1, tzinfo=dt.UTC)


def _url(name: str, cast: Cast, language: str = "en", **kwargs: Any) -> str:
    with translation.override(language):
        return reverse(f"public:{name}", kwargs={"programme": cast.programme.slug, **kwargs})


def _get(url: str, status: int = 200, **params: str) -> str:
    response = Client().get(url, params)
    assert response.status_code == status, url
    return response.content.decode()


@pytest.fixture
def market(cast: Cast) -> dict[str, Any]:
    organiser = cast.person("organiser")
    provider = Provider.objects.create(
        programme=cast.programme, name="Lumen GmbH", kind="sme", country="DE", review=Review.PUBLISHED,
        created_by=organiser,
    )  # fmt: skip
    made = {}
    for name, review, functions in (
        ("Dimming street lights", Review.PUBLISHED, ["lighting"]),
        ("Secret pilot", Review.DRAFT, ["lighting"]),
        ("Refused gadget", Review.REFUSED, ["lighting"]),
    ):
        solution = Solution(
            programme=cast.programme, provider=provider, name=name, summary=f"{name} for the city.",
            functions=functions, cost_model="subscription", city=cast.city_a,
        )  # fmt: skip
        actions.save_solution(solution=solution, themes=[cast.city_a.track], by=organiser)
        Solution.objects.filter(pk=solution.pk).update(review=review)
        made[name] = solution
    lights = made["Dimming street lights"]
    for city, confirmed in ((cast.city_a, True), (cast.city_b, False)):
        Deployment.objects.create(
            solution=lights, city=city, started_on=dt.date(2024, 5, 1), scale="1,200 lamps",
            outcome=f"Outcome in {city.name}", claimed_by=organiser, confirmed_at=CONFIRMED if confirmed else None,
        )  # fmt: skip
    assert cast.city_b.track is not None
    challenge = Challenge.objects.create(
        city=cast.city_b, title="Dark streets at night", context="People feel unsafe.", theme=cast.city_b.track,
        functions=["lighting"], sdgs=["11.7"], review=Review.PUBLISHED, created_by=organiser,
    )  # fmt: skip
    hidden = Challenge.objects.create(
        city=cast.city_b, title="Unreviewed need", context="Draft.", theme=cast.city_b.track,
        created_by=organiser,
    )  # fmt: skip
    profile = CityProfile.objects.create(
        city=cast.city_a, summary="A port city.", open_data_portal="https://data.example.org",
        open_data_charter=True, mims=["MIM1"], review=Review.PUBLISHED, created_by=organiser,
    )  # fmt: skip
    return {"made": made, "provider": provider, "challenge": challenge, "hidden": hidden, "profile": profile}


def test_the_public_marketplace_shows_published_solutions_and_only_confirmed_deployments(
    cast: Cast, market: dict[str, Any]
) -> None:
    made = market["made"]
    page = _get(_url("market", cast))
    assert "Dimming street lights" in page and "1 confirmed deployment" in page
    assert "Secret pilot" not in page and "Refused gadget" not in page
    assert "Street lighting control (1)" in page  # the facet counts what the public sees

    lights = _get(_url("market_solution", cast, pk=made["Dimming street lights"].pk))
    assert "Outcome in Alphaville" in lights and "Outcome in Betatown" not in lights
    for hidden in (made["Secret pilot"], made["Refused gadget"]):
        _get(_url("market_solution", cast, pk=hidden.pk), status=404)

    provider = _get(_url("market_provider", cast, pk=market["provider"].pk))
    assert "Deployed in 1 city" in provider and "Secret pilot" not in provider and "Betatown" not in provider


def test_challenges_are_listed_by_theme_and_sdg_goal_and_matched_to_published_solutions(
    cast: Cast, market: dict[str, Any]
) -> None:
    listed = _get(_url("market_challenges", cast))
    assert "Dark streets at night" in listed and "Unreviewed need" not in listed
    assert "Dark streets at night" in _get(_url("market_challenges", cast), sdg="11")
    assert "Dark streets at night" not in _get(_url("market_challenges", cast), sdg="3")
    for crafted in ("18", "0", "x", "1" * 30):
        _get(_url("market_challenges", cast), status=404, sdg=crafted)
    page = _get(_url("market_challenge", cast, pk=market["challenge"].pk))
    assert "Dimming street lights" in page and "does what you need" in page
    assert "Secret pilot" not in page
    _get(_url("market_challenge", cast, pk=market["hidden"].pk), status=404)


def test_a_city_profile_is_public_once_published(cast: Cast, market: dict[str, Any]) -> None:
    page = _get(_url("market_profile", cast, pk=cast.city_a.pk))
    assert "https://data.example.org" in page and "MIM1 Context information management" in page
    assert "Dimming street lights" in page  # its confirmed deployment
    _get(_url("market_profile", cast, pk=cast.city_b.pk), status=404)
    CityProfile.objects.filter(pk=market["profile"].pk).update(review=Review.SUBMITTED)
    _get(_url("market_profile", cast, pk=cast.city_a.pk), status=404)


def test_the_pages_speak_the_readers_language(cast: Cast, market: dict[str, Any]) -> None:
    page = _get(_url("market", cast, language="fr"))
    assert '<html lang="fr">' in page
    assert "Marketplace of solutions" not in page and "Street lighting control" not in page
    # What the city wrote keeps its own language, marked as such.
    assert '<span lang="en">Dimming street lights</span>' in page


def test_crafted_addresses_and_filters_get_a_404_or_a_message_never_a_500(cast: Cast, market: dict[str, Any]) -> None:
    for pk in (0, 10**19, 999_999):
        _get(_url("market_solution", cast, pk=pk), status=404)
        _get(_url("market_provider", cast, pk=pk), status=404)
    _get("/en/no-such-edition/marketplace/", status=404)
    for page in ("0", "-1", "abc", "401"):
        _get(_url("market", cast), status=404, page=page)
    html = _get(_url("market", cast), q="x" * 5000)
    assert "errorlist" in html
    html = _get(_url("market", cast), function="<script>alert(1)</script>")
    assert "<script>alert(1)" not in html and "errorlist" in html


def test_the_search_page_keeps_a_flat_query_count(cast: Cast, market: dict[str, Any]) -> None:
    provider = market["provider"]

    def queries() -> int:
        _get(_url("market", cast), function="lighting")  # the facet index is read once per data version
        with CaptureQueriesContext(connection) as captured:
            _get(_url("market", cast), function="lighting")
        return len(captured)

    few = queries()
    for n in range(30):
        solution = Solution.objects.create(
            programme=cast.programme, provider=provider, name=f"Lights {n}", summary="More lights.",
            functions=["lighting"], cost_model="free", review=Review.PUBLISHED, created_by=provider.created_by,
        )  # fmt: skip
        actions.index_facets(solution)
    assert queries() == few
