"""Text that looks like a spreadsheet formula leaves every export as text."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from icc.core.exports import add_sheet, csv_bytes, csv_cell, xlsx_bytes
from icc.roadmaps.models import Measurement

pytestmark = pytest.mark.django_db

PAYLOADS = ['=HYPERLINK("http://x.example","a")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A2)", " =1+1", "＝1"]


def _csv_cells(response: Any) -> list[str]:
    text = b"".join(response.streaming_content if response.streaming else [response.content]).decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def _xlsx_cells(response: Any) -> list[Any]:
    book = load_workbook(io.BytesIO(response.content))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def _assert_neutral_csv(cells: list[str], expected: list[str]) -> None:
    for payload in expected:
        assert payload not in cells, f"{payload!r} left as a live formula"
        assert "'" + payload in cells, f"{payload!r} missing from the export"


def _assert_neutral_xlsx(cells: list[Any], expected: list[str]) -> None:
    assert not [c.coordinate for c in cells if c.data_type == "f"], "a formula cell in the export"
    values = {c.value for c in cells}
    for payload in expected:
        assert payload in values, f"{payload!r} missing from the export"


def test_a_csv_cell_starting_like_a_formula_gets_an_apostrophe_and_others_stay() -> None:
    assert [csv_cell(p) for p in PAYLOADS] == ["'" + p for p in PAYLOADS]
    assert [csv_cell(v) for v in ("Energy", "a=b", 3, -2.5, None)] == ["Energy", "a=b", 3, -2.5, None]


def test_a_workbook_writes_formula_text_as_a_string() -> None:
    book = Workbook()
    add_sheet(book, "Sheet", ["name"], [[p] for p in PAYLOADS], first=True)
    cells = [c for row in load_workbook(io.BytesIO(xlsx_bytes(book))).active.iter_rows(min_row=2) for c in row]
    assert [c.value for c in cells] == PAYLOADS
    assert {c.data_type for c in cells} == {"s"}


def test_csv_bytes_neutralises_the_header_too() -> None:
    assert csv_bytes(["=x"], [["y"]]).decode().splitlines() == ['"\'=x"', '"y"']


def test_a_text_with_a_semicolon_stays_one_quoted_cell_for_spreadsheets_that_split_on_semicolons() -> None:
    line = csv_bytes(["budget"], [["Budget;=1+2*3"]]).decode().splitlines()[1]
    assert line == '"Budget;=1+2*3"'
    assert [cell for row in csv.reader(io.StringIO(line), delimiter=";") for cell in row] == ["Budget;=1+2*3"]


def test_control_characters_do_not_break_a_workbook(roadmap: Any) -> None:
    roadmap.opportunity.title = "Cut\x0b energy\x1f use"
    roadmap.opportunity.save()
    client, city = roadmap.cast.client_for("rep_a"), roadmap.cast.city_a
    response = client.get(reverse("roadmaps:roadmap_export", kwargs={"pk": city.pk, "fmt": "xlsx"}))
    assert response.status_code == 200
    assert "Cut energy use" in {c.value for c in _xlsx_cells(response)}


class TestEveryExport:
    @pytest.fixture
    def hostile(self, roadmap: Any) -> Any:
        """Formula text in every field people type that an export carries."""
        city = roadmap.cast.city_a
        city.name = PAYLOADS[0]
        city.save()
        roadmap.owned.title = PAYLOADS[1]
        roadmap.owned.save()
        roadmap.opportunity.title = PAYLOADS[2]
        roadmap.opportunity.save()
        roadmap.kpi.name = PAYLOADS[3]
        roadmap.kpi.baseline_source = PAYLOADS[4]
        roadmap.kpi.save()
        Measurement.objects.filter(kpi=roadmap.kpi).update(source=PAYLOADS[5])
        return roadmap

    def test_roadmap_exports(self, hostile: Any) -> None:
        client, city = hostile.cast.client_for("rep_a"), hostile.cast.city_a
        csv_response = client.get(reverse("roadmaps:roadmap_export", kwargs={"pk": city.pk, "fmt": "csv"}))
        _assert_neutral_csv(_csv_cells(csv_response), [PAYLOADS[1], PAYLOADS[2]])
        xlsx_response = client.get(reverse("roadmaps:roadmap_export", kwargs={"pk": city.pk, "fmt": "xlsx"}))
        _assert_neutral_xlsx(_xlsx_cells(xlsx_response), [PAYLOADS[1], PAYLOADS[2]])

    def test_kpi_exports(self, hostile: Any) -> None:
        client, city = hostile.cast.client_for("rep_a"), hostile.cast.city_a
        csv_response = client.get(reverse("roadmaps:kpi_export", kwargs={"pk": city.pk, "fmt": "csv"}))
        _assert_neutral_csv(_csv_cells(csv_response), [PAYLOADS[3]])
        xlsx_response = client.get(reverse("roadmaps:kpi_export", kwargs={"pk": city.pk, "fmt": "xlsx"}))
        _assert_neutral_xlsx(_xlsx_cells(xlsx_response), [PAYLOADS[3], PAYLOADS[5]])

    def test_cohort_export(self, hostile: Any) -> None:
        client = hostile.cast.client_for("organiser")
        url = reverse("journey:cohort", kwargs={"slug": hostile.cast.programme.slug}) + "?format=csv"
        _assert_neutral_csv(_csv_cells(client.get(url)), [PAYLOADS[0]])

    def test_assessment_workbook(self, hostile: Any) -> None:
        from icc.assessments.actions import load_default_instruments

        load_default_instruments(programme=hostile.cast.programme)
        client, city = hostile.cast.client_for("rep_a"), hostile.cast.city_a
        url = reverse("assessments:workbook", kwargs={"pk": city.pk, "round": "baseline"}) + "?download=1"
        response = client.get(url)
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        _assert_neutral_xlsx(_xlsx_cells(response), [PAYLOADS[0]])


def test_no_export_writes_spreadsheets_around_the_one_writer() -> None:
    """Every CSV and xlsx file is written by icc/core/exports.py, so none can skip the neutralising."""
    root = Path(__file__).resolve().parents[2]
    pattern = re.compile(
        r"csv\.writer\(|\.writerows?\(|\bsheet\.append\(|\.append\(\s*list\(row\)|content_type=\"text/csv"
    )
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "tests" not in path.parts and "migrations" not in path.parts and pattern.search(path.read_text())
    ]
    # The demo writes the CSV files it imports, which are input, not an export.
    assert sorted(offenders) == ["cities/demo.py", "core/exports.py"], offenders
