"""What an upload may weigh, hold and contain, and the refusal that says it may not."""

from __future__ import annotations

from dataclasses import dataclass

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


def grouped(n: int) -> str:
    return number_format(n, force_grouping=True)


def megabytes(size: int) -> str:
    shown = round(size / MB, 1)
    return number_format(shown, decimal_pos=0 if shown == int(shown) else 1)


def check_size(size: int | None, limit: int) -> None:
    """Refuse a file larger than ``limit`` bytes, before it is read."""
    if size is not None and size > limit:
        raise UploadRefused(
            _("The file is %(size)s MB; the limit is %(limit)s MB.")
            % {"size": megabytes(size), "limit": megabytes(limit)},
            code="too_large",
        )


# XML, read as a stream ----------------------------------------------------------------
