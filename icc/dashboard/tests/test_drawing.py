"""The charts and the map as markup: escaped, described, and drawn from the shipped outlines."""

from __future__ import annotations

from icc.dashboard import charts, geo


def test_a_stacked_bar_chart_escapes_its_words_and_writes_each_rows_figures() -> None:
    svg = charts.stacked_bars(
        ident="t",
        title="Cities <by> phase",
        description="Two rows",
        series=[charts.Series("On schedule", "s-ok"), charts.Series("Behind", "s-bad", hatched=True)],
        rows=[
            charts.Row("Implementation & co", [3, 1], "3 on schedule · 1 behind"),
            charts.Row("Review", [0, 0], "none"),
        ],
    )
    assert svg.startswith("<svg") and 'role="img"' in svg and 'aria-labelledby="t-title t-desc"' in svg
    assert "Cities &lt;by&gt; phase" in svg and "Implementation &amp; co" in svg
    assert "3 on schedule · 1 behind" in svg
    assert 'fill="url(#t-hatch)"' in svg  # the hatched series is told apart by its pattern too
    assert svg.count('class="seg s-ok"') == 2  # one bar segment and its legend swatch


def test_cities_are_projected_as_the_outlines_were() -> None:
    germany = next(c for c in geo.countries() if c["code"] == "DE")
    x, y = geo.project(13.40, 52.52)  # Berlin
    left, top, right, bottom = germany["box"]
    assert left <= x <= right and top <= y <= bottom
    assert len(geo.countries()) > 150


def test_the_map_frames_the_cities_and_keeps_only_the_countries_around_them() -> None:
    points = [
        geo.Point(1, "Lisbon", -9.14, 38.72, "on-schedule", "circle", "Lisbon"),
        geo.Point(2, "Tallinn", 24.75, 59.44, "behind", "triangle", "Tallinn"),
    ]
    svg = geo.map_svg(ident="m", title="Map", description="Two cities", points=points, highlight={"PT"})
    assert "<title>Portugal</title>" in svg and "<title>Estonia</title>" in svg
    assert "<title>Australia</title>" not in svg
    assert 'class="land member"' in svg
    assert "<circle" in svg and '<path class="city behind"' in svg
