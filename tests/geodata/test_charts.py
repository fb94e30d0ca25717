"""Charts: an inline SVG that is accessible, escaped and drawn to a zero baseline."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from geodata.charts import HEIGHT, LEFT, WIDE, WIDTH, lines_svg, nice_ticks, trend_svg
from geodata.profile import MonthCount

SVG = "{http://www.w3.org/2000/svg}"


def months(*counts: int, start: int = 1, year: int = 2025) -> list[MonthCount]:
    rows = []
    for i, n in enumerate(counts):
        index = year * 12 + start - 1 + i
        rows.append(MonthCount(f"{index // 12:04d}-{index % 12 + 1:02d}", n))
    return rows


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def test_the_chart_is_one_accessible_image() -> None:
    svg = parse(trend_svg(months(3, 5, 4), title="Crimes per month in West"))

    assert svg.tag == f"{SVG}svg"
    assert svg.get("role") == "img"
    assert svg.get("viewBox") == f"0 0 {WIDTH} {HEIGHT}"
    assert svg.get("width") == "100%"
    assert svg[0].tag == f"{SVG}title" and svg[0].text == "Crimes per month in West"
    assert svg[1].tag == f"{SVG}desc"
    assert svg[1].text == (
        "Monthly incidents, January-March 2025: lowest 3 in January 2025, highest 5 in "
        "February 2025. "
        "The table below gives every month."
    )


def test_every_text_is_escaped() -> None:
    hostile = "<img src=x onerror=alert(1)> & </svg><script>alert(1)</script>"

    svg = trend_svg(months(1, 2), title=hostile)

    assert "<img" not in svg and "<script" not in svg
    assert "&lt;img src=x onerror=alert(1)&gt; &amp; &lt;/svg&gt;" in svg
    assert parse(svg)[0].text == hostile


def test_one_point_per_month_on_a_zero_based_axis() -> None:
    svg = parse(trend_svg(months(0, 10, 5, 13), title="t"))

    circles = svg.findall(f"{SVG}circle")
    assert len(circles) == 4
    ys = [float(c.get("cy", "nan")) for c in circles]
    baseline = HEIGHT - 40
    assert ys[0] == baseline  # a month of 0 sits on the axis
    assert ys[3] < ys[1] < ys[2] < ys[0]  # 13 highest, then 10, then 5
    line = svg.find(f"{SVG}polyline")
    assert line is not None and len(line.get("points", "").split()) == 4
    ticks = [t.text for t in svg.iter(f"{SVG}text") if t.get("text-anchor") == "end"]
    assert ticks == ["0", "5", "10", "15"]
    assert float(circles[0].get("cx", "nan")) == LEFT


def test_months_are_named_and_the_year_shown_once_a_year() -> None:
    svg = parse(trend_svg(months(*range(14), start=11, year=2024), title="t"))

    labels = [t.text for t in svg.iter(f"{SVG}text") if t.get("text-anchor") == "middle"]
    # 14 months: every second one is labelled, with the year on the first and on January.
    assert labels == ["Nov", "2024", "Jan", "2025", "Mar", "May", "Jul", "Sep", "Nov"]


def test_no_months_still_gives_a_titled_image() -> None:
    svg = trend_svg([], title="Nothing")

    assert parse(svg).get("role") == "img"
    assert "No months to show" in svg
    assert not re.search(r"<(circle|polyline)", svg)


def test_nice_ticks_are_round_numbers_reaching_the_top() -> None:
    assert nice_ticks(13) == [0, 5, 10, 15]
    assert nice_ticks(514) == [0, 200, 400, 600]
    assert nice_ticks(4) == [0, 1, 2, 3, 4]
    assert nice_ticks(1) == [0, 1]
    assert nice_ticks(0) == [0, 1]


def test_several_lines_share_the_axis_with_gaps_and_leave_the_key_to_the_page() -> None:
    svg = parse(
        lines_svg(
            ["2025-01", "2025-02", "2025-03", "2025-04"],
            {"All crime": [10, None, 12, 14], "Burglary <b>": [None, None, None, None]},
            colours={"All crime": "#000000", "Burglary <b>": "#112233"},
            title="Incidents per month in West",
        )
    )

    assert svg.get("viewBox") == f"0 0 {WIDE} {HEIGHT}"
    # All crime breaks at the missing month: one point on its own, then a run of two.
    lines = svg.findall(f"{SVG}polyline")
    assert [len(line.get("points", "").split()) for line in lines] == [2]
    assert lines[0].get("stroke") == "#000000"
    assert len([c for c in svg.findall(f"{SVG}circle") if c.get("fill") == "#000000"]) == 3
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    # The count axis and the months only: the page prints the key and any note as text.
    assert texts == ["0", "5", "10", "15", "Jan", "2025", "Feb", "Mar", "Apr"]
    assert svg[1].text == (
        "All crime, Burglary <b> per month; All crime, January-April 2025: lowest 10 in "
        "January 2025, highest 14 in April 2025."
    )


def test_lines_with_no_month_held_still_draw_the_axis() -> None:
    svg = lines_svg(
        ["2025-01", "2025-02"],
        {"All crime": [None, None]},
        colours={"All crime": "#000000"},
        title="t",
    )

    assert "no month held" in svg
    assert not re.search(r"<(circle|polyline)", svg)
    assert [t.text for t in parse(svg).iter(f"{SVG}text") if t.get("text-anchor") == "end"] == [
        "0",
        "1",
    ]


def test_other_lines_mark_only_the_months_that_stand_alone() -> None:
    svg = parse(
        lines_svg(
            ["2025-01", "2025-02", "2025-03", "2025-04", "2025-05"],
            {"All crime": [9, 9, 9, 9, 9], "Drugs": [1, 2, None, 3, None]},
            colours={"All crime": "#000000", "Drugs": "#44AA99"},
            title="t",
        )
    )

    drugs = [c for c in svg.findall(f"{SVG}circle") if c.get("fill") == "#44AA99"]
    assert len(drugs) == 1  # April, between two gaps; January and February are a line
    assert [len(p.get("points", "").split()) for p in svg.findall(f"{SVG}polyline")] == [2, 5]
