"""A city opened to read it, and the signed-in person, come from the cache until either
changes, and never outlive the change."""

from __future__ import annotations

import pytest
from django.contrib.auth import SESSION_KEY
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from icc.accounts.models import Person
from icc.cities.access import get_city_for_user
from icc.cities.models import City, RoleKind
from tests.factories import CityFactory, PersonFactory, give_role

# The caches are used outside transactions only, so these tests commit.
pytestmark = pytest.mark.django_db(transaction=True)
BACKEND = "icc.accounts.backends.PersonBackend"


def _city_queries(captured: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if 'FROM "cities_city"' in q["sql"]]


@pytest.fixture
def organiser_and_city() -> tuple[Person, City]:
    city = CityFactory.create(name="Before")
    person = PersonFactory.create()
    give_role(person, RoleKind.PROGRAMME_TEAM, city.programme)
    return person, city


def test_a_city_read_twice_is_read_from_the_database_once(organiser_and_city: tuple[Person, City]) -> None:
    person, city = organiser_and_city
    assert get_city_for_user(person, city.pk).name == "Before"
    with CaptureQueriesContext(connection) as captured:
        again = get_city_for_user(person, city.pk)
    assert again.name == "Before" and again.programme == city.programme
    assert _city_queries(captured) == []


def test_a_changed_city_is_read_again_at_once(organiser_and_city: tuple[Person, City]) -> None:
    person, city = organiser_and_city
    get_city_for_user(person, city.pk)
    City.objects.filter(pk=city.pk).update(name="After")
    assert get_city_for_user(person, city.pk).name == "After"


def test_a_city_opened_to_change_it_is_always_read_from_the_database(
    organiser_and_city: tuple[Person, City],
) -> None:
    person, city = organiser_and_city
    get_city_for_user(person, city.pk)
    with CaptureQueriesContext(connection) as captured:
        get_city_for_user(person, city.pk, write=True)
    assert len(_city_queries(captured)) == 1


def test_each_read_is_a_copy_of_its_own(organiser_and_city: tuple[Person, City]) -> None:
    person, city = organiser_and_city
    first = get_city_for_user(person, city.pk)
    first.name = "Changed in memory only"
    assert get_city_for_user(person, city.pk).name == "Before"


def _signed_in(person: Person) -> Client:
    client = Client()
    client.force_login(person, backend=BACKEND)
    return client


def test_the_signed_in_person_follows_their_changes(organiser_and_city: tuple[Person, City]) -> None:
    person, city = organiser_and_city
    client = _signed_in(person)
    url = reverse("cities:detail", kwargs={"pk": city.pk})
    assert client.get(url).status_code == 200
    Person.objects.filter(pk=person.pk).update(full_name="Renamed Person")
    assert "Renamed Person" in client.get(url).content.decode()
    Person.objects.filter(pk=person.pk).update(is_active=False)
    response = client.get(url)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_a_changed_password_ends_the_other_sessions(organiser_and_city: tuple[Person, City]) -> None:
    person, city = organiser_and_city
    client = _signed_in(person)
    url = reverse("cities:detail", kwargs={"pk": city.pk})
    assert client.get(url).status_code == 200
    person.set_password("a completely new passphrase")
    person.save()
    response = client.get(url)
    assert response.status_code == 302
    assert SESSION_KEY not in client.session
