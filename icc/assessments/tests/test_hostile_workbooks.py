"""Hostile workbooks are refused with a clear message, quickly, within a memory bound, and save nothing."""

from __future__ import annotations

import io
import time
import tracemalloc
import zipfile
from collections.abc import Callable, Iterator

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from icc.assessments.actions import load_default_instruments
from icc.assessments.indicators import load_indicator_library
from icc.assessments.models import Answer, IndicatorValue, MaturityRating, Question, QuestionType

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SCAN = "Thematic choice support tool"
MB = 1024 * 1024
SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b'<dimension ref="A1:C21"/><sheetData>'
)
SHEET_TAIL = b"</sheetData></worksheet>"


@pytest.fixture
def setup(cast):
    load_default_instruments(programme=cast.programme)
    load_indicator_library(programme=cast.programme)
    return cast


UPLOAD, CONFIRM = "assessments:workbook_upload", "assessments:workbook_confirm"


def url(cast, name="assessments:workbook"):
    return reverse(name, kwargs={"pk": cast.city_a.pk, "round": "baseline"})


def download(cast):
    return cast.client_for("rep_a").get(url(cast), {"download": "1"}).content


def to_bytes(book) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def edited(cast, edit: Callable) -> bytes:
    book = load_workbook(io.BytesIO(download(cast)))
    edit(book)
    return to_bytes(book)


def upload(cast, data: bytes, client=None):
    return (client or cast.client_for("rep_a")).post(
        url(cast, name=UPLOAD), {"file": SimpleUploadedFile("assessment.xlsx", data, content_type=XLSX)}
    )


def errors_of(response) -> str:
    assert response.status_code == 200
    return " | ".join(str(e) for e in response.context["errors"])


def part_of(data: bytes, title: str) -> str:
    """The zip member that holds the sheet called ``title`` in a workbook openpyxl wrote."""
    book = load_workbook(io.BytesIO(data), read_only=True)
    return f"xl/worksheets/sheet{book.sheetnames.index(title) + 1}.xml"


def replaced(data: bytes, member: str, content: bytes | Iterator[bytes]) -> bytes:
    """``data`` with ``member`` replaced by ``content``, written as a stream and deflated."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename != member:
                target.writestr(item, source.read(item.filename))
        info = zipfile.ZipInfo(member)
        info.compress_type = zipfile.ZIP_DEFLATED
        info._compresslevel = 9  # type: ignore[attr-defined]
        with target.open(info, "w") as stream:
            for chunk in [content] if isinstance(content, bytes) else content:
                stream.write(chunk)
    return out.getvalue()


def refused_quickly(cast, data: bytes) -> str:
    """Upload ``data``; the refusal takes under 2 s and 50 MB more memory."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        response = upload(cast, data)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    elapsed = time.perf_counter() - started
    assert elapsed < 2, elapsed
    assert peak < 50 * MB, peak
    assert "changes" not in response.context
    return errors_of(response)


def nothing_saved() -> bool:
    return not Answer.objects.exists() and not IndicatorValue.objects.exists() and not MaturityRating.objects.exists()


# Size and shape, before parsing -------------------------------------------------------


def test_297_kb_workbook_that_expands_to_300_mb_is_refused_before_it_is_opened(setup):
    good = download(setup)

    def padding() -> Iterator[bytes]:
        yield SHEET_HEAD
        for _ in range(300):
            yield b" " * MB
        yield SHEET_TAIL

    bomb = replaced(good, part_of(good, "Maturity"), padding())
    assert len(bomb) < 400 * 1024

    message = refused_quickly(setup, bomb)

    assert "Unpacked, the file would take 300" in message
    assert "the limit is 25 MB" in message
    assert nothing_saved()


def test_workbook_with_150000_extra_rows_is_refused_by_counting_rows_not_trusting_its_dimension(setup):
    good = download(setup)

    def rows() -> Iterator[bytes]:
        yield SHEET_HEAD
        for n in range(2, 150_002, 1_000):
            yield b"".join(
                b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>Sensors</t></is></c><c><v>1</v></c><c><v>2</v></c></row>'
                % (i, i)
                for i in range(n, n + 1_000)
            )
        yield SHEET_TAIL

    long = replaced(good, part_of(good, "Maturity"), rows())
    assert len(long) < 1 * MB

    message = refused_quickly(setup, long)

    assert "Sheet “Maturity” has more than 1,000 rows" in message
    assert nothing_saved()


