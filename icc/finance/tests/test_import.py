"""The catalogue's CSV import: all or nothing, every problem with its row and column."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from icc.finance.imports import import_calls
from icc.finance.models import Call

pytestmark = pytest.mark.django_db

HEADER = (
    "identifier,funding_programme,title,themes,opens_on,deadline,co_funding_rate,"
    "city_types,countries,min_amount,max_amount,url"
)


def _csv(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode()


def _days(n: int) -> str:
    return (timezone.localdate() + dt.timedelta(days=n)).isoformat()


def _row(cast: Any, identifier: str = "LIFE-2027-CET-HEAT", **changes: str) -> str:
    theme = cast.programme.themes.first()
    values = {
        "identifier": identifier,
        "funding_programme": "LIFE",
        "title": "Heating and cooling plans",
        "themes": theme.slug,
        "opens_on": _days(-1),
        "deadline": _days(100),
        "co_funding_rate": "95",
        "city_types": "eu-core;eu-mentor",
        "countries": "PT;ES",
        "min_amount": "500000",
        "max_amount": "1750000",
        "url": "https://cinea.ec.europa.eu/programmes/life_en",
    }
    values.update(changes)
    return ",".join(values[k] for k in HEADER.split(","))


def test_a_good_file_adds_every_call_and_a_second_import_changes_nothing(cast: Any) -> None:
    data = _csv(_row(cast), _row(cast, "LIFE-2027-CET-BUILD", title="Renovation one-stop shops"))
    result = import_calls(programme=cast.programme, data=data, by=cast.person("organiser"), source="test")
    assert result.ok and result.created == 2
    call = Call.objects.get(identifier="LIFE-2027-CET-HEAT")
    assert call.city_type_list == ["eu-core", "eu-mentor"] and call.country_list == ["PT", "ES"]
    assert call.max_amount == Decimal(1_750_000) and call.co_funding_rate == 95
    assert list(call.themes.all()) == [cast.programme.themes.first()]
    again = import_calls(programme=cast.programme, data=data, by=cast.person("organiser"), source="test")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_a_row_with_a_known_identifier_changes_that_call(cast: Any) -> None:
    import_calls(programme=cast.programme, data=_csv(_row(cast)), by=None, source="test")
    result = import_calls(programme=cast.programme, data=_csv(_row(cast, co_funding_rate="60")), by=None, source="t")
    assert (result.created, result.updated) == (0, 1)
    call = Call.objects.get()
    assert call.co_funding_rate == 60 and call.version == 2


def test_bad_rows_save_nothing_and_are_reported_by_row_and_column(cast: Any) -> None:
    data = _csv(
        _row(cast, "OK-1"),
        _row(cast, "BAD-RATE", co_funding_rate="140"),
        _row(cast, "BAD-PAST", opens_on=_days(-60), deadline=_days(-2)),
        _row(cast, "BAD-RANGE", min_amount="2000000", max_amount="1000"),
        _row(cast, "BAD-THEME", themes="underwater-basket-weaving"),
        _row(cast, "BAD-DATE", deadline="31/12/2027"),
        _row(cast, "BAD-COUNTRY", countries="PT;Atlantis"),
        _row(cast, "BAD-URL", url="javascript:alert(1)"),
        _row(cast, "OK-1"),
    )
    result = import_calls(programme=cast.programme, data=data, by=None, source="test")
    assert not result.ok
    assert not Call.objects.exists()
    found = {(e.row, e.column) for e in result.errors}
    assert found == {
        (3, "co_funding_rate"),
        (4, "deadline"),
        (5, "max_amount"),
        (6, "themes"),
        (7, "deadline"),
        (8, "countries"),
        (9, "url"),
        (10, "identifier"),
    }
    messages = {(e.row, e.column): e.message for e in result.errors}
    assert "140 is outside the range 0 to 100" in messages[(3, "co_funding_rate")]
    assert "has passed" in messages[(4, "deadline")]
    assert "smaller than the smallest" in messages[(5, "max_amount")]
    assert "Row 2 has this identifier too" in messages[(10, "identifier")]


def test_a_missing_column_and_a_non_csv_file_are_refused(cast: Any) -> None:
    result = import_calls(programme=cast.programme, data=b"identifier,title\nX,Y\n", by=None, source="t")
    assert {e.column for e in result.errors} >= {"funding_programme", "deadline", "themes"}
    result = import_calls(programme=cast.programme, data=b"PK\x03\x04\x00\x00binary", by=None, source="t")
    assert not result.ok and "binary" in result.errors[0].message
    assert not Call.objects.exists()


def test_the_import_page_lists_the_problems(cast: Any) -> None:
    url = reverse("finance:import", kwargs={"slug": cast.programme.slug})
    upload = SimpleUploadedFile("calls.csv", _csv(_row(cast, co_funding_rate="140")), content_type="text/csv")
    response = cast.client_for("transversal_expert").post(url, {"file": upload})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was saved" in page and "co_funding_rate" in page
    upload = SimpleUploadedFile("calls.csv", _csv(_row(cast)), content_type="text/csv")
    response = cast.client_for("transversal_expert").post(url, {"file": upload}, follow=True)
    assert "Import done: 1 added" in response.content.decode()
    assert Call.objects.count() == 1
