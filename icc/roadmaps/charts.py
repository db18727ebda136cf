"""Server-rendered SVG: a KPI's time series with its target, and the roadmap timeline.

Pure functions returning markup; every text that goes in is escaped here. Each chart
carries a title and a description, and the pages show the same figures as a table or a
list beside it, so the chart is never the only way to read them.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from django.utils.formats import date_format

from icc.core.formatting import format_number

WIDTH = 720
GANTT_WIDTH = 960


def _days(a: dt.date, b: dt.date) -> int:
    return (b - a).days


def _fmt(value: float) -> str:
    """A value as the reader's language writes it, up to four decimals (7.8, not 7.8000)."""
    return format_number(value, 4)


def _day(value: dt.date) -> str:
    """A day as the reader's language writes it (1 Dec 2026 in English)."""
    return escape(date_format(value, "DATE_FORMAT"))


def _month(value: dt.date) -> str:
    return escape(date_format(value, "YEAR_MONTH_FORMAT"))


def kpi_chart(
    *,
    title: str,
    points: Sequence[tuple[dt.date, float]],
    baseline: tuple[dt.date, float],
    target: tuple[dt.date, float],
    labels: dict[str, str],
    height: int = 260,
    ident: str = "kc",
) -> str:
    """A line of measurements, a dashed target line and the path from baseline to target.

    ``labels`` gives the translated words "target", "baseline", "path" and "measured";
    ``ident`` starts the ids of its title and description, unique where several charts
    share a document.
    """
    left, right, top, bottom = 70, 20, 20, 40
    start = min([baseline[0], *(d for d, _v in points)])
    end = max([target[0], *(d for d, _v in points)])
    span = max(_days(start, end), 1)
    values = [baseline[1], target[1], *(v for _d, v in points)]
    low, high = min(values), max(values)
    if low == high:
        low, high = low - 1, high + 1
    ticks = nice_ticks(low, high)
    low, high = min(ticks[0], low), max(ticks[-1], high)

    def x(day: dt.date) -> float:
        return left + (WIDTH - left - right) * _days(start, day) / span

    def y(value: float) -> float:
        return top + (height - top - bottom) * (1 - (value - low) / (high - low))

    parts = [
        f'<svg class="plot" viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="{ident}-t {ident}-d"'
        ' xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{ident}-t">{escape(title)}</title>',
        f'<desc id="{ident}-d">{escape(labels["baseline"])} {_fmt(baseline[1])} ({_day(baseline[0])}); '
        f"{escape(labels['target'])} {_fmt(target[1])} ({_day(target[0])}); "
        f"{escape(labels['measured'])}: {len(points)}</desc>",
    ]
    for value in ticks:
        parts.append(
            f'<line class="grid" x1="{left}" x2="{WIDTH - right}" y1="{y(value):.1f}" y2="{y(value):.1f}"/>'
            f'<text class="axis" x="{left - 6}" y="{y(value) + 4:.1f}" text-anchor="end">{_fmt(value)}</text>'
        )
    parts.append(
        f'<text class="axis" x="{left}" y="{height - 12}">{_day(start)}</text>'
        f'<text class="axis" x="{WIDTH - right}" y="{height - 12}" text-anchor="end">{_day(end)}</text>'
    )
    parts.append(
        f'<line class="target" x1="{left}" x2="{WIDTH - right}" y1="{y(target[1]):.1f}" y2="{y(target[1]):.1f}"/>'
        f'<text class="target-label" x="{WIDTH - right}" y="{y(target[1]) - 6:.1f}" text-anchor="end">'
        f"{escape(labels['target'])} {_fmt(target[1])}</text>"
    )
    parts.append(
        f'<line class="path" x1="{x(baseline[0]):.1f}" y1="{y(baseline[1]):.1f}"'
        f' x2="{x(target[0]):.1f}" y2="{y(target[1]):.1f}"><title>{escape(labels["path"])}</title></line>'
    )
    series = [baseline, *points]
    path = " ".join(f"{x(d):.1f},{y(v):.1f}" for d, v in series)
    parts.append(f'<polyline class="series" points="{path}"/>')
    for day, value in series:
        parts.append(
            f'<circle class="point" cx="{x(day):.1f}" cy="{y(value):.1f}" r="3">'
            f"<title>{_day(day)}: {_fmt(value)}</title></circle>"
        )
    parts.append("</svg>")
    return "".join(parts)


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round axis values (multiples of 1, 2 or 5 × a power of ten) spanning ``low``–``high``."""
    raw = (high - low) / max(count - 1, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.floor(low / step) * step
    ticks = []
    value = first
    while value < high + step / 2:
        ticks.append(round(value, 10))
        value += step
    return ticks


@dataclass(frozen=True)
class Bar:
    label: str
    starts_on: dt.date
    ends_on: dt.date
    css: str
    group: str = ""


@dataclass(frozen=True)
class Band:
    label: str
    starts_on: dt.date
    ends_on: dt.date


def gantt(*, title: str, bars: Sequence[Bar], bands: Sequence[Band], today: dt.date, row: int = 26) -> str:
    """A timeline with one row per bar, grouped under headings, over shaded cycle bands."""
    label_width, right, top = 260, 16, 34
    if not bars:
        return ""
    start = min([b.starts_on for b in bars] + [b.starts_on for b in bands])
    end = max([b.ends_on for b in bars] + [b.ends_on for b in bands])
    span = max(_days(start, end), 1)
    rows: list[Bar | str] = []
    group = None
    for bar in bars:
        if bar.group != group:
            group = bar.group
            rows.append(group)
        rows.append(bar)
    height = top + row * len(rows) + 10

    def x(day: dt.date) -> float:
        return label_width + (GANTT_WIDTH - label_width - right) * _days(start, day) / span

    parts = [
        f'<svg class="plot gantt" viewBox="0 0 {GANTT_WIDTH} {height}" role="img" aria-labelledby="g-t"'
        ' xmlns="http://www.w3.org/2000/svg">',
        f'<title id="g-t">{escape(title)}</title>',
    ]
    for index, band in enumerate(bands):
        x1, x2 = x(max(band.starts_on, start)), x(min(band.ends_on, end))
        parts.append(
            f'<rect class="band band-{index % 2}" x="{x1:.1f}" y="0" width="{max(x2 - x1, 1):.1f}" height="{height}"/>'
            f'<text class="axis" x="{(x1 + x2) / 2:.1f}" y="16" text-anchor="middle">{escape(band.label)}</text>'
        )
    month = dt.date(start.year, start.month, 1)
    while month <= end:
        if month >= start:
            parts.append(f'<line class="grid" x1="{x(month):.1f}" x2="{x(month):.1f}" y1="22" y2="{height}"/>')
            if month.month in (1, 7):
                parts.append(f'<text class="axis" x="{x(month) + 2:.1f}" y="30">{_month(month)}</text>')
        month = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    for index, item in enumerate(rows):
        y = top + index * row
        if isinstance(item, str):
            parts.append(f'<text class="group" x="4" y="{y + row - 9}">{escape(item[:48])}</text>')
            continue
        x1, x2 = x(item.starts_on), x(item.ends_on)
        label = escape(item.label if len(item.label) <= 38 else item.label[:37] + "…")
        tip = f"{escape(item.label)}: {_day(item.starts_on)} – {_day(item.ends_on)}"
        rect = (
            f'<rect class="bar {escape(item.css)}" x="{x1:.1f}" y="{y + 5}" width="{max(x2 - x1, 3):.1f}"'
            f' height="{row - 10}" rx="3"><title>{tip}</title></rect>'
        )
        text = f'<text class="bar-label" x="14" y="{y + row - 9}">{label}</text>'
        parts.append(text + rect)
    if start <= today <= end:
        parts.append(f'<line class="today" x1="{x(today):.1f}" x2="{x(today):.1f}" y1="22" y2="{height}"/>')
    parts.append("</svg>")
    return "".join(parts)
