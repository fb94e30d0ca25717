"""export: one GeoPackage with a layer per product, provenance, QGIS styles, no overwrite."""

from __future__ import annotations

import sqlite3
import xml.etree.ElementTree as ET
from pathlib import Path

import pyogrio
import pytest
from flask.testing import FlaskClient, FlaskCliRunner

from geodata.io.downloads import read_provenance
from tests.factories import (
    concern_row,
    run_json,
    street_row,
    write_concerns_csv,
    write_street_csv,
    write_wards,
)

LAYERS = ["wards", "incidents", "hotspots", "priorities", "concerns", "plans", "layer_styles"]


@pytest.fixture
def force(runner: FlaskCliRunner, tmp_path: Path) -> Path:
    """The hand-drawn wards, two months of incidents (most in West Ward) and two concerns,
    one whose text a spreadsheet would run as a formula."""
    run_json(runner, "import-wards", str(write_wards(tmp_path / "wards.geojson")))
    rows = [
        street_row(month=month, lon=lon, lat="54.61", category=category, location=place)
        for month in ("2025-01", "2025-02")
        for lon, category, place in (
            ("-1.21", "Burglary", "On or near High Street"),
            ("-1.211", "Burglary", "On or near High Street"),
            ("-1.212", "Anti-social behaviour", "On or near Mill Lane"),
            ("-1.19", "Drugs", "On or near East Road"),
        )
    ]
    run_json(runner, "import-crime", str(write_street_csv(tmp_path / "street.csv", rows)))
    concerns = [
        concern_row(),
        concern_row(ward_code="E05000001", description="=HYPERLINK(1)", tag="drugs"),
    ]
    run_json(
        runner, "import-concerns", str(write_concerns_csv(tmp_path / "concerns.csv", concerns))
    )
    return tmp_path / "force.gpkg"


def test_every_product_is_a_layer_with_its_provenance(
    runner: FlaskCliRunner, client: FlaskClient, force: Path
) -> None:
    summary = run_json(
        runner, "export", "--out", str(force), "--from", "2025-01", "--to", "2025-02"
    )

    assert sorted(name for name, _ in pyogrio.list_layers(force)) == sorted(LAYERS)
    assert summary["layers"] == {
        "wards": 3,
        "incidents": 8,
        "hotspots": summary["layers"]["hotspots"],
        "priorities": summary["layers"]["priorities"],
        "concerns": 2,
        "plans": 0,
    }
    wards = pyogrio.read_dataframe(force, layer="wards")
    assert wards.crs.to_epsg() == 27700
    for ward in wards.itertuples():
        profile = client.get(f"/api/wards/{ward.code}/profile?from=2025-01&to=2025-02").get_json()
        assert (ward.crime_total, ward.asb_total) == (profile["crime_total"], profile["asb_total"])
    assert dict(zip(wards["code"], wards["burglary"], strict=True)) == {
        "E05000001": 0,
        "E05000002": 4,
        "E05000003": 0,
    }
    incidents = pyogrio.read_dataframe(force, layer="incidents")
    assert incidents["count"].sum() == 8
    assert read_provenance(force, layer="wards") == {
        "period": "2025-01 to 2025-02",
        "boundary_vintage": "2025",
        "source": read_provenance(force, layer="wards")["source"],
        "licence": (
            "police.uk and ONS data, Open Government Licence v3.0; contains OS data "
            "© Crown copyright and database right."
        ),
        "protective_marking": "OFFICIAL",
        "DESCRIPTION": "Wards with their crime and ASB counts, rates, ratios, ranks and harm",
    }
    assert read_provenance(force, layer="concerns")["protective_marking"] == "OFFICIAL-SENSITIVE"
    concerns = pyogrio.read_dataframe(force, layer="concerns")
    assert "=HYPERLINK(1)" in set(concerns["description"])  # a GeoPackage holds text as it is


def test_the_ward_and_hot_spot_layers_carry_qgis_styles(
    runner: FlaskCliRunner, force: Path
) -> None:
    run_json(runner, "export", "--out", str(force))

    styles = pyogrio.read_dataframe(force, layer="layer_styles", read_geometry=False)
    assert sorted(styles["f_table_name"]) == ["hotspots", "wards"]
    assert styles["useAsDefault"].all()
    renderers = {}
    for name, qml in zip(styles["f_table_name"], styles["styleQML"], strict=True):
        root = ET.fromstring(qml.split("\n", 1)[1])
        assert root.tag == "qgis"
        renderers[name] = root.find("renderer-v2").get("type")  # type: ignore[union-attr]
    assert renderers == {"wards": "graduatedSymbol", "hotspots": "RuleRenderer"}
    with sqlite3.connect(force) as connection:  # QGIS looks the style up by these columns
        columns = [row[1] for row in connection.execute("PRAGMA table_info(layer_styles)")]
    assert {"id", "f_table_name", "f_geometry_column", "styleQML", "useAsDefault"} <= set(columns)


def test_wards_limit_every_layer_and_wgs84_on_request(runner: FlaskCliRunner, force: Path) -> None:
    summary = run_json(
        runner, "export", "--out", str(force), "--ward", "E05000001", "--crs", "4326"
    )

    assert summary["layers"]["wards"] == 1 and summary["layers"]["incidents"] == 2
    assert summary["layers"]["concerns"] == 1
    wards = pyogrio.read_dataframe(force, layer="wards")
    assert wards.crs.to_epsg() == 4326 and list(wards["code"]) == ["E05000001"]


def test_refuses_to_overwrite_and_unknown_wards(runner: FlaskCliRunner, force: Path) -> None:
    force.write_bytes(b"kept")
    refused = runner.invoke(args=["export", "--out", str(force)])
    assert refused.exit_code == 2 and "--overwrite" in refused.output
    assert force.read_bytes() == b"kept"
    unknown = runner.invoke(args=["export", "--out", str(force), "--ward", "E0599", "--overwrite"])
    assert unknown.exit_code == 2 and "E0599" in unknown.output
    assert force.read_bytes() == b"kept"
    run_json(runner, "export", "--out", str(force), "--overwrite")
    assert len(pyogrio.list_layers(force)) == len(LAYERS)


def test_the_public_export_follows_the_public_report_rules(
    runner: FlaskCliRunner, client: FlaskClient, force: Path
) -> None:
    summary = run_json(
        runner, "export", "--out", str(force), "--audience", "public", "--from", "2025-01",
        "--to", "2025-02",
    )  # fmt: skip

    assert sorted(name for name, _ in pyogrio.list_layers(force)) == [
        "hotspots",
        "layer_styles",
        "wards",
    ]
    assert summary["audience"] == "public" and "concerns" not in summary["layers"]
    wards = pyogrio.read_dataframe(force, layer="wards").set_index("code")
    # West Ward: 4 burglaries and 2 ASB, both below 5; East Ward: 2 drug offences.
    assert wards.loc["E05000002", ["crime_total", "asb_total", "burglary"]].tolist() == [
        "<5",
        "<5",
        "<5",
    ]
    assert wards["crime_per_1000"].isna().all() and wards["harm_total"].isna().all()
    hot = pyogrio.read_dataframe(force, layer="hotspots")
    assert list(hot.columns) == ["row", "col", "count", "label", "geometry"]
    assert "description" not in wards.columns and "location" not in wards.columns
