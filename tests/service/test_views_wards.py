"""The ward profile page and the PCSO shift briefing: figures from the JSON, escaped text."""

from __future__ import annotations

import html
import math
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from markupsafe import escape
from pyproj import Transformer
from shapely.geometry import box

from geodata import shift
from geodata.demo.wards import ASB_PARK, TOWN_CENTRE
from geodata.period import month_words
from geodata.priorities import DRIVERS, WEIGHTS_NOTE
from geodata.shift import overdue_first
from service import create_app
from service.store.concerns import concern_tags, record_concern
from service.store.db import get_engine
from tests.conftest import signed_in
from tests.factories import (
    concern_row,
    run_json,
    street_row,
    write_concerns_csv,
    write_street_csv,
    write_wards,
)

PAYLOAD = "<img src=x onerror=alert(1)> ${alert(1)} `x` </script><script>alert(1)</script>"


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    """One app with the synthetic demo force for the whole module (loading it takes seconds)."""
    folder = tmp_path_factory.mktemp("wards")
    app = create_app(
        {"TESTING": True, "DATABASE_URL": f"sqlite:///{folder / 'demo.sqlite'}", "SECRET_KEY": "t"}
    )
    run_json(app.test_cli_runner(), "demo")
    return app


@pytest.fixture(scope="module")
def viewer(demo_app: Flask) -> FlaskClient:
    return signed_in(demo_app, "viewer")


def api(client: FlaskClient, path: str) -> Any:
    """The JSON the page's figures must equal."""
    response = client.get(path)
    assert response.status_code == 200
    return response.json


def code_of(client: FlaskClient, name: str) -> str:
    return str(next(w["code"] for w in api(client, "/api/wards") if w["name"] == name))


def page_of(client: FlaskClient, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response.get_data(as_text=True)


def section(page: str, start: str, end: str = "</table>") -> str:
    at = page.index(start)
    return page[at : page.index(end, at)]


def in_order(page: str, texts: list[str]) -> bool:
    """Each text appears after the one before it (texts may repeat)."""
    at = 0
    for text in texts:
        at = page.find(text, at)
        if at < 0:
            return False
        at += len(text)
    return True


def scripts(page: str) -> list[str]:
    return re.findall(r"<script[^>]*>(.*?)</script>", page, flags=re.DOTALL)


def test_anonymous_readers_are_sent_to_sign_in(demo_app: Flask) -> None:
    anonymous = demo_app.test_client()

    for path in ("/wards/X05000001", "/wards/X05000001/briefing"):
        response = anonymous.get(path)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login")


def test_profile_figures_are_the_profile_json(viewer: FlaskClient) -> None:
    code = code_of(viewer, TOWN_CENTRE)
    profile = api(viewer, f"/api/wards/{code}/profile")
    priorities = api(viewer, f"/api/wards/{code}/priorities")

    page = page_of(viewer, f"/wards/{code}")

    assert f'<span id="crime-total">{profile["crime_total"]:,}</span>' in page
    table = section(page, '<table id="categories">')
    for category, n in profile["counts"].items():
        assert f'<tr><th scope="row">{category}</th><td class="n">{n:,}</td>' in table
        if n:  # the map's layer for the category says the same count
            assert f'"{category} ({n})"' in page
    monthly = section(page, "Incidents per month")
    crime, asb = profile["trends"][0]["monthly"], profile["trends"][1]["monthly"]
    for c, a in zip(crime, asb, strict=True):
        assert (
            f'<th scope="row">{month_words(c["month"])}</th><td class="n">{c["n"]:,}</td>'
            f'<td class="n">{a["n"]:,}</td>'
        ) in monthly
    for p in priorities["priorities"]:
        # Whole-number scores and the component that drives each (issue 14).
        assert (
            f'<th scope="row">{p["theme"]}</th><td class="n">{p["display_score"]}</td>'
            f"<td>{DRIVERS[p['driver']]}</td>"
        ) in page
        assert p["display_score"] == round(p["score"])
        assert escape(p["reason"]) in page
    assert escape(WEIGHTS_NOTE) in page
    for place in profile["top_locations"]:
        assert f'<th scope="row">{place["location"]}</th><td class="n">{place["count"]:,}</td>' in (
            page
        )
    assert profile["top_locations_caveat"] in page
    assert f'href="/api/wards/{code}/profile?from=' in page
    # No code paths on a page: the methods are in the API's values (issue 14, brief).
    assert "geodata/" not in page


def test_the_trend_is_an_accessible_svg_with_its_table(viewer: FlaskClient) -> None:
    code = code_of(viewer, TOWN_CENTRE)

    page = page_of(viewer, f"/wards/{code}")

    svgs = re.findall(r"<svg.*?</svg>", page, flags=re.DOTALL)
    assert len(svgs) == 2
    assert all('role="img"' in svg for svg in svgs)
    assert f"<title>Crimes per month in {TOWN_CENTRE}</title>" in svgs[0]
    assert "<title>Anti-social behaviour per month" in svgs[1]


def test_a_period_is_chosen_with_two_month_inputs(viewer: FlaskClient) -> None:
    code = code_of(viewer, TOWN_CENTRE)
    profile = api(viewer, f"/api/wards/{code}/profile?from=2025-04&to=2025-06")

    page = page_of(viewer, f"/wards/{code}?from=2025-04&to=2025-06")

    assert re.search(r'<input type="month" name="from" value="2025-04"', page)
    assert re.search(r'<input type="month" name="to" value="2025-06"', page)
    assert f'<span id="crime-total">{profile["crime_total"]:,}</span>' in page
    assert "April-June 2025 (3 months)" in page


def test_the_default_period_is_the_latest_12_months_held(viewer: FlaskClient) -> None:
    code = code_of(viewer, TOWN_CENTRE)

    page = page_of(viewer, f"/wards/{code}")

    assert '<input type="month" name="from" value="2025-01"' in page
    assert '<input type="month" name="to" value="2025-12"' in page


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("from=2025-13&to=2025-12", '#from">Enter the first month as a month and a year'),
        ("from=2025-01", '#to">Give both the first and the last month, or neither.'),
        (
            "from=2025-06&to=2025-01",
            '#from">The first month, June 2025, is after the last month, January 2025.',
        ),
        ("from=2025-01&to=soon", '#to">Enter the last month as a month and a year'),
        (
            "from=2023-01&to=2023-12",
            '#from">No police.uk records are held for January-December 2023; records run '
            "from January 2025 to December 2025.",
        ),
    ],
)
def test_a_bad_period_shows_the_page_again_with_the_problem_linked_to_its_field(
    viewer: FlaskClient, query: str, named: str
) -> None:
    """Issue 15 turned the bare "400 Bad Request" page into the ward page with an error
    summary; the status is still 400 and the problem still names its field."""
    response = viewer.get(f"/wards/X05000001?{query}")

    assert response.status_code == 400
    body = html.unescape(response.get_data(as_text=True))
    summary = body[body.index('<div class="error-summary"') :]
    assert named in summary[: summary.index("</div>")]
    typed = dict(pair.split("=") for pair in query.split("&"))
    assert f'name="from" value="{typed.get("from", "")}" id="from"' in body  # as typed
    assert "January-December 2025 (12 months, the latest held, shown instead)" in body


