"""Acceptance on the real Cleveland open data (WARDPROFILES_TEST_DATA)."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskCliRunner

from service.store.db import get_engine
from service.store.incidents import count_incidents_by_ward
from tests.factories import run_json

pytestmark = pytest.mark.realdata


def independent_join(real_data: Path) -> pd.DataFrame:
    """Each row's ward by geopandas.sjoin (the covering ward, the smallest code on shared
    edges) beside its category."""
    wards = pd.concat(
        gpd.read_file(p) for p in sorted((real_data / "boundaries/wards_wd25").glob("*.geojson"))
    )
    crime = pd.concat(
        pd.read_csv(p) for p in sorted((real_data / "police_uk/cleveland").glob("*.csv"))
    ).reset_index(drop=True)
    points = gpd.GeoDataFrame(
        crime, geometry=gpd.points_from_xy(crime["Longitude"], crime["Latitude"]), crs=wards.crs
    )
    joined = gpd.sjoin(points, wards[["WD25CD", "geometry"]], predicate="intersects", how="left")
    first = joined.sort_values("WD25CD").groupby(level=0)["WD25CD"].first()
    return pd.DataFrame({"ward": first, "category": crime["Crime type"]})


def independent_counts(joined: pd.DataFrame) -> dict[str | None, int]:
    """Per-ward counts of the independent join."""
    counts = joined["ward"].value_counts(dropna=False)
    return {(None if pd.isna(k) else k): int(v) for k, v in counts.items()}


def independent_counts_by_category(joined: pd.DataFrame) -> dict[tuple[str | None, str], int]:
    counts = joined.groupby(["ward", "category"], dropna=False).size()
    return {(None if pd.isna(w) else w, c): int(n) for (w, c), n in counts.items()}


def test_cleveland_imports_whole_and_joins_like_sjoin(
    app: Flask, runner: FlaskCliRunner, real_data: Path
) -> None:
    ward_files = sorted(str(p) for p in (real_data / "boundaries/wards_wd25").glob("*.geojson"))
    wards = run_json(runner, "import-wards", *ward_files)
    assert wards["wards"] == 83
    assert wards["local_authorities"] == {
        "Hartlepool": 12,
        "Middlesbrough": 20,
        "Redcar and Cleveland": 24,
        "Stockton-on-Tees": 27,
    }

    folder = str(real_data / "police_uk/cleveland")
    first = run_json(runner, "import-crime", folder)
    assert (first["files"], first["rows_read"], first["rows_stored"], first["rows_rejected"]) == (
        12,
        89_391,
        89_391,
        0,
    )
    assert (first["assigned"], first["outside_wards"], first["no_location"]) == (89_373, 18, 0)

    with app.app_context():
        stored = count_incidents_by_ward(get_engine(), vintage="2025")
        joined = independent_join(real_data)
        assert stored == independent_counts(joined)
        with get_engine().connect() as connection:
            by_category = connection.execute(
                sa.text('SELECT ward_code, "Crime type", count(*) FROM incident_rows GROUP BY 1, 2')
            ).all()
            assert {(w, c): n for w, c, n in by_category} == independent_counts_by_category(joined)
            before = connection.execute(
                sa.text("SELECT * FROM incidents ORDER BY partition_id, line")
            ).all()

    second = run_json(runner, "import-crime", folder)
    assert second["rows_written"] == 0
    assert second["unchanged_files"] == 12
    with app.app_context(), get_engine().connect() as connection:
        assert (
            connection.execute(sa.text("SELECT * FROM incidents ORDER BY partition_id, line")).all()
            == before
        )
