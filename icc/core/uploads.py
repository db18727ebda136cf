"""The one gate every uploaded file passes before anything parses it.

Workbooks, CSV imports and deliverable documents are checked here for what they are, not
for what their name or first bytes claim: the size of the file, the size of what a zip
container would expand to, how many members it has and how well each compresses, the
number of rows and columns of a sheet or CSV file, and the content of the container
(macros, scripts, a PDF that is really a web page). The checks read the file in chunks
and keep nothing of it, so a hostile file is refused within a small, fixed amount of
memory and before openpyxl, the CSV reader or anyone's office suite sees it.

Every refusal is an ``UploadRefused`` (a ``ValidationError``) with a message that says
what is wrong and what to do instead.
"""

from __future__ import annotations

import csv
import io
import re
import struct
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import IO, Any
from xml.parsers import expat

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _

MB = 1024 * 1024
CHUNK = 64 * 1024


class UploadRefused(ValidationError):
    """An upload that is refused before it is parsed; ``row`` and ``part`` say where, when known."""

    def __init__(self, message: str, *, code: str, row: int = 0, part: str = "") -> None:
        super().__init__(message, code=code)
        self.text = message
        self.row = row
        self.part = part

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Limits:
    """The largest file of a kind, as uploaded and as it would be once unpacked and parsed."""

    uncompressed: int  # all members of a zip container together
    members: int  # members of a zip container
    ratio: int  # how much a member above 1 MB may expand
    rows: int  # of a sheet or a CSV file
    columns: int  # of a sheet or a CSV file


WORKBOOK = Limits(uncompressed=25 * MB, members=200, ratio=100, rows=1_000, columns=30)
CSV_FILE = Limits(uncompressed=0, members=0, ratio=0, rows=10_000, columns=50)
DOCUMENT = Limits(uncompressed=200 * MB, members=5_000, ratio=100, rows=0, columns=0)
RATIO_FROM = 1 * MB


def _count(n: int) -> str:
    return number_format(n, force_grouping=True)


def _megabytes(size: int) -> str:
    shown = round(size / MB, 1)
    return number_format(shown, decimal_pos=0 if shown == int(shown) else 1)


def check_size(size: int | None, limit: int) -> None:
    """Refuse a file larger than ``limit`` bytes, before it is read."""
    if size is not None and size > limit:
        raise UploadRefused(
            _("The file is %(size)s MB; the limit is %(limit)s MB.")
            % {"size": _megabytes(size), "limit": _megabytes(limit)},
            code="too_large",
        )


# XML, read as a stream ----------------------------------------------------------------


class _Malformed(Exception):
    pass


class _Stop(Exception):
    """Raised from a handler to end the scan of a part early."""


def _scan_xml(
    stream: IO[bytes], *, on_start: Callable[[str, dict[str, str]], None] | None = None, budget: list[int]
) -> None:
    """Parse ``stream`` chunk by chunk, calling ``on_start(local name, attributes)`` per element.

    Nothing of the document is kept. Document types and entity declarations are refused,
    so no entity can expand, and ``budget`` (bytes left to read, shared by all parts of a
    container) bounds the work whatever the container's directory claims.
    """
    parser = expat.ParserCreate(namespace_separator=" ")

    def refuse(*_args: Any) -> None:
        raise _Malformed("doctype")

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse  # type: ignore[assignment]
    if on_start is not None:
        parser.StartElementHandler = lambda name, attributes: on_start(name.rpartition(" ")[2], attributes)
    try:
        while chunk := stream.read(CHUNK):
            budget[0] -= len(chunk)
            if budget[0] < 0:
                raise _Stop
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError as error:
        raise _Malformed(str(error)) from None


# Zip containers -------------------------------------------------------------------------

_END = b"PK\x05\x06"
_END64 = b"PK\x06\x06"