def test_a_period_with_no_records_shows_no_zeros_rates_or_ranks(viewer: FlaskClient) -> None:
    body = html.unescape(viewer.get("/wards/X05000001?from=2023-01&to=2023-12").text)

    assert "No police.uk records are held for January-December 2023" in body
    assert "January-December 2023 (" not in body  # no figures are given for 2023


def test_an_unknown_ward_is_a_404(viewer: FlaskClient) -> None:
    for path in ("/wards/E05999999", "/wards/E05999999/briefing"):
        response = viewer.get(path)
        assert response.status_code == 404
        assert "no ward" in html.unescape(response.get_data(as_text=True))


def test_concerns_are_listed_newest_first_with_their_age(viewer: FlaskClient) -> None:
    code = code_of(viewer, ASB_PARK)
    concerns = api(viewer, f"/api/wards/{code}/concerns")
    assert len(concerns) > 2

    listed = section(page_of(viewer, f"/wards/{code}"), "<h2>Concerns</h2>")

    assert in_order(listed, [str(escape(c["description"])) for c in concerns])
    for c in concerns:
        assert f'<td>{c["raised_on"]}</td><td class="n">{c["age_days"]}</td>' in listed


def test_completeness_flags_are_shown(viewer: FlaskClient) -> None:
    code = code_of(viewer, TOWN_CENTRE)
    done = api(viewer, f"/api/wards/{code}/profile")["completeness"]

    flags = section(page_of(viewer, f"/wards/{code}"), "<h2>Completeness</h2>", "</dl>")

    assert f"{done['no_location']:,} of {done['rows']:,} force-wide" in flags
    assert f"<dt>Rows outside every ward</dt><dd>{done['outside_wards']:,}</dd>" in flags
    assert f"<dt>Boundary vintage</dt><dd>{done['boundary_vintage']}</dd>" in flags
    assert f"<dt>Population</dt><dd>{done['population']}</dd>" in flags
    assert "<dt>Months missing</dt><dd>none</dd>" in flags