@pytest.mark.parametrize("with_references", [True, False])
def test_workbook_with_a_row_of_20000_cells_is_refused(setup, with_references):
    good = download(setup)
    cells = b"".join(
        (b'<c r="%s1"><v>1</v></c>' % column(n).encode()) if with_references else b"<c><v>1</v></c>"
        for n in range(1, 20_001)
    )

    wide = replaced(good, part_of(good, "Maturity"), SHEET_HEAD + b'<row r="1">' + cells + b"</row>" + SHEET_TAIL)

    assert "Sheet “Maturity” has more than 30 columns" in refused_quickly(setup, wide)


def column(n: int) -> str:
    letters = ""
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def test_workbook_of_thousands_of_parts_is_refused(setup):
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(download(setup))) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        for n in range(5_000):
            target.writestr(f"xl/media/image{n}.png", b"")

    assert "more than 200 parts" in refused_quickly(setup, out.getvalue())


# Damaged and dangerous content --------------------------------------------------------


def test_workbook_with_malformed_sheet_xml_is_refused_with_a_message(setup):
    good = download(setup)

    broken = replaced(good, part_of(good, "Indicators"), SHEET_HEAD + b"<row><c><v>1</v></row>")

    assert "Sheet “Indicators” is damaged" in errors_of(upload(setup, broken))
    assert nothing_saved()


def test_workbook_with_malformed_content_types_is_refused_with_a_message(setup):
    broken = replaced(download(setup), "[Content_Types].xml", b"<Types><Default Extension='xml'")

    assert "Part “[Content_Types].xml” of the file is damaged" in errors_of(upload(setup, broken))


def test_workbook_with_an_entity_expansion_is_refused(setup):
    good = download(setup)
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>'
    )

    assert "Sheet “Maturity” is damaged" in errors_of(upload(setup, replaced(good, part_of(good, "Maturity"), laughs)))


def test_macro_content_type_without_the_macro_file_is_refused(setup):
    good = download(setup)
    with zipfile.ZipFile(io.BytesIO(good)) as archive:
        types = archive.read("[Content_Types].xml")
    renamed = types.replace(
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    )

    assert "macros are refused" in errors_of(upload(setup, replaced(good, "[Content_Types].xml", renamed)))


# Numbers and texts, checked against their range and column ----------------------------


def indicator_row(book, unit: str | None = None) -> int:
    sheet = book["Indicators"]
    return next(row for row in range(2, sheet.max_row + 1) if unit is None or sheet[f"C{row}"].value == unit)


def with_value(value, year=2024, source="Eurostat", unit=None):
    def edit(book):
        row = indicator_row(book, unit)
        sheet = book["Indicators"]
        sheet[f"D{row}"], sheet[f"E{row}"], sheet[f"F{row}"] = value, year, source

    return edit


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (with_value(1e30), "cell D2: 1e+30 is outside the range -1,000,000,000,000 to 1,000,000,000,000"),
        (with_value("1e30"), "cell D2: 1e30 is outside the range"),
        (with_value(10**15), "cell D2: 1000000000000000 is outside the range"),
        (with_value("NaN"), "cell D2: “NaN” is not a number"),
        (with_value("inf"), "cell D2: “inf” is not a number"),
        (with_value("-Infinity"), "cell D2: “-Infinity” is not a number"),
        (with_value(12, year="inf"), "cell E2: “inf” is not a year from 1990"),
        (with_value(12, year="1e400"), "cell E2: “1e400” is not a year from 1990"),
        (with_value(12, year=1e300), "cell E2: “1e+300” is not a year from 1990"),
        (with_value(12, year=2024.5), "cell E2: “2024.5” is not a year from 1990"),
        (with_value(12, source="S" * 301), "cell F2: Say where the value comes from (at most 300 characters)"),
    ],
)
def test_indicator_numbers_out_of_range_are_refused_by_cell(setup, edit, expected):
    response = upload(setup, edited(setup, edit))

    assert expected in errors_of(response)
    assert nothing_saved()


