"""Deliverable documents: PDF, office and OpenDocument files without scripts or macros."""

from __future__ import annotations

import io
import re
from pathlib import PurePosixPath
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _

from icc.core.uploads.containers import Container, active_content, content_types, open_container, scan_part
from icc.core.uploads.limits import DOCUMENT, MB, UploadRefused, check_size
from icc.core.uploads.workbooks import SPREADSHEET_MAIN

DOCUMENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
}
OOXML_MAIN = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "xlsx": SPREADSHEET_MAIN,
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
}
ODF_SCRIPTS = re.compile(r"^(Basic|Scripts)/", re.IGNORECASE)
HTML = re.compile(rb"<\s*(!doctype\s+html|html|head|body|script|iframe)[\s>/]", re.IGNORECASE)
PDF_SCRIPT = re.compile(rb"/(JavaScript|Launch)(?![A-Za-z0-9])")
PDF_OBJECT = re.compile(rb"\s*(xref|\d+\s+\d+\s+obj)")
PDF_STARTXREF = re.compile(rb"startxref\s+(\d{1,12})\s+%%EOF\s*$")


def check_document(upload: Any) -> None:
    """Refuse a deliverable that is too large, of a type not accepted, or not what it claims to be."""
    check_size(upload.size, settings.ICC_MAX_DOCUMENT_BYTES)
    extension = PurePosixPath(upload.name or "").suffix.lower().lstrip(".")
    allowed = ", ".join(sorted(DOCUMENT_TYPES))
    if extension not in DOCUMENT_TYPES:
        raise UploadRefused(_("Upload a document of one of these types: %(types)s.") % {"types": allowed}, code="type")
    not_this = _("The file's content is not a .%(extension)s document. Upload one of: %(types)s.") % {
        "extension": extension,
        "types": allowed,
    }
    file = upload.file if hasattr(upload, "file") else upload
    size = upload.size if upload.size is not None else _size_of(file)
    try:
        if extension == "pdf":
            _check_pdf(file, size, not_this)
        else:
            container = open_container(file, size, DOCUMENT, not_readable=not_this)
            with container.archive:
                if extension in OOXML_MAIN:
                    _check_ooxml(container, extension, not_this)
                else:
                    _check_odf(container, extension, not_this)
    finally:
        file.seek(0)


def _size_of(file: IO[bytes]) -> int:
    file.seek(0, io.SEEK_END)
    size = file.tell()
    file.seek(0)
    return size


def _active(extension: str, what: str) -> UploadRefused:
    return UploadRefused(
        _(
            "The document holds macros or other active content (%(what)s), which are refused. "
            "Save it as a plain .%(extension)s file and upload that."
        )
        % {"what": what[:80], "extension": extension},
        code="active",
    )


def _check_ooxml(container: Container, extension: str, not_this: str) -> None:
    overrides, defaults = content_types(container, not_readable=not_this)
    active = active_content(container, overrides, defaults)
    if active:
        raise _active(extension, active)
    if OOXML_MAIN[extension] not in overrides.values():
        raise UploadRefused(not_this, code="content")


def _check_odf(container: Container, extension: str, not_this: str) -> None:
    members = container.archive.infolist()
    if not members or members[0].filename != "mimetype" or members[0].file_size > 100:
        raise UploadRefused(not_this, code="content")
    with container.archive.open(members[0]) as stream:
        mimetype = stream.read(101).decode("ascii", "replace").strip()
    if mimetype != DOCUMENT_TYPES[extension]:
        raise UploadRefused(not_this, code="content")
    if "META-INF/manifest.xml" not in container.names:
        raise UploadRefused(not_this, code="content")
    scripts = sorted(n for n in container.names if ODF_SCRIPTS.match(n))
    if scripts:
        raise _active(extension, scripts[0])
    scan_part(container, "META-INF/manifest.xml")


def _check_pdf(file: IO[bytes], size: int, not_this: str) -> None:
    file.seek(0)
    head = file.read(1024)
    if not re.match(rb"%PDF-[12]\.\d", head):
        raise UploadRefused(not_this, code="content")
    file.seek(max(0, size - 1024))
    tail = file.read(1024)
    found = PDF_STARTXREF.search(tail)
    if found is None:
        raise UploadRefused(
            _("The file starts like a PDF but does not end like one (no cross-reference table). Save it as PDF again."),
            code="pdf_structure",
        )
    offset = int(found[1])
    if not 0 < offset < size:
        raise UploadRefused(
            _("The file starts like a PDF but its cross-reference table is missing. Save it as PDF again."),
            code="pdf_structure",
        )
    file.seek(offset)
    if not PDF_OBJECT.match(file.read(64)):
        raise UploadRefused(
            _("The file starts like a PDF but its cross-reference table is missing. Save it as PDF again."),
            code="pdf_structure",
        )
    file.seek(0)
    overlap = b""
    while chunk := file.read(MB):
        window = overlap + chunk
        if HTML.search(window):
            raise UploadRefused(
                _("The file holds a web page, not only a PDF document. Save it as PDF again."), code="pdf_html"
            )
        script = PDF_SCRIPT.search(window)
        if script:
            raise _active("pdf", script[0].decode("ascii"))
        overlap = chunk[-64:]
