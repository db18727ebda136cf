"""A map of a programme's cities, drawn on the server as SVG.

Pure functions, no database: the caller turns its cities into ``MapPoint`` objects and puts
the markup in the page. Every text that goes in is escaped here. The country outlines ship
with the project (``geo/europe-countries.json``, from Natural Earth, public domain; see
``geo/README.md``), so nothing is fetched when a page is drawn.

The projection is Lambert's azimuthal equal-area centred on 10°E 52°N, the one of the EU's
statistical maps (ETRS89-LAEA), worked on a sphere; areas keep their true proportions.
The frame reaches from Iceland and Portugal to eastern Türkiye and from the North Cape to
the south of Israel. A point outside it (the Canary Islands, the Azores, another
continent) is not drawn: ``outside_map`` lists those points, so that the page can name
them beside the map rather than put them somewhere they are not.

The SVG scales to any width (a ``viewBox`` whose unit is one kilometre of the projection);
its look comes from the stylesheet through these class names: ``map`` (the svg element),
``map-sea``, ``map-countries`` (group), ``map-country``, ``map-country-highlight``,
``map-cities`` (group), ``map-link`` (an ``<a>`` around a city with an address),
``map-city`` and ``map-city-<kind>``. Strokes do not scale with the map, so stroke widths
in the stylesheet are in pixels.
"""

from __future__ import annotations

import functools
import itertools
import json
import math
import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path

from django.utils.safestring import SafeString, mark_safe

GEO_FILE = Path(__file__).resolve().parent / "geo" / "europe-countries.json"

EARTH_RADIUS_KM = 6371.0
CENTRE_LONGITUDE, CENTRE_LATITUDE = 10.0, 52.0
# The frame drawn, in kilometres of the projection: west, south, east, north.
FRAME = (-1800, -2150, 3000, 2250)
FRAME_WIDTH = FRAME[2] - FRAME[0]
FRAME_HEIGHT = FRAME[3] - FRAME[1]
# Outlines are cut this far outside the frame, so that the cut edges never show.
MARGIN_KM = 100
DOT_RADIUS_PX = 5
MIN_WIDTH, MAX_WIDTH = 120, 4000

XY = tuple[float, float]
_KIND = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}")
_ID = re.compile(r"[a-z][a-z0-9-]{0,39}")
_SIN_CENTRE = math.sin(math.radians(CENTRE_LATITUDE))
_COS_CENTRE = math.cos(math.radians(CENTRE_LATITUDE))


@dataclass(frozen=True)
class MapPoint:
    """A place on the map: ``label`` says more in words (a status), ``kind`` becomes a class name."""

    name: str
    latitude: float
    longitude: float
    href: str | None = None
    label: str | None = None
    kind: str = ""

    def __post_init__(self) -> None:
        if not (math.isfinite(self.latitude) and -90 <= self.latitude <= 90):
            raise ValueError(f"latitude {self.latitude!r} is not between -90 and 90")
        if not (math.isfinite(self.longitude) and -180 <= self.longitude <= 180):
            raise ValueError(f"longitude {self.longitude!r} is not between -180 and 180")
        if self.kind and not _KIND.fullmatch(self.kind):
            raise ValueError(f"kind {self.kind!r} is not a class name (lower-case letters, digits, - and _)")
        if self.href is not None and not _safe_href(self.href):
            raise ValueError(f"href {self.href!r} is neither a path on this site nor an http(s) address")


def _safe_href(href: str) -> bool:
    """A path, query or fragment of this site, or an http(s) address; never javascript: or data:."""
    if not href or any(ch <= " " or ch == "\x7f" for ch in href):
        return False
    return href[0] in "/?#" or href.startswith(("https://", "http://"))


