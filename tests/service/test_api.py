"""The JSON API through the test client, on wards, crime and population imported by the CLI."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from shapely.geometry import box, mapping

from geodata.crime import ASB, CATEGORIES
from service.openapi import OPENAPI
from tests.factories import (
    EAST,
    HAND_DRAWN_WARDS,
    NORTH,
    WEST,
    run_json,
    street_row,
    write_street_csv,
    write_wards,
)

WEST_CODE, EAST_CODE, NORTH_CODE, SOUTH_CODE = "E05000002", "E05000001", "E05000003", "E05000004"
SOUTH = box(-1.22, 54.58, -1.18, 54.60)
"""A fourth ward, under WEST and EAST, where nothing happened; only some tests add it."""
LSOAS = (
    ("E01000001", WEST, 500),
    ("E01000002", EAST, 250),
    ("E01000003", NORTH, 250),
    ("E01000004", SOUTH, 100),
)
"""One LSOA filling each ward; a population file lists some of them."""
MONTHS = ("2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06")
HIGH_STREET = {"lon": "-1.21", "lat": "54.61", "location": "On or near High Street"}
PARK_ROAD = {"lon": "-1.215", "lat": "54.605", "location": "On or near Park Road"}


def month_rows(month: str) -> list[list[str]]:
    """One month: WEST has 2 burglaries a month until March, then 10 (the planted rise), and
    one ASB; EAST one violent crime, NORTH one drugs offence, and one shoplifting outside."""
    burglaries = 2 if month <= "2025-03" else 10
    return [
        *(
            street_row(month=month, crime_id=f"{month}-b{i}", **HIGH_STREET)
            for i in range(burglaries)
        ),
        street_row(month=month, category=ASB, **PARK_ROAD),
        street_row(month=month, lon="-1.19", lat="54.61", category="Violence and sexual offences"),
        street_row(month=month, lon="-1.21", lat="54.63", category="Drugs"),
        street_row(month=month, lon="-1.10", lat="54.61", category="Shoplifting"),
    ]


def write_lsoas(path: Path) -> Path:
    features = [
        {
            "type": "Feature",
            "properties": {"LSOA21CD": code, "LSOA21NM": f"Testborough {code[-3:]}"},
            "geometry": mapping(shape),
        }
        for code, shape, _ in LSOAS
    ]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def write_population(path: Path, lsoas: Sequence[tuple[str, object, int]] = LSOAS) -> Path:
    with path.open("w", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["lsoa21_code", "lsoa21_name", "age_group", "usual_residents"])
        writer.writerows((code, "", "All ages", str(n)) for code, _, n in lsoas)
    return path


def import_population(
    runner: FlaskCliRunner, tmp_path: Path, lsoas: Sequence[tuple[str, object, int]] = LSOAS[:3]
) -> None:
    run_json(
        runner,
        "import-population",
        "--population",
        str(write_population(tmp_path / "population.csv", lsoas)),
        "--lsoa-boundaries",
        str(write_lsoas(tmp_path / "lsoas.geojson")),
    )


def import_crime(runner: FlaskCliRunner, folder: Path, months: Sequence[str]) -> None:
    for month in months:
        write_street_csv(folder / month / f"{month}-test-street.csv", month_rows(month))
    run_json(runner, "import-crime", str(folder))


@pytest.fixture
def imported(runner: FlaskCliRunner, tmp_path: Path) -> None:
    """The three hand-drawn wards, January to June 2025 of crime, residents in every ward."""
    run_json(runner, "import-wards", str(write_wards(tmp_path / "wards.geojson")))
    import_crime(runner, tmp_path / "crime", MONTHS)
    import_population(runner, tmp_path)


def get_json(client: FlaskClient, url: str, status: int = 200) -> Any:
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/json"
    # Strict JSON: no NaN or Infinity, which browsers cannot parse.
    return json.loads(response.get_data(as_text=True), parse_constant=_refuse)


def _refuse(name: str) -> None:
    raise AssertionError(f"the response is not strict JSON: it contains {name}")


def error_message(client: FlaskClient, url: str, status: int) -> str:
    body = get_json(client, url, status)
    assert body["error"]["status"] == status
    message: str = body["error"]["message"]
    return message


# --- /api/wards ------------------------------------------------------------------------------


@pytest.mark.usefixtures("imported")
def test_wards_list_codes_names_and_population(client: FlaskClient) -> None:
    wards = get_json(client, "/api/wards")

    assert [(w["code"], w["name"], w["population"]) for w in wards] == [
        (EAST_CODE, "East Ward", 250),
        (WEST_CODE, "West Ward", 500),
        (NORTH_CODE, "North Ward", 250),
    ]
    assert {w["vintage"] for w in wards} == {"2025"}
    assert "geometry" not in wards[0]


def test_wards_before_any_import_is_a_json_404(client: FlaskClient) -> None:
    assert error_message(client, "/api/wards", 404) == "no ward boundaries are stored"


# --- /api/wards/<code>/profile ---------------------------------------------------------------


@pytest.mark.usefixtures("imported")
def test_profile_defaults_to_the_latest_twelve_months_held(client: FlaskClient) -> None:
    profile = get_json(client, f"/api/wards/{WEST_CODE}/profile")

    assert profile["period"] == {"from": "2024-07", "to": "2025-06", "months": 12}
    assert profile["counts"] == {c: {"Burglary": 36, ASB: 6}.get(c, 0) for c in CATEGORIES}
    assert (profile["crime_total"], profile["asb_total"]) == (36, 6)
    assert profile["ward"]["code"] == WEST_CODE
    assert profile["ward"]["population"] == 500
    completeness = profile["completeness"]
    assert completeness["months_missing"] == [f"2024-{m:02d}" for m in range(7, 13)]
    # Every row of the six months: 36 + 6 in WEST, 6 each in EAST and NORTH, 6 outside.
    assert (completeness["rows"], completeness["outside_wards"]) == (60, 6)
    assert set(OPENAPI["components"]["schemas"]["Profile"]["required"]) <= set(profile)


@pytest.mark.usefixtures("imported")
def test_profile_rates_compare_wards_with_residents(client: FlaskClient) -> None:
    rates = get_json(client, f"/api/wards/{WEST_CODE}/profile")["rates_per_1000"]

    # WEST: 36 crimes per 500 residents; EAST and NORTH: 6 per 250; force: 48 per 1,000.
    assert rates["crime"] == 72.0
    assert rates["asb"] == 12.0
    assert rates["force"] == {
        "rate": 72.0,
        "force_rate": 48.0,
        "ratio": 1.5,
        "rank": 1,
        "of": 3,
    }


@pytest.mark.usefixtures("imported")
def test_profile_of_an_explicit_period_finds_the_planted_rise(client: FlaskClient) -> None:
    profile = get_json(client, f"/api/wards/{WEST_CODE}/profile?from=2025-04&to=2025-06")

    assert profile["period"] == {"from": "2025-04", "to": "2025-06", "months": 3}
    assert profile["counts"]["Burglary"] == 30
    assert (profile["crime_total"], profile["asb_total"]) == (30, 3)
    burglary = next(line for line in profile["trends"] if line["category"] == "Burglary")
    assert burglary["previous"]["count"] == 6
    assert burglary["year_earlier"]["available"] is False
    assert burglary["sentences"] == [
        "Burglary rose from 6 to 30, more than usual variation explains (about 18 if it had "
        "followed the force, among the 2 changes checked here)."
    ]
    assert burglary["previous"]["significant"] is True
    assert burglary["previous"]["verdict"] == "rise"
    assert profile["top_locations"][0] == {
        "location": "On or near High Street",
        "count": 30,
        "longitude": -1.21,
        "latitude": 54.61,
    }


@pytest.mark.usefixtures("imported")
def test_profile_of_other_wards(client: FlaskClient) -> None:
    east = get_json(client, f"/api/wards/{EAST_CODE}/profile?from=2025-01&to=2025-06")
    north = get_json(client, f"/api/wards/{NORTH_CODE}/profile?from=2025-01&to=2025-06")

    assert east["counts"]["Violence and sexual offences"] == east["crime_total"] == 6
    assert east["rates_per_1000"]["force"]["rank"] == 2
    assert north["counts"]["Drugs"] == north["crime_total"] == 6
    assert north["asb_total"] == 0


@pytest.mark.usefixtures("imported")
def test_ward_without_population_has_no_rate(
    client: FlaskClient, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    import_population(runner, tmp_path, LSOAS[:2])

    wards = get_json(client, "/api/wards")
    north = get_json(client, f"/api/wards/{NORTH_CODE}/profile")
    west = get_json(client, f"/api/wards/{WEST_CODE}/profile")

    assert [w["population"] for w in wards] == [250, 500, None]
    assert north["ward"]["population"] is None
    assert north["rates_per_1000"]["crime"] is None
    assert north["rates_per_1000"]["force"] is None
    assert north["completeness"]["population"] == "no population for this ward"
    # The force rate is taken over the wards with residents only: 42 crimes per 750.
    assert west["rates_per_1000"]["force"]["force_rate"] == 56.0
    assert west["rates_per_1000"]["force"]["of"] == 2


def add_south(runner: FlaskCliRunner, tmp_path: Path) -> None:
    """SOUTH joins the wards (same vintage) with 100 residents and no incidents at all."""
    wards = (*HAND_DRAWN_WARDS, (SOUTH_CODE, "South Ward", SOUTH))
    run_json(runner, "import-wards", str(write_wards(tmp_path / "with-south.geojson", wards)))
    import_population(runner, tmp_path, LSOAS)


@pytest.mark.usefixtures("imported")
def test_profile_of_a_ward_without_incidents(
    client: FlaskClient, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    # Guards a fixed 500: ward_facts built its frame from no rows with every column float64,
    # so build_profile's facts["month"].between("2025-01", "2025-06") raised "TypeError:
    # Invalid comparison between dtype=float64 and str". Empty frames are typed now.
    add_south(runner, tmp_path)

    south = get_json(client, f"/api/wards/{SOUTH_CODE}/profile?from=2025-01&to=2025-06")

    assert south["counts"] == dict.fromkeys(CATEGORIES, 0)
    assert (south["crime_total"], south["asb_total"]) == (0, 0)
    assert south["rates_per_1000"]["crime"] == 0.0
    assert south["rates_per_1000"]["force"]["rank"] == 4
    assert south["outcomes"] == {}
    assert south["top_locations"] == []
    assert south["hotspots"]["hot_cells"] == 0


@pytest.mark.usefixtures("imported")
def test_unknown_ward_is_a_json_404_naming_it(client: FlaskClient) -> None:
    message = error_message(client, "/api/wards/NOPE/profile", 404)

    assert message == "no ward 'NOPE' in the latest boundary vintage"
    assert "NOPE" in error_message(client, "/api/wards/NOPE/incidents.geojson", 404)


@pytest.mark.usefixtures("imported")
@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("from=2025-13&to=2025-12", "from: '2025-13' is not a month as YYYY-MM"),
        ("from=2025-01&to=June", "to: 'June' is not a month as YYYY-MM"),
        ("from=2025-06&to=2025-01", "from: 2025-06 is after to 2025-01"),
        ("to=2025-06", "from: give both from and to, or neither"),
        ("from=2025-01", "to: give both from and to, or neither"),
        ("from=&to=2025-06", "from: '' is not a month as YYYY-MM"),
    ],
)
def test_bad_period_is_a_json_400_naming_the_parameter(
    client: FlaskClient, query: str, message: str
) -> None:
    for url in ("/api/wards/{code}/profile", "/api/wards/{code}/incidents.geojson"):
        assert error_message(client, f"{url.format(code=WEST_CODE)}?{query}", 400) == message
    assert error_message(client, f"/api/wards.geojson?{query}", 400) == message


@pytest.mark.usefixtures("imported")
def test_month_with_a_trailing_newline_is_refused(client: FlaskClient) -> None:
    # Accepted today: "2025-01\n" passes the month pattern, the period says 3 months, and
    # January is silently left out of the counts (BETWEEN '2025-01\n' AND '2025-03').
    message = error_message(
        client, f"/api/wards/{WEST_CODE}/profile?from=2025-01%0A&to=2025-03", 400
    )

    assert message.startswith("from: ")


@pytest.mark.usefixtures("imported")
def test_ward_name_with_markup_comes_back_as_plain_text(
    client: FlaskClient, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    name = '<script>alert("x")</script> & Ward'
    wards = ((WEST_CODE, name, WEST), (EAST_CODE, "East Ward", EAST), (NORTH_CODE, "N", NORTH))
    run_json(runner, "import-wards", str(write_wards(tmp_path / "w26.geojson", wards, year="26")))

    listed = get_json(client, "/api/wards")
    profile = get_json(client, f"/api/wards/{WEST_CODE}/profile")
    geojson = get_json(client, "/api/wards.geojson")

    assert listed[1]["name"] == name
    assert listed[1]["vintage"] == "2026"
    assert profile["ward"]["name"] == name
    assert geojson["features"][1]["properties"]["name"] == name


# --- GeoJSON -------------------------------------------------------------------------------


@pytest.mark.usefixtures("imported")
def test_incidents_by_category_sum_to_the_profile_counts(client: FlaskClient) -> None:
    url = f"/api/wards/{WEST_CODE}/incidents.geojson?from=2025-01&to=2025-06"

    everything = get_json(client, url)
    burglaries = get_json(client, f"{url}&category=Burglary")
    asb = get_json(client, f"{url}&category={ASB}")
    drugs = get_json(client, f"{url}&category=Drugs")

    assert everything["type"] == "FeatureCollection"
    assert sum(f["properties"]["count"] for f in everything["features"]) == 42
    assert sum(f["properties"]["count"] for f in burglaries["features"]) == 36
    assert {f["properties"]["category"] for f in burglaries["features"]} == {"Burglary"}
    assert sum(f["properties"]["count"] for f in asb["features"]) == 6
    assert asb["features"][0]["geometry"] == {"type": "Point", "coordinates": [-1.215, 54.605]}
    assert drugs["features"] == []
    # One feature per snap point, month, category and outcome.
    assert len(burglaries["features"]) == 6


@pytest.mark.usefixtures("imported")
@pytest.mark.parametrize("category", ["Dragons", "burglary", ""])
def test_unknown_category_is_a_400_naming_it(client: FlaskClient, category: str) -> None:
    message = error_message(
        client, f"/api/wards/{WEST_CODE}/incidents.geojson?category={category}", 400
    )

    assert message.startswith(f"category: {category!r} is not one of {ASB}, ")


@pytest.mark.usefixtures("imported")
def test_wards_geojson_has_one_feature_per_ward_with_totals(client: FlaskClient) -> None:
    geojson = get_json(client, "/api/wards.geojson?from=2025-01&to=2025-06")

    assert geojson["period"] == {"from": "2025-01", "to": "2025-06", "months": 6}
    figures = {
        f["properties"]["code"]: (
            f["properties"]["crime_total"],
            f["properties"]["asb_total"],
            f["properties"]["crime_per_1000"],
        )
        for f in geojson["features"]
    }
    assert figures == {
        EAST_CODE: (6, 0, 24.0),
        WEST_CODE: (36, 6, 72.0),
        NORTH_CODE: (6, 0, 24.0),
    }
    assert {f["geometry"]["type"] for f in geojson["features"]} == {"Polygon"}
    assert [f["properties"]["name"] for f in geojson["features"]] == [
        "East Ward",
        "West Ward",
        "North Ward",
    ]


def map_figures(client: FlaskClient, code: str) -> tuple[int, int, float | None]:
    geojson = get_json(client, "/api/wards.geojson?from=2025-01&to=2025-06")
    found = next(f["properties"] for f in geojson["features"] if f["properties"]["code"] == code)
    return found["crime_total"], found["asb_total"], found["crime_per_1000"]


@pytest.mark.usefixtures("imported")
def test_wards_geojson_rate_is_null_for_a_ward_without_population(
    client: FlaskClient, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    # Guards a fixed 500: headline.loc[code] made a row of int64, Int64 and float64 columns,
    # which pandas stores as Float64, so the NaN rate came back as pd.NA and ward_features'
    # math.isnan(pd.NA) raised "TypeError: must be real number, not NAType".
    import_population(runner, tmp_path, LSOAS[:2])

    assert map_figures(client, NORTH_CODE) == (6, 0, None)
    assert map_figures(client, WEST_CODE) == (36, 6, 72.0)


@pytest.mark.usefixtures("imported")
def test_wards_geojson_rate_is_zero_for_a_ward_with_residents_and_no_incidents(
    client: FlaskClient, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    # Guards a fixed bug: a ward with no incidents in any month held was missing from
    # ForceCounts.wards, so ward_features gave it crime_per_1000 None ("no population")
    # although it has 100 residents and its profile's force comparison gives it a rate of 0.
    add_south(runner, tmp_path)

    assert map_figures(client, SOUTH_CODE) == (0, 0, 0.0)


@pytest.mark.usefixtures("imported")
def test_wards_geojson_rate_is_valid_json_for_a_ward_of_no_residents(
    client: FlaskClient, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    # WEST's only LSOA has 0 residents: its rate must be null, as in the profile, not the
    # Infinity that jsonify writes for 1000 * 36 / 0.
    import_population(runner, tmp_path, [("E01000001", WEST, 0), *LSOAS[1:3]])

    profile = get_json(client, f"/api/wards/{WEST_CODE}/profile")
    geojson = get_json(client, "/api/wards.geojson")

    assert profile["rates_per_1000"]["crime"] is None
    west = next(f for f in geojson["features"] if f["properties"]["code"] == WEST_CODE)
    assert west["properties"]["crime_per_1000"] is None


# --- The documentation and the cache -------------------------------------------------------


def test_openapi_documents_every_api_route(app: Flask, client: FlaskClient) -> None:
    served = get_json(client, "/api/openapi.json")

    routes = [rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/")]
    assert {"/api/wards", "/api/wards/<code>/profile", "/api/wards.geojson"} <= {
        rule.rule for rule in routes
    }
    for rule in routes:
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
        assert path in OPENAPI["paths"], path
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            assert method.lower() in OPENAPI["paths"][path], (method, path)
    assert served == json.loads(json.dumps(OPENAPI))


@pytest.mark.usefixtures("imported")
def test_shared_figures_are_read_again_after_a_population_import(
    client: FlaskClient, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    before = get_json(client, f"/api/wards/{WEST_CODE}/profile")["rates_per_1000"]

    import_population(runner, tmp_path, [("E01000001", WEST, 400), *LSOAS[1:3]])

    after = get_json(client, f"/api/wards/{WEST_CODE}/profile")["rates_per_1000"]
    assert (before["population"], after["population"]) == (500, 400)
    assert (before["crime"], after["crime"]) == (72.0, 90.0)
    # The force-wide figures are shared, so they must follow too: 48 crimes per 900.
    assert (before["force"]["force_rate"], after["force"]["force_rate"]) == (48.0, 48_000 / 900)
    assert map_figures(client, WEST_CODE) == (36, 6, 90.0)


@pytest.mark.usefixtures("imported")
def test_shared_figures_are_read_again_after_a_crime_import(
    client: FlaskClient, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    # Guards a fixed bug that was not the cache's: import-crime writes through its own ADBC
    # SQLite library, and when that connection closed it took itself for the last one on
    # the file (POSIX locks do not conflict within a process), checkpointed and deleted
    # test.sqlite-wal and -shm; the app's pooled sqlite3 connections kept the deleted
    # wal-index and never saw the July import. The import now closes the pooled connections
    # around its own.
    before = get_json(client, f"/api/wards/{WEST_CODE}/profile")
    map_before = get_json(client, "/api/wards.geojson")

    import_crime(runner, tmp_path / "july", ["2025-07"])

    after = get_json(client, f"/api/wards/{WEST_CODE}/profile")
    map_after = get_json(client, "/api/wards.geojson")
    assert before["period"]["to"] == "2025-06"
    assert after["period"] == {"from": "2024-08", "to": "2025-07", "months": 12}
    assert (before["counts"]["Burglary"], after["counts"]["Burglary"]) == (36, 46)
    assert (before["completeness"]["rows"], after["completeness"]["rows"]) == (60, 74)
    assert after["rates_per_1000"]["force"]["rate"] == 1000 * 46 / 500
    west = [
        next(f["properties"] for f in m["features"] if f["properties"]["code"] == WEST_CODE)
        for m in (map_before, map_after)
    ]
    assert (west[0]["crime_total"], west[1]["crime_total"]) == (36, 46)
