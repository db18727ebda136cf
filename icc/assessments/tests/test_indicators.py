from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from icc.assessments.indicators import load_indicator_library
from icc.assessments.models import Indicator, IndicatorValue, MaturityRating
from icc.cities.models import City
from tests.factories import CityFactory


@pytest.fixture
def library(cast):
    load_indicator_library(programme=cast.programme)
    return list(Indicator.objects.filter(theme=cast.city_a.track))


def url(cast, round="baseline", name="assessments:indicators"):
    return reverse(name, kwargs={"pk": cast.city_a.pk, "round": round})


def save_url(cast, round="baseline"):
    return url(cast, round, name="assessments:indicators_save")


def values(library, **overrides):
    data = {}
    for n, indicator in enumerate(library):
        data.update({f"v{indicator.pk}": str(10 + n), f"y{indicator.pk}": "2025", f"s{indicator.pk}": "Eurostat"})
    data.update({"sol0": "Air-quality sensors", "lvl0": "1", "tgt0": "3"})
    data.update(overrides)
    return data


def test_library_loads_the_indicators_of_each_track_once(cast, library):
    assert len(library) == 4
    assert all(i.unit and i.definition and i.direction in ("up", "down") for i in library)
    assert load_indicator_library(programme=cast.programme) == 0


def test_city_records_values_with_year_and_source_and_maturity_then_submits(cast, library):
    client = cast.client_for("rep_a")

    client.post(save_url(cast), {**values(library), "save": "1"})
    assert not IndicatorValue.objects.filter(submitted=True).exists()
    client.post(save_url(cast), {**values(library), "submit": "1"})

    stored = IndicatorValue.objects.get(indicator=library[0])
    assert (stored.value, stored.year, stored.source, stored.submitted, stored.entered_by) == (
        Decimal(10),
        2025,
        "Eurostat",
        True,
        cast.people["rep_a"],
    )
    assert list(MaturityRating.objects.values_list("solution", "level", "target")) == [("Air-quality sensors", 1, 3)]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"v{0}": "lots"}, "Enter a number"),
        ({"s{0}": ""}, "Say where the value comes from"),
        ({"y{0}": "1066"}, "greater than or equal to 1990"),
        ({"lvl0": "3", "tgt0": "1"}, "cannot be below the current level"),
        ({"lvl0": "9"}, "Select a valid choice"),
        ({"sol1": "air-quality sensors", "lvl1": "1", "tgt1": "2"}, "listed twice"),
    ],
)
def test_bad_values_are_refused_and_nothing_is_saved(cast, library, overrides, message):
    data = values(library, **{key.format(library[0].pk): value for key, value in overrides.items()})

    response = cast.client_for("rep_a").post(save_url(cast), {**data, "save": "1"})

    assert message in response.content.decode()
    assert not IndicatorValue.objects.exists() and not MaturityRating.objects.exists()


def test_rerun_is_compared_with_baseline_in_the_desired_direction(cast, library):
    client = cast.client_for("rep_a")
    client.post(save_url(cast), {**values(library), "submit": "1"})
    later = values(library, **{f"v{library[0].pk}": "5"})
    client.post(save_url(cast, "rerun"), {**later, "submit": "1"})

    rows = {r["indicator"].key: r for r in client.get(url(cast, "rerun")).context["changes"]}

    first = rows[library[0].key]
    assert first["change"] == Decimal(-5)
    assert first["improved"] is (library[0].direction == "down")


def test_peers_are_same_track_similar_size_submitted_and_anonymous_unless_agreed(cast, library):
    indicator = library[0]
    organiser = cast.client_for("organiser")
    peers = [
        CityFactory.create(programme=cast.programme, track=cast.city_a.track, population=p)
        for p in (60_000, 90_000, 120_000, 150_000, 190_000, 80_000)
    ]
    far = CityFactory.create(programme=cast.programme, track=cast.city_a.track, population=1_000_000)
    other_track = CityFactory.create(programme=cast.programme, track=cast.city_b.track, population=100_000)
    for city, population in [(cast.city_a, 100_000), *((c, c.population) for c in [*peers, far, other_track])]:
        organiser.post(reverse("assessments:peer_population", kwargs={"pk": city.pk}), {"population": population})
    for city, value in zip([*peers, far, other_track], [10, 20, 30, 40, 50, 60, 999, 999], strict=True):
        IndicatorValue.objects.create(
            city=city, indicator=indicator, value=value, year=2025, source="x", submitted=True
        )
    IndicatorValue.objects.create(city=peers[0], indicator=library[1], value=1, year=2025, source="x", submitted=False)
    City.objects.filter(pk=peers[1].pk).update(named_in_comparisons=True)
    IndicatorValue.objects.create(
        city=cast.city_a, indicator=indicator, value=35, year=2025, source="x", submitted=True
    )

    response = cast.client_for("rep_a").get(reverse("assessments:peers", kwargs={"pk": cast.city_a.pk}))

    rows = {r["indicator"].pk: r for r in response.context["rows"]}
    row = rows[indicator.pk]
    # Median-unbiased quartiles of the unnamed 10, 30, 40, 50, 60 (the named peer's 20 is
    # listed, not counted); the median is the middle city's own value.
    assert (row["stats"].peers, row["stats"].lower_quartile, row["stats"].median, row["stats"].upper_quartile) == (
        5,
        Decimal("23.3"),
        None,
        Decimal("53.3"),
    )
    assert row["value"] == 35 and row["position"] == "middle-half"
    assert row["named"] == [(peers[1].name, 20.0)]
    assert rows[library[1].pk]["stats"].peers is None
    page = response.content.decode()
    assert peers[1].name in page and peers[0].name not in page
    assert "999" not in page


def test_peer_comparison_queries_do_not_grow_with_the_number_of_cities(cast, library):
    client = cast.client_for("rep_a")
    url_peers = reverse("assessments:peers", kwargs={"pk": cast.city_a.pk})

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url_peers).status_code == 200
        return len(captured)

    def add(n: int) -> None:
        for city in CityFactory.create_batch(
            n, programme=cast.programme, track=cast.city_a.track, population=cast.city_a.population
        ):
            for indicator in library:
                IndicatorValue.objects.create(
                    city=city, indicator=indicator, value=1, year=2025, source="x", submitted=True
                )

    add(5)
    small = count()
    add(60)
    assert count() == small
