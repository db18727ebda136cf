"""Stacked bar charts for the dashboard, drawn on the server as SVG.

Pure functions: they take words and figures already put in the reader's language and
return markup, every text escaped here. Each chart carries a title and a description, a
legend, each series' name in every segment's tooltip and the row's figures written out
under its bar; hatched series are told apart by their pattern as well as their colour.
The page prints the same figures in a table beside the chart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

WIDTH = 400
BAR = 16
ROW = 58
LEGEND_ROW = 20
LABEL_CHARS = 60


@dataclass(frozen=True)
class Series:
    label: str
    css: str
    hatched: bool = False


@dataclass(frozen=True)
class Row:
    label: str
    values: Sequence[int]
    # The row's figures in words ("8 on schedule · 3 behind"), printed under the bar.
    note: str


def _short(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1].rstrip() + "…"


def _legend(ident: str, series: Sequence[Series]) -> tuple[list[str], int]:
    parts = []
    for index, item in enumerate(series):
        y = index * LEGEND_ROW
        parts.append(f'<rect x="0" y="{y + 3}" width="14" height="14" class="seg {escape(item.css)}"/>')
        if item.hatched:
            parts.append(f'<rect x="0" y="{y + 3}" width="14" height="14" fill="url(#{ident}-hatch)"/>')
        parts.append(f'<text x="20" y="{y + 15}" class="legend">{escape(item.label)}</text>')
    return parts, len(series) * LEGEND_ROW + 8


def stacked_bars(
    *, ident: str, title: str, description: str, series: Sequence[Series], rows: Sequence[Row], scale: int | None = None
) -> str:
    """One bar per row, its segments the row's values in the order of ``series``.

    Bars share one scale: the largest row total, or ``scale`` when given.
    """
    top = max([sum(row.values) for row in rows] + [scale or 0]) or 1
    legend, legend_height = _legend(ident, series)
    height = legend_height + ROW * len(rows) + 4
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" role="img" class="dash-chart"'
        f' aria-labelledby="{ident}-title {ident}-desc">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(description)}</desc>',
        f'<defs><pattern id="{ident}-hatch" width="6" height="6" patternUnits="userSpaceOnUse"'
        ' patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="6" class="hatch"/></pattern></defs>',
        *legend,
    ]
    for index, row in enumerate(rows):
        y = legend_height + index * ROW
        parts.append(f'<text x="0" y="{y + 14}" class="bar-label">{escape(_short(row.label))}</text>')
        parts.append(f'<rect x="0" y="{y + 20}" width="{WIDTH}" height="{BAR}" class="track"/>')
        x = 0.0
        for item, value in zip(series, row.values, strict=True):
            if value <= 0:
                continue
            width = WIDTH * value / top
            tip = f"<title>{escape(row.label)}: {escape(item.label)} {value}</title>"
            parts.append(
                f'<rect x="{x:.1f}" y="{y + 20}" width="{width:.1f}" height="{BAR}" class="seg {escape(item.css)}">'
                f"{tip}</rect>"
            )
            if item.hatched:
                parts.append(
                    f'<rect x="{x:.1f}" y="{y + 20}" width="{width:.1f}" height="{BAR}" fill="url(#{ident}-hatch)">'
                    f"{tip}</rect>"
                )
            x += width
        parts.append(f'<text x="0" y="{y + 50}" class="bar-note">{escape(row.note)}</text>')
    parts.append("</svg>")
    return "".join(parts)
