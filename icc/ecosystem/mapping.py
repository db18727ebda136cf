"""The stakeholder map's arithmetic: where each organisation sits on the influence and
interest grid, and which sectors of the ecosystem are missing or only weakly committed.

No Django here: the view passes plain values in and words the codes that come out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape

LOW, HIGH = 1, 5
# The middle of the scale: above it an organisation counts as of high influence or interest.
MIDDLE = 3

MISSING, WEAK, COVERED = "missing", "weak", "covered"


@dataclass(frozen=True)
class Placed:
    """One organisation on the map: its number in the table beside the grid, and its scores."""

    number: int
    name: str
    influence: int
    interest: int
    champion: bool


@dataclass(frozen=True)
class Gap:
    sector: str
    status: str  # MISSING, WEAK or COVERED
    organisations: int
    committed: int


def quadrant(influence: int, interest: int) -> str:
    """The classic grid's advice, as a code: manage closely, keep satisfied, keep informed, monitor."""
    high_influence, high_interest = influence > MIDDLE, interest > MIDDLE
    if high_influence and high_interest:
        return "manage"
    if high_influence:
        return "satisfy"
    if high_interest:
        return "inform"
    return "monitor"


def gaps(sectors: Iterable[str], organisations: Iterable[tuple[str, str | None]], weak: frozenset[str]) -> list[Gap]:
    """Per sector: missing (no organisation), weak (none committed beyond ``weak``), or covered.

    ``organisations`` gives (sector, commitment) with ``None`` for one not assessed yet.
    """
    counts: dict[str, list[int]] = {}
    for sector, commitment in organisations:
        row = counts.setdefault(sector, [0, 0])
        row[0] += 1
        if commitment is not None and commitment not in weak:
            row[1] += 1
    result = []
    for sector in sectors:
        total, committed = counts.get(sector, [0, 0])
        status = MISSING if total == 0 else WEAK if committed == 0 else COVERED
        result.append(Gap(sector, status, total, committed))
    return result


SIZE = 420
MARGIN_LEFT, MARGIN_BOTTOM, MARGIN_TOP, MARGIN_RIGHT = 56, 48, 16, 16