def test_a_share_in_percent_is_between_0_and_100(setup):
    def edit(book):
        with_value(150, unit="%")(book)

    message = errors_of(upload(setup, edited(setup, edit)))

    assert "150 is outside the range 0 to 100" in message


def test_refused_1e30_leaves_every_indicator_page_of_the_city_working(setup):
    client = setup.client_for("rep_a")
    upload(setup, edited(setup, with_value(1e30)), client=client)
    client.post(url(setup, name=CONFIRM))

    for name, kwargs in [
        ("assessments:indicators", {"pk": setup.city_a.pk, "round": "baseline"}),
        ("assessments:peers", {"pk": setup.city_a.pk}),
        ("assessments:workbook", {"pk": setup.city_a.pk, "round": "baseline"}),
    ]:
        assert client.get(reverse(name, kwargs=kwargs)).status_code == 200, name
    assert not IndicatorValue.objects.exists()


@pytest.mark.parametrize("raw", ["inf", "-inf", "NaN", "1e400", 1e300, 2.5])
def test_maturity_level_that_is_not_0_to_4_is_refused(setup, raw):
    def edit(book):
        book["Maturity"]["A2"], book["Maturity"]["B2"], book["Maturity"]["C2"] = "Sensors", raw, 4

    message = errors_of(upload(setup, edited(setup, edit)))

    assert "Sheet “Maturity”, cell B2:" in message and "is not a level from 0 to 4" in message
    assert nothing_saved()


@pytest.fixture
def typed_questions(setup):
    """A number, a percentage, a year and a free-text question added to the thematic scan."""
    first = Question.objects.filter(section__instrument__name=SCAN).order_by("pk").first()
    assert first is not None
    made = {}
    for offset, (kind, unit) in enumerate(
        [(QuestionType.NUMBER, "€"), (QuestionType.PERCENTAGE, ""), (QuestionType.YEAR, ""), (QuestionType.TEXT, "")]
    ):
        made[kind] = Question.objects.create(
            section=first.section,
            key=f"typed-{kind}",
            text=f"A {kind} question",
            type=kind,
            unit=unit,
            order=900 + offset,
        )
    return made


def answer(kind: str, raw) -> Callable:
    def edit(book):
        sheet = book[SCAN]
        row = next(r for r in range(2, sheet.max_row + 1) if sheet[f"A{r}"].value == f"typed-{kind}")
        sheet[f"D{row}"] = raw

    return edit


@pytest.mark.parametrize(
    ("kind", "raw", "expected"),
    [
        (QuestionType.NUMBER, "inf", "is not a number"),
        (QuestionType.NUMBER, "NaN", "is not a number"),
        (QuestionType.NUMBER, 1e30, "is outside the range"),
        (QuestionType.PERCENTAGE, "NaN", "is not a number"),
        (QuestionType.PERCENTAGE, 101, "101 is outside the range 0 to 100"),
        (QuestionType.YEAR, "inf", "is not a number"),
        (QuestionType.YEAR, "1e400", "is outside the range 1900 to 2100"),
        (QuestionType.YEAR, 2024.5, "is not a whole number"),
        (QuestionType.TEXT, "x" * 5_001, "at most 5,000 characters"),
    ],
)
def test_typed_answers_are_checked_against_their_range_and_length(setup, typed_questions, kind, raw, expected):
    response = upload(setup, edited(setup, answer(kind, raw)))

    message = errors_of(response)
    assert f"Sheet “{SCAN}”, cell D" in message and expected in message
    assert nothing_saved()


def test_answers_in_range_are_read(setup, typed_questions):
    def edit(book):
        for kind, raw in [
            (QuestionType.NUMBER, 1250.5),
            (QuestionType.PERCENTAGE, 42),
            (QuestionType.YEAR, 2030),
            (QuestionType.TEXT, "x" * 5_000),
        ]:
            answer(kind, raw)(book)

    response = upload(setup, edited(setup, edit))

    assert response.context["errors"] == []
    assert len(response.context["changes"]) == 4
