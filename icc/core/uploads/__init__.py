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

from icc.core.uploads.delimited import check_csv
from icc.core.uploads.documents import DOCUMENT_TYPES, check_document
from icc.core.uploads.limits import CSV_FILE, DOCUMENT, MB, WORKBOOK, Limits, UploadRefused, check_size
from icc.core.uploads.workbooks import check_workbook

__all__ = [
    "CSV_FILE",
    "DOCUMENT",
    "DOCUMENT_TYPES",
    "MB",
    "WORKBOOK",
    "Limits",
    "UploadRefused",
    "check_csv",
    "check_document",
    "check_size",
    "check_workbook",
]
