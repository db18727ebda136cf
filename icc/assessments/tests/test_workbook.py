from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from icc.assessments.actions import load_default_instruments
from icc.assessments.indicators import load_indicator_library
from icc.assessments.models import Answer, IndicatorValue, MaturityRating

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SCAN = "Thematic choice support tool"


@pytest.fixture
def setup(cast):
    load_default_instruments(programme=cast.programme)
    load_indicator_library(programme=cast.programme)
    return cast


UPLOAD, CONFIRM = "assessments:workbook_upload", "assessments:workbook_confirm"


def url(cast, city=None, name="assessments:workbook"):
    return reverse(name, kwargs={"pk": (city or cast.city_a).pk, "round": "baseline"})


def download(cast, persona="rep_a", city=None):
    response = cast.client_for(persona).get(url(cast, city), {"download": "1"})
    assert response["Content-Type"] == XLSX
    return load_workbook(io.BytesIO(response.content))


def to_bytes(book) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(cast, data: bytes, name="assessment.xlsx", client=None):
    return (client or cast.client_for("rep_a")).post(
        url(cast, name=UPLOAD), {"file": SimpleUploadedFile(name, data, content_type=XLSX)}
    )


def fill(book):
    book[SCAN]["D2"] = 4
    book[SCAN]["D3"] = "don't know"
    book["Indicators"]["D2"] = 12.5
    book["Indicators"]["E2"] = 2025
    book["Indicators"]["F2"] = "Eurostat"
    book["Maturity"]["A2"] = "Air-quality sensors"
    book["Maturity"]["B2"] = 1
    book["Maturity"]["C2"] = 3
    return book


def test_download_has_a_sheet_per_instrument_with_drop_down_lists(setup):
    book = download(setup)

    assert book.sheetnames == ["About", "Finance team readiness", SCAN, "Indicators", "Maturity"]
    assert book[SCAN].max_row == 49
    assert any('"1,2,3,4,5,don\'t know"' in (v.formula1 or "") for v in book[SCAN].data_validations.dataValidation)
    assert book["Indicators"].max_row == 5


def test_round_trip_with_openpyxl_previews_then_saves_on_confirm(setup):
    client = setup.client_for("rep_a")
    response = upload(setup, to_bytes(fill(download(setup))), client=client)

    changes = response.context["changes"]
    assert len(changes) == 4
    assert not Answer.objects.exists()
    client.post(url(setup, name=CONFIRM))

    assert sorted(((a.value, a.unknown) for a in Answer.objects.all()), key=str) == [(4, False), (None, True)]
    value = IndicatorValue.objects.get()
    assert (value.value, value.year, value.source, value.submitted) == (Decimal("12.5"), 2025, "Eurostat", False)
    assert list(MaturityRating.objects.values_list("solution", "level", "target")) == [("Air-quality sensors", 1, 3)]
    again = upload(setup, to_bytes(download(setup)))
    assert again.context["changes"] == []


def test_round_trip_through_a_workbook_saved_by_libreoffice(setup, tmp_path):
    binary = shutil.which("libreoffice") or shutil.which("soffice")
    assert binary, (
        "LibreOffice is needed: apt-get install libreoffice-calc-nogui (python3 dev.py test installs it as root)"
    )
    source = tmp_path / "filled.xlsx"
    source.write_bytes(to_bytes(fill(download(setup))))
    out = tmp_path / "saved-by-libreoffice"
    subprocess.run(  # noqa: S603
        [
            binary,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    saved = (out / "filled.xlsx").read_bytes()

    response = upload(setup, saved)

    assert response.context.get("errors") == [], response.context.get("errors")
    assert len(response.context["changes"]) == 4


def errors_of(response) -> str:
    return " | ".join(str(e) for e in response.context["errors"])


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (lambda b: setattr(b["Indicators"], "title", "KPIs"), "Sheet “Indicators”: This sheet is missing"),
        (lambda b: b["Indicators"].__setitem__("D2", "lots"), "Sheet “Indicators”, cell D2: “lots” is not a number"),
        (lambda b: b[SCAN].__setitem__("D2", 7), f"Sheet “{SCAN}”, cell D2: “7” is not 1 to 5"),
        (
            lambda b: b[SCAN].append(["extra-question", "", "Mine?", 3]),
            f"Sheet “{SCAN}”, cell A50: Unknown or repeated question",
        ),
        (lambda b: b["Indicators"].__setitem__("D2", "=1+1"), "Sheet “Indicators”, cell D2: Formulas are not accepted"),
        (
            lambda b: b["Maturity"].append(["x", 1, 2]) or [b["Maturity"].append([f"s{i}", 1, 2]) for i in range(20)],
            "At most 20 solutions",
        ),
        (
            lambda b: b["Maturity"].__setitem__("B2", 5) or b["Maturity"].__setitem__("A2", "Sensors"),
            "Sheet “Maturity”, cell B2: “5” is not a level from 0 to 4",
        ),
    ],
)
def test_bad_workbooks_name_sheet_and_cell_and_save_nothing(setup, edit, expected):
    book = download(setup)
    edit(book)

    response = upload(setup, to_bytes(book))

    assert expected in errors_of(response)
    assert "changes" not in response.context
    assert not Answer.objects.exists() and not IndicatorValue.objects.exists()


def test_macro_enabled_corrupted_and_other_cities_workbooks_are_refused(setup):
    good = to_bytes(download(setup))
    with_macros = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as source, zipfile.ZipFile(with_macros, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr("xl/vbaProject.bin", b"\x00macro")
    other = to_bytes(download(setup, persona="rep_b", city=setup.city_b))

    assert "macros are refused" in errors_of(upload(setup, with_macros.getvalue()))
    assert "macros are refused" in errors_of(upload(setup, good, name="assessment.xlsm"))
    assert "not a readable .xlsx workbook" in errors_of(upload(setup, good[: len(good) // 2]))
    assert "belongs to another city (Betatown)" in errors_of(upload(setup, other))


def test_confirming_without_an_upload_saves_nothing(setup):
    response = setup.client_for("rep_a").post(url(setup, name=CONFIRM), follow=True)

    assert "Nothing to confirm" in response.content.decode()
    assert not Answer.objects.exists()


def test_only_the_citys_editors_upload(setup):
    data = to_bytes(download(setup))

    response = setup.client_for("thematic_expert").post(
        url(setup, name=UPLOAD), {"file": SimpleUploadedFile("a.xlsx", data)}
    )

    assert response.status_code == 403
    assert setup.client_for("rep_b").get(url(setup)).status_code == 404
