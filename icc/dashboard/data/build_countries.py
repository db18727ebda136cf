"""Build countries.json, the country outlines the dashboard's map draws, from Natural Earth.

    python icc/dashboard/data/build_countries.py ne_110m_admin_0_countries.geojson

Reads Natural Earth's 1:110m admin-0 countries (GeoJSON), projects every ring once to
Mercator in tenths of a degree (x = longitude, y = the Mercator ordinate in degrees,
north up, so y grows southwards as in SVG), simplifies it (Douglas–Peucker, 0.15°), drops
rings that shrink to less than a triangle, and writes one SVG path per country with its
bounding box. The map then only has to pick the countries inside its frame and project the
cities with :func:`icc.dashboard.geo.project`, the same formula as here.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

SCALE = 10  # units per degree
TOLERANCE = 1.5  # in units: 0.15°
MAX_LATITUDE = 84.0
OUT = Path(__file__).with_name("countries.json")


def project(longitude: float, latitude: float) -> tuple[int, int]:
    latitude = max(-MAX_LATITUDE, min(MAX_LATITUDE, latitude))
    y = math.degrees(math.log(math.tan(math.pi / 4 + math.radians(latitude) / 2)))
    return round(longitude * SCALE), round(-y * SCALE)


def _distance(p: tuple[int, int], a: tuple[int, int], b: tuple[int, int]) -> float:
    (x, y), (x1, y1), (x2, y2) = p, a, b
    dx, dy = x2 - x1, y2 - y1
    if dx == dy == 0:
        return math.hypot(x - x1, y - y1)
    t = max(0.0, min(1.0, ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy)))
    return math.hypot(x - (x1 + t * dx), y - (y1 + t * dy))


def simplify(points: list[tuple[int, int]], tolerance: float) -> list[tuple[int, int]]:
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        index, worst = -1, tolerance
        for i in range(first + 1, last):
            d = _distance(points[i], points[first], points[last])
            if d > worst:
                index, worst = i, d
        if index >= 0:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def ring_path(ring: list[list[float]]) -> tuple[str, list[tuple[int, int]]] | None:
    projected: list[tuple[int, int]] = []
    for longitude, latitude in ring:
        point = project(longitude, latitude)
        if not projected or projected[-1] != point:
            projected.append(point)
    points = simplify(projected, TOLERANCE)
    if len(points) < 4:  # closed: first == last, so three corners at least
        return None
    head, *rest = points[:-1] if points[0] == points[-1] else points
    path = (
        f"M{head[0]} {head[1]}"
        + "".join(f"l{x - px} {y - py}" for (px, py), (x, y) in zip(points, rest, strict=False))
        + "z"
    )
    return path, points


def alpha_2(props: dict) -> str:
    """The ISO 3166 alpha-2 code the cities use; Natural Earth leaves some as -99 (France, Norway)."""
    if len(props["ISO_A2"]) == 2 and props["ISO_A2"].isalpha():
        return props["ISO_A2"]
    import pycountry

    country = pycountry.countries.get(alpha_3=props["ADM0_A3"])
    return country.alpha_2 if country else props["ADM0_A3"]


def build(source: Path) -> dict:
    collection = json.loads(source.read_text(encoding="utf-8"))
    countries = []
    for feature in collection["features"]:
        props, geometry = feature["properties"], feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        paths, xs, ys = [], [], []
        for polygon in polygons:
            for ring in polygon:
                built = ring_path(ring)
                if built is None:
                    continue
                paths.append(built[0])
                xs += [p[0] for p in built[1]]
                ys += [p[1] for p in built[1]]
        if paths:
            countries.append(
                {
                    "code": alpha_2(props),
                    "name": props["NAME"],
                    "box": [min(xs), min(ys), max(xs), max(ys)],
                    "d": "".join(paths),
                }
            )
    return {
        "source": "Natural Earth 1:110m Cultural Vectors, Admin 0 – Countries (public domain)",
        "projection": "mercator",
        "scale": SCALE,
        "countries": countries,
    }


if __name__ == "__main__":
    data = build(Path(sys.argv[1]))
    OUT.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{len(data['countries'])} countries, {OUT.stat().st_size:,} bytes")
