"""Acceptance on the real Cleveland data: the shift briefing of Middlesbrough's Central ward."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner

from tests.conftest import signed_in
from tests.factories import run_json

pytestmark = pytest.mark.realdata

CENTRAL = "E05009857"


def test_central_briefing_names_places_by_street_and_says_how_old_the_data_is(
    app: Flask, runner: FlaskCliRunner, real_data: Path
) -> None:
    run_json(runner, "import-wards", str(real_data / "boundaries/cleveland_wards_wd25.geojson"))
    run_json(runner, "import-crime", str(real_data / "police_uk/cleveland"))
    run_json(
        runner,
        "import-context",
        str(real_data / "streets/tees_valley_main_roads_osm_2020.geojson"),
        "--attribution",
        "(c) OpenStreetMap contributors",
        "--licence",
        "ODbL",
    )

    page = signed_in(app, "pcso").get(f"/wards/{CENTRAL}/briefing").text

    assert "<h1>Central, Middlesbrough</h1>" in page
    assert "Shift briefing for December 2025" in page
    months = (date.today().year - 2025) * 12 + date.today().month - 12
    banner = re.search(r'<p class="age[^"]*" role="status">(.*?)</p>', page, re.DOTALL)
    assert banner is not None
    assert f"December 2025, {months} month" in banner[1]
    look_out = page[page.index('id="lookout"') : page.index('id="season"')]
    streets = re.findall(
        r"<li(?: class=\"rise\")?>([A-Z][\w' ]+?(?:Road|Street|Square|Centre|Way|Lane|Avenue))[:,]",
        look_out,
    )
    named = re.findall(r"<li>([^<:]+?) area: \d+ incidents</li>", look_out)
    assert len(set(streets) | set(named)) >= 3
    assert not re.search(r"\b\d{6}, \d{6}\b", look_out)  # no grid corner as a name
    assert "Linthorpe Road" in page and "OpenStreetMap contributors" in page
