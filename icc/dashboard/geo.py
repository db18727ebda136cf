"""The map of the edition's cities: country outlines from Natural Earth, drawn on the server.

``data/countries.json`` holds every country already projected (Mercator, tenths of a
degree, y growing southwards as in SVG; see ``data/build_countries.py``). A map is the
frame around the cities' own projected points, in those same units, so the outlines are
drawn as stored and only the cities are projected here. Nothing is fetched at run time.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from html import escape
from pathlib import Path
from typing import Any

DATA = Path(__file__).with_name("data") / "countries.json"
SCALE = 10
MAX_LATITUDE = 84.0
# The frame is never narrower than this (in degrees of longitude), so that three cities
# of one country still show the country around them.
MIN_SPAN = 12 * SCALE
MARGIN = 0.08


@cache
def countries() -> list[dict[str, Any]]:
    return list(json.loads(DATA.read_text(encoding="utf-8"))["countries"])


def project(longitude: float, latitude: float) -> tuple[float, float]:
    """Mercator, as ``data/build_countries.py`` projected the outlines."""
    latitude = max(-MAX_LATITUDE, min(MAX_LATITUDE, latitude))
    y = math.degrees(math.log(math.tan(math.pi / 4 + math.radians(latitude) / 2)))
    return longitude * SCALE, -y * SCALE


@dataclass(frozen=True)
class Point:
    number: int
    name: str
    longitude: float
    latitude: float
    # A class naming what the point's shape and colour show, and the shape itself:
    # "circle", "triangle" or "square".
    css: str
    shape: str
    tip: str


@dataclass(frozen=True)
class Frame:
    x: float
    y: float
    width: float
    height: float


def frame(points: Sequence[tuple[float, float]]) -> Frame:
    """The projected box around ``points`` with a margin, between 1:2 and 5:4 high to wide."""
    xs = [p[0] for p in points] or [0.0]
    ys = [p[1] for p in points] or [-500.0]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    width = max(x1 - x0, MIN_SPAN)
    height = max(y1 - y0, width / 2)
    if height > width * 1.25:
        width = height / 1.25
    width, height = width * (1 + 2 * MARGIN), height * (1 + 2 * MARGIN)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    return Frame(cx - width / 2, cy - height / 2, width, height)


def _overlaps(box: Frame, country: dict[str, Any]) -> bool:
    left, top, right, bottom = country["box"]
    return left <= box.x + box.width and right >= box.x and top <= box.y + box.height and bottom >= box.y


def _marker(shape: str, x: float, y: float, r: float, css: str, tip: str) -> str:
    title = f"<title>{escape(tip)}</title>"
    if shape == "triangle":
        h = r * 1.2
        return (
            f'<path class="city {css}" d="M{x:.1f} {y - h:.1f}L{x + h:.1f} {y + h * 0.8:.1f}'
            f'L{x - h:.1f} {y + h * 0.8:.1f}Z">{title}</path>'
        )
    if shape == "square":
        return (
            f'<rect class="city {css}" x="{x - r:.1f}" y="{y - r:.1f}" width="{2 * r:.1f}" height="{2 * r:.1f}">'
            f"{title}</rect>"
        )
    return f'<circle class="city {css}" cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}">{title}</circle>'


def map_svg(*, ident: str, title: str, description: str, points: Sequence[Point], highlight: set[str]) -> str:
    """The countries in the frame around ``points`` (those in ``highlight`` shaded darker),
    each point a marker with its number, and its name where it does not overlap another."""
    projected = [(point, *project(point.longitude, point.latitude)) for point in points]
    box = frame([(x, y) for _p, x, y in projected])
    unit = box.width / 400  # one pixel of a 400-pixel-wide map
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{box.x:.1f} {box.y:.1f} {box.width:.1f} {box.height:.1f}"'
        f' role="img" class="dash-map" aria-labelledby="{ident}-title {ident}-desc"'
        f' font-size="{9 * unit:.2f}">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(description)}</desc>',
        f'<rect class="sea" x="{box.x:.1f}" y="{box.y:.1f}" width="{box.width:.1f}" height="{box.height:.1f}"/>',
    ]
    for country in countries():
        if _overlaps(box, country):
            css = "land member" if country["code"] in highlight else "land"
            parts.append(f'<path class="{css}" d="{country["d"]}"><title>{escape(country["name"])}</title></path>')
    radius = 3.2 * unit
    placed: list[tuple[float, float, float, float]] = []
    labels = []
    for point, x, y in sorted(projected, key=lambda item: item[0].number):
        parts.append(_marker(point.shape, x, y, radius, escape(point.css), point.tip))
        text = f"{point.number} {point.name}"
        width, height = len(text) * 5.2 * unit, 10 * unit
        left, top = x + radius + unit, y - height / 2
        label_box = (left, top, left + width, top + height)
        fits = left + width <= box.x + box.width and not any(
            label_box[0] < b[2] and label_box[2] > b[0] and label_box[1] < b[3] and label_box[3] > b[1] for b in placed
        )
        shown = text if fits else str(point.number)
        if not fits:
            width = len(shown) * 5.2 * unit
            label_box = (left, top, left + width, top + height)
        placed.append(label_box)
        labels.append(f'<text class="city-label" x="{left:.1f}" y="{y + 3 * unit:.1f}">{escape(shown)}</text>')
    parts += labels
    parts.append("</svg>")
    return "".join(parts)
