"""Acceptance on the real Cleveland data (issue 14): what the served pages and API claim.

Through the served code, not the domain functions alone: the December-against-November
changes of all 83 briefings, and the force's hot spots as the ward pages list them.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner

from geodata.force_hotspots import MIN_HOT_COUNT
from tests.conftest import signed_in
from tests.factories import run_json

pytestmark = pytest.mark.realdata

CENTRAL = "E05009857"
"""Central ward, Middlesbrough: the town centre, holding the busiest police-station point."""


def test_briefings_and_hot_spots_on_cleveland_2025(
    app: Flask, runner: FlaskCliRunner, real_data: Path
) -> None:
    wards = sorted(str(p) for p in (real_data / "boundaries/wards_wd25").glob("*.geojson"))
    run_json(runner, "import-wards", *wards)
    run_json(runner, "import-crime", str(real_data / "police_uk/cleveland"))
    run_json(
        runner,
        "import-population",
        "--population",
        str(real_data / "population/census2021_usual_residents_by_age6_lsoa21_cleveland.csv"),
        "--lsoa-boundaries",
        *sorted(str(p) for p in (real_data / "boundaries/lsoa21").glob("*.geojson")),
    )
    client = signed_in(app, "viewer")
    codes = [w["code"] for w in client.get("/api/wards").get_json()]
    assert len(codes) == 83

    flags, hot = 0, []
    for code in codes:
        december = client.get(f"/api/wards/{code}/profile?from=2025-12&to=2025-12").get_json()
        flags += sum(t["previous"]["significant"] for t in december["trends"])
        year = client.get(f"/api/wards/{code}/profile").get_json()
        hot += [c for c in year["hotspots"]["cells"] if c["hot"]]

    # The uncorrected exact Poisson test flagged 67 December-against-November changes;
    # the ward's share of the force's change, over-dispersion and the page's false
    # discovery rate leave 7.
    assert flags == 7
    # No hot square under the minimum, every one named by its streets.
    assert hot and min(c["count"] for c in hot) >= MIN_HOT_COUNT
    assert all(c["label"].endswith(" area") for c in hot)

    page = client.get(f"/wards/{CENTRAL}").get_data(as_text=True)
    spots = page[page.index("<h3>Hot spots</h3>") : page.index("<h3>Open concerns")]
    names = re.findall(r'<tr><th scope="row">(.*?)</th><td class="n">([\d,]+)</td>', spots)
    assert names[0] == ("Captain Cook Square and The Cleveland Shopping Centre area", "873")
    assert any("Albert Road" in name for name, _ in names)
    # The police-station point is neither a hot spot nor a busiest place, and a note says so.
    assert "Police Station" not in spots
    places = page[
        page.index('<h2 id="places">Busiest places</h2>') : page.index('<h2 id="priorities">')
    ]
    assert "Left out: Police Station" in places
    assert not re.search(r'<th scope="row">On or near Police Station</th>', places)

    # Rates carry their interval; the town centres say residents understate who is there.
    assert 'id="crime-rate-range">(likely between' in page
    assert 'id="town-centre">This ward looks like a town centre' in page
    centres = [
        code
        for code in codes
        if client.get(f"/api/wards/{code}/profile").get_json()["rates_per_1000"]["town_centre"]
    ]
    assert CENTRAL in centres and len(centres) == 4