def test_the_briefing_compares_the_latest_month_with_the_one_before(viewer: FlaskClient) -> None:
    code = code_of(viewer, TOWN_CENTRE)
    latest = api(viewer, f"/api/wards/{code}/profile?from=2025-12&to=2025-12")

    page = page_of(viewer, f"/wards/{code}/briefing")

    assert '<h2 id="changed">What changed since November 2025</h2>' in page
    sentences = [s for t in latest["trends"] for s in t["sentences"]]
    if sentences:
        for sentence in sentences:
            assert f"<li>{escape(sentence)}</li>" in page
    else:
        assert "No significant change" in page
        all_crime = latest["trends"][0]
        assert (
            f'<td class="n">{all_crime["count"]:,}</td>'
            f'<td class="n">{all_crime["previous"]["count"]:,}</td>'
        ) in page


def test_the_briefing_lists_the_top_three_priorities_and_open_concerns(
    viewer: FlaskClient,
) -> None:
    code = code_of(viewer, ASB_PARK)
    priorities = api(viewer, f"/api/wards/{code}/priorities")["priorities"]
    concerns = [
        c
        for c in api(viewer, f"/api/wards/{code}/concerns")
        if c["status"] in ("open", "in-progress")
    ]

    page = page_of(viewer, f"/wards/{code}/briefing")

    # One line each (issue 15): the theme, the score as read and what mostly drives it,
    # in words (issue 14), under the note that the weights are a design choice.
    shown = re.findall(r"<li>([^<]*?) \((\d+) of 100\)(?:: mainly ([^<]*))?</li>", page)
    assert [(theme, score) for theme, score, _ in shown] == [
        (str(escape(p["theme"])), str(p["display_score"])) for p in priorities[:3]
    ]
    assert [driver for _, _, driver in shown] == [
        str(escape(shift.DRIVERS.get(p["driver"], ""))) for p in priorities[:3]
    ]
    assert escape(WEIGHTS_NOTE) in page
    assert f"Open concerns ({len(concerns)})" in page
    # Overdue for an update first (issue 15), then newest first.
    ordered = overdue_first(concerns, today=date.today())
    assert in_order(page, [str(escape(c["description"])) for c in ordered])
    labels = concern_tags()
    for c in concerns:
        day = "day" if c["age_days"] == 1 else "days"
        assert (
            f"<strong>{escape(labels[c['tag']].label)}</strong>, {c['age_days']} {day} old" in page
        )
    # The ward's active problem-solving plans, each with its quality and a verdict link.
    plans = api(viewer, f"/api/plans?ward={code}&status=active")
    assert f"Active plans ({len(plans)})" in page
    for p in plans:
        assert str(escape(p["title"])) in page
        assert f"/plans/{p['id']}#evaluation" in page


def test_the_briefing_fits_a_360px_phone(viewer: FlaskClient) -> None:
    page = page_of(viewer, "/wards/X05000001/briefing")

    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert "user-scalable" not in page
    own = [
        css for css in re.findall(r"<style>(.*?)</style>", page, re.DOTALL) if ".briefing" in css
    ]
    assert len(own) == 1
    for value, unit in re.findall(r"width\s*:\s*([\d.]+)(px|rem|em)\b", own[0]):
        assert float(value) * (1 if unit == "px" else 16) <= 360, f"{value}{unit}"
    assert "<svg" not in page  # the light page: no charts, no incident circles
    assert "markercluster" not in page and "leaflet-heat" not in page


@pytest.fixture
def hostile(app: Flask, runner: FlaskCliRunner, tmp_path: Path) -> FlaskClient:
    """Hand-drawn wards, one named with a script payload, with crimes and concerns carrying
    the payload in their snap-point name, description and location."""
    wards = [
        ("E05000002", PAYLOAD, box(-1.22, 54.60, -1.20, 54.62)),
        ("E05000001", "East Ward", box(-1.20, 54.60, -1.18, 54.62)),
    ]
    run_json(runner, "import-wards", str(write_wards(tmp_path / "w.geojson", wards)))
    rows = [
        street_row(month=month, location=location, category=category)
        for month in ("2025-01", "2025-02")
        for location in (PAYLOAD, "On or near High Street")
        for category in ("Burglary", "Anti-social behaviour")
    ]
    run_json(runner, "import-crime", str(write_street_csv(tmp_path / "c.csv", rows)))
    concerns = [
        concern_row(description=PAYLOAD, location=PAYLOAD, community=PAYLOAD),
        concern_row(raised_on="2025-02-01", status="resolved", description="Fixed already."),
    ]
    run_json(runner, "import-concerns", str(write_concerns_csv(tmp_path / "k.csv", concerns)))
    return signed_in(app, "viewer")


