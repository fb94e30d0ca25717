"""Test data built by ``create_*``/``write_*`` factories with keyword defaults."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from flask.testing import FlaskCliRunner
from shapely.geometry import box, mapping

from geodata.concerns import CONCERN_COLUMNS, Concern
from geodata.crime import STREET_COLUMNS

# Two wards side by side, sharing the edge lon = -1.20, and a third to the north.
WEST = box(-1.22, 54.60, -1.20, 54.62)
EAST = box(-1.20, 54.60, -1.18, 54.62)
NORTH = box(-1.22, 54.62, -1.18, 54.64)
HAND_DRAWN_WARDS = (
    ("E05000002", "West Ward", WEST),
    ("E05000001", "East Ward", EAST),
    ("E05000003", "North Ward", NORTH),
)


def write_wards(
    path: Path,
    wards: Sequence[tuple[str, str, object]] = HAND_DRAWN_WARDS,
    *,
    year: str = "25",
    lad: tuple[str, str] = ("E06000099", "Testborough"),
) -> Path:
    """A GeoJSON file in ONS layout (WDyyCD, WDyyNM, LADyyCD, LADyyNM), CRS84."""
    features = [
        {
            "type": "Feature",
            "properties": {
                f"WD{year}CD": code,
                f"WD{year}NM": name,
                f"LAD{year}CD": lad[0],
                f"LAD{year}NM": lad[1],
            },
            "geometry": mapping(shape),
        }
        for code, name, shape in wards
    ]
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}},
                "features": features,
            }
        )
    )
    return path


def street_row(
    *,
    crime_id: str = "",
    month: str = "2025-01",
    force: str = "Test Police",
    lon: str = "-1.21",
    lat: str = "54.61",
    location: str = "On or near High Street",
    lsoa_code: str = "E01000001",
    lsoa_name: str = "Testborough 001A",
    category: str = "Burglary",
    outcome: str = "",
    context: str = "",
) -> list[str]:
    """One police.uk street-level row; crimes get an id and an outcome unless given."""
    if category != "Anti-social behaviour":
        crime_id = crime_id or f"{abs(hash((month, lon, lat, category))):064x}"[-64:]
        outcome = outcome or "Under investigation"
    return [
        crime_id, month, force, force, lon, lat, location,
        lsoa_code, lsoa_name, category, outcome, context,
    ]  # fmt: skip


def write_street_csv(
    path: Path, rows: Iterable[list[str]], *, header: Sequence[str] = STREET_COLUMNS
) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def a_concern(**fields: Any) -> Concern:
    """An open ASB concern in West Ward, raised on 15 January 2025 at a community meeting."""
    values: dict[str, Any] = {
        "ward_code": "E05000002",
        "tag": "asb",
        "description": "Groups gathering by the play area in the evenings.",
        "raised_on": date(2025, 1, 15),
        "channel": "community-meeting",
        "recorded_by": "PCSO Example",
        "community": "older residents",
    }
    return Concern(**(values | fields))


def concern_row(**cells: str) -> dict[str, str]:
    """One row of a community concerns CSV, in West Ward; keyword arguments replace cells."""
    return {
        "ward_code": "E05000002",
        "tag": "asb",
        "description": "Groups gathering by the play area in the evenings.",
        "raised_on": "2025-01-15",
        "channel": "community-meeting",
        "community": "older residents",
        "location": "Mill Lane park",
        "longitude": "-1.21",
        "latitude": "54.61",
        "status": "open",
        "recorded_by": "PCSO Example",
    } | cells


def write_concerns_csv(
    path: Path, rows: Iterable[dict[str, str]], *, header: Sequence[str] = CONCERN_COLUMNS
) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        writer.writerows([row.get(column, "") for column in header] for row in rows)
    return path


def run_json(runner: FlaskCliRunner, *args: str) -> dict[str, Any]:
    """Run a command with --json, failing with its output unless it succeeded."""
    result = runner.invoke(args=[*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)
