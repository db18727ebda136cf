"""Reduce Natural Earth's admin-0 countries to the compact outlines the cities map draws.

Run by hand when the outlines are to be rebuilt (nothing imports this module)::

    python icc/public/geo/reduce.py ne_50m_admin_0_countries.json icc/public/geo/europe-countries.json

The input is Natural Earth's 1:50m "Admin 0 – Countries" as GeoJSON. The steps, and why,
are in README.md next to this file. Only the standard library is used.
"""

from __future__ import annotations

import json
import math
import sys
from collections import defaultdict
from pathlib import Path

Point = tuple[float, float]
Ring = list[Point]

# Everything the map's frame can show, with room to spare (the frame itself is in maps.py).
BOX = (-40.0, 24.0, 80.0, 76.0)  # lon_min, lat_min, lon_max, lat_max
TOLERANCE = 0.02
PRECISION = 2  # decimals kept: 0.01° is about 1.1 km
MIN_AREA_KM2 = 20.0  # rings smaller than this are under a pixel at any width the map is drawn
KM_PER_DEGREE = 111.32

# Natural Earth leaves ISO_A2 empty ("-99") for these map units.
CODES = {"FRA": "FR", "NOR": "NO", "CYN": "CY"}
# Map units drawn as part of another country: Northern Cyprus is drawn as Cyprus.
MERGE_INTO = {"CYN": "CY"}
# Countries whose parts are joined where they touch (Crimea to Ukraine, the north of Cyprus to Cyprus).
MERGED = frozenset({"UA", "CY"})
# Crimea: the polygon of Natural Earth's Russia that holds this point is drawn as Ukraine.
CRIMEA = (34.10, 44.95)


def _ring_area(ring: Ring) -> float:
    """Signed area in square degrees (positive when anticlockwise)."""
    return sum(ax * by - bx * ay for (ax, ay), (bx, by) in zip(ring, ring[1:] + ring[:1], strict=True)) / 2


def _area_km2(ring: Ring) -> float:
    mid = math.radians(sum(lat for _lon, lat in ring) / len(ring))
    return abs(_ring_area(ring)) * KM_PER_DEGREE**2 * math.cos(mid)


def _contains(ring: Ring, point: Point) -> bool:
    x, y = point
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def _open(coordinates: list[list[float]]) -> Ring:
    ring = [(float(lon), float(lat)) for lon, lat, *_rest in coordinates]
    if len(ring) > 1 and ring[0] == ring[-1]:
        ring.pop()
    return ring


def _oriented(ring: Ring, anticlockwise: bool) -> Ring:
    return ring if (_ring_area(ring) > 0) == anticlockwise else ring[::-1]


def _polygons(geometry: dict) -> list[list[Ring]]:
    """Polygons as [exterior, *holes], exteriors anticlockwise and holes clockwise."""
    raw = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    return [[_oriented(_open(rings[0]), True), *(_oriented(_open(hole), False) for hole in rings[1:])] for rings in raw]


def _merge(exteriors: list[Ring]) -> list[Ring]:
    """Union of polygons that share stretches of border: shared edges cancel, the rest is walked into rings."""
    edges = {(a, b) for ring in exteriors for a, b in zip(ring, ring[1:] + ring[:1], strict=True)}
    kept = {(a, b) for a, b in edges if (b, a) not in edges}
    following: dict[Point, Point] = {}
    for a, b in sorted(kept):
        if a in following:
            raise ValueError(f"the merged outline touches itself at {a}")
        following[a] = b
    rings = []
    while following:
        start = min(following)
        ring = [start]
        point = following.pop(start)
        while point != start:
            ring.append(point)
            point = following.pop(point)
        rings.append(ring)
    return rings