@pytest.mark.parametrize("path", ["/wards/E05000002", "/wards/E05000002/briefing"])
def test_script_payloads_reach_the_page_escaped_and_never_raw(
    hostile: FlaskClient, path: str
) -> None:
    page = page_of(hostile, path)

    assert "<img src=x" not in page
    assert "<script>alert(1)" not in page
    assert escape(PAYLOAD) in page  # shown as text in the heading, lists and tables
    for script in scripts(page):
        assert "${alert" not in script and "`x`" not in script
        assert "\\u003cimg" not in script and "<img" not in script
    # The map's script holds the payload made safe by map_text (ward name, concern).
    assert "&lt;img src=x onerror=alert(1)&gt; &#36;{alert(1)} &#96;x&#96;" in scripts(page)[-1]


def test_the_map_holds_neighbours_incidents_and_open_concerns_only(
    hostile: FlaskClient,
) -> None:
    page = page_of(hostile, "/wards/E05000002")
    script = scripts(page)[-1]

    assert '"East Ward"' in script  # the neighbour's tooltip
    assert '"Burglary (4)"' in script and '"Anti-social behaviour (4)"' in script
    assert '"Open concerns (1)"' in script  # the resolved concern is listed, not mapped
    assert "Fixed already." not in script
    assert "Fixed already." in page


def test_a_concern_raised_after_the_map_was_built_is_on_it(
    app: Flask, hostile: FlaskClient
) -> None:
    assert '"Open concerns (1)"' in page_of(hostile, "/wards/E05000002")
    with app.app_context():
        from geodata.concerns import Concern

        record_concern(
            get_engine(),
            Concern(
                ward_code="E05000002",
                tag="asb",
                description="Fireworks on the green.",
                raised_on=date(2025, 3, 1),
                channel="survey",
                community=None,
                location_text=None,
                longitude=-1.215,
                latitude=54.615,
                status="open",
                recorded_by="PCSO Example",
            ),
            recorded_by="PCSO Example",
        )

    page = page_of(hostile, "/wards/E05000002")

    assert '"Open concerns (2)"' in page
    assert "Fireworks on the green." in scripts(page)[-1]


WARM_PAGE_STATEMENTS = [
    "SELECT users.",  # the signed-in user
    # The data version and, in the same statement, the edit count (the history rows of
    # concerns, plans, awards, messages and operations).
    "FROM imports",
    "INSERT INTO access_log",  # who read the ward's page and which concerns it showed them
]
"""What a ward page runs once it is kept: no figure is read again, the threat assessment
is kept per data version (only an import changes it), and the concerns, plans, priorities,
message alignment and operations per edit version (an import or a change on the web)."""


def test_a_warm_ward_page_reads_the_data_version_once_and_no_shared_figures(
    demo_app: Flask, viewer: FlaskClient
) -> None:
    statements: list[str] = []

    def record(connection: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(" ".join(statement.split()))

    code = code_of(viewer, TOWN_CENTRE)
    with demo_app.app_context():
        engine = get_engine()
    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        page_of(viewer, f"/wards/{code}?from=2025-01&to=2025-03")  # cold: builds and keeps
        cold = list(statements)
        statements.clear()
        page_of(viewer, f"/wards/{code}?from=2025-01&to=2025-03")
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)

    assert sum("FROM imports" in s for s in cold) == 1, cold
    assert len(statements) == len(WARM_PAGE_STATEMENTS), "\n".join(statements)
    for statement, expected in zip(statements, WARM_PAGE_STATEMENTS, strict=True):
        assert expected in statement, (expected, statement)


# --- Planted data: branches the demo force never reaches -----------------------------------

HOT_POINT = (-1.213, 54.612)
"""Where 40 burglaries are planted in WEST in February: away from every 250 m grid line."""
TO_GRID = Transformer.from_crs(4326, 27700, always_xy=True)


def around(point: tuple[float, float], metres: float) -> list[tuple[float, float]]:
    """The eight points ``metres`` east, west, north and south (and diagonally) of
    ``point`` in British National Grid, as longitude and latitude."""
    easting, northing = TO_GRID.transform(*point)
    return [
        TO_GRID.transform(easting + dx * metres, northing + dy * metres, direction="INVERSE")
        for dx in (-1, 0, 1)
        for dy in (-1, 0, 1)
        if dx or dy
    ]


