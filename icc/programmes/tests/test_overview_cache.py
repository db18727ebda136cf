"""The overview's content is cached, and no change is ever hidden behind the cache."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from conftest import Cast
from icc.cities.models import City, RoleKind
from icc.programmes.models import Phase
from tests.factories import PersonFactory, give_role

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse

Overview = Callable[..., "TestResponse"]


@pytest.fixture
def overview(cast: Cast) -> Overview:
    # One signed-in client per persona: signing in again would itself be a change (last_login).
    clients = {persona: cast.client_for(persona) for persona in ("organiser", "rep_a")}

    def get(persona: str = "organiser", **params: str) -> TestResponse:
        url = reverse("programmes:overview", kwargs={"slug": cast.programme.slug})
        return clients[persona].get(url, params)

    return get


def _queries(call: Callable[[], TestResponse]) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert call().status_code == 200
    return len(captured)


def test_a_second_visit_is_served_from_the_cache_with_a_handful_of_queries(overview: Overview) -> None:
    first = _queries(overview)
    again = _queries(overview)
    assert again < first
    assert again <= 6


def test_a_renamed_city_shows_at_once(cast: Cast, overview: Overview) -> None:
    assert "Alphaville" in overview().content.decode()
    city = City.objects.get(pk=cast.city_a.pk)
    city.name = "Alphaville-sur-Mer"
    city.save()
    assert "Alphaville-sur-Mer" in overview().content.decode()


def test_a_change_made_with_a_bulk_update_shows_at_once(cast: Cast, overview: Overview) -> None:
    overview()
    City.objects.filter(pk=cast.city_a.pk).update(population=765432)
    assert "765,432" in overview().content.decode()


def test_a_new_lead_expert_shows_at_once(cast: Cast, overview: Overview) -> None:
    overview()
    newcomer = PersonFactory.create(full_name="Ingrid Newcomer")
    give_role(newcomer, RoleKind.LEAD_EXPERT, cast.programme, city=cast.city_b)
    assert "Ingrid Newcomer" in overview().content.decode()


def test_a_change_made_through_the_city_form_shows_at_once(cast: Cast, overview: Overview) -> None:
    overview()
    edit = cast.client_for("organiser").get(reverse("cities:edit", kwargs={"pk": cast.city_a.pk}))
    form = edit.context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None and not isinstance(value, list)}
    data.update({"name": "Alphaville Nova", "version": form["version"].value()})
    data["networks"] = [n.pk for n in form.initial.get("networks", [])]
    response = cast.client_for("organiser").post(reverse("cities:edit", kwargs={"pk": cast.city_a.pk}), data)
    assert response.status_code == 302, getattr(response, "context", None) and response.context["form"].errors
    assert "Alphaville Nova" in overview().content.decode()


def test_each_person_gets_their_own_content(overview: Overview) -> None:
    assert "Betatown" in overview().content.decode()
    assert "Betatown" not in overview("rep_a").content.decode()


def test_a_role_taken_away_takes_the_cities_away_at_once(cast: Cast, overview: Overview) -> None:
    assert "Alphaville" in overview("rep_a").content.decode()
    cast.people["rep_a"].roles.all().delete()  # type: ignore[union-attr]
    assert overview("rep_a").status_code == 404


def test_the_phase_shown_as_current_follows_the_calendar_day(cast: Cast) -> None:
    later = Phase.objects.filter(programme=cast.programme).order_by("order").last()
    assert later is not None
    noon = dt.datetime.combine(later.starts_on, dt.time(12), tzinfo=dt.UTC)
    url = reverse("programmes:overview", kwargs={"slug": cast.programme.slug})
    with time_machine.travel(noon - dt.timedelta(days=1)):
        client = cast.client_for("organiser")
        before = client.get(url).content.decode()
    with time_machine.travel(noon, tick=False):
        # The same session, a day later: nothing changed in the data, only the day.
        after = client.get(url).content.decode()
    phrase = str(escape(f"The calendar is in the {later.name} phase."))
    assert phrase not in before
    assert phrase in after
