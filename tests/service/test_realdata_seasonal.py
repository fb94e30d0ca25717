"""On the real Cleveland data, which holds one year (2025), no month is called a usual rise."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner

from service.readmodels.operations import seasons
from service.store.db import get_engine
from tests.conftest import signed_in
from tests.factories import run_json

pytestmark = pytest.mark.realdata


def test_one_year_of_cleveland_claims_no_seasonal_rise(
    app: Flask, runner: FlaskCliRunner, real_data: Path
) -> None:
    run_json(runner, "import-wards", str(real_data / "boundaries/cleveland_wards_wd25.geojson"))
    crime = run_json(runner, "import-crime", str(real_data / "police_uk/cleveland"))
    assert {month[:4] for month in crime["months"]} == {"2025"}

    with app.test_request_context():
        found = seasons(app, get_engine())
    page = signed_in(app, "viewer").get("/planning").text

    assert (found.years, found.rises, found.tested) == ((2025,), (), 0)
    assert "only 2025 is held whole" in page and "no month is called usual yet" in page
    assert "usually rises in" not in page
