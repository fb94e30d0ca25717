"""A plan evaluated on the real Cleveland data equals a recount done here with geopandas."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from geodata.crs import BNG, WGS84
from geodata.plans import Plan
from service.store.db import get_engine
from service.store.plans import create_plan
from tests.factories import run_json

pytestmark = pytest.mark.realdata

WARD = "E05009857"  # Central, Middlesbrough: the busiest ward of 2025
CATEGORIES = ("Shoplifting", "Burglary")


def test_evaluation_counts_equal_an_independent_recount(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner, real_data: Path
) -> None:
    wards_files = sorted(str(p) for p in (real_data / "boundaries/wards_wd25").glob("*.geojson"))
    run_json(runner, "import-wards", *wards_files)
    run_json(runner, "import-crime", str(real_data / "police_uk/cleveland"))
    plan = Plan(
        ward_codes=(WARD,),
        title="Town-centre shoplifting and burglary (test)",
        problem="Shoplifting and burglary in Central ward town centre shops and homes.",
        start_date=date(2025, 7, 1),
        status="active",
        categories=CATEGORIES,
        buffer_m=300,
    )
    with app.app_context():
        plan_id = create_plan(get_engine(), plan, by="test")

    body = client.get(f"/api/plans/{plan_id}/evaluation").json

    wards = pd.concat(gpd.read_file(p) for p in wards_files)
    target = shapely.union_all(wards[wards["WD25CD"] == WARD].geometry.values)
    # The ring, by its definition: within 300 m of the target (grown in British National
    # Grid by geopandas, 16 segments a quarter circle) and not in the target.
    grown = gpd.GeoSeries([target], crs=WGS84).to_crs(BNG).buffer(300, quad_segs=16)
    within_300_m = grown.to_crs(WGS84).iloc[0]
    everything = shapely.union_all(wards.geometry.values)
    crime = pd.concat(
        pd.read_csv(p) for p in sorted((real_data / "police_uk/cleveland").glob("*.csv"))
    )
    crime = crime[crime["Crime type"].isin(CATEGORIES)]
    points = gpd.GeoSeries(gpd.points_from_xy(crime["Longitude"], crime["Latitude"]), crs=WGS84)
    in_target = points.intersects(target).to_numpy()
    in_ring = points.intersects(within_300_m).to_numpy() & ~in_target
    in_force = points.intersects(everything).to_numpy()
    before = crime["Month"].between("2025-01", "2025-06").to_numpy()
    after = crime["Month"].between("2025-07", "2025-12").to_numpy()

    expected = {
        "target": {
            "before": int((in_target & before).sum()),
            "after": int((in_target & after).sum()),
        },
        "buffer": {"before": int((in_ring & before).sum()), "after": int((in_ring & after).sum())},
        "control": {
            "before": int((in_force & ~in_target & ~in_ring & before).sum()),
            "after": int((in_force & ~in_target & ~in_ring & after).sum()),
        },
    }
    assert body["periods"]["before"]["from"] == "2025-01"
    assert body["periods"]["after"]["to"] == "2025-12"
    for area, counts in expected.items():
        assert body["counts"][area]["before"] == counts["before"], area
        assert body["counts"][area]["after"] == counts["after"], area
    ratio = body["rate_ratio"]["ratio"]
    c = expected
    hand = (c["target"]["after"] / c["target"]["before"]) / (
        c["control"]["after"] / c["control"]["before"]
    )
    assert ratio == pytest.approx(hand)
