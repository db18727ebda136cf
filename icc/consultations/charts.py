"""Bar charts drawn on the server: SVG with a title and a description for assistive
technology, styled by classes (no inline styles), and always printed beside a table of
the same figures."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 420
ROW = 40
LABEL_CHARS = 58
BAR_WIDTH = 300


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    shown: str
    language: str = ""


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1].rstrip() + "…"


def bars(*, ident: str, title: str, description: str, rows: list[Bar], maximum: float | None = None) -> SafeString:
    """One bar per row, its label above it and its figure after it."""
    top = max([r.value for r in rows] + [maximum or 0]) or 1
    height = ROW * len(rows) + 8
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" role="img" class="bars" '
        f'aria-labelledby="{ident}-title {ident}-desc">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(description)}</desc>',
    ]
    for index, row in enumerate(rows):
        y = index * ROW
        width = round(BAR_WIDTH * max(row.value, 0) / top, 1)
        lang = f' lang="{escape(row.language)}"' if row.language else ""
        parts.append(f'<text x="0" y="{y + 14}" class="bar-label"{lang}>{escape(_short(row.label))}</text>')
        parts.append(f'<rect x="0" y="{y + 20}" width="{BAR_WIDTH}" height="14" class="track"/>')
        if width > 0:
            parts.append(f'<rect x="0" y="{y + 20}" width="{width}" height="14" class="bar"/>')
        parts.append(f'<text x="{BAR_WIDTH + 8}" y="{y + 32}" class="bar-value">{escape(row.shown)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