def grid_svg(points: Sequence[Placed], *, words: dict[str, str]) -> str:
    """The influence (up) × interest (right) grid as SVG markup, every text escaped.

    ``words`` gives the translated "title", "desc", "influence", "interest", the four
    quadrant names ("manage", "satisfy", "inform", "monitor") and "champion". Each
    organisation is drawn as its table number, a circle, or a square for a champion (the
    shape, not the colour, tells them apart), several in one cell side by side.
    """
    plot = SIZE - MARGIN_LEFT - MARGIN_RIGHT
    height = SIZE - MARGIN_TOP - MARGIN_BOTTOM
    cell_w, cell_h = plot / HIGH, height / HIGH

    def x(interest: float) -> float:
        return MARGIN_LEFT + (interest - LOW + 0.5) * cell_w

    def y(influence: float) -> float:
        return MARGIN_TOP + (HIGH - influence + 0.5) * cell_h

    parts = [
        f'<svg class="chart stakeholder-grid" viewBox="0 0 {SIZE} {SIZE}" role="img" '
        'aria-labelledby="sg-t sg-d" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="sg-t">{escape(words["title"])}</title>',
        f'<desc id="sg-d">{escape(words["desc"])}</desc>',
    ]
    middle_x = MARGIN_LEFT + (MIDDLE - LOW + 1) * cell_w
    middle_y = MARGIN_TOP + (HIGH - MIDDLE) * cell_h
    for i in range(HIGH + 1):
        gx, gy = MARGIN_LEFT + i * cell_w, MARGIN_TOP + i * cell_h
        parts.append(f'<line class="grid" x1="{gx:.1f}" y1="{MARGIN_TOP}" x2="{gx:.1f}" y2="{MARGIN_TOP + height}"/>')
        parts.append(f'<line class="grid" x1="{MARGIN_LEFT}" y1="{gy:.1f}" x2="{MARGIN_LEFT + plot}" y2="{gy:.1f}"/>')
    parts.append(
        f'<line x1="{middle_x:.1f}" y1="{MARGIN_TOP}" x2="{middle_x:.1f}" y2="{MARGIN_TOP + height}" '
        'stroke="currentColor" stroke-width="2" stroke-dasharray="6 4"/>'
    )
    parts.append(
        f'<line x1="{MARGIN_LEFT}" y1="{middle_y:.1f}" x2="{MARGIN_LEFT + plot}" y2="{middle_y:.1f}" '
        'stroke="currentColor" stroke-width="2" stroke-dasharray="6 4"/>'
    )
    corners = {
        "satisfy": (MARGIN_LEFT + 4, MARGIN_TOP + 14, "start"),
        "manage": (MARGIN_LEFT + plot - 4, MARGIN_TOP + 14, "end"),
        "monitor": (MARGIN_LEFT + 4, MARGIN_TOP + height - 6, "start"),
        "inform": (MARGIN_LEFT + plot - 4, MARGIN_TOP + height - 6, "end"),
    }
    for key, (cx, cy, anchor) in corners.items():
        parts.append(
            f'<text class="label" x="{cx:.1f}" y="{cy:.1f}" text-anchor="{anchor}" font-style="italic">'
            f"{escape(words[key])}</text>"
        )
    for value in range(LOW, HIGH + 1):
        parts.append(
            f'<text class="label" x="{x(value):.1f}" y="{MARGIN_TOP + height + 16}" text-anchor="middle">{value}</text>'
        )
        parts.append(
            f'<text class="label" x="{MARGIN_LEFT - 8}" y="{y(value) + 4:.1f}" text-anchor="end">{value}</text>'
        )
    parts.append(
        f'<text class="label" x="{MARGIN_LEFT + plot / 2:.1f}" y="{SIZE - 8}" text-anchor="middle" '
        f'font-weight="700">{escape(words["interest"])} →</text>'
    )
    parts.append(
        f'<text class="label" x="14" y="{MARGIN_TOP + height / 2:.1f}" text-anchor="middle" font-weight="700" '
        f'transform="rotate(-90 14 {MARGIN_TOP + height / 2:.1f})">{escape(words["influence"])} →</text>'
    )
    cells: dict[tuple[int, int], list[Placed]] = {}
    for point in points:
        cells.setdefault((point.influence, point.interest), []).append(point)
    for (influence, interest), placed in cells.items():
        shown = placed[:6]
        per_row = 3
        for index, point in enumerate(shown):
            column, row = index % per_row, index // per_row
            columns = min(len(shown), per_row)
            px = x(interest) + (column - (columns - 1) / 2) * 22
            rows = (len(shown) + per_row - 1) // per_row
            py = y(influence) + (row - (rows - 1) / 2) * 22
            name = escape(point.name)
            if point.champion:
                shape = (
                    f'<rect x="{px - 10:.1f}" y="{py - 10:.1f}" width="20" height="20" fill="#fff" '
                    'stroke="#003d7a" stroke-width="2.5"/>'
                )
                label = f"{name} ({escape(words['champion'])})"
            else:
                shape = f'<circle cx="{px:.1f}" cy="{py:.1f}" r="10" fill="#fff" stroke="#003d7a" stroke-width="1.5"/>'
                label = name
            parts.append(
                f"<g><title>{point.number}. {label}</title>{shape}"
                f'<text class="label" x="{px:.1f}" y="{py + 4:.1f}" text-anchor="middle">{point.number}</text></g>'
            )
        if len(placed) > len(shown):
            parts.append(
                f'<text class="label" x="{x(interest) + cell_w / 2 - 3:.1f}" y="{y(influence) + cell_h / 2 - 3:.1f}" '
                f'text-anchor="end">+{len(placed) - len(shown)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)