def _declared_members(file: IO[bytes], size: int) -> int | None:
    """The number of members the end of a zip file declares, read without the directory."""
    tail_size = min(size, 22 + 65_535 + 20 + 56)
    file.seek(size - tail_size)
    tail = file.read(tail_size)
    at = tail.rfind(_END)
    if at < 0 or len(tail) < at + 22:
        return None
    (total,) = struct.unpack("<H", tail[at + 10 : at + 12])
    if total == 0xFFFF:
        at64 = tail.rfind(_END64, 0, at)
        if at64 < 0 or len(tail) < at64 + 56:
            return None
        (total,) = struct.unpack("<Q", tail[at64 + 32 : at64 + 40])
    return int(total)


@dataclass
class Container:
    """An open zip container that passed the directory checks."""

    archive: zipfile.ZipFile
    names: set[str]
    limit: int
    budget: list[int]

    def scan(self, name: str, on_start: Callable[[str, dict[str, str]], None] | None = None) -> None:
        with self.archive.open(name) as stream:
            _scan_xml(stream, on_start=on_start, budget=self.budget)


def _open_container(file: IO[bytes], size: int, limits: Limits, *, not_readable: str) -> Container:
    """Open a zip container after checking its directory against ``limits``."""
    declared = _declared_members(file, size)
    if declared is None:
        raise UploadRefused(not_readable, code="not_zip")
    if declared > limits.members:
        raise _too_many_members(limits)
    file.seek(0)
    try:
        archive = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, struct.error):
        raise UploadRefused(not_readable, code="not_zip") from None
    members = archive.infolist()
    if len(members) > limits.members:
        raise _too_many_members(limits)
    total = sum(member.file_size for member in members)
    if total > limits.uncompressed:
        raise UploadRefused(
            _("Unpacked, the file would take %(size)s MB; the limit is %(limit)s MB.")
            % {"size": _megabytes(total), "limit": _megabytes(limits.uncompressed)},
            code="uncompressed",
        )
    for member in members:
        if member.flag_bits & 0x1:
            raise UploadRefused(
                _("The file is protected with a password; upload a copy without one."), code="encrypted"
            )
        if member.file_size > RATIO_FROM and member.file_size > limits.ratio * max(member.compress_size, 1):
            raise UploadRefused(
                _("Part “%(name)s” of the file expands %(ratio)s times; files that unpack this much are refused.")
                % {"name": member.filename[:100], "ratio": _count(member.file_size // max(member.compress_size, 1))},
                code="ratio",
            )
    return Container(
        archive=archive,
        names={m.filename for m in members},
        limit=limits.uncompressed,
        budget=[limits.uncompressed],
    )


def _too_many_members(limits: Limits) -> UploadRefused:
    return UploadRefused(
        _("The file is made of more than %(n)s parts; it is not a document of this kind.")
        % {"n": _count(limits.members)},
        code="members",
    )


def _content_types(container: Container, *, not_readable: str) -> tuple[dict[str, str], set[str]]:
    """The content type of each part named in ``[Content_Types].xml``, and the default ones."""
    if "[Content_Types].xml" not in container.names:
        raise UploadRefused(not_readable, code="no_content_types")
    overrides: dict[str, str] = {}
    defaults: set[str] = set()

    def element(name: str, attributes: dict[str, str]) -> None:
        if name == "Override":
            overrides[attributes.get("PartName", "").lstrip("/")] = attributes.get("ContentType", "")
        elif name == "Default":
            defaults.add(attributes.get("ContentType", ""))

    _scan_part(container, "[Content_Types].xml", element)
    return overrides, defaults


def _scan_part(
    container: Container,
    name: str,
    on_start: Callable[[str, dict[str, str]], None] | None = None,
    *,
    sheet: str = "",
) -> None:
    try:
        container.scan(name, on_start)
    except _Malformed:
        if sheet:
            message = _(
                "Sheet “%(sheet)s” is damaged (it is not well-formed XML). Save the workbook again and retry."
            ) % {"sheet": sheet}
        else:
            message = _(
                "Part “%(name)s” of the file is damaged (it is not well-formed XML). Save the file again and retry."
            ) % {"name": name}
        raise UploadRefused(message, code="malformed", part=sheet or name) from None
    except _Stop:
        raise UploadRefused(
            _("Unpacked, the file would take more than %(limit)s MB.") % {"limit": _megabytes(container.limit)},
            code="uncompressed",
        ) from None
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError, ValueError):
        raise UploadRefused(
            _("Part “%(name)s” of the file cannot be unpacked. Save the file again and retry.") % {"name": name},
            code="damaged",
            part=name,
        ) from None


ACTIVE_CONTENT = re.compile(r"macroEnabled|vbaProject|activeX|macrosheet|oleObject", re.IGNORECASE)
ACTIVE_PARTS = re.compile(
    r"(^|/)(vbaProject\.bin|vbaProjectSignature\.bin|vbaData\.xml|oleObject\d*\.bin)$|(^|/)(activeX|macrosheets)/",
    re.IGNORECASE,
)
EXTERNAL_LINKS = ("attachedTemplate", "oleObject", "frame", "subDocument")


def _active_content(container: Container, overrides: dict[str, str], defaults: set[str]) -> str | None:
    """What in an Office Open XML container could run: macros, ActiveX controls, embedded programs."""
    for content_type in (*overrides.values(), *defaults):
        if ACTIVE_CONTENT.search(content_type):
            return content_type
    for name in container.names:
        if ACTIVE_PARTS.search(name):
            return name
    found: list[str] = []

    def relationship(element: str, attributes: dict[str, str]) -> None:
        kind = attributes.get("Type", "").rpartition("/")[2]
        if element == "Relationship" and attributes.get("TargetMode") == "External" and kind in EXTERNAL_LINKS:
            found.append(kind)

    for name in sorted(n for n in container.names if n.endswith(".rels")):
        _scan_part(container, name, relationship)
        if found:
            return found[0]
    return None


# Workbooks ------------------------------------------------------------------------------

SPREADSHEET_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
WORKSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_CELL = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d{1,7})$")


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


