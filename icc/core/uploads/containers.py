"""Zip containers (xlsx, docx, odt…) opened without expanding them: members, sizes, ratios, active content."""

from __future__ import annotations

import re
import struct
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Any
from xml.parsers import expat

from django.utils.translation import gettext as _

from icc.core.uploads.limits import CHUNK, RATIO_FROM, Limits, UploadRefused, grouped, megabytes


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


def open_container(file: IO[bytes], size: int, limits: Limits, *, not_readable: str) -> Container:
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
            % {"size": megabytes(total), "limit": megabytes(limits.uncompressed)},
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
                % {"name": member.filename[:100], "ratio": grouped(member.file_size // max(member.compress_size, 1))},
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
        % {"n": grouped(limits.members)},
        code="members",
    )


def content_types(container: Container, *, not_readable: str) -> tuple[dict[str, str], set[str]]:
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

    scan_part(container, "[Content_Types].xml", element)
    return overrides, defaults


def scan_part(
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
            _("Unpacked, the file would take more than %(limit)s MB.") % {"limit": megabytes(container.limit)},
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


def active_content(container: Container, overrides: dict[str, str], defaults: set[str]) -> str | None:
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
        scan_part(container, name, relationship)
        if found:
            return found[0]
    return None


# Workbooks ------------------------------------------------------------------------------