def _clip(ring: Ring, box: tuple[float, float, float, float]) -> Ring:
    """Sutherland–Hodgman clipping of a ring against a lon/lat box."""
    lon_min, lat_min, lon_max, lat_max = box
    edges = [
        (lambda p: p[0] >= lon_min, 0, lon_min),
        (lambda p: p[0] <= lon_max, 0, lon_max),
        (lambda p: p[1] >= lat_min, 1, lat_min),
        (lambda p: p[1] <= lat_max, 1, lat_max),
    ]
    out = ring
    for inside, axis, value in edges:
        if not out:
            break
        current, out = out, []
        for index, point in enumerate(current):
            previous = current[index - 1]
            if inside(point):
                if not inside(previous):
                    out.append(_cut(previous, point, axis, value))
                out.append(point)
            elif inside(previous):
                out.append(_cut(previous, point, axis, value))
    return out


def _cut(a: Point, b: Point, axis: int, value: float) -> Point:
    t = (value - a[axis]) / (b[axis] - a[axis])
    other = 1 - axis
    cut = a[other] + t * (b[other] - a[other])
    return (value, cut) if axis == 0 else (cut, value)


def _douglas_peucker(chain: list[Point], tolerance: float) -> list[Point]:
    """Keep the ends and every point further than ``tolerance`` from the line the kept points make."""
    if len(chain) < 3:
        return list(chain)

    def flat(point: Point) -> Point:
        return point[0] * math.cos(math.radians(point[1])), point[1]

    xy = [flat(p) for p in chain]
    keep = [False] * len(chain)
    keep[0] = keep[-1] = True
    stack = [(0, len(chain) - 1)]
    while stack:
        first, last = stack.pop()
        (ax, ay), (bx, by) = xy[first], xy[last]
        length = math.hypot(bx - ax, by - ay)
        worst, worst_at = -1.0, -1
        for index in range(first + 1, last):
            px, py = xy[index]
            if length == 0:
                distance = math.hypot(px - ax, py - ay)
            else:
                distance = abs((bx - ax) * (ay - py) - (ax - px) * (by - ay)) / length
            if distance > worst:
                worst, worst_at = distance, index
        if worst > tolerance:
            keep[worst_at] = True
            stack += [(first, worst_at), (worst_at, last)]
    return [p for p, k in zip(chain, keep, strict=True) if k]


def _simplify_chain(chain: list[Point], tolerance: float) -> list[Point]:
    """The same chain gives the same points whichever way round it is walked, so shared borders stay shared."""
    if chain[0] > chain[-1]:
        return _douglas_peucker(chain[::-1], tolerance)[::-1]
    return _douglas_peucker(chain, tolerance)


def _simplify_loop(ring: Ring, tolerance: float) -> Ring:
    """A ring with no junction: start at its smallest point, walk towards the smaller neighbour."""
    start = ring.index(min(ring))
    rotated = ring[start:] + ring[:start]
    backwards = rotated[-1] < rotated[1]
    if backwards:
        rotated = [rotated[0], *rotated[:0:-1]]
    x0, y0 = rotated[0]
    far = max(range(len(rotated)), key=lambda i: (rotated[i][0] - x0) ** 2 + (rotated[i][1] - y0) ** 2)
    loop = [*rotated, rotated[0]]
    simplified = _douglas_peucker(loop[: far + 1], tolerance)[:-1] + _douglas_peucker(loop[far:], tolerance)[:-1]
    if backwards:
        simplified = [simplified[0], *simplified[:0:-1]]
    return simplified


def simplify(rings: list[Ring], tolerance: float) -> list[Ring]:
    """Douglas–Peucker on the arcs between junctions, so that neighbours keep one common border."""

    def edge(a: Point, b: Point) -> tuple[Point, Point]:
        return (a, b) if a < b else (b, a)

    users: dict[tuple[Point, Point], set[int]] = defaultdict(set)
    for number, ring in enumerate(rings):
        for a, b in zip(ring, ring[1:] + ring[:1], strict=True):
            users[edge(a, b)].add(number)
    out = []
    for ring in rings:
        n = len(ring)
        sets = [frozenset(users[edge(ring[i], ring[(i + 1) % n])]) for i in range(n)]
        breaks = [i for i in range(n) if sets[i] != sets[i - 1]]
        if not breaks:
            out.append(_simplify_loop(ring, tolerance))
            continue
        simplified: Ring = []
        for here, there in zip(breaks, [*breaks[1:], breaks[0] + n], strict=True):
            chain = [ring[i % n] for i in range(here, there + 1)]
            simplified += _simplify_chain(chain, tolerance)[:-1]
        out.append(simplified)
    return out


