"""How long a text people write may be, so that every text field has a limit.

Model ``TextField``s take one of these as ``max_length``: model forms enforce it, and the
imports and the workbook check it before saving, on SQLite as on PostgreSQL.
"""

NOTE = 2_000  # a comment, a takeaway, a commitment, a reason
TEXT = 5_000  # a description, a need, an agenda
LONG_TEXT = 20_000  # minutes of a meeting, a strategy statement
