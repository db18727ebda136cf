from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from icc.journey.actions import generate_schedules, install_template


@pytest.fixture
def cohort_page(cast: Any) -> Any:
    install_template(programme=cast.programme)
    generate_schedules(programme=cast.programme)
    client = cast.client_for("organiser")
    url = reverse("journey:cohort", kwargs={"slug": cast.programme.slug})
    return lambda **params: client.get(url, params)


def test_cohort_country_filter_lists_the_editions_countries_by_name(cohort_page: Any) -> None:
    page = cohort_page().content.decode()

    assert '<select id="cohort-country" name="country">' in page
    assert '<option value="DE">Germany</option>' in page
    assert '<option value="PT">Portugal</option>' in page
    assert page.index(">Denmark<") < page.index(">Germany<") < page.index(">Portugal<")


def test_choosing_germany_in_the_cohort_filter_keeps_only_german_cities(cohort_page: Any) -> None:
    response = cohort_page(country="DE")

    assert [row.city.name for row in response.context["report"].rows] == ["Betatown"]
    assert '<option value="DE" selected>Germany</option>' in response.content.decode()
