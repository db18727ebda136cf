"""Every number typed in a form is checked against a range that fits its column and its meaning."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from icc.assessments.indicators import indicators_for, load_indicator_library
from icc.assessments.models import IndicatorValue
from icc.cities.forms import CityForm
from icc.roadmaps.models import KPI, Measurement, Opportunity
from icc.roadmaps.tests.form_data import kpi_data
from icc.tags.models import Lab

pytestmark = pytest.mark.django_db


def page(response: Any) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def new_kpi(cast: Any, **changes: Any) -> Any:
    return cast.client_for("rep_a").post(
        reverse("roadmaps:kpi_new", kwargs={"city_pk": cast.city_a.pk}), kpi_data(**changes)
    )


# KPIs --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["Share of trips by bike", "SHARE OF TRIPS BY BIKE", "  share of trips by bike "])
def test_a_new_kpi_named_like_an_existing_one_is_refused_whatever_its_case(cast: Any, name: str) -> None:
    assert new_kpi(cast).status_code == 302

    response = new_kpi(cast, name=name)

    assert "The city already tracks a KPI called" in page(response)
    assert KPI.objects.filter(city=cast.city_a).count() == 1


def test_a_kpi_named_after_its_library_indicator_is_refused_when_that_name_is_taken(cast: Any) -> None:
    load_indicator_library(programme=cast.programme)
    indicator = indicators_for(cast.city_a)[0]
    assert new_kpi(cast, name=indicator.name.upper()).status_code == 302

    response = new_kpi(
        cast, indicator=indicator.pk, name="", unit="", direction="", baseline_value="50", target_value="40"
    )

    assert "The city already tracks a KPI called" in page(response)
    assert KPI.objects.filter(city=cast.city_a).count() == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"baseline_value": "150", "target_value": "160"}, "150 is outside the range 0 to 100"),
        ({"baseline_value": "-5"}, "-5 is outside the range 0 to 100"),
        ({"unit": "MWh", "baseline_value": "1", "target_value": "1e13"}, "is outside the range"),
        ({"unit": "MWh", "target_value": "NaN"}, "Enter a number"),
        ({"unit": "MWh", "target_value": "Infinity"}, "Enter a number"),
    ],
)
def test_kpi_values_out_of_range_are_refused(cast: Any, changes: dict[str, str], message: str) -> None:
    response = new_kpi(cast, **changes)

    assert message in page(response)
    assert not KPI.objects.exists()


def test_a_measurement_of_a_share_above_100_percent_is_refused(roadmap: Any) -> None:
    kpi = roadmap.kpi
    kpi.unit = "%"
    kpi.baseline_value, kpi.target_value = Decimal(40), Decimal(30)
    kpi.save()
    measured = Measurement.objects.count()

    response = roadmap.cast.client_for("rep_a").post(
        reverse("roadmaps:kpi_measure", kwargs={"pk": kpi.pk}),
        {"date": (kpi.baseline_date + dt.timedelta(days=90)).isoformat(), "value": "250", "source": "Meters"},
    )

    assert "250 is outside the range 0 to 100" in page(response)
    assert Measurement.objects.count() == measured


# Actions and opportunities -------------------------------------------------------------


def test_an_action_budget_above_the_money_range_is_refused(roadmap: Any) -> None:
    from icc.roadmaps.tests.form_data import action_data

    response = roadmap.cast.client_for("rep_a").post(
        reverse("roadmaps:action_new", kwargs={"city_pk": roadmap.cast.city_a.pk}),
        action_data(roadmap, budget="1000000000000"),
    )

    assert "is outside the range 0 to 999,999,999,999.99" in page(response)


def test_an_opportunity_rank_beyond_the_top_list_is_refused(cast: Any) -> None:
    response = cast.client_for("rep_a").post(
        reverse("roadmaps:opportunity_new", kwargs={"pk": cast.city_a.pk}),
        {"version": 0, "title": "Cleaner air", "need": "Asthma rates", "rank": "40000"},
    )

    assert "40000 is outside the range 1 to 99" in page(response)
    assert not Opportunity.objects.exists()


# A city's profile ----------------------------------------------------------------------


def form_data(form: Any, **changes: str) -> dict[str, Any]:
    """What a browser posts for ``form`` as it is shown, with ``changes``."""
    data: dict[str, Any] = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        data[name] = [getattr(v, "pk", v) for v in value] if isinstance(value, list | tuple) else value
    return data | changes


def city_data(cast: Any, **changes: str) -> dict[str, Any]:
    return form_data(CityForm(instance=cast.city_a, programme=cast.programme, manage=True), **changes)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"population": "60000000"}, "60000000 is outside the range 0 to 50,000,000"),
        ({"population": "99999999999999999999"}, "99999999999999999999 is outside the range 0 to 50,000,000"),
        ({"area_km2": "400000"}, "400000 is outside the range 0 to 300,000"),
        ({"area_km2": "NaN"}, "Enter a number"),
    ],
)
def test_city_numbers_out_of_range_are_refused(cast: Any, changes: dict[str, str], message: str) -> None:
    population = cast.city_a.population

    response = cast.client_for("organiser").post(
        reverse("cities:edit", kwargs={"pk": cast.city_a.pk}), city_data(cast, **changes)
    )

    assert message in page(response)
    cast.city_a.refresh_from_db()
    assert cast.city_a.population == population


# Labs ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("low", "high"), [("2", "40000"), ("1", "5"), ("2", "11")])
def test_brain_date_sizes_outside_2_to_10_are_refused(cast: Any, low: str, high: str) -> None:
    response = cast.client_for("organiser").post(
        reverse("tags:lab_add", kwargs={"slug": cast.programme.slug}),
        {
            "title": "Mobility lab",
            "held_on": "2027-03-01",
            "picks_close_on": "2027-02-01",
            "min_group": low,
            "max_group": high,
        },
    )

    assert "is outside the range" in page(response)
    assert not Lab.objects.exists()


# Indicator values ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("unit", "value", "message"),
    [
        ("%", "150", "150 is outside the range 0 to 100"),
        ("t CO2e per resident", "10000000000000", "is outside the range -1,000,000,000,000 to 1,000,000,000,000"),
    ],
)
def test_indicator_values_out_of_range_are_refused_in_the_form(cast: Any, unit: str, value: str, message: str) -> None:
    load_indicator_library(programme=cast.programme)
    indicator = next(i for i in indicators_for(cast.city_a) if (i.unit == "%") == (unit == "%"))

    response = cast.client_for("rep_a").post(
        reverse("assessments:indicators_save", kwargs={"pk": cast.city_a.pk, "round": "baseline"}),
        {f"v{indicator.pk}": value, f"y{indicator.pk}": "2024", f"s{indicator.pk}": "Eurostat"},
    )

    assert message in page(response)
    assert not IndicatorValue.objects.exists()


# The journey -------------------------------------------------------------------------------


def test_an_event_repeating_every_40000_weeks_is_refused(cast: Any) -> None:
    from icc.journey.actions import install_template
    from icc.journey.forms import EventTypeForm
    from icc.journey.models import EventType

    install_template(programme=cast.programme)
    event_type = EventType.objects.filter(programme=cast.programme).first()
    assert event_type is not None
    data = form_data(EventTypeForm(instance=event_type), recurrence="every", every_weeks="40000")

    response = cast.client_for("organiser").post(
        reverse("journey:event_type_edit", kwargs={"slug": cast.programme.slug, "pk": event_type.pk}), data
    )

    assert "40000 is outside the range 1 to 52" in page(response)
    event_type.refresh_from_db()
    assert event_type.every_weeks != 40000
