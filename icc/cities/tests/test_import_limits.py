"""CSV imports refuse numbers out of range, texts too long for their column, and files too large in shape."""

from __future__ import annotations

import time
import tracemalloc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from icc.accounts.models import Person
from icc.cities.models import City, Organisation

CITIES_HEADER = "name,country,type,time_zone,population,area_km2,latitude,longitude,source,networks"
PEOPLE_HEADER = "email,full_name,role,city,country,theme,service,organisation,sector"


def post(cast, kind: str, text: str | bytes):
    data = text.encode() if isinstance(text, str) else text
    return cast.client_for("organiser").post(
        reverse("cities:import", kwargs={"slug": cast.programme.slug}),
        {"kind": kind, "file": SimpleUploadedFile("cohort.csv", data, content_type="text/csv")},
    )


def errors_of(response) -> list[tuple[int, str, str]]:
    result = response.context["result"]
    assert result is not None and not result.ok
    return [(e.row, e.column, e.message) for e in result.errors]


def city_row(**values: str) -> str:
    row = {
        "name": "Braga",
        "country": "PT",
        "type": "eu-core",
        "time_zone": "Europe/Lisbon",
        "population": "193333",
        "area_km2": "183.4",
        "latitude": "41.55",
        "longitude": "-8.42",
        "source": "INE",
        "networks": "",
    } | values
    return f"{CITIES_HEADER}\n" + ",".join(row[c] for c in CITIES_HEADER.split(",")) + "\n"


@pytest.mark.parametrize(
    ("column", "raw", "expected"),
    [
        ("population", "99999999999999999999", "99999999999999999999 is outside the range 0 to 50,000,000"),
        ("population", "60000000", "60000000 is outside the range 0 to 50,000,000"),
        ("area_km2", "NaN", "“NaN” is not a number"),
        ("area_km2", "inf", "“inf” is not a number"),
        ("area_km2", "1e400", "1e400 is outside the range 0 to 300,000"),
        ("latitude", "-Infinity", "“-Infinity” is not a number"),
        ("longitude", "1e30", "1e30 is outside the range -180 to 180"),
    ],
)
def test_city_number_out_of_its_range_is_refused_by_row_and_column(cast, column, raw, expected):
    response = post(cast, "cities", city_row(**{column: raw}))

    assert response.status_code == 200
    assert [(row, col) for row, col, _message in errors_of(response)] == [(2, column)]
    assert expected in errors_of(response)[0][2]
    assert not City.objects.filter(name="Braga").exists()


@pytest.mark.parametrize(
    ("column", "raw", "limit"),
    [("name", "B" * 161, 160), ("source", "S" * 201, 200), ("networks", "N" * 161, 160)],
)
def test_city_text_longer_than_its_column_is_refused_not_cut(cast, column, raw, limit):
    response = post(cast, "cities", city_row(**{column: raw}))

    assert response.status_code == 200
    assert [(row, col) for row, col, _message in errors_of(response)] == [(2, column)]
    assert f"at most {limit} characters" in errors_of(response)[0][2]
    assert City.objects.count() == 3


def test_people_file_with_a_100000_character_organisation_is_refused_and_saves_nothing(cast):
    text = (
        f"{PEOPLE_HEADER}\n"
        f"ana@alpha.example,Ana Silva,stakeholder,{cast.city_a.name},,,,{'O' * 100_000},other\n"
        "leo@experts.example,Leo Lead,programme-team,,,,,,\n"
    )

    response = post(cast, "people", text)

    assert response.status_code == 200
    assert [(row, col) for row, col, _message in errors_of(response)] == [(2, "organisation")]
    assert "at most 200 characters" in errors_of(response)[0][2]
    assert not Person.objects.filter(email__in=["ana@alpha.example", "leo@experts.example"]).exists()
    assert Organisation.objects.count() == 1


# A valid address (local part and each label within their limits) longer than the column.
LONG_ADDRESS = "a" * 60 + "@" + ".".join(["b" * 60] * 4) + ".example"


@pytest.mark.parametrize(
    ("column", "row", "limit"),
    [
        ("full_name", f"ana@alpha.example,{'A' * 201},programme-team,,,,,,", 200),
        ("email", f"{LONG_ADDRESS},Ana,programme-team,,,,,,", 254),
    ],
)
def test_people_texts_longer_than_their_column_are_refused(cast, column, row, limit):
    people = Person.objects.count()

    response = post(cast, "people", f"{PEOPLE_HEADER}\n{row}\n")

    assert response.status_code == 200
    assert [(r, c) for r, c, _message in errors_of(response)] == [(2, column)]
    assert f"at most {limit} characters" in errors_of(response)[0][2]
    assert Person.objects.count() == people


def test_csv_with_too_many_rows_is_refused_quickly_within_a_memory_bound(cast):
    rows = "".join(f"C{n},PT,eu-core,Europe/Lisbon\n" for n in range(150_000))
    data = f"name,country,type,time_zone\n{rows}".encode()
    assert len(data) < 5 * 1024 * 1024

    tracemalloc.start()
    started = time.perf_counter()
    try:
        response = post(cast, "cities", data)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    elapsed = time.perf_counter() - started

    assert response.status_code == 200
    message = errors_of(response)[0][2]
    assert "more than 10,000 rows" in message
    assert elapsed < 5
    assert peak < 50 * 1024 * 1024, peak
    assert City.objects.count() == 3


def test_csv_with_too_many_columns_in_a_row_is_refused(cast):
    data = "name,country,type,time_zone\n" + "x," * 5_000 + "\n"

    response = post(cast, "cities", data)

    assert response.status_code == 200
    assert "more than 50 columns" in errors_of(response)[0][2]
