"""The language middleware keeps secret addresses secret."""

from __future__ import annotations

import pytest
from django.urls import reverse

from conftest import Cast


@pytest.mark.django_db
def test_a_city_one_may_not_open_is_a_404_not_a_redirect_to_a_language(cast: Cast) -> None:
    url = reverse("cities:detail", kwargs={"pk": cast.city_a.pk})
    response = cast.client_for("outsider").get(url, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 404
    assert "Location" not in response


@pytest.mark.django_db
def test_an_address_that_exists_nowhere_still_finds_its_language(cast: Cast) -> None:
    response = cast.client_for("anonymous").get("/no-such-programme/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 302
    assert response["Location"] == "/fr/no-such-programme/"