def check_workbook(data: bytes, *, filename: str) -> None:
    """Refuse a workbook that is too large, packed, long, wide, damaged or holds macros."""
    check_size(len(data), settings.ICC_MAX_IMPORT_BYTES)
    not_readable = _("The file is not a readable .xlsx workbook. Download a fresh one and try again.")
    macros = _("Workbooks with macros are refused. Save it as a plain .xlsx workbook.")
    if filename.lower().endswith((".xlsm", ".xltm", ".xlsb", ".xlam")):
        raise UploadRefused(macros, code="macros")
    container = _open_container(io.BytesIO(data), len(data), WORKBOOK, not_readable=not_readable)
    with container.archive:
        overrides, defaults = _content_types(container, not_readable=not_readable)
        if _active_content(container, overrides, defaults):
            raise UploadRefused(macros, code="macros")
        if SPREADSHEET_MAIN not in overrides.values():
            raise UploadRefused(not_readable, code="not_workbook")
        titles = _sheet_titles(container)
        sheets = {name for name, kind in overrides.items() if kind == WORKSHEET}
        sheets |= {n for n in container.names if n.startswith("xl/worksheets/") and n.endswith(".xml")}
        for name in sorted(container.names):
            if name in sheets:
                _check_sheet(container, name, titles.get(name, name))
            elif name.endswith((".xml", ".rels")):
                _scan_part(container, name)


def _sheet_titles(container: Container) -> dict[str, str]:
    """Part name → sheet title, from the workbook's own description of its sheets."""
    ids: dict[str, str] = {}
    targets: dict[str, str] = {}

    def sheet(name: str, attributes: dict[str, str]) -> None:
        if name == "sheet":
            relation = next((v for k, v in attributes.items() if k.rpartition(" ")[2] == "id"), "")
            ids[relation] = attributes.get("name", "")

    def relationship(name: str, attributes: dict[str, str]) -> None:
        if name == "Relationship":
            target = attributes.get("Target", "")
            targets[attributes.get("Id", "")] = target.lstrip("/") if target.startswith("/") else f"xl/{target}"

    if "xl/workbook.xml" in container.names:
        _scan_part(container, "xl/workbook.xml", sheet)
    if "xl/_rels/workbook.xml.rels" in container.names:
        _scan_part(container, "xl/_rels/workbook.xml.rels", relationship)
    return {targets[key]: title for key, title in ids.items() if key in targets}