def _laea(longitude: float, latitude: float) -> XY | None:
    """Kilometres east and north of the centre; None for the one point it cannot show (the antipode)."""
    lam = math.radians(longitude - CENTRE_LONGITUDE)
    phi = math.radians(latitude)
    sin_phi, cos_phi, cos_lam = math.sin(phi), math.cos(phi), math.cos(lam)
    denominator = 1 + _SIN_CENTRE * sin_phi + _COS_CENTRE * cos_phi * cos_lam
    if denominator < 1e-12:
        return None
    k = EARTH_RADIUS_KM * math.sqrt(2 / denominator)
    return k * cos_phi * math.sin(lam), k * (_COS_CENTRE * sin_phi - _SIN_CENTRE * cos_phi * cos_lam)


def _to_frame(longitude: float, latitude: float) -> XY | None:
    """SVG coordinates: kilometres right of and below the frame's top-left corner."""
    xy = _laea(longitude, latitude)
    if xy is None:
        return None
    return xy[0] - FRAME[0], FRAME[3] - xy[1]


def project(latitude: float, longitude: float) -> XY | None:
    """Where a place is drawn, in the map's own units; None when it falls outside the frame."""
    xy = _to_frame(float(longitude), float(latitude))
    if xy is None or not (0 <= xy[0] <= FRAME_WIDTH and 0 <= xy[1] <= FRAME_HEIGHT):
        return None
    return xy


def outside_map(points: Iterable[MapPoint]) -> list[MapPoint]:
    """The points ``cities_map`` leaves out because they fall outside the frame, in their order."""
    return [p for p in points if project(p.latitude, p.longitude) is None]


# Country outlines -----------------------------------------------------------------------------


def _decode(numbers: list[int]) -> list[XY]:
    """A ring stored as hundredths of a degree, a first point then steps, back into lon/lat."""
    ring = []
    lon = lat = 0
    for index in range(0, len(numbers) - 1, 2):
        lon += numbers[index]
        lat += numbers[index + 1]
        ring.append((lon / 100, lat / 100))
    return ring


def _clip(ring: list[XY], low_x: float, low_y: float, high_x: float, high_y: float) -> list[XY]:
    """Sutherland–Hodgman clipping of a ring against a rectangle."""
    out = ring
    for axis, bound, keep_above in ((0, low_x, True), (0, high_x, False), (1, low_y, True), (1, high_y, False)):
        if not out:
            break
        current, out = out, []
        for index, point in enumerate(current):
            previous = current[index - 1]
            point_in = point[axis] >= bound if keep_above else point[axis] <= bound
            previous_in = previous[axis] >= bound if keep_above else previous[axis] <= bound
            if point_in != previous_in:
                t = (bound - previous[axis]) / (point[axis] - previous[axis])
                other = previous[1 - axis] + t * (point[1 - axis] - previous[1 - axis])
                out.append((bound, other) if axis == 0 else (other, bound))
            if point_in:
                out.append(point)
    return out


def _numbers(values: Iterable[int]) -> str:
    """Whole numbers for path data, a space only where no minus sign separates them."""
    text: list[str] = []
    for value in values:
        text.append(f" {value}" if text and value >= 0 else str(value))
    return "".join(text)


def _ring_path(ring: list[XY]) -> str:
    """A closed ring as path data: a move to its first point, then relative steps in whole kilometres."""
    points: list[tuple[int, int]] = []
    for x, y in ring:
        point = (round(x), round(y))
        if not points or points[-1] != point:
            points.append(point)
    while len(points) > 1 and points[0] == points[-1]:
        points.pop()
    if len(points) < 3:
        return ""
    steps = [v for (ax, ay), (bx, by) in itertools.pairwise(points) for v in (bx - ax, by - ay)]
    return f"M{_numbers(points[0])}l{_numbers(steps)}z"


