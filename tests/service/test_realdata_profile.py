"""Acceptance on the real Cleveland data: every ward's profile against an independent recount."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from flask.testing import FlaskClient, FlaskCliRunner

from geodata.crime import CATEGORIES
from tests.factories import run_json

pytestmark = pytest.mark.realdata

POPULATION = "population/census2021_usual_residents_by_age6_lsoa21_cleveland.csv"
PUBLISHED = {
    "Hartlepool": 92_327,
    "Middlesbrough": 143_930,
    "Redcar and Cleveland": 136_520,
    "Stockton-on-Tees": 196_612,
}
"""Census 2021 usual residents of the four authorities (data/SOURCES.md, section 6)."""
ROWS = 89_391
"""Rows in the twelve Cleveland street files of 2025."""


def files(real_data: Path, folder: str, pattern: str = "*.geojson") -> list[str]:
    return sorted(str(p) for p in (real_data / folder).glob(pattern))


def independent_counts(real_data: Path) -> dict[str, dict[str, int]]:
    """Incidents per ward and category by geopandas.sjoin: the covering ward, the smallest
    code on shared edges, as tests/service/test_realdata_import.py counts them."""
    wards = pd.concat(gpd.read_file(p) for p in files(real_data, "boundaries/wards_wd25"))
    crime = pd.concat(
        pd.read_csv(p) for p in files(real_data, "police_uk/cleveland", "*.csv")
    ).reset_index(drop=True)
    assert len(crime) == ROWS
    assert sorted(crime["Month"].unique()) == [f"2025-{m:02d}" for m in range(1, 13)]
    assert set(crime["Crime type"]) <= set(CATEGORIES)
    points = gpd.GeoDataFrame(
        crime, geometry=gpd.points_from_xy(crime["Longitude"], crime["Latitude"]), crs=wards.crs
    )
    joined = gpd.sjoin(points, wards[["WD25CD", "geometry"]], predicate="intersects", how="left")
    crime["ward"] = joined.sort_values("WD25CD").groupby(level=0)["WD25CD"].first()
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    sizes = crime.groupby(["ward", "Crime type"]).size()
    for (ward, category), n in zip(sizes.index.tolist(), sizes.tolist(), strict=True):
        counts[str(ward)][str(category)] = int(n)
    return counts


def test_every_ward_profile_counts_what_the_street_files_hold(
    client: FlaskClient, runner: FlaskCliRunner, real_data: Path
) -> None:
    imported = run_json(runner, "import-wards", *files(real_data, "boundaries/wards_wd25"))
    assert imported["wards"] == 83
    crime = run_json(runner, "import-crime", str(real_data / "police_uk/cleveland"))
    assert (crime["rows_stored"], crime["rows_rejected"]) == (ROWS, 0)
    run_json(
        runner,
        "import-population",
        "--population",
        str(real_data / POPULATION),
        "--lsoa-boundaries",
        *files(real_data, "boundaries/lsoa21"),
    )
    expected = independent_counts(real_data)

    wards = client.get("/api/wards").get_json()
    assert len(wards) == 83
    in_wards = 0
    outside = set()
    fragile = {}
    for ward in wards:
        response = client.get(f"/api/wards/{ward['code']}/profile?from=2025-01&to=2025-12")
        assert response.status_code == 200, ward["code"]
        profile = response.get_json()
        if profile["rates_per_1000"]["denominator"]["fragile"]:
            fragile[ward["name"]] = profile["rates_per_1000"]["denominator"]
        own = expected.get(ward["code"], {})
        assert profile["counts"] == {c: own.get(c, 0) for c in CATEGORIES}, ward["code"]
        assert profile["completeness"]["months_missing"] == []
        in_wards += profile["crime_total"] + profile["asb_total"]
        outside.add(profile["completeness"]["outside_wards"])

    # The rows outside every ward are a force-wide figure: each profile gives the same one.
    assert outside == {18}
    assert in_wards + outside.pop() == ROWS
    by_authority: dict[str, int] = defaultdict(int)
    for ward in wards:
        by_authority[ward["lad_name"]] += ward["population"]
    assert by_authority == PUBLISHED

    # Residents by area share against best fit (tests/geodata/test_denominators.py counts
    # the same 40 fragile wards from the files): Belmont has 2,764 by best fit, 4,581 by area.
    assert len(fragile) == 40
    belmont = fragile["Belmont"]
    assert (belmont["best_fit"], round(belmont["area_weighted"])) == (2764, 4581)
    assert "4,581 residents here, 66 % more than 2,764" in belmont["note"]
    code = next(w["code"] for w in wards if w["name"] == "Belmont")
    page = client.get(f"/wards/{code}?from=2025-01&to=2025-12").get_data(as_text=True)
    assert 'id="residents-check"' in page and "66 % more than 2,764" in page