def _check_sheet(container: Container, name: str, title: str) -> None:
    """Count the rows of a sheet, and the cells of each row, as openpyxl would make them."""
    rows, cells = [0], [0]

    def element(tag: str, attributes: dict[str, str]) -> None:
        if tag == "row":
            rows[0] += 1
            cells[0] = 0
            number = attributes.get("r", "")
            if rows[0] > WORKBOOK.rows or (number.isdigit() and int(number) > WORKBOOK.rows):
                raise _too_many_rows(title)
        elif tag == "c":
            cells[0] += 1
            match = _CELL.match(attributes.get("r", ""))
            if match and int(match[2]) > WORKBOOK.rows:
                raise _too_many_rows(title)
            if cells[0] > WORKBOOK.columns or (match and _column_number(match[1]) > WORKBOOK.columns):
                raise _too_many_columns(title)
        elif tag == "dimension":
            match = _CELL.match(attributes.get("ref", "").rpartition(":")[2])
            if match and int(match[2]) > WORKBOOK.rows:
                raise _too_many_rows(title)
            if match and _column_number(match[1]) > WORKBOOK.columns:
                raise _too_many_columns(title)

    _scan_part(container, name, element, sheet=title)


def _too_many_rows(title: str) -> UploadRefused:
    return UploadRefused(
        _("Sheet “%(sheet)s” has more than %(n)s rows; keep the rows of the downloaded workbook.")
        % {"sheet": title, "n": _count(WORKBOOK.rows)},
        code="rows",
        part=title,
    )


def _too_many_columns(title: str) -> UploadRefused:
    return UploadRefused(
        _("Sheet “%(sheet)s” has more than %(n)s columns; keep the columns of the downloaded workbook.")
        % {"sheet": title, "n": _count(WORKBOOK.columns)},
        code="columns",
        part=title,
    )


# CSV files -----------------------------------------------------------------------------


def check_csv(data: bytes) -> str:
    """Refuse a CSV file that is too large, binary, not UTF-8, too long or too wide; return its text."""
    check_size(len(data), settings.ICC_MAX_IMPORT_BYTES)
    if b"\x00" in data:
        raise UploadRefused(_("The file holds binary data, not CSV text."), code="binary")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UploadRefused(
            _("The file is not UTF-8 text (byte %(byte)s). Save it as “CSV UTF-8” and try again.")
            % {"byte": error.start + 1},
            code="encoding",
            row=data[: error.start].count(b"\n") + 1,
        ) from None
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    count = 0
    try:
        for values in csv.reader(_lines(text), delimiter=delimiter):
            count += 1
            if count > CSV_FILE.rows + 1:
                raise UploadRefused(
                    _("The file has more than %(n)s rows; split it into smaller files.") % {"n": _count(CSV_FILE.rows)},
                    code="rows",
                    row=count,
                )
            if len(values) > CSV_FILE.columns:
                raise _too_wide(count)
    except csv.Error:
        pass  # reported with its row by the reader that imports the file
    return text


def _lines(text: str) -> Iterator[str]:
    """The lines of ``text`` one at a time, with their line ends, as the CSV reader wants them."""
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end + 1
        yield text[start:end]
        start = end


def _too_wide(row: int) -> UploadRefused:
    return UploadRefused(
        _("Row %(row)s has more than %(n)s columns.") % {"row": row, "n": _count(CSV_FILE.columns)},
        code="columns",
        row=row,
    )


# Deliverable documents ---------------------------------------------------------------------

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
            container = _open_container(file, size, DOCUMENT, not_readable=not_this)
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
    overrides, defaults = _content_types(container, not_readable=not_this)
    active = _active_content(container, overrides, defaults)
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
    _scan_part(container, "META-INF/manifest.xml")


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