def _rounded(ring: Ring) -> Ring:
    out: Ring = []
    for lon, lat in ring:
        point = (round(lon, PRECISION), round(lat, PRECISION))
        if not out or out[-1] != point:
            out.append(point)
    while len(out) > 1 and out[0] == out[-1]:
        out.pop()
    return out


def _encode(ring: Ring) -> list[int]:
    """A ring as whole hundredths of a degree: the first point, then the step to each next one."""
    scale = 10**PRECISION
    numbers = [round(v * scale) for point in ring for v in point]
    return numbers[:2] + [numbers[i] - numbers[i - 2] for i in range(2, len(numbers))]


def reduce(source: dict) -> dict:
    countries: dict[str, dict] = {}
    rings_of: dict[str, list[Ring]] = defaultdict(list)
    exteriors_of: dict[str, list[Ring]] = defaultdict(list)
    for feature in sorted(source["features"], key=lambda f: f["properties"]["ADM0_A3"]):
        props = feature["properties"]
        unit = props["ADM0_A3"]
        code = CODES.get(unit, props["ISO_A2"])
        if len(code) != 2 or not code.isalpha():
            continue
        if unit not in MERGE_INTO:
            countries[code] = {"code": code, "name": props["NAME"]}
        for exterior, *holes in _polygons(feature["geometry"]):
            owner = "UA" if unit == "RUS" and _contains(exterior, CRIMEA) else code
            rings_of[owner] += holes
            if owner in MERGED:
                exteriors_of[owner].append(exterior)
            else:
                rings_of[owner].append(exterior)
    for code, exteriors in exteriors_of.items():
        rings_of[code] += _merge(exteriors)

    clipped: list[tuple[str, Ring]] = []
    for code in sorted(rings_of):
        for ring in rings_of[code]:
            part = _clip(ring, BOX)
            if len(part) >= 3:
                clipped.append((code, part))
    simplified = simplify([ring for _code, ring in clipped], TOLERANCE)
    kept: dict[str, list[list[int]]] = defaultdict(list)
    for (code, _ring), ring in zip(clipped, simplified, strict=True):
        ring = _rounded(ring)
        if len(ring) >= 3 and _area_km2(ring) >= MIN_AREA_KM2:
            kept[code].append(_encode(ring))
    return {
        "source": "Natural Earth 1:50m Cultural Vectors, Admin 0 – Countries (public domain), naturalearthdata.com",
        "reduced": (
            f"kept lon {BOX[0]}..{BOX[2]}, lat {BOX[1]}..{BOX[3]}; Douglas–Peucker {TOLERANCE}° on shared arcs;"
            f" rounded to 0.01°; rings under {MIN_AREA_KM2:g} km² dropped; see README.md"
        ),
        "encoding": "rings of [lon, lat, dlon, dlat, ...] in hundredths of a degree, not closed",
        "countries": [{**countries[code], "rings": kept[code]} for code in sorted(kept)],
    }


def main() -> None:
    source, target = (Path(arg) for arg in sys.argv[1:3])
    reduced = reduce(json.loads(source.read_text(encoding="utf-8")))
    head = ",\n".join(
        f" {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in reduced.items() if k != "countries"
    )
    rows = ",\n".join(json.dumps(c, ensure_ascii=False, separators=(",", ":")) for c in reduced["countries"])
    text = "{\n" + head + ',\n "countries": [\n' + rows + "\n ]\n}\n"
    json.loads(text)
    target.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