@pytest.fixture
def planted(app: Flask, runner: FlaskCliRunner, tmp_path: Path) -> FlaskClient:
    """The hand-drawn wards; WEST has 2 burglaries in January 2025, far apart, then in
    February 40 at one snap point (``HOT_POINT``) and 10 in each of the eight squares round
    it: a significant rise since January and a block of hot squares, the busiest in the
    middle. NORTH, the rest of the force, has a steady 30 burglaries in each month spread
    one to a point, so the force did not rise and none of its squares is hot."""
    run_json(runner, "import-wards", str(write_wards(tmp_path / "wards.geojson")))
    places = [HOT_POINT] * 40 + [p for p in around(HOT_POINT, 250) for _ in range(10)]
    steady = [(-1.219 + 0.006 * i, 54.622 + 0.003 * j) for i in range(6) for j in range(5)]
    rows = [
        street_row(month="2025-01", crime_id="j1", lon="-1.219", lat="54.601"),
        street_row(month="2025-01", crime_id="j2", lon="-1.201", lat="54.619"),
        *(
            street_row(month=month, crime_id=f"n{month}{i}", lon=f"{x:.6f}", lat=f"{y:.6f}")
            for month in ("2025-01", "2025-02")
            for i, (x, y) in enumerate(steady)
        ),
        *(
            street_row(month="2025-02", crime_id=f"f{i}", lon=f"{x:.6f}", lat=f"{y:.6f}")
            for i, (x, y) in enumerate(places)
        ),
    ]
    run_json(runner, "import-crime", str(write_street_csv(tmp_path / "c.csv", rows)))
    return signed_in(app, "viewer")


def test_hot_spots_are_named_by_the_south_west_corner_of_their_square(
    planted: FlaskClient,
) -> None:
    # The corner worked out apart from the service: pyproj to British National Grid, then
    # down to the 250 m grid line on each axis.
    easting, northing = TO_GRID.transform(*HOT_POINT)
    corner = f"{math.floor(easting / 250) * 250}, {math.floor(northing / 250) * 250}"

    page = page_of(planted, "/wards/E05000002")

    rows = re.findall(
        r'<tr><th scope="row">(.*?)</th><td class="n">(\d+)</td><td>(\d+, \d+)</td>',
        section(page, "<h3>Hot spots</h3>"),
    )
    # The busiest square first, named by its street, its corner as the grid reference.
    assert rows[0] == ("High Street area", "40", corner)
    assert "hot-spot squares of 250 m" in page
    briefing = page_of(planted, "/wards/E05000002/briefing")
    assert (
        f"{len(rows)} of the force's hot-spot squares reach into the ward\n"
        "  over March 2024 to February 2025, the busiest with 40"
    ) in briefing
    assert "<li>High Street area: 40 incidents</li>" in briefing
    # EAST had no incidents: no hot squares, no list of changes.
    assert "None of the force's hot-spot squares reaches into this ward" in page_of(
        planted, "/wards/E05000001"
    )


def test_the_briefing_lists_what_changed(planted: FlaskClient) -> None:
    latest = api(planted, "/api/wards/E05000002/profile?from=2025-02&to=2025-02")
    sentences = [s for t in latest["trends"] for s in t["sentences"]]
    assert any(
        s.startswith("Burglary rose from 2 to 120, more than usual variation explains")
        for s in sentences
    )

    page = page_of(planted, "/wards/E05000002/briefing")

    changed = section(page, '<h2 id="changed">What changed since January 2025</h2>', "</section>")
    assert re.findall(r"<li>(.*?)</li>", changed) == [str(escape(s)) for s in sentences]
    assert "No significant change" not in changed
    assert "<table>" not in changed  # the busiest-categories table is for no change only


def test_the_briefing_says_when_the_month_before_is_not_held(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    run_json(runner, "import-wards", str(write_wards(tmp_path / "wards.geojson")))
    rows = [street_row(month="2025-03"), street_row(month="2025-03", category="Drugs")]
    run_json(runner, "import-crime", str(write_street_csv(tmp_path / "c.csv", rows)))
    viewer = signed_in(app, "viewer")

    page = page_of(viewer, "/wards/E05000002/briefing")

    changed = section(page, '<h2 id="changed">', "</section>")
    assert "February 2025 is not held, so there is nothing to compare March 2025 with." in changed
    assert "<li>" not in changed and "<table>" not in changed


def test_a_briefing_without_records_is_a_404(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    run_json(runner, "import-wards", str(write_wards(tmp_path / "wards.geojson")))
    viewer = signed_in(app, "viewer")

    response = viewer.get("/wards/E05000002/briefing")

    assert response.status_code == 404
    assert "with police.uk records" in response.get_data(as_text=True)
