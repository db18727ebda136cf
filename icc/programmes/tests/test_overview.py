from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from icc.cities.models import City, PhaseStatus, RoleKind
from tests.factories import CityFactory, PersonFactory, give_role

IN_IMPLEMENTATION = dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC)


@pytest.fixture
def overview(cast):
    client = cast.client_for("organiser")
    url = reverse("programmes:overview", kwargs={"slug": cast.programme.slug})
    return lambda **params: client.get(url, params)


def names(response) -> list[str]:
    return [city.name for city, _status in response.context["rows"]]


def test_overview_lists_every_city_with_its_lead_expert(cast, overview):
    response = overview()

    assert names(response) == ["Alphaville", "Betatown", "Mentorburg"]
    assert cast.people["lead_expert"].full_name in response.content.decode()


def test_rep_sees_only_own_city_in_the_overview(cast):
    response = cast.client_for("rep_a").get(reverse("programmes:overview", kwargs={"slug": cast.programme.slug}))

    assert names(response) == ["Alphaville"]


def test_thematic_expert_sees_the_cities_of_their_track(cast):
    response = cast.client_for("thematic_expert").get(
        reverse("programmes:overview", kwargs={"slug": cast.programme.slug})
    )

    assert names(response) == ["Alphaville", "Mentorburg"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"country": "PT"}, ["Alphaville"]),
        ({"type": "eu-mentor"}, ["Mentorburg"]),
        ({"track": "citizen-participation"}, ["Betatown"]),
        ({"q": "BETA"}, ["Betatown"]),
        ({"former_dcc": "yes"}, []),
        ({"phase": "implementation"}, ["Alphaville", "Betatown", "Mentorburg"]),
        ({"phase": "none"}, []),
        ({"sort": "-name"}, ["Mentorburg", "Betatown", "Alphaville"]),
        ({"sort": "country"}, ["Betatown", "Mentorburg", "Alphaville"]),
    ],
)
def test_filters_and_sorting(cast, overview, params, expected):
    assert names(overview(**params)) == expected


@time_machine.travel(IN_IMPLEMENTATION, tick=False)
def test_phase_status_filter_finds_cities_behind_the_calendar(cast, overview):
    City.objects.filter(pk=cast.city_b.pk).update(current_phase=cast.programme.phases.get(key="ambition-roadmap"))
    City.objects.filter(pk=cast.mentor_city.pk).update(current_phase=None)

    assert names(overview(status="behind")) == ["Betatown"]
    assert names(overview(status="on-schedule")) == ["Alphaville"]
    assert names(overview(status="not-started")) == ["Mentorburg"]
    statuses = {city.name: status for city, status in overview().context["rows"]}
    assert statuses == {
        "Alphaville": PhaseStatus.ON_SCHEDULE,
        "Betatown": PhaseStatus.BEHIND,
        "Mentorburg": PhaseStatus.NOT_STARTED,
    }


@time_machine.travel(dt.datetime(2026, 1, 10, 12, tzinfo=dt.UTC), tick=False)
def test_former_dcc_city_still_in_the_pre_phase_after_it_ended_is_behind(cast, overview):
    pre_phase = cast.programme.phases.get(key="activate-accelerate")
    City.objects.filter(pk=cast.city_a.pk).update(former_dcc=True, current_phase=pre_phase)

    assert names(overview(status="behind")) == ["Alphaville"]


@pytest.mark.parametrize(
    "params",
    [
        {"country": "XX"},
        {"sort": "password"},
        {"type": "capital"},
        {"view": "map'--"},
        {"status": "late"},
        {"group": "mayor"},
        {"q": "x" * 500},
    ],
)
def test_malformed_parameters_are_ignored_with_a_message(cast, overview, params):
    response = overview(**params, page="abc")

    assert response.status_code == 200
    assert "was ignored" in response.content.decode()
    assert names(response) == ["Alphaville", "Betatown", "Mentorburg"]


def test_grouped_view_groups_by_track(cast, overview):
    response = overview(view="grouped", group="track")

    groups = {g["label"]: [city.name for city, _ in g["cities"]] for g in response.context["groups"]}
    assert groups == {
        "Green economy and local green deals": ["Alphaville", "Mentorburg"],
        "Citizen participation and digitisation of public administration": ["Betatown"],
    }


def test_grouped_link_without_a_group_selects_the_grouping_it_shows(cast, overview):
    response = overview(view="grouped")

    assert response.context["group"] == "track"
    html = response.content.decode()
    assert '<option value="track" selected>' in html
    assert '<option value="country" selected>' not in html


def test_grouped_view_by_country_selects_country_in_the_box(cast, overview):
    response = overview(view="grouped", group="country")

    assert response.context["group"] == "country"
    assert '<option value="country" selected>' in response.content.decode()


def _queries(fn) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = fn()
        assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "params", [{}, {"view": "grouped", "group": "country"}, {"status": "behind", "sort": "-population"}]
)
def test_overview_queries_do_not_grow_with_the_number_of_cities(cast, overview, params):
    def add_cities(n: int) -> None:
        networks = []
        for city in CityFactory.create_batch(n, programme=cast.programme):
            give_role(PersonFactory.create(), RoleKind.LEAD_EXPERT, cast.programme, city=city)
            networks.append(city)
        from icc.cities.models import Network

        network, _ = Network.objects.get_or_create(name="Eurocities", slug="eurocities")
        network.cities.add(*networks)

    add_cities(7)
    small = _queries(lambda: overview(**params))
    add_cities(290)
    assert City.objects.count() == 300
    assert _queries(lambda: overview(**params)) == small