@functools.cache
def country_paths() -> dict[str, str]:
    """Path data per ISO 3166 country code, projected and cut to the frame once per process."""
    data = json.loads(GEO_FILE.read_text(encoding="utf-8"))
    paths: dict[str, str] = {}
    for country in data["countries"]:
        parts = []
        for numbers in country["rings"]:
            projected = [xy for lon, lat in _decode(numbers) if (xy := _to_frame(lon, lat)) is not None]
            xs, ys = [x for x, _y in projected], [y for _x, y in projected]
            if not projected or max(xs) < 0 or min(xs) > FRAME_WIDTH or max(ys) < 0 or min(ys) > FRAME_HEIGHT:
                continue
            clipped = _clip(projected, -MARGIN_KM, -MARGIN_KM, FRAME_WIDTH + MARGIN_KM, FRAME_HEIGHT + MARGIN_KM)
            if path := _ring_path(clipped):
                parts.append(path)
        if parts:
            paths[country["code"]] = "".join(parts)
    return paths


@functools.lru_cache(maxsize=64)
def _countries_markup(highlight: frozenset[str]) -> str:
    elements = []
    for code, d in country_paths().items():
        css = "map-country map-country-highlight" if code in highlight else "map-country"
        elements.append(f'<path class="{css}" d="{d}" fill-rule="evenodd" vector-effect="non-scaling-stroke"/>')
    return f'<g class="map-countries" aria-hidden="true">{"".join(elements)}</g>'


# The map ------------------------------------------------------------------------------------


def _city(point: MapPoint, x: float, y: float, radius: str) -> str:
    css = f"map-city map-city-{point.kind}" if point.kind else "map-city"
    name = f"{point.name} ({point.label})" if point.label else point.name
    title = f"<title>{escape(name)}</title>"
    circle = f'<circle class="{css}" cx="{round(x)}" cy="{round(y)}" r="{radius}" vector-effect="non-scaling-stroke"'
    if point.href is None:
        return f"{circle}>{title}</circle>"
    return f'<a class="map-link" href="{escape(point.href)}">{title}{circle}/></a>'


def cities_map(
    points: Sequence[MapPoint],
    *,
    title: str,
    description: str,
    width: int = 720,
    highlight: Collection[str] = (),
    id_prefix: str = "map",
) -> SafeString:
    """The SVG of the country outlines with a dot per point inside the frame, later points on top.

    ``width`` is the width in pixels the map is meant for: it sets the svg's intrinsic size
    and the dots' size (5 px at that width); the stylesheet may still stretch the map.
    ``highlight`` gives ISO 3166 alpha-2 codes of countries drawn with ``map-country-highlight``.
    ``id_prefix`` keeps the ids of the title and description unique when a page holds two maps.
    The same arguments always give the same bytes.
    """
    if not MIN_WIDTH <= width <= MAX_WIDTH:
        raise ValueError(f"width {width} is not between {MIN_WIDTH} and {MAX_WIDTH}")
    if not _ID.fullmatch(id_prefix):
        raise ValueError(f"id_prefix {id_prefix!r} is not an id (lower-case letters, digits and -)")
    height = round(width * FRAME_HEIGHT / FRAME_WIDTH)
    radius = f"{DOT_RADIUS_PX * FRAME_WIDTH / width:.1f}"
    cities = []
    linked = False
    for point in points:
        xy = project(point.latitude, point.longitude)
        if xy is not None:
            cities.append(_city(point, xy[0], xy[1], radius))
            linked = linked or point.href is not None
    # A map whose dots are links is a group, so that the links stay reachable: an img's content is hidden.
    role = "group" if linked else "img"
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="map" viewBox="0 0 {FRAME_WIDTH} {FRAME_HEIGHT}"'
        f' width="{width}" height="{height}" role="{role}"'
        f' aria-labelledby="{id_prefix}-title" aria-describedby="{id_prefix}-desc">'
        f'<title id="{id_prefix}-title">{escape(title)}</title>'
        f'<desc id="{id_prefix}-desc">{escape(description)}</desc>'
        f'<rect class="map-sea" width="{FRAME_WIDTH}" height="{FRAME_HEIGHT}"/>'
        f"{_countries_markup(frozenset(c.upper() for c in highlight))}"
        f'<g class="map-cities">{"".join(cities)}</g>'
        "</svg>"
    )
    return mark_safe(svg)  # noqa: S308 - every text that went in was escaped above
