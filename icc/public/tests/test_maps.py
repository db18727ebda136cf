"""The cities map: valid, accessible, escaped SVG with each city where it belongs."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET

import pytest

from icc.public import maps
from icc.public.maps import MapPoint, cities_map, country_paths, outside_map, project

SVG = "{http://www.w3.org/2000/svg}"

BRUSSELS = MapPoint("Brussels", 50.85, 4.35, href="/cities/1/", label="in progress", kind="eu-core")
TARTU = MapPoint("Tartu", 58.38, 26.72, href="/cities/2/", kind="eu-mentor")
NOVI_SAD = MapPoint("Novi Sad", 45.25, 19.84, label="not started")
CURITIBA = MapPoint("Curitiba", -25.43, -49.27, href="/cities/4/")
LAS_PALMAS = MapPoint("Las Palmas", 28.10, -15.41)


def _draw(points: list[MapPoint], **kwargs: object) -> ET.Element:
    args: dict = {"title": "Cities of the programme", "description": "Where the cities are.", **kwargs}
    return ET.fromstring(str(cities_map(points, **args)))  # noqa: S314 - the markup made here


def _rings(d: str) -> list[list[tuple[int, int]]]:
    """The absolute points of each ring of path data written as M x y l dx dy … z."""
    rings: list[list[tuple[int, int]]] = []
    for move, steps in re.findall(r"M(-?\d+(?: ?-?\d+))l([-\d ]+)z", d):
        x, y = (int(v) for v in re.findall(r"-?\d+", move))
        ring = [(x, y)]
        numbers = [int(v) for v in re.findall(r"-?\d+", steps)]
        for dx, dy in zip(numbers[::2], numbers[1::2], strict=True):
            x, y = x + dx, y + dy
            ring.append((x, y))
        rings.append(ring)
    assert "".join(f"M{m}l{s}z" for m, s in re.findall(r"M(-?\d+(?: ?-?\d+))l([-\d ]+)z", d)) == d
    return rings


def _inside(point: tuple[float, float], rings: list[list[tuple[int, int]]]) -> bool:
    """Even–odd rule, as the map fills its countries."""
    x, y = point
    inside = False
    for ring in rings:
        for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
            if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
                inside = not inside
    return inside


def test_the_map_is_svg_with_a_title_and_a_description_it_is_labelled_by() -> None:
    root = _draw([BRUSSELS, NOVI_SAD])
    assert root.tag == f"{SVG}svg"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and title.text == "Cities of the programme"
    assert desc is not None and desc.text == "Where the cities are."
    assert root.get("aria-labelledby") == title.get("id") == "map-title"
    assert root.get("aria-describedby") == desc.get("id") == "map-desc"
    assert root.get("viewBox") == f"0 0 {maps.FRAME_WIDTH} {maps.FRAME_HEIGHT}"
    assert root.get("class") == "map"
    assert len(root.findall(f"{SVG}g[@class='map-countries']/{SVG}path")) == len(country_paths()) > 40


def test_no_inline_style_so_the_content_security_policy_holds() -> None:
    root = _draw([BRUSSELS, TARTU, NOVI_SAD])
    assert all("style" not in element.attrib for element in root.iter())
    assert root.find(f".//{SVG}style") is None and root.find(f".//{SVG}script") is None


def test_a_circle_per_point_with_its_name_and_label_and_a_link_when_it_has_an_address() -> None:
    root = _draw([BRUSSELS, TARTU, NOVI_SAD])
    circles = root.findall(f".//{SVG}circle")
    assert len(circles) == 3
    assert [c.get("class") for c in circles] == ["map-city map-city-eu-core", "map-city map-city-eu-mentor", "map-city"]
    links = root.findall(f".//{SVG}a")
    assert [a.get("href") for a in links] == ["/cities/1/", "/cities/2/"]
    assert [a.findtext(f"{SVG}title") for a in links] == ["Brussels (in progress)", "Tartu"]
    assert all(a.get("class") == "map-link" and a.find(f"{SVG}circle") is not None for a in links)
    unlinked = circles[2]
    assert unlinked.findtext(f"{SVG}title") == "Novi Sad (not started)"
    assert root.get("role") == "group"  # an img hides its links from screen readers


def test_a_map_without_links_is_one_image() -> None:
    root = _draw([NOVI_SAD])
    assert root.get("role") == "img"
    assert root.find(f".//{SVG}a") is None


def test_hostile_text_is_escaped_everywhere() -> None:
    name = '<script>alert("x")</script> & O\'Brien'
    title = '"><script>alert(1)</script>'
    hostile = MapPoint(name, 50.0, 10.0, href='/cities/1/?next="><script>', label="<b>late</b>")
    svg = str(cities_map([hostile], title=title, description="a < b & 'c'"))
    assert "<script" not in svg and "<b>" not in svg
    root = ET.fromstring(svg)  # noqa: S314 - the markup made here
    assert root.findtext(f"{SVG}title") == title
    assert root.findtext(f"{SVG}desc") == "a < b & 'c'"
    link = root.find(f".//{SVG}a")
    assert link is not None and link.get("href") == '/cities/1/?next="><script>'
    assert link.findtext(f"{SVG}title") == f"{name} (<b>late</b>)"


@pytest.mark.parametrize(
    "href",
    ["javascript:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)", "data:text/html,x", "cities/1/", ""],
)
def test_an_address_that_could_run_script_is_refused(href: str) -> None:
    with pytest.raises(ValueError, match="href"):
        MapPoint("Brussels", 50.85, 4.35, href=href)


@pytest.mark.parametrize("href", ["/cities/1/", "#city-1", "?country=BE", "https://example.org/x"])
def test_paths_fragments_and_web_addresses_are_accepted(href: str) -> None:
    assert MapPoint("Brussels", 50.85, 4.35, href=href).href == href


@pytest.mark.parametrize(
    ("field", "value"), [("latitude", 91.0), ("latitude", math.nan), ("longitude", -181.0), ("kind", 'x" onclick="y')]
)
def test_impossible_points_are_refused(field: str, value: object) -> None:
    args: dict = {"name": "Nowhere", "latitude": 50.0, "longitude": 10.0, field: value}
    with pytest.raises(ValueError, match=field):
        MapPoint(**args)


def test_bad_width_or_id_prefix_is_refused() -> None:
    with pytest.raises(ValueError, match="width"):
        cities_map([], title="t", description="d", width=0)
    with pytest.raises(ValueError, match="id_prefix"):
        cities_map([], title="t", description="d", id_prefix='x" onload="y')


@pytest.mark.parametrize(
    ("code", "latitude", "longitude"),
    [
        ("BE", 50.85, 4.35),  # Brussels
        ("LU", 49.61, 6.13),  # Luxembourg
        ("MT", 35.886, 14.403),  # Mdina
        ("CY", 35.17, 33.36),  # Nicosia: Cyprus is drawn whole
        ("UA", 44.95, 34.10),  # Simferopol: Crimea is drawn as Ukraine
        ("UA", 50.45, 30.52),  # Kyiv
        ("IL", 31.25, 34.79),  # Beersheba
        ("TR", 39.93, 32.86),  # Ankara
        ("RS", 45.25, 19.84),  # Novi Sad
        ("NO", 61.12, 10.47),  # Lillehammer
        ("IS", 64.90, -18.60),  # the middle of Iceland
        ("FI", 62.24, 25.72),  # Jyväskylä
        ("PT", 38.57, -7.91),  # Évora
    ],
)
def test_a_known_place_lands_inside_its_country(code: str, latitude: float, longitude: float) -> None:
    xy = project(latitude, longitude)
    assert xy is not None
    rings = _rings(country_paths()[code])
    xs = [x for ring in rings for x, _y in ring]
    ys = [y for ring in rings for _x, y in ring]
    assert min(xs) <= xy[0] <= max(xs) and min(ys) <= xy[1] <= max(ys)
    assert _inside(xy, rings)
    others = [other for other, d in country_paths().items() if other != code and _inside(xy, _rings(d))]
    assert others == []


def test_brussels_is_drawn_where_belgium_is() -> None:
    root = _draw([BRUSSELS])
    circle = root.find(f".//{SVG}circle")
    assert circle is not None
    xy = (float(circle.get("cx", "")), float(circle.get("cy", "")))
    assert _inside(xy, _rings(country_paths()["BE"]))
    assert not _inside(xy, _rings(country_paths()["NL"])) and not _inside(xy, _rings(country_paths()["FR"]))


def test_places_outside_the_frame_are_left_out_and_listed() -> None:
    points = [BRUSSELS, CURITIBA, NOVI_SAD, LAS_PALMAS]
    assert outside_map(points) == [CURITIBA, LAS_PALMAS]
    root = _draw(points)
    assert len(root.findall(f".//{SVG}circle")) == 2
    assert [a.get("href") for a in root.findall(f".//{SVG}a")] == ["/cities/1/"]
    assert project(-25.43, -49.27) is None
    assert project(-52.0, -170.0) is None  # the antipode of the projection's centre


def test_every_circle_lies_inside_the_view_box() -> None:
    corners = [MapPoint(n, lat, lon) for n, lat, lon in [("North Cape", 71.17, 25.78), ("Eilat", 29.56, 34.95)]]
    root = _draw(corners)
    for circle in root.findall(f".//{SVG}circle"):
        assert 0 <= float(circle.get("cx", "-1")) <= maps.FRAME_WIDTH
        assert 0 <= float(circle.get("cy", "-1")) <= maps.FRAME_HEIGHT
    assert len(root.findall(f".//{SVG}circle")) == 2


def test_the_same_input_gives_the_same_bytes() -> None:
    points = [BRUSSELS, TARTU, NOVI_SAD, CURITIBA]
    first = cities_map(points, title="t", description="d", highlight=["BE", "EE"])
    country_paths.cache_clear()
    maps._countries_markup.cache_clear()
    assert cities_map(points, title="t", description="d", highlight={"EE", "BE"}) == first


def test_highlighted_countries_get_their_own_class() -> None:
    root = _draw([BRUSSELS], highlight={"be"})
    highlighted = [p for p in root.iter(f"{SVG}path") if "map-country-highlight" in (p.get("class") or "")]
    assert [p.get("d") for p in highlighted] == [country_paths()["BE"]]


def test_width_sets_the_intrinsic_size_and_the_dot_size_but_not_the_view_box() -> None:
    narrow, wide = _draw([BRUSSELS], width=360), _draw([BRUSSELS], width=1440)
    assert narrow.get("viewBox") == wide.get("viewBox")
    assert (narrow.get("width"), wide.get("width")) == ("360", "1440")
    assert int(wide.get("height", "")) == round(1440 * maps.FRAME_HEIGHT / maps.FRAME_WIDTH)
    r_narrow = float(narrow.find(f".//{SVG}circle").get("r", ""))  # type: ignore[union-attr]
    r_wide = float(wide.find(f".//{SVG}circle").get("r", ""))  # type: ignore[union-attr]
    assert r_narrow == pytest.approx(4 * r_wide, rel=0.01)


def test_two_maps_on_a_page_keep_their_ids_apart() -> None:
    root = _draw([BRUSSELS], id_prefix="mentors")
    assert root.get("aria-labelledby") == "mentors-title"
    assert {e.get("id") for e in root.iter() if e.get("id")} == {"mentors-title", "mentors-desc"}
