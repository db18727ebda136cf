"""The peer comparison never shows a figure of a peer that did not agree to be named.

No statistic over fewer than five unnamed peers' values (named peers and the cities the
viewer can edit are left out), no shown figure equal to one unnamed peer's value (quartiles
included), values locked once submitted, and a peer band the city's own team cannot steer.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from icc.assessments.indicators import load_indicator_library
from icc.assessments.models import Indicator, IndicatorValue
from icc.cities.models import City, RoleKind
from icc.core.models import AuditEntry, AuditKind
from tests.factories import CityFactory, PersonFactory, give_role


@pytest.fixture
def indicator(cast):
    load_indicator_library(programme=cast.programme)
    return Indicator.objects.filter(theme=cast.city_a.track).first()


def peers_url(city):
    return reverse("assessments:peers", kwargs={"pk": city.pk})


def population_url(city):
    return reverse("assessments:peer_population", kwargs={"pk": city.pk})


def confirm(cast, city, population):
    return cast.client_for("organiser").post(population_url(city), {"population": str(population)}, follow=True)


def add_peers(cast, indicator, values, *, population=100_000, named=()):
    peers = []
    for n, value in enumerate(values):
        city = CityFactory.create(
            programme=cast.programme, track=cast.city_a.track, population=population, named_in_comparisons=n in named
        )
        IndicatorValue.objects.create(
            city=city, indicator=indicator, value=value, year=2025, source="x", submitted=True
        )
        confirm(cast, city, population)
        peers.append(city)
    return peers


def row_for(response, indicator):
    return next(r for r in response.context["rows"] if r["indicator"].pk == indicator.pk)


def shown(row):
    stats = row["stats"]
    return [f for f in (stats.lower_quartile, stats.median, stats.upper_quartile) if f is not None]


def test_fewer_than_five_peers_give_no_figure_at_all(cast, indicator):
    confirm(cast, cast.city_a, 100_000)
    add_peers(cast, indicator, [10, 20, 30, 40])

    response = cast.client_for("rep_a").get(peers_url(cast.city_a))

    row = row_for(response, indicator)
    assert shown(row) == [] and row["stats"].peers is None and row["position"] is None
    assert "fewer than 5 peers" in response.content.decode()


@pytest.mark.parametrize("count", [5, 6, 7, 8, 9, 12])
def test_no_shown_figure_equals_the_value_of_an_unnamed_peer(cast, indicator, count):
    values = [Decimal(10 * (n + 1)) for n in range(count)]
    confirm(cast, cast.city_a, 100_000)
    add_peers(cast, indicator, values)

    row = row_for(cast.client_for("rep_a").get(peers_url(cast.city_a)), indicator)

    figures = shown(row)
    assert row["stats"].peers == count
    assert row["stats"].lower_quartile is not None and row["stats"].upper_quartile is not None
    assert not set(figures) & set(values)
    if count % 2:
        # With an odd count the median is the middle city's own value.
        assert row["stats"].median is None and row["stats"].median_withheld


def test_a_tie_between_unnamed_peers_is_withheld_too(cast, indicator):
    confirm(cast, cast.city_a, 100_000)
    add_peers(cast, indicator, [20, 20, 30, 40, 50])

    row = row_for(cast.client_for("rep_a").get(peers_url(cast.city_a)), indicator)

    assert Decimal(20) not in shown(row)


def test_the_city_cannot_probe_a_withheld_median_with_its_own_value(cast, indicator):
    confirm(cast, cast.city_a, 100_000)
    add_peers(cast, indicator, [10, 20, 30, 40, 50])
    client = cast.client_for("rep_a")
    positions = set()
    for own in (29, 31):
        IndicatorValue.objects.update_or_create(
            city=cast.city_a,
            indicator=indicator,
            round="baseline",
            defaults={"value": own, "year": 2025, "source": "x", "submitted": True},
        )
        positions.add(row_for(client.get(peers_url(cast.city_a)), indicator)["position"])

    assert len(positions) == 1


def edit_population(client, city, population):
    """Change the population through the city's profile form, as its team would."""
    url = reverse("cities:edit", kwargs={"pk": city.pk})
    form = client.get(url).context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        data[name] = "on" if value is True else [str(v) for v in value] if isinstance(value, list) else str(value)
    data["population"] = str(population)
    return client.post(url, data)


def test_the_city_team_cannot_steer_its_peer_band_by_editing_its_population(cast, indicator):
    confirm(cast, cast.city_a, 100_000)
    add_peers(cast, indicator, [10, 20, 30, 40, 50])
    add_peers(cast, indicator, [999], population=1_000_000)
    rep = cast.client_for("rep_a")
    before = row_for(rep.get(peers_url(cast.city_a)), indicator)

    edit_population(rep, cast.city_a, 1_000_000)
    response = rep.get(peers_url(cast.city_a))

    assert City.objects.get(pk=cast.city_a.pk).population == 1_000_000
    assert response.context["band"] == (50_000, 200_000)
    after = row_for(response, indicator)
    assert after["stats"] == before["stats"] and after["stats"].peers == 5
    assert "999" not in response.content.decode()


def test_a_peer_cannot_move_itself_into_another_citys_band(cast, indicator):
    confirm(cast, cast.city_a, 100_000)
    add_peers(cast, indicator, [10, 20, 30, 40, 50])
    (far,) = add_peers(cast, indicator, [35], population=1_000_000)
    far_rep = PersonFactory.create(email="rep_far@example.org")
    give_role(far_rep, RoleKind.CITY_REP, cast.programme, city=far)
    client = Client()
    client.force_login(far_rep)
    edit_population(client, far, 100_000)

    assert City.objects.get(pk=far.pk).population == 100_000
    row = row_for(cast.client_for("rep_a").get(peers_url(cast.city_a)), indicator)

    assert row["stats"].peers == 5


