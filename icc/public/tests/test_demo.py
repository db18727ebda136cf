"""The demo publishes the demo city representative's city, Berlin, and one city of each of
France, Spain, Italy and Poland, once."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from icc.cities.demo import PERSONA_EMAILS
from icc.cities.models import City, CityType, Role, RoleKind
from icc.core.models import AuditEntry
from icc.programmes.models import Programme
from icc.public.demo import INTRODUCTIONS, record_demo_publications
from icc.public.models import Publication

pytestmark = pytest.mark.django_db


def _snapshot() -> dict[str, object]:
    return {
        "publications": list(Publication.objects.order_by("pk").values()),
        "kpis": list(Publication.kpis.through.objects.order_by("pk").values()),
        "actions": list(Publication.actions.through.objects.order_by("pk").values()),
        "audit": AuditEntry.objects.count(),
    }


def test_demo_publications_are_the_chosen_cities_and_a_second_run_changes_nothing() -> None:
    call_command("load_demo", "--quiet-sign-ins", stdout=io.StringIO())
    programme = Programme.objects.get()
    # load_demo may already have called it; either way six cities are published once.
    record_demo_publications(programme=programme)
    assert Publication.objects.filter(published=True).count() == 6
    first = _snapshot()
    assert record_demo_publications(programme=programme) == 0
    assert _snapshot() == first

    published = list(Publication.objects.filter(published=True).select_related("city").order_by("pk"))
    assert [p.city.country for p in published] == ["DE", "DE", "FR", "ES", "IT", "PL"]
    rep = Role.objects.get(kind=RoleKind.CITY_REP, person__email=PERSONA_EMAILS["city_rep"])
    assert published[0].city == rep.city
    assert published[1].city.name == "Berlin"
    for publication in published[2:]:
        expected = (
            City.objects.filter(
                programme=programme, type=CityType.EU_CORE, track__isnull=False, country=publication.city.country
            )
            .order_by("name")
            .first()
        )
        assert publication.city == expected
    for publication in published:
        city = publication.city
        assert publication.default_language == city.country.lower()
        assert publication.written_languages == [city.country.lower(), "en"]
        assert set(publication.introduction) == {city.country.lower(), "en"}
        assert city.name in publication.introduction["en"]
        assert publication.next_update_on is not None
        assert publication.kpis.count() == city.kpis.count() > 0
        assert 1 <= publication.actions.count() <= 4
        assert all(action.city_id == city.pk for action in publication.actions.all())

    # Every demo page answers, in each language of the page.
    client = Client()
    berlin = published[1]
    for language in ("en", "de", "fr", "es", "it", "pl"):
        with translation.override(language):
            for name in ("public:city", "public:city_dashboard"):
                url = reverse(name, kwargs={"programme": programme.slug, "city": berlin.slug})
                response = client.get(url)
                assert response.status_code == 200, url
                assert f'<html lang="{language}">' in response.content.decode()
            assert client.get(reverse("public:programme", kwargs={"programme": programme.slug})).status_code == 200
    german = client.get(f"/de/{programme.slug}/{berlin.slug}/").content.decode()
    assert "nimmt am Programm" in german and "Deutschland" in german


def test_every_introduction_names_the_city_and_the_programme() -> None:
    for language, text in INTRODUCTIONS.items():
        words = text.format(city="Lyon", programme="ICC")
        assert "Lyon" in words and "ICC" in words, language
