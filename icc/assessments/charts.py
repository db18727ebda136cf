"""Server-rendered SVG charts: no JavaScript, readable by assistive technology with the
data table printed beside them, and reusable in PDF reports."""

from __future__ import annotations

import math
from dataclasses import dataclass
from xml.sax.saxutils import escape


@dataclass(frozen=True)
class Series:
    name: str
    values: list[float | None]
    css_class: str


def radar(*, axes: list[str], series: list[Series], maximum: float = 5, size: int = 420, title: str = "") -> str:
    """A radar (spider) chart; a missing value is drawn at the centre."""
    centre, radius = size / 2, size / 2 - 70
    margin = 110  # room for the axis labels left and right
    count = len(axes)

    def point(index: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * index / count
        distance = radius * value / maximum
        return centre + distance * math.cos(angle), centre + distance * math.sin(angle)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="-{margin} 0 {size + 2 * margin} {size}" role="img" '
        f'aria-label="{escape(title)}" class="chart radar">',
        f"<title>{escape(title)}</title>",
    ]
    for level in range(1, int(maximum) + 1):
        ring = " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(i, level) for i in range(count)))
        parts.append(f'<polygon points="{ring}" class="grid"/>')
    for index, label in enumerate(axes):
        x, y = point(index, maximum)
        lx, ly = point(index, maximum * 1.12)
        anchor = "middle" if abs(lx - centre) < 10 else ("start" if lx > centre else "end")
        parts.append(f'<line x1="{centre}" y1="{centre}" x2="{x:.1f}" y2="{y:.1f}" class="axis"/>')
        short = label if len(label) <= 30 else label[:28] + "…"
        parts.append(f'<text x="{lx:.1f}" y="{ly:.1f}" text-anchor="{anchor}" class="label">{escape(short)}</text>')
    for item in series:
        outline = " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(i, v or 0) for i, v in enumerate(item.values)))
        parts.append(f'<polygon points="{outline}" class="series {escape(item.css_class)}"/>')
    legend_y = size - 20
    for index, item in enumerate(series):
        x = 20 + index * 180
        parts.append(
            f'<rect x="{x}" y="{legend_y - 10}" width="14" height="14" class="series {escape(item.css_class)}"/>'
        )
        parts.append(f'<text x="{x + 20}" y="{legend_y + 2}" class="label">{escape(item.name)}</text>')
    parts.append("</svg>")
    return "".join(parts)
