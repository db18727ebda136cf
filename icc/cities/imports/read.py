"""Reading an import file: through the upload gate, then into rows numbered as a spreadsheet shows them."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Generic, TypeVar

from django.conf import settings
from django.utils.translation import gettext as _

from icc.core import uploads
from icc.core.formatting import format_number

if TYPE_CHECKING:
    from _csv import Reader

HEADER_ROW = 1
T = TypeVar("T")


@dataclass(frozen=True)
class RowError:
    """One problem of a file, where the programme office finds it (row 0: the file as a whole)."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        if self.column:
            return _("Row %(row)s, column “%(column)s”: %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        return _("Row %(row)s: %(message)s") % {"row": self.row, "message": self.message}


@dataclass(frozen=True)
class Checked(Generic[T]):
    """What a step made of its input: the items it accepted, or the problems it found."""

    items: tuple[T, ...] = ()
    errors: tuple[RowError, ...] = ()


@dataclass(frozen=True)
class Columns:
    """The header a kind of file must have."""

    required: tuple[str, ...]
    optional: tuple[str, ...]

    @property
    def known(self) -> tuple[str, ...]:
        return (*self.required, *self.optional)


@dataclass(frozen=True)
class Row:
    """One line of the file: its number and the value of each column, without surrounding spaces."""

    number: int
    cells: Mapping[str, str] = field(default_factory=dict)

    def get(self, column: str) -> str:
        return self.cells.get(column, "")


def size_error(size: int) -> RowError | None:
    """The error for a file over the import limit, decided before it is read."""
    try:
        uploads.check_size(size, settings.ICC_MAX_IMPORT_BYTES)
    except uploads.UploadRefused as refused:
        return RowError(0, "", refused.text)
    return None


def read_rows(data: bytes, *, columns: Columns) -> Checked[Row]:
    """Check the file at the upload gate, then parse its header and rows."""
    try:
        text = uploads.check_csv(data)
    except uploads.UploadRefused as refused:
        return Checked(errors=(RowError(refused.row, "", refused.text),))
    if not text.strip():
        return Checked(errors=(RowError(HEADER_ROW, "", _("The file is empty.")),))
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [column.strip().lower() for column in next(reader)]
    except csv.Error as error:
        return Checked(errors=(RowError(HEADER_ROW, "", str(error)),))
    problems = header_errors(header, columns)
    if problems:
        return Checked(errors=problems)
    rows = _rows(reader, header)
    if not rows.items and not rows.errors:
        return Checked(errors=(RowError(HEADER_ROW + 1, "", _("The file has a header but no rows.")),))
    return rows


def header_errors(header: list[str], columns: Columns) -> tuple[RowError, ...]:
    """Columns missing, unknown or given twice."""
    missing = [
        RowError(HEADER_ROW, column, _("This column is missing."))
        for column in columns.required
        if column not in header
    ]
    unknown = [
        RowError(
            HEADER_ROW,
            column or "?",
            _("Unknown column. Expected columns: %(columns)s.") % {"columns": ", ".join(columns.known)},
        )
        for column in header
        if column not in columns.known
    ]
    twice = [
        RowError(HEADER_ROW, column, _("This column appears twice."))
        for column in sorted({column for column in header if header.count(column) > 1})
    ]
    return (*missing, *unknown, *twice)


def _rows(reader: Reader, header: list[str]) -> Checked[Row]:
    """The non-empty rows after the header; a row longer than the header is a problem."""
    rows: list[Row] = []
    errors: list[RowError] = []
    try:
        for values in reader:
            line_num = reader.line_num
            if not any(value.strip() for value in values):
                continue
            if len(values) > len(header):
                errors.append(
                    RowError(
                        line_num,
                        "",
                        _("This row has %(n)s values but the header has %(m)s columns.")
                        % {"n": format_number(len(values)), "m": format_number(len(header))},
                    )
                )
                continue
            cells = {column: value.strip() for column, value in zip(header, values, strict=False)}
            rows.append(Row(line_num, cells))
    except csv.Error as error:
        errors.append(RowError(reader.line_num, "", str(error)))
    return Checked(items=tuple(rows), errors=tuple(errors))
