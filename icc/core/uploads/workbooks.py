"""Excel workbooks: a real spreadsheet, no macros, and sheets within the row and column limits."""

from __future__ import annotations

import io
import re

from django.conf import settings
from django.utils.translation import gettext as _

from icc.core.uploads.containers import Container, active_content, content_types, open_container, scan_part
from icc.core.uploads.limits import WORKBOOK, UploadRefused, check_size, grouped

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
    container = open_container(io.BytesIO(data), len(data), WORKBOOK, not_readable=not_readable)
    with container.archive:
        overrides, defaults = content_types(container, not_readable=not_readable)
        if active_content(container, overrides, defaults):
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
                scan_part(container, name)


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
        scan_part(container, "xl/workbook.xml", sheet)
    if "xl/_rels/workbook.xml.rels" in container.names:
        scan_part(container, "xl/_rels/workbook.xml.rels", relationship)
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

    scan_part(container, name, element, sheet=title)


def _too_many_rows(title: str) -> UploadRefused:
    return UploadRefused(
        _("Sheet “%(sheet)s” has more than %(n)s rows; keep the rows of the downloaded workbook.")
        % {"sheet": title, "n": grouped(WORKBOOK.rows)},
        code="rows",
        part=title,
    )


def _too_many_columns(title: str) -> UploadRefused:
    return UploadRefused(
        _("Sheet “%(sheet)s” has more than %(n)s columns; keep the columns of the downloaded workbook.")
        % {"sheet": title, "n": grouped(WORKBOOK.columns)},
        code="columns",
        part=title,
    )


# CSV files -----------------------------------------------------------------------------
