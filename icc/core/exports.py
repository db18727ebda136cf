"""The one writer every spreadsheet export goes through.

Text people typed (an action title, a KPI name, a source, a city name) can start with a
character a spreadsheet reads as the start of a formula: ``=HYPERLINK(…)``, ``+cmd|…``,
``@SUM(…)``. Opened in Excel or LibreOffice it would run. Every CSV and xlsx file of the
platform is written here, so that such text stays text:

- in CSV, a text cell starting with a formula character (after any leading spaces) gets a
  leading apostrophe, as spreadsheets themselves do for text typed that way;
- in xlsx, every text cell is written as a string, never as a formula, and marked
  "quote prefix" so that editing it in the spreadsheet keeps it text; control characters
  a workbook cannot hold are left out.

Numbers, dates and booleans are written as themselves.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# What a spreadsheet takes as the start of a formula or a command, with the full-width
# forms some of them also accept.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "|", "％", "＝", "＋", "－", "＠")


def starts_formula(text: str) -> bool:
    return text.lstrip(" ").startswith(FORMULA_STARTS)


def csv_cell(value: Any) -> Any:
    """``value`` as it may go into a CSV file."""
    if isinstance(value, str) and starts_formula(value):
        return "'" + value
    return value


def write_csv(out: Any, header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> None:
    # Every field quoted, so that a spreadsheet splitting on ";" (most EU locales) does not
    # cut a text into a cell that starts with "=".
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    writer.writerow([csv_cell(v) for v in header])
    writer.writerows([csv_cell(v) for v in row] for row in rows)


def csv_bytes(header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> bytes:
    out = io.StringIO()
    write_csv(out, header, rows)
    return out.getvalue().encode()


def csv_response(filename: str, header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> HttpResponse:
    """A CSV download, UTF-8 with a byte-order mark so that Excel reads the accents."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    write_csv(response, header, rows)
    return response


def append_row(sheet: Worksheet, values: Sequence[Any]) -> None:
    """Append ``values`` to ``sheet``, text as text."""
    sheet.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in values])
    row = sheet.max_row
    for column, value in enumerate(values, start=1):
        if isinstance(value, str):
            cell = sheet.cell(row=row, column=column)
            cell.data_type = "s"  # openpyxl takes text starting with "=" for a formula
            if starts_formula(value):
                cell.quotePrefix = True


def add_sheet(
    workbook: Workbook, title: str, header: Sequence[Any], rows: Iterable[Sequence[Any]], *, first: bool = False
) -> Worksheet:
    """A sheet with a bold, frozen header row and columns wide enough to read."""
    sheet = workbook.active if first else workbook.create_sheet()
    assert isinstance(sheet, Worksheet)
    sheet.title = title[:31]
    append_row(sheet, header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        append_row(sheet, row)
    sheet.freeze_panes = "A2"
    for column in sheet.columns:
        width = max(len(str(cell.value or "")) for cell in column)
        sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 10), 60)
    return sheet


def xlsx_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(filename: str, workbook: Workbook) -> HttpResponse:
    response = HttpResponse(xlsx_bytes(workbook), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
