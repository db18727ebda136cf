"""Finding solutions: words through the platform's full-text index, facets with their
counts, and a filter that never shows more than the person may see."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.urls import reverse

from conftest import Cast
from icc.marketplace import access, actions, finding
from icc.marketplace.finding import Filters
from icc.marketplace.models import Deployment, Provider, Review, Solution

pytestmark = pytest.mark.django_db
CONFIRMED = dt.datetime(2025, 2, 1, tzinfo=dt.UTC)


def _solution(cast: Cast, name: str, *, review: str = Review.PUBLISHED, **fields: Any) -> Solution:
    provider, _ = Provider.objects.get_or_create(
        programme=cast.programme,
        name="Lumen GmbH",
        defaults={"kind": "sme", "country": "DE", "review": Review.PUBLISHED, "created_by": cast.person("organiser")},
    )
    values: dict[str, Any] = {
        "summary": "Helps the city.",
        "cost_model": "subscription",
        "city": cast.city_a,
        **fields,
    }
    solution = Solution(programme=cast.programme, provider=provider, name=name, **values)
    actions.save_solution(solution=solution, themes=fields.pop("themes", []), by=cast.person("organiser"))
    Solution.objects.filter(pk=solution.pk).update(review=review)
    return solution


def _deploy(solution: Solution, city: Any, *, confirmed: bool = True) -> Deployment:
    return Deployment.objects.create(
        solution=solution,
        city=city,
        started_on=dt.date(2025, 1, 1),
        scale="the whole city",
        claimed_by=solution.created_by,
        confirmed_at=CONFIRMED if confirmed else None,
    )


def _names(found: Any) -> set[str]:
    return set(found.values_list("name", flat=True))


def test_words_are_found_through_the_full_text_index_by_prefix(cast: Cast) -> None:
    _solution(cast, "Éclairage public intelligent", summary="Dims street lights at night.")
    _solution(cast, "Parking sensors", summary="Tells drivers where to park.")
    published = access.public_solutions(cast.programme)
    assert _names(finding.find(published, Filters(text="éclair"))) == {"Éclairage public intelligent"}
    if connection.vendor == "sqlite":  # FTS5 folds diacritics; PostgreSQL's 'simple' configuration does not
        assert _names(finding.find(published, Filters(text="eclair"))) == {"Éclairage public intelligent"}
    assert _names(finding.find(published, Filters(text="street night"))) == {"Éclairage public intelligent"}
    assert _names(finding.find(published, Filters(text="drivers street"))) == set()
    # The index's own syntax is just words, or nothing at all.
    assert not finding.find(published, Filters(text='street" OR "drivers')).exists()
    assert len(finding.find(published, Filters(text='"*) ( -'))) == 2


def test_a_draft_is_never_found_through_words_or_facets_by_those_who_may_not_see_it(cast: Cast) -> None:
    _solution(cast, "Water leak finder", review=Review.DRAFT, functions=["water"], summary="Finds leaks.")
    for found in (
        finding.find(access.public_solutions(cast.programme), Filters(text="leak")),
        finding.find(access.visible_solutions(cast.person("rep_b"), cast.programme), Filters(function="water")),
    ):
        assert not found.exists()
    mine = access.visible_solutions(cast.person("rep_a"), cast.programme)
    assert _names(finding.find(mine, Filters(text="leak", function="water"))) == {"Water leak finder"}


def test_each_facet_filters_and_counts_only_confirmed_deployments(cast: Cast) -> None:
    cast.city_a.population = 60_000
    cast.city_a.save()
    cast.city_b.population = 700_000
    cast.city_b.save()
    lights = _solution(
        cast, "Lights", functions=["lighting"], mims=["MIM1"], data_models=["StreetLight"], sdgs=["11.6", "7.3"]
    )
    broker = _solution(cast, "Broker", functions=["data-platform"], mims=["MIM1", "MIM2"], ngsi_ld=True)
    _deploy(lights, cast.city_a)
    _deploy(broker, cast.city_b, confirmed=False)
    published = access.public_solutions(cast.programme)

    assert _names(finding.find(published, Filters(function="lighting"))) == {"Lights"}
    assert _names(finding.find(published, Filters(standard="MIM1"))) == {"Lights", "Broker"}
    assert _names(finding.find(published, Filters(standard="ngsi-ld"))) == {"Broker"}
    assert _names(finding.find(published, Filters(data_model="StreetLight"))) == {"Lights"}
    assert _names(finding.find(published, Filters(sdg="7"))) == {"Lights"}
    assert _names(finding.find(published, Filters(country="PT"))) == {"Lights"}
    assert _names(finding.find(published, Filters(size="small"))) == {"Lights"}
    # Betatown's claim is not confirmed: it says nothing about where Broker runs.
    assert not finding.find(published, Filters(country="DE")).exists()
    assert not finding.find(published, Filters(size="large")).exists()

    counts = finding.counts(published)
    assert counts.standard == {"MIM1": 2, "MIM2": 1, "ngsi-ld": 1}
    assert counts.function == {"lighting": 1, "data-platform": 1}
    assert counts.sdg == {"11": 1, "7": 1}
    assert counts.data_model == {"StreetLight": 1}
    assert counts.country == {"PT": 1}
    assert finding.counts(finding.find(published, Filters(function="lighting"))).standard == {"MIM1": 1}


def test_the_browse_page_shows_facet_counts_and_refuses_crafted_values(cast: Cast) -> None:
    _solution(cast, "Lights", functions=["lighting"], summary="Street lights that dim.")
    _solution(cast, "Bins", functions=["waste"], summary="Bins that call for collection.")
    url = reverse("marketplace:browse", kwargs={"slug": cast.programme.slug})
    client = cast.client_for("rep_b")
    page = client.get(url, {"q": "dim"}).content.decode()
    assert "1 solution" in page and "Lights" in page and "Bins</a>" not in page
    assert "Street lighting control (1)" in page and "Waste management (0)" in page
    for params in ({"sdg": "18"}, {"size": "huge"}, {"data_model": "<script>"}, {"country": "XX"}):
        response = client.get(url, params)
        assert response.status_code == 200
        assert "2 solutions" in response.content.decode()  # an invalid filter narrows nothing
        assert 'class="errorlist' in response.content.decode()


def test_the_public_facet_index_counts_what_the_database_counts_and_follows_the_data(cast: Cast) -> None:
    from icc.core import dataversion

    lights = _solution(cast, "Lights", functions=["lighting"], mims=["MIM1"], data_models=["StreetLight"], sdgs=["7.3"])
    broker = _solution(cast, "Broker", functions=["data-platform"], mims=["MIM2"], ngsi_ld=True)
    assert cast.city_a.track is not None
    lights.themes.set([cast.city_a.track])
    _solution(cast, "Draft", functions=["lighting"], review=Review.DRAFT)
    _deploy(lights, cast.city_a)
    _deploy(broker, cast.city_b, confirmed=False)
    published = access.public_solutions(cast.programme)
    for filters in (Filters(), Filters(function="lighting"), Filters(country="PT"), Filters(standard="ngsi-ld")):
        found = finding.find(published, filters)
        assert finding.public_counts(
            cast.programme.pk, list(found.values_list("pk", flat=True)), dataversion.current()
        ) == finding.counts(found)
    before = finding.public_counts(
        cast.programme.pk, list(published.values_list("pk", flat=True)), dataversion.current()
    )
    _deploy(broker, cast.city_a)  # a write: the next version reads the index again
    after = finding.public_counts(
        cast.programme.pk, list(published.values_list("pk", flat=True)), dataversion.current()
    )
    assert before.country == {"PT": 1} and after.country == {"PT": 2}