def test_without_a_confirmed_population_the_peers_are_the_whole_track(cast, indicator):
    add_peers(cast, indicator, [10, 20, 30], population=60_000)
    add_peers(cast, indicator, [40, 50], population=5_000_000)

    response = cast.client_for("rep_a").get(peers_url(cast.city_a))

    assert response.context["band"] is None
    assert row_for(response, indicator)["stats"].peers == 5


def test_only_the_programme_team_confirms_the_population_used_for_peers(cast):
    from icc.assessments.models import PeerPopulation

    rep = cast.client_for("rep_a")
    refused = rep.post(population_url(cast.city_a), {"population": "5"})
    confirmed = confirm(cast, cast.city_a, 120_000)

    assert refused.status_code == 403
    assert confirmed.status_code == 200
    assert PeerPopulation.objects.get(city=cast.city_a).population == 120_000
    assert AuditEntry.objects.filter(action=AuditKind.PEER_POPULATION_CONFIRMED).exists()
    assert rep.get(peers_url(cast.city_a)).context["band"] == (60_000, 240_000)


@pytest.mark.parametrize("given", ["", "0", "-5", "many", "99999999999999999999", "1e6"])
def test_a_bad_population_for_peers_is_refused_and_changes_nothing(cast, given):
    from icc.assessments.models import PeerPopulation

    confirm(cast, cast.city_a, 100_000)

    response = cast.client_for("organiser").post(population_url(cast.city_a), {"population": given})

    assert response.status_code == 200
    assert response.context["population_form"].errors
    assert PeerPopulation.objects.get(city=cast.city_a).population == 100_000


# Named peers, cities the viewer edits, and values that change ------------------------------


def test_named_peers_are_listed_with_their_values_but_left_out_of_the_figures(cast, indicator):
    confirm(cast, cast.city_a, 100_000)
    add_peers(cast, indicator, [Decimal("12.3456"), 20, 30, 40, 50], named=(1, 2, 3, 4))

    response = cast.client_for("rep_a").get(peers_url(cast.city_a))

    row = row_for(response, indicator)
    assert row["stats"].peers is None and shown(row) == []
    assert [value for _name, value in row["named"]] == [20, 30, 40, 50]
    assert "12.3" not in response.content.decode()


def test_figures_count_only_unnamed_peers(cast, indicator):
    confirm(cast, cast.city_a, 100_000)
    add_peers(cast, indicator, [10, 20, 30, 40, 50, 60, 70], named=(5, 6))

    row = row_for(cast.client_for("rep_a").get(peers_url(cast.city_a)), indicator)

    assert row["stats"].peers == 5 and max(shown(row)) < 50


def test_a_lead_expert_of_two_peer_cities_gets_no_figure_that_counts_the_other_city(cast, indicator):
    confirm(cast, cast.city_a, 100_000)
    peers = add_peers(cast, indicator, [10, 20, 30, 40, 50])
    give_role(cast.people["lead_expert"], RoleKind.LEAD_EXPERT, cast.programme, city=peers[0])

    coached = row_for(cast.client_for("lead_expert").get(peers_url(cast.city_a)), indicator)
    others = row_for(cast.client_for("rep_a").get(peers_url(cast.city_a)), indicator)

    assert coached["stats"].peers is None and shown(coached) == []
    assert others["stats"].peers == 5


def indicators_url(city, name="assessments:indicators_save"):
    return reverse(name, kwargs={"pk": city.pk, "round": "baseline"})


def reopen_url(city):
    return indicators_url(city, "assessments:indicators_reopen")


def values_form(indicator, value):
    return {f"v{indicator.pk}": str(value), f"y{indicator.pk}": "2025", f"s{indicator.pk}": "Statistics office"}


def test_submitted_values_are_locked_until_the_lead_expert_reopens_them(cast, indicator):
    rep = cast.client_for("rep_a")
    rep.post(indicators_url(cast.city_a), {**values_form(indicator, 10), "submit": "1"})

    changed = rep.post(indicators_url(cast.city_a), {**values_form(indicator, 99), "submit": "1"}, follow=True)
    cleared = rep.post(indicators_url(cast.city_a), {"save": "1"}, follow=True)
    refused = rep.post(reopen_url(cast.city_a))
    locked = IndicatorValue.objects.get(city=cast.city_a)
    reopened = cast.client_for("lead_expert").post(reopen_url(cast.city_a), follow=True)
    corrected = rep.post(indicators_url(cast.city_a), {**values_form(indicator, 12), "save": "1"}, follow=True)

    assert "locked" in changed.content.decode() and "locked" in cleared.content.decode()
    assert refused.status_code == 403
    assert locked.value == 10 and locked.submitted
    assert "reopened" in reopened.content.decode()
    assert corrected.status_code == 200
    value = IndicatorValue.objects.get(city=cast.city_a)
    assert value.value == 12 and not value.submitted


def test_the_population_to_confirm_is_not_filled_in_from_the_citys_own_profile(cast):
    City.objects.filter(pk=cast.city_a.pk).update(population=123_456)

    response = cast.client_for("organiser").get(peers_url(cast.city_a))

    page = response.content.decode()
    assert response.context["population_form"]["population"].value() is None
    assert 'value="123456"' not in page
    assert "The city&#x27;s profile says 123,456" in page or "The city's profile says 123,456" in page
