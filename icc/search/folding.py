"""Letters with diacritics folded to their base letter, the way SQLite's full-text index
folds them (``unicode61 remove_diacritics 2``), so that "energie" finds "énergie" and
"Krakow" finds "Kraków" on PostgreSQL too, without a database extension.

The table covers the Latin letters that Unicode decomposes into a base letter and
combining marks, the ones SQLite folds: Greek and Cyrillic letters keep their marks on
both databases, and so do letters that do not decompose (ł, ø, đ). PostgreSQL's
stored word columns apply it with ``translate()`` (see migration ``search.0005``), and the
words of a query go through :func:`fold` before they reach ``to_tsquery``.
"""

from __future__ import annotations

import unicodedata

_BLOCKS = ((0x00C0, 0x024F), (0x1E00, 0x1EFF))  # Latin-1 Supplement, Extended-A and -B, Additional
# Letters whose base is itself a letter with a mark or a ligature, which SQLite keeps.
_SQLITE_KEEPS = frozenset("ǠǡǢǣǮǯǼǽǾǿ")


def _pairs() -> list[tuple[str, str]]:
    pairs = []
    for start, end in _BLOCKS:
        for code in range(start, end + 1):
            char = chr(code)
            decomposed = unicodedata.normalize("NFD", char)
            base, marks = decomposed[0], decomposed[1:]
            if (
                char not in _SQLITE_KEEPS
                and marks
                and base != char
                and all(unicodedata.combining(m) for m in marks)
                and base.isalpha()
            ):
                pairs.append((char, base))
    return pairs


FOLDED_FROM = "".join(char for char, _base in _pairs())
FOLDED_TO = "".join(base for _char, base in _pairs())
_TABLE = str.maketrans(FOLDED_FROM, FOLDED_TO)


def fold(text: str) -> str:
    """``text`` with each letter of the table replaced by its base letter."""
    return text.translate(_TABLE)
