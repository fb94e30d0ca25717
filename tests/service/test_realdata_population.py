"""Acceptance on the real Cleveland Census 2021 population and LSOA boundaries."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskCliRunner

from service.store.db import get_engine
from service.store.population import list_ward_population
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


def files(real_data: Path, folder: str) -> list[str]:
    return sorted(str(p) for p in (real_data / folder).glob("*.geojson"))


def independent_lookup(real_data: Path) -> dict[str, str]:
    """LSOA to ward by geopandas: representative point, covering ward, smallest code."""
    wards = pd.concat(gpd.read_file(p) for p in files(real_data, "boundaries/wards_wd25"))
    lsoas = pd.concat(gpd.read_file(p) for p in files(real_data, "boundaries/lsoa21"))
    points = gpd.GeoDataFrame(
        {"LSOA21CD": lsoas["LSOA21CD"].to_numpy()},
        geometry=lsoas.geometry.representative_point().to_numpy(),
        crs=lsoas.crs,
    )
    joined = gpd.sjoin(points, wards[["WD25CD", "geometry"]], predicate="intersects")
    first = joined.sort_values("WD25CD").groupby("LSOA21CD")["WD25CD"].first()
    return {str(lsoa): str(ward) for lsoa, ward in first.items()}


def test_cleveland_population_adds_up_to_the_published_authority_totals(
    app: Flask, runner: FlaskCliRunner, real_data: Path
) -> None:
    wards = run_json(runner, "import-wards", *files(real_data, "boundaries/wards_wd25"))
    assert wards["wards"] == 83

    summary = run_json(
        runner,
        "import-population",
        "--population",
        str(real_data / POPULATION),
        "--lsoa-boundaries",
        *files(real_data, "boundaries/lsoa21"),
    )

    assert (summary["lsoas"], summary["residents"], summary["rows_rejected"]) == (359, 569_389, 0)
    assert (summary["missing_boundaries"], summary["missing_population"]) == ([], [])
    assert summary["wards_with_population"] == {"2025": 83}
    assert summary["lsoas_outside_wards"] == {"2025": 0}
    assert summary["by_local_authority"] == {"2025": PUBLISHED}

    with app.app_context():
        by_ward = list_ward_population(get_engine(), vintage="2025")
        with get_engine().connect() as connection:
            lookup = dict(
                connection.execute(sa.text("SELECT lsoa_code, ward_code FROM lsoa_wards")).all()
            )
    # Summed again here from the ward files' own LAD25NM, not from the store's wards.
    authorities = pd.concat(
        gpd.read_file(p) for p in files(real_data, "boundaries/wards_wd25")
    ).set_index("WD25CD")["LAD25NM"]
    assert len(by_ward) == 83 == len(authorities)
    assert all(figures["residents"] > 0 for figures in by_ward.values())
    totals: dict[str, int] = {}
    for code, figures in by_ward.items():
        totals[authorities[code]] = totals.get(authorities[code], 0) + figures["residents"]
    assert totals == PUBLISHED
    assert sum(figures["lsoas"] for figures in by_ward.values()) == 359
    assert lookup == independent_lookup(real_data)
