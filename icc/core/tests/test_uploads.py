"""The upload gate: what no directory, header or line count can talk it out of."""

from __future__ import annotations

import io
import struct
import time
import tracemalloc
import zipfile

import pytest
from openpyxl import Workbook

from icc.core import uploads

MB = 1024 * 1024


def workbook() -> bytes:
    out = io.BytesIO()
    book = Workbook()
    book.active.append(["key", "value"])
    book.save(out)
    return out.getvalue()


def with_member(data: bytes, name: str, chunks) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename != name:
                target.writestr(item, source.read(item.filename))
        info = zipfile.ZipInfo(name)
        info.compress_type = zipfile.ZIP_DEFLATED
        with target.open(info, "w") as stream:
            for chunk in chunks:
                stream.write(chunk)
    return out.getvalue()


def forge_size(data: bytes, name: str, size: int) -> bytes:
    """``data`` with the sizes its headers declare for ``name`` replaced by ``size``."""
    forged = bytearray(data)
    encoded = name.encode()
    at = 0
    while (at := forged.find(encoded, at + 1)) > 0:
        if forged[at - 46 : at - 42] == b"PK\x01\x02":
            forged[at - 46 + 24 : at - 46 + 28] = struct.pack("<I", size)
        elif forged[at - 30 : at - 26] == b"PK\x03\x04":
            forged[at - 30 + 22 : at - 30 + 26] = struct.pack("<I", size)
    return bytes(forged)


def test_a_member_that_lies_about_its_size_is_refused_within_the_memory_bound():
    def padding():
        yield b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        for _ in range(300):
            yield b" " * MB
        yield b"</sheetData></worksheet>"

    bomb = forge_size(with_member(workbook(), "xl/worksheets/sheet1.xml", padding()), "xl/worksheets/sheet1.xml", 1000)
    with zipfile.ZipFile(io.BytesIO(bomb)) as archive:
        assert archive.getinfo("xl/worksheets/sheet1.xml").file_size == 1000

    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(uploads.UploadRefused) as refused:
            uploads.check_workbook(bomb, filename="bomb.xlsx")
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert time.perf_counter() - started < 2
    assert peak < 50 * MB
    assert "Part “xl/worksheets/sheet1.xml” of the file cannot be unpacked" in str(refused.value)


def test_a_workbook_over_the_upload_limit_is_refused_before_it_is_opened(settings):
    settings.ICC_MAX_IMPORT_BYTES = 1024

    with pytest.raises(uploads.UploadRefused, match="the limit is"):
        uploads.check_workbook(workbook(), filename="big.xlsx")


def test_a_plain_workbook_passes():
    uploads.check_workbook(workbook(), filename="plain.xlsx")


def test_csv_rows_are_counted_as_records_not_lines():
    records = "".join(f'"City {n}","line one\nline two"\n' for n in range(uploads.CSV_FILE.rows))

    text = uploads.check_csv(f"name,note\n{records}".encode())

    assert text.startswith("name,note")


def test_csv_one_record_over_the_row_limit_is_refused():
    records = "".join(f"City {n},PT\n" for n in range(uploads.CSV_FILE.rows + 1))

    with pytest.raises(uploads.UploadRefused, match="more than 10,000 rows"):
        uploads.check_csv(f"name,country\n{records}".encode())


def test_csv_that_is_not_utf8_is_refused_with_its_row():
    with pytest.raises(uploads.UploadRefused) as refused:
        uploads.check_csv("name\nMünster\n".encode("latin-1"))

    assert refused.value.row == 2
    assert "not UTF-8" in str(refused.value)


def test_a_zip_without_an_end_record_is_not_a_document():
    data = workbook()[:-22]

    with pytest.raises(uploads.UploadRefused, match=r"not a readable \.xlsx workbook"):
        uploads.check_workbook(data, filename="cut.xlsx")
