"""The city page's content is cached, and a change shows at once."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import Cast
from icc.cities import actions
from icc.cities.models import City, Organisation, RoleKind, Sector

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse


def _page(cast: Cast, persona: str = "organiser") -> Callable[[], TestResponse]:
    client = cast.client_for(persona)
    url = reverse("cities:detail", kwargs={"pk": cast.city_a.pk})
    return lambda: client.get(url)


def _queries(call: Callable[[], TestResponse]) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert call().status_code == 200
    return len(captured)


def test_a_second_visit_is_served_from_the_cache(cast: Cast) -> None:
    page = _page(cast)
    first = _queries(page)
    assert _queries(page) < first


def test_a_new_organisation_and_new_figures_show_at_once(cast: Cast) -> None:
    page = _page(cast)
    assert "Harbour Lab" not in page().content.decode()
    Organisation.objects.create(city=cast.city_a, name="Harbour Lab", sector=Sector.INNOVATION_HUB)
    City.objects.filter(pk=cast.city_a.pk).update(population=654321)
    content = page().content.decode()
    assert "Harbour Lab" in content
    assert "654,321" in content


def test_a_person_invited_to_the_city_team_shows_at_once(cast: Cast) -> None:
    page = _page(cast)
    assert "Nadia Newrep" not in page().content.decode()
    actions.invite_person(
        programme=cast.programme,
        email="newrep@example.org",
        full_name="Nadia Newrep",
        specs=[actions.RoleSpec(kind=RoleKind.CITY_REP, city=cast.city_a)],
        by=None,
        send=False,
    )
    assert "Nadia Newrep" in page().content.decode()


def test_what_one_reader_may_do_is_not_shown_to_another(cast: Cast) -> None:
    edit = reverse("cities:edit", kwargs={"pk": cast.city_a.pk})
    assert edit in _page(cast, "organiser")().content.decode()
    assert edit not in _page(cast, "mayor_a")().content.decode()
