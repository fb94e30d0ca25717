"""The planning page: the ward by theme matrix, the gaps and the seldom-heard wards."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from shapely.geometry import box

from geodata.concerns import Concern
from geodata.maps import SEQUENTIAL
from geodata.period import month_words, period_words
from geodata.priorities import WEIGHTS_NOTE
from service import create_app
from service.store.db import get_engine
from tests.conftest import signed_in
from tests.factories import run_json, street_row, write_street_csv, write_wards

EXAMPLE_THREAT = Path(__file__).resolve().parents[2] / "examples" / "threat-assessment-demo.yaml"
ROW = re.compile(r'<tr><th scope="row"><a href="/wards/([^"]+)">.*?</tr>', re.S)
CELL = re.compile(r'<td class="n[^"]*"[^>]*>([^<]*)</td>')
THEME = re.compile(r'<th scope="col" class="n">([^<]*)</th>')
LINK = re.compile(r'<a href="/wards/([^"]+)">')


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    """The synthetic demo force, loaded once for this module (the tests only read it)."""
    folder = tmp_path_factory.mktemp("planning")
    app = create_app(
        {"TESTING": True, "DATABASE_URL": f"sqlite:///{folder / 'demo.sqlite'}", "SECRET_KEY": "t"}
    )
    app.instance_path = str(folder)  # the demo's files too stay apart from other runs
    run_json(app.test_cli_runner(), "demo")
    return app


@pytest.fixture(scope="module")
def viewer(demo_app: Flask) -> FlaskClient:
    return signed_in(demo_app, "viewer")


def section(page: str, anchor: str) -> str:
    """The page from the heading with id ``anchor`` to the next h2."""
    start = page.index(f'id="{anchor}"')
    end = page.find("<h2", start)
    return page[start : end if end != -1 else len(page)]


def matrix_on_page(page: str) -> dict[str, dict[str, float]]:
    """Each ward's numbers on the page, under the theme of their column."""
    table = section(page, "matrix")
    themes = [html.unescape(theme) for theme in THEME.findall(table)]
    return {
        match.group(1): {
            theme: float(n) for theme, n in zip(themes, CELL.findall(match.group(0)), strict=True)
        }
        for match in ROW.finditer(table)
    }


def whole(api: dict[str, Any]) -> dict[str, dict[str, int]]:
    """The API matrix's scores as the page shows them: whole numbers."""
    return {
        row["ward"]: {theme: round(score) for theme, score in row["scores"].items()}
        for row in api["wards"]
    }


def test_a_viewer_sees_the_example_assessment_and_the_period(viewer: FlaskClient) -> None:
    api = viewer.get("/api/priorities/matrix").json
    page = viewer.get("/planning").get_data(as_text=True)

    assert '<strong class="flag">EXAMPLE: not a real assessment.</strong>' in page
    assert api["threat_assessment"]["title"] in page
    assert f"assessed on\n    {api['threat_assessment']['assessed_on']}, version 1" in page
    period = api["period"]
    assert f"Period: {period_words(period['from'], period['to'])}</strong>" in page
    assert f'name="from" type="month" value="{period["from"]}"' in page


def test_matrix_numbers_are_the_api_matrix(viewer: FlaskClient) -> None:
    api = viewer.get("/api/priorities/matrix").json
    page = viewer.get("/planning").get_data(as_text=True)

    on_page = matrix_on_page(page)
    # The page shows whole numbers (the API keeps one decimal for machines).
    assert on_page == whole(api)
    assert any(score != round(score) for row in api["wards"] for score in row["scores"].values())
    assert WEIGHTS_NOTE in html.unescape(page)
    header = section(page, "matrix")
    assert [html.unescape(t) for t in THEME.findall(header)] == api["themes"]
    assert "<caption>" in header and 'scope="row"' in header
    # Shaded and numbered: every non-zero cell carries a background from the legend.
    shaded = re.findall(r'<td class="n" style="background:(#[0-9A-F]{6});', header)
    assert len(shaded) == sum(1 for row in api["wards"] for s in row["scores"].values() if s > 0)
    assert set(shaded) <= set(SEQUENTIAL)


def test_a_chosen_period_is_used_and_bad_periods_are_refused(viewer: FlaskClient) -> None:
    months = viewer.get("/api/priorities/matrix").json["period"]
    first = months["from"]
    query = f"from={first}&to={first}"
    api = viewer.get(f"/api/priorities/matrix?{query}").json

    page = viewer.get(f"/planning?{query}").get_data(as_text=True)

    assert f"Period: {month_words(first)}</strong>" in page
    assert matrix_on_page(page) == whole(api)
    for bad in ("from=2025-13&to=2025-12", f"from={first}", "from=2025-06&to=2025-01"):
        response = viewer.get(f"/planning?{bad}")
        assert response.status_code == 400, bad
        # Issue 15: the page again, with the problem in an error summary, not a bare 400.
        assert '<h2 id="error-summary-title">There is a problem</h2>' in response.text
    unheld = viewer.get("/planning?from=2023-01&to=2023-12")
    assert unheld.status_code == 400
    assert "No police.uk records are held for January-December 2023" in unheld.text


