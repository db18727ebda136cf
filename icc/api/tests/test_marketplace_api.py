"""The marketplace in the open API: published content only, the pages' filters, confirmed
deployments only, and lists whose query count does not grow with their length."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from icc.api.tests.conftest import HIDDEN_WORD, ApiClient, Market, deploy, provider, solution
from icc.marketplace.models import Review, Solution
from tests.factories import CityFactory, make_programme

pytestmark = pytest.mark.django_db

LISTS = ["solutions", "providers", "challenges", "cities"]


def _json(response: Any) -> Any:
    assert response.status_code == 200, response.content
    return json.loads(response.content)


def _names(body: dict[str, Any]) -> list[str]:
    return [item.get("name") or item.get("title") for item in body["results"]]


def test_solutions_list_the_published_ones_with_codes_labels_and_confirmed_deployments(
    api: ApiClient, market: Market
) -> None:
    body = _json(api.get(f"{market.base}/solutions"))
    assert body["count"] == 3 and body["next"] is None and body["previous"] is None
    assert _names(body) == ["Open data platform", "Parking guidance", "Smart street lights"]
    lights = body["results"][2]
    assert lights["id"] == market.lights.pk
    assert lights["url"] == f"http://testserver{market.base}/solutions/{market.lights.pk}"
    slug = market.cast.programme.slug
    assert lights["page_url"] == f"http://testserver/en/{slug}/marketplace/solutions/{market.lights.pk}/"
    assert lights["provider"] == {
        "id": market.provider.pk,
        "name": "Lumen",
        "url": f"http://testserver{market.base}/providers/{market.provider.pk}",
    }
    assert lights["functions"] == [
        {"code": "lighting", "label": "Street lighting control"},
        {"code": "sensing", "label": "Sensing and monitoring (IoT)"},
    ]
    assert lights["mims"][0] == {"code": "MIM1", "label": "MIM1 Context information management"}
    assert lights["sdgs"] == [
        {"code": "7.3", "goal": 7, "label": "Affordable and clean energy"},
        {"code": "11.6", "goal": 11, "label": "Sustainable cities and communities"},
    ]
    assert lights["licence"] == {
        "code": "EUPL-1.2 OR MIT",
        "label": "European Union Public License 1.2 or MIT License",
    }
    assert lights["cost_model"] == {"code": "subscription", "label": "Subscription"}
    assert lights["development"] == {"code": "stable", "label": "Stable"}
    track = market.cast.city_a.track
    assert track is not None and lights["themes"] == [{"id": track.pk, "name": track.name}]
    # City B confirmed; the mentor city's claim waits for it and does not count.
    assert lights["deployment_count"] == 1
    assert body["results"][0]["licence"] is None and body["results"][0]["city"] is None
    # A published solution of a provider that is not published names it without a link.
    parko = body["results"][1]["provider"]
    assert parko["name"] == "Parko" and parko["url"] is None
    assert api.get(f"{market.base}/providers/{parko['id']}").status_code == 404


def test_a_solution_shows_only_its_confirmed_deployments(api: ApiClient, market: Market) -> None:
    body = _json(api.get(f"{market.base}/solutions/{market.lights.pk}"))
    assert [d["city"]["name"] for d in body["deployments"]] == ["Betatown"]
    assert body["deployments"][0] == {
        "city": {"id": market.cast.city_b.pk, "name": "Betatown", "country": "DE"},
        "started_on": "2025-03-01",
        "scale": "120 street lights",
        "outcome": "A third less electricity.",
    }
    assert body["deployment_count"] == 1 and body["requirements"] == ""


def test_a_provider_counts_only_published_solutions_and_their_confirmed_deployments(
    api: ApiClient, market: Market
) -> None:
    body = _json(api.get(f"{market.base}/providers"))
    assert _names(body) == ["Lumen"]
    lumen = body["results"][0]
    # Three hidden solutions of Lumen each have a confirmed deployment: none of them counts.
    assert lumen["solution_count"] == 2 and lumen["deployment_count"] == 1
    detail = _json(api.get(f"{market.base}/providers/{market.provider.pk}"))
    assert [s["name"] for s in detail["solutions"]] == ["Open data platform", "Smart street lights"]
    assert detail["kind"] == {"code": "sme", "label": "SME"} and detail["website"] == "https://example.org/"


def test_a_challenge_lists_the_cities_that_share_it(api: ApiClient, market: Market) -> None:
    body = _json(api.get(f"{market.base}/challenges"))
    assert _names(body) == ["Our street lights burn all night"]
    assert body["results"][0]["shared_by_count"] == 1
    detail = _json(api.get(f"{market.base}/challenges/{market.challenge.pk}"))
    assert detail["shared_by"] == [{"id": market.cast.city_b.pk, "name": "Betatown", "country": "DE"}]
    assert detail["city"]["name"] == "Alphaville" and detail["budget_max_eur"] == 400_000
    assert detail["needed_by"] == "2026-12-31" and detail["functions"][0]["code"] == "lighting"


def test_a_city_profile_shows_its_record_and_the_published_solutions_it_deploys(api: ApiClient, market: Market) -> None:
    deploy(market.cast, market.platform, market.cast.city_a)
    hidden = market.hidden["solutions"][0]
    deploy(market.cast, hidden, market.cast.city_a)
    body = _json(api.get(f"{market.base}/cities"))
    assert _names(body) == ["Alphaville"]
    city = body["results"][0]
    assert city["id"] == market.cast.city_a.pk and city["country"] == "PT"
    assert city["type"] == {"code": "eu-core", "label": "EU core city"}
    assert city["mims"] == [{"code": "MIM1", "label": "MIM1 Context information management"}]
    slug = market.cast.programme.slug
    assert city["page_url"] == f"http://testserver/en/{slug}/marketplace/cities/{market.cast.city_a.pk}/"
    detail = _json(api.get(f"{market.base}/cities/{market.cast.city_a.pk}"))
    assert [d["solution"]["name"] for d in detail["deployments"]] == ["Open data platform"]


@pytest.mark.parametrize("kind", LISTS)
def test_nothing_unpublished_is_listed_counted_or_found(api: ApiClient, market: Market, kind: str) -> None:
    body = _json(api.get(f"{market.base}/{kind}", {"limit": 100}))
    assert HIDDEN_WORD not in json.dumps(body)
    assert body["count"] == len(body["results"])
    for hidden in market.hidden[kind]:
        pk = getattr(hidden, "city_id", None) if kind == "cities" else hidden.pk
        response = api.get(f"{market.base}/{kind}/{pk}")
        assert response.status_code == 404
        assert json.loads(response.content) == {"detail": "Nothing published has this id.", "errors": []}


def test_unpublishing_takes_an_item_out_of_every_list_detail_and_count(api: ApiClient, market: Market) -> None:
    Solution.objects.filter(pk=market.lights.pk).update(review=Review.SUBMITTED)
    assert api.get(f"{market.base}/solutions/{market.lights.pk}").status_code == 404
    assert market.lights.pk not in [s["id"] for s in _json(api.get(f"{market.base}/solutions"))["results"]]
    lumen = _json(api.get(f"{market.base}/providers/{market.provider.pk}"))
    assert lumen["solution_count"] == 1 and lumen["deployment_count"] == 0
    assert _json(api.get(f"{market.base}/cities/{market.cast.city_a.pk}"))["deployments"] == []


def test_content_of_another_programme_is_not_found_under_this_one(api: ApiClient, market: Market) -> None:
    other = make_programme("other-edition")
    base = f"/api/v1/programmes/{other.slug}/marketplace"
    # Nothing published yet: its marketplace has no public side.
    assert api.get(f"{base}/solutions").status_code == 404
    supplier = provider(market.cast, "Other", programme=other)
    solution(market.cast, "Other lights", supplier, programme=other, city=None, themes=[])
    assert _names(_json(api.get(f"{base}/solutions"))) == ["Other lights"]
    assert api.get(f"{base}/solutions/{market.lights.pk}").status_code == 404
    assert api.get(f"{base}/providers/{market.provider.pk}").status_code == 404
    assert api.get(f"{base}/challenges/{market.challenge.pk}").status_code == 404
    assert api.get(f"{base}/cities/{market.cast.city_a.pk}").status_code == 404


@pytest.mark.parametrize(
    ("params", "names"),
    [
        ({"function": "open-data"}, ["Open data platform"]),
        ({"standard": "MIM2"}, ["Smart street lights"]),
        ({"standard": "ngsi-ld"}, ["Open data platform"]),
        ({"data_model": "AirQualityObserved"}, ["Open data platform"]),
        ({"sdg": "11"}, ["Smart street lights"]),
        ({"sdg": "3"}, []),
        ({"country": "de"}, ["Smart street lights"]),  # city B, confirmed
        ({"country": "DK"}, []),  # the mentor city's claim is not confirmed
        ({"size": "small"}, ["Smart street lights"]),
        ({"size": "large"}, []),
        ({"function": "sensing", "standard": "MIM1"}, ["Smart street lights"]),
        ({"q": "", "theme": ""}, ["Open data platform", "Parking guidance", "Smart street lights"]),
    ],
)
def test_solutions_are_filtered_as_the_pages_filter_them(
    api: ApiClient, market: Market, params: dict[str, str], names: list[str]
) -> None:
    body = _json(api.get(f"{market.base}/solutions", params))
    assert _names(body) == names and body["count"] == len(names)


def test_solutions_are_filtered_by_theme(api: ApiClient, market: Market) -> None:
    body = _json(api.get(f"{market.base}/solutions", {"theme": market.cast.city_a.track_id}))
    assert _names(body) == ["Parking guidance", "Smart street lights"]
    assert _json(api.get(f"{market.base}/solutions", {"theme": market.cast.city_b.track_id}))["count"] == 0


def test_solutions_are_found_by_words_among_the_published_ones_only(api: ApiClient, market: Market) -> None:
    assert _names(_json(api.get(f"{market.base}/solutions", {"q": "street lights"}))) == ["Smart street lights"]
    # Every hidden solution holds these words too, and none is found.
    assert _json(api.get(f"{market.base}/solutions", {"q": HIDDEN_WORD}))["count"] == 0


def test_pages_link_to_each_other_and_keep_the_filters(api: ApiClient, market: Market) -> None:
    theme = market.cast.city_a.track_id
    first = _json(api.get(f"{market.base}/solutions", {"limit": 1, "theme": theme}))
    assert first["count"] == 2 and _names(first) == ["Parking guidance"] and first["previous"] is None
    assert first["next"] == f"http://testserver{market.base}/solutions?limit=1&theme={theme}&offset=1"
    second = _json(api.get(first["next"].removeprefix("http://testserver")))
    assert _names(second) == ["Smart street lights"] and second["next"] is None
    assert second["previous"] == f"http://testserver{market.base}/solutions?limit=1&theme={theme}&offset=0"
    beyond = _json(api.get(f"{market.base}/solutions", {"offset": 50}))
    assert beyond["results"] == [] and beyond["count"] == 3 and beyond["previous"].endswith("offset=0")


def _fill(market: Market, n: int) -> None:
    """``n`` more of everything published: solutions with a theme and a confirmed deployment,
    providers, challenges shared by a city, city profiles."""
    from icc.api.tests.conftest import challenge, profile

    cast = market.cast
    start = Solution.objects.count()
    for i in range(start, start + n):
        city = CityFactory.create(programme=cast.programme, name=f"Town {i:03d}")
        offered = solution(cast, f"Solution {i:03d}", provider(cast, f"Provider {i:03d}"), sdgs=["11.2"])
        deploy(cast, offered, city)
        challenge(cast, f"Need {i:03d}").shared_by.add(city)
        profile(cast, city)


@pytest.mark.parametrize("kind", LISTS)
def test_a_list_takes_the_same_few_queries_for_1_and_30_rows(api: ApiClient, market: Market, kind: str) -> None:
    def queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as captured:
            body = _json(api.client.get(f"{market.base}/{kind}", {"limit": 100}))
        return len(captured), len(body["results"])

    one, rows = queries()
    assert rows >= 1
    _fill(market, 30)
    many, more = queries()
    assert more == rows + 30
    # The programme and whether it published anything, the count, the page (each count a
    # subquery in it), and the solutions' themes.
    assert one == many == (5 if kind == "solutions" else 4)
