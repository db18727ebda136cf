"""The data version grows with every write, once per transaction, and never for a rollback."""

from __future__ import annotations

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection, transaction

from icc.cities.models import City
from icc.core import dataversion
from icc.programmes.models import Programme

pytestmark = pytest.mark.django_db
# Commits and rollbacks of a whole transaction need a test outside the test's own transaction.
committing = pytest.mark.django_db(transaction=True)


@pytest.fixture
def city() -> City:
    from tests.factories import CityFactory

    return CityFactory.create()


def test_a_save_an_update_a_bulk_insert_and_raw_sql_each_raise_the_version(city: City) -> None:
    before = dataversion.current()
    city.name = "Renamed"
    city.save()
    after_save = dataversion.current()
    City.objects.filter(pk=city.pk).update(population=1234)
    after_update = dataversion.current()
    Programme.objects.bulk_create(
        [Programme(name="Other", slug="other", starts_on=city.programme.starts_on, ends_on=city.programme.ends_on)]
    )
    after_bulk = dataversion.current()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE cities_city SET population = 99 WHERE id = %s", [city.pk])
    after_raw = dataversion.current()
    assert before < after_save < after_update < after_bulk < after_raw


@committing
def test_many_writes_in_one_transaction_raise_it_once(city: City) -> None:
    before = dataversion.current()
    with transaction.atomic():
        for number in range(5):
            City.objects.filter(pk=city.pk).update(population=number)
        city.save()
    assert dataversion.current() == before + 1


@committing
def test_a_rolled_back_change_leaves_the_version_and_the_next_change_still_counts(city: City) -> None:
    before = dataversion.current()
    with pytest.raises(RuntimeError), transaction.atomic():
        City.objects.filter(pk=city.pk).update(population=5)
        raise RuntimeError
    assert dataversion.current() == before
    with transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            City.objects.filter(pk=city.pk).update(population=6)
            raise RuntimeError
        City.objects.filter(pk=city.pk).update(population=7)
    assert dataversion.current() == before + 1


def test_a_write_after_reading_the_version_in_the_same_transaction_counts_again(city: City) -> None:
    with transaction.atomic():
        City.objects.filter(pk=city.pk).update(population=1)
        seen = dataversion.current()
        City.objects.filter(pk=city.pk).update(population=2)
        assert dataversion.current() == seen + 1


def test_sessions_do_not_count(city: City) -> None:
    before = dataversion.current()
    session = SessionStore()
    session["seen"] = True
    session.save()
    assert dataversion.current() == before


@pytest.mark.parametrize("template", ["programmes/_overview_content.html", "cities/_detail_content.html"])
def test_cached_content_holds_no_form_that_needs_a_csrf_token(template: str) -> None:
    """Cached content is rendered without the request, so a POST form in it would lack its token."""
    from django.template.loader import get_template

    source = get_template(template).template.source  # type: ignore[attr-defined]
    assert 'method="post"' not in source.lower()
    assert "csrf_token" not in source