def test_gaps_of_every_ward_are_listed_by_kind_and_theme(viewer: FlaskClient) -> None:
    expected: dict[str, dict[str, set[str]]] = {}
    for ward in viewer.get("/api/wards").json:
        for gap in viewer.get(f"/api/wards/{ward['code']}/priorities").json["gaps"]:
            by_theme = expected.setdefault(gap["kind"].capitalize(), {})
            by_theme.setdefault(gap["theme"], set()).add(ward["code"])
    assert expected  # the demo has gaps to show

    gaps = section(viewer.get("/planning").get_data(as_text=True), "gaps")

    found: dict[str, dict[str, set[str]]] = {}
    for kind, body in re.findall(r'<h3 id="gap-\d+">(.*?) \(\d+\)</h3>(.*?)</section>', gaps, re.S):
        for theme, wards in re.findall(r"<li><strong>(.*?)</strong>(.*?)</li>", body, re.S):
            found.setdefault(kind, {})[theme] = set(LINK.findall(wards))
    assert found == expected


def test_wards_flagged_for_seldom_heard_coverage_are_listed(viewer: FlaskClient) -> None:
    flagged = {}
    for ward in viewer.get("/api/wards").json:
        heard = viewer.get(f"/api/wards/{ward['code']}/priorities").json["seldom_heard"]
        if heard["flags"]:
            flagged[ward["code"]] = heard
    assert flagged

    table = section(viewer.get("/planning").get_data(as_text=True), "seldom-heard")

    assert LINK.findall(table) == sorted(
        flagged,
        key=lambda c: next(w["name"] for w in viewer.get("/api/wards").json if w["code"] == c),
    )
    assert f"<caption>{len(flagged)} ward" in table
    assert "Concerns came only from ward councillors" in table
    assert "Ward councillor" in table


def test_signed_out_visitors_are_sent_to_sign_in(anonymous: FlaskClient) -> None:
    response = anonymous.get("/planning")

    assert response.status_code == 302
    assert response.location.startswith("/login")


def test_empty_database_says_how_to_start(
    client: FlaskClient, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    response = client.get("/planning")

    assert response.status_code == 200
    assert "No wards stored yet" in response.get_data(as_text=True)

    run_json(runner, "import-wards", str(write_wards(tmp_path / "w.geojson")))
    page = client.get("/planning").get_data(as_text=True)
    assert "No police.uk records are stored yet, so there is nothing to score" in page


def hand_drawn(runner: FlaskCliRunner, tmp_path: Path, name: str = "West Ward") -> None:
    """One ward (``name``) with a month of burglaries, and the example threat assessment."""
    wards = [("E05000002", name, box(-1.22, 54.60, -1.20, 54.62))]
    run_json(runner, "import-wards", str(write_wards(tmp_path / "w.geojson", wards)))
    rows = [street_row(crime_id=f"b{i}") for i in range(3)]
    run_json(runner, "import-crime", str(write_street_csv(tmp_path / "c.csv", rows)))
    run_json(runner, "import-threat", str(EXAMPLE_THREAT))


def test_ward_names_never_reach_the_page_raw(
    client: FlaskClient, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    hostile = '<script>alert("x")</script>'
    hand_drawn(runner, tmp_path, name=hostile)

    page = client.get("/planning").get_data(as_text=True)

    assert hostile not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;</a></th>" in page


def test_a_concern_recorded_in_the_app_shows_at_once(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    """The summary is kept between requests; a new concern (no import) must still show."""
    hand_drawn(runner, tmp_path)
    before = client.get("/planning").get_data(as_text=True)
    with app.app_context():
        from service.store.concerns import record_concern

        record_concern(
            get_engine(),
            Concern(
                ward_code="E05000002",
                tag="speeding",
                description="Cars racing on the bypass.",
                raised_on=date.today() - timedelta(days=3),
                channel="ward-councillor",
                recorded_by="PCSO Example",
            ),
            recorded_by="test",
        )

    after = client.get("/planning").get_data(as_text=True)

    assert "speeding (local)" not in before
    assert '<th scope="col" class="n">speeding (local)</th>' in after
    assert matrix_on_page(after)["E05000002"]["speeding (local)"] == round(
        _score(client, "speeding (local)")
    )


def _score(client: FlaskClient, theme: str) -> Any:
    row = client.get("/api/priorities/matrix").json["wards"][0]
    return row["scores"][theme]
