"""How the open API answers, whatever it is asked: ETags and 304, caching, JSON errors
that name the refused parameter, and addresses of its own beside the public pages'."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest
from django.test import Client
from django.urls import Resolver404, resolve
from django.utils import translation

from icc.api.schemas import Standard
from icc.api.tests.conftest import HIDDEN_WORD, ApiClient, Market
from icc.marketplace.models import Solution
from icc.marketplace.vocabulary import Mim

pytestmark = pytest.mark.django_db


def _every_get(market: Market) -> list[str]:
    base = market.base
    return [
        "/api/v1/",
        "/api/v1/openapi.json",
        "/api/v1/docs",
        f"{base}/solutions",
        f"{base}/solutions/{market.lights.pk}",
        f"{base}/providers",
        f"{base}/providers/{market.provider.pk}",
        f"{base}/challenges",
        f"{base}/challenges/{market.challenge.pk}",
        f"{base}/cities",
        f"{base}/cities/{market.cast.city_a.pk}",
    ]


def test_every_answer_has_a_strong_etag_of_its_body_and_public_caching(market: Market) -> None:
    client = Client()
    for path in _every_get(market):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response["ETag"] == f'"{hashlib.sha256(response.content).hexdigest()}"', path
        assert response["Cache-Control"] == "public, max-age=60", path


def test_the_etag_sent_back_gets_304_until_the_content_changes(market: Market) -> None:
    client = Client()
    path = f"{market.base}/solutions/{market.lights.pk}"
    first = client.get(path)
    unchanged = client.get(path, headers={"if-none-match": first["ETag"]})
    assert unchanged.status_code == 304 and unchanged.content == b""
    assert unchanged["ETag"] == first["ETag"] and unchanged["Cache-Control"] == "public, max-age=60"
    assert client.get(path, headers={"if-none-match": '"something else"'}).status_code == 200
    Solution.objects.filter(pk=market.lights.pk).update(summary="Now also counts the cars.")
    changed = client.get(path, headers={"if-none-match": first["ETag"]})
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]


def test_a_signed_in_person_gets_no_more_and_no_stored_copy(market: Market) -> None:
    # The hidden solutions are city A's drafts and submissions, which its team sees on its pages.
    response = market.cast.client_for("rep_a").get(f"{market.base}/solutions", {"limit": 100})
    assert response.status_code == 200 and HIDDEN_WORD not in response.content.decode()
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize(
    ("path", "params", "parameter", "words"),
    [
        ("solutions", {"limit": "0"}, "limit", "greater than or equal to 1"),
        ("solutions", {"limit": str(10**9)}, "limit", "less than or equal to 100"),
        ("providers", {"limit": "ten"}, "limit", "valid integer"),
        ("challenges", {"offset": "-1"}, "offset", "greater than or equal to 0"),
        ("cities", {"offset": str(10**30)}, "offset", "less than or equal to 1000000"),
        ("solutions", {"theme": "abc"}, "theme", "valid integer"),
        ("solutions", {"theme": "99999999999999999999"}, "theme", "less than or equal to 9223372036854775807"),
        ("solutions", {"sdg": "18"}, "sdg", "less than or equal to 17"),
        ("solutions", {"function": "teleportation"}, "function", "'lighting'"),
        ("solutions", {"standard": "MIM9"}, "standard", "'MIM7' or 'ngsi-ld'"),
        ("solutions", {"size": "huge"}, "size", "'small', 'medium' or 'large'"),
        ("solutions", {"country": "DEU"}, "country", "should match pattern"),
        ("solutions", {"data_model": "street light; <script>"}, "data_model", "should match pattern"),
        ("solutions", {"q": "x" * 201}, "q", "at most 200 characters"),
        ("solutions/99999999999999999999", {}, "id", "less than or equal to 9223372036854775807"),
        ("providers/0", {}, "id", "greater than or equal to 1"),
        ("challenges/abc", {}, "id", "valid integer"),
    ],
)
def test_a_bad_parameter_gets_400_naming_it_and_why(
    api: ApiClient, market: Market, path: str, params: dict[str, str], parameter: str, words: str
) -> None:
    response = api.get(f"{market.base}/{path}", params)
    assert response.status_code == 400
    body = json.loads(response.content)
    assert body["detail"] == "Some parameters were refused."
    [error] = body["errors"]
    assert error["parameter"] == parameter and words in error["message"], error
    assert error["location"] == ("path" if "/" in path else "query")


def test_a_programme_slug_that_cannot_be_one_is_refused_not_looked_up(api: ApiClient) -> None:
    response = api.get("/api/v1/programmes/a\x00b/marketplace/solutions")
    assert response.status_code == 400
    assert json.loads(response.content)["errors"][0]["parameter"] == "slug"


@pytest.mark.parametrize("kind", ["solutions", "providers", "challenges", "cities", "cities/1"])
def test_a_programme_that_does_not_exist_is_a_json_404(api: ApiClient, kind: str) -> None:
    response = api.get(f"/api/v1/programmes/no-such-edition/marketplace/{kind}")
    assert response.status_code == 404 and response["Content-Type"] == "application/json; charset=utf-8"
    assert json.loads(response.content) == {"detail": "No programme of this name.", "errors": []}


@pytest.mark.parametrize("path", ["/api/v1/nothing", "/api/v1/programmes/x/marketplace/solutions/", "/api/v1/docs/"])
def test_any_other_address_under_the_api_is_a_json_404(path: str) -> None:
    response = Client().get(path)
    assert response.status_code == 404
    assert json.loads(response.content) == {"detail": "No such address in this API.", "errors": []}


def test_the_api_takes_no_writes(market: Market) -> None:
    client = Client()
    for path in _every_get(market):
        assert client.post(path).status_code == 405, path
        assert client.delete(path).status_code == 405, path


def test_the_root_says_where_the_documentation_is() -> None:
    body = json.loads(Client().get("/api/v1/").content)
    assert body == {
        "title": "ICC platform open API",
        "version": "1",
        "docs": "http://testserver/api/v1/docs",
        "openapi": "http://testserver/api/v1/openapi.json",
    }


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_api_lives_beside_the_language_prefixed_public_pages(language: str) -> None:
    with translation.override(language):
        assert resolve("/api/v1/openapi.json").namespace == "api"
        # A programme whose short name is "api" keeps its public page under its language.
        assert resolve(f"/{language}/api/").namespace == "public"
        match: Any
        try:
            match = resolve(f"/{language}/api/v1/openapi.json")
        except Resolver404:
            match = None
        assert match is None or match.namespace != "api"


def test_the_standard_filter_takes_every_mim_and_ngsi_ld() -> None:
    assert {s.value for s in Standard} == {*Mim.values, "ngsi-ld"}
