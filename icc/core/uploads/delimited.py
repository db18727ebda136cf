"""CSV files: text in a known encoding, within the row and column limits."""

from __future__ import annotations

import csv
from collections.abc import Iterator

from django.conf import settings
from django.utils.translation import gettext as _

from icc.core.uploads.limits import CSV_FILE, UploadRefused, check_size, grouped


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
                    _("The file has more than %(n)s rows; split it into smaller files.")
                    % {"n": grouped(CSV_FILE.rows)},
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
        _("Row %(row)s has more than %(n)s columns.") % {"row": row, "n": grouped(CSV_FILE.columns)},
        code="columns",
        row=row,
    )


# Deliverable documents ---------------------------------------------------------------------
