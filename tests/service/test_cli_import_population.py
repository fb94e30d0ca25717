"""import-population: LSOA residents stored, placed in wards by best fit, for every vintage."""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskCliRunner
from shapely.geometry import box, mapping

from geodata.population import METHOD, describe_method
from service.store.db import broken_foreign_keys, get_engine
from service.store.population import list_area_weighted_population, list_ward_population
from tests.factories import WEST, run_json, write_wards

# LSOAs drawn inside the hand-drawn wards of tests.factories (WEST E05000002, EAST E05000001,
# NORTH E05000003): two in WEST, one filling EAST, and one in NORTH with no population row,
# so NORTH gets no population at all.
HAND_DRAWN_LSOAS = (
    ("E01000001", "Testborough 001A", box(-1.22, 54.60, -1.21, 54.61)),
    ("E01000002", "Testborough 001B", box(-1.21, 54.60, -1.20, 54.61)),
    ("E01000003", "Testborough 002A", box(-1.20, 54.60, -1.18, 54.62)),
    ("E01000004", "Testborough 003A", box(-1.22, 54.62, -1.21, 54.63)),
)
POPULATION = (
    ("E01000001", "Testborough 001A", "Aged 0 to 49", "100"),
    ("E01000001", "Testborough 001A", "Aged 50 and over", "50"),
    ("E01000002", "Testborough 001B", "All ages", "200"),
    ("E01000003", "Testborough 002A", "All ages", "300"),
    ("E01000009", "Elsewhere 001A", "All ages", "40"),
)
"""690 residents; E01000009 has no boundary, E01000004 no population."""


def write_lsoas(path: Path, lsoas: Sequence[tuple[str, str, object]] = HAND_DRAWN_LSOAS) -> Path:
    """A GeoJSON file in ONS layout (LSOA21CD, LSOA21NM), CRS84."""
    features = [
        {
            "type": "Feature",
            "properties": {"LSOA21CD": code, "LSOA21NM": name},
            "geometry": mapping(shape),
        }
        for code, name, shape in lsoas
    ]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def write_population(path: Path, rows: Sequence[Sequence[str]] = POPULATION) -> Path:
    with path.open("w", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["lsoa21_code", "lsoa21_name", "age_group", "usual_residents"])
        writer.writerows(rows)
    return path


def import_population(runner: FlaskCliRunner, tmp_path: Path, *extra: str) -> dict[str, Any]:
    return run_json(
        runner,
        "import-population",
        "--population",
        str(write_population(tmp_path / "population.csv")),
        "--lsoa-boundaries",
        str(write_lsoas(tmp_path / "lsoas.geojson")),
        *extra,
    )


def rows(app: Flask, sql: str) -> list[tuple[Any, ...]]:
    with app.app_context(), get_engine().connect() as connection:
        return [tuple(row) for row in connection.execute(sa.text(sql))]


def foreign_key_problems(app: Flask) -> list[tuple[object, ...]]:
    with app.app_context():
        return broken_foreign_keys(get_engine())


def ward_population(app: Flask, vintage: str = "2025") -> dict[str, dict[str, Any]]:
    with app.app_context():
        return list_ward_population(get_engine(), vintage=vintage)


def test_population_is_stored_and_every_lsoa_accounted_for(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    run_json(runner, "import-wards", str(write_wards(tmp_path / "wards.geojson")))

    summary = import_population(runner, tmp_path)

    assert summary == {
        "lsoas": 4,
        "residents": 690,
        "census_year": 2021,
        "method": METHOD,
        "rows_rejected": 0,
        "rejected": [],
        "repaired": 0,
        "repairs": [],
        "missing_boundaries": ["E01000009"],
        "missing_population": ["E01000004"],
        "wards_with_population": {"2025": 2},
        "lsoas_outside_wards": {"2025": 0},
        "by_local_authority": {"2025": {"Testborough": 650}},
    }
    # NORTH (E05000003) has no LSOA with a population, so it is absent, not zero.
    assert ward_population(app) == {
        "E05000001": {"residents": 300, "lsoas": 1, "census_year": 2021, "method": METHOD},
        "E05000002": {"residents": 350, "lsoas": 2, "census_year": 2021, "method": METHOD},
    }
    assert rows(app, "SELECT code, residents, longitude IS NULL FROM lsoas ORDER BY code") == [
        ("E01000001", 150, 0),
        ("E01000002", 200, 0),
        ("E01000003", 300, 0),
        ("E01000009", 40, 1),
    ]
    assert foreign_key_problems(app) == []


def test_human_summary_is_one_line(runner: FlaskCliRunner, tmp_path: Path) -> None:
    run_json(runner, "import-wards", str(write_wards(tmp_path / "wards.geojson")))
    result = runner.invoke(
        args=[
            "import-population",
            "--population",
            str(write_population(tmp_path / "population.csv")),
            "--lsoa-boundaries",
            str(write_lsoas(tmp_path / "lsoas.geojson")),
        ]
    )

    assert result.exit_code == 0, result.output
    assert result.stdout.strip().splitlines() == [
        "Stored 4 LSOAs, 690 residents (Census 2021); 2 wards of vintage 2025 have a "
        "population. 1 LSOA without a boundary; 1 boundary without population."
    ]


def test_boundary_files_may_follow_one_option_or_repeat_it(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    population = str(write_population(tmp_path / "population.csv"))
    first = str(write_lsoas(tmp_path / "first.geojson", HAND_DRAWN_LSOAS[:2]))
    second = str(write_lsoas(tmp_path / "second.geojson", HAND_DRAWN_LSOAS[2:]))

    listed = run_json(
        runner, "import-population", "--population", population, "--lsoa-boundaries", first, second
    )
    repeated = run_json(
        runner,
        "import-population",
        "--population",
        population,
        "--lsoa-boundaries",
        first,
        "--lsoa-boundaries",
        second,
    )

    assert listed == repeated
    assert listed["missing_population"] == ["E01000004"]


def test_reimporting_replaces_all_population(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    run_json(runner, "import-wards", str(write_wards(tmp_path / "wards.geojson")))
    import_population(runner, tmp_path)
    smaller = write_population(tmp_path / "smaller.csv", [("E01000003", "", "All ages", "310")])

    summary = run_json(
        runner,
        "import-population",
        "--population",
        str(smaller),
        "--lsoa-boundaries",
        str(tmp_path / "lsoas.geojson"),
        "--census-year",
        "2011",
    )

    assert (summary["lsoas"], summary["residents"]) == (1, 310)
    assert ward_population(app) == {
        "E05000001": {
            "residents": 310,
            "lsoas": 1,
            "census_year": 2011,
            "method": describe_method(census_year=2011),
        }
    }
    # The name missing from the file is taken from the boundaries.
    assert rows(app, "SELECT code, name FROM lsoas") == [("E01000003", "Testborough 002A")]
    assert rows(app, "SELECT count(*) FROM lsoa_wards") == [(1,)]
    assert rows(app, "SELECT kind, count(*) FROM imports GROUP BY kind ORDER BY kind") == [
        ("population", 4),
        ("wards", 1),
    ]


def test_a_ward_vintage_imported_later_gets_the_lookup(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    summary = import_population(runner, tmp_path)
    assert summary["wards_with_population"] == {}

    wards_2025 = run_json(runner, "import-wards", str(write_wards(tmp_path / "w25.geojson")))
    old_west = (("E05000099", "Old West Ward", WEST),)
    wards_2024 = run_json(
        runner, "import-wards", str(write_wards(tmp_path / "w24.geojson", old_west, year="24"))
    )

    # Three stored LSOAs have a point; E01000009 has no boundary, so no point and no ward.
    assert (wards_2025["lsoas_assigned"], wards_2025["lsoas_outside"]) == (3, 0)
    assert (wards_2024["lsoas_assigned"], wards_2024["lsoas_outside"]) == (2, 1)
    assert ward_population(app, "2025") == {
        "E05000001": {"residents": 300, "lsoas": 1, "census_year": 2021, "method": METHOD},
        "E05000002": {"residents": 350, "lsoas": 2, "census_year": 2021, "method": METHOD},
    }
    assert ward_population(app, "2024") == {
        "E05000099": {"residents": 350, "lsoas": 2, "census_year": 2021, "method": METHOD},
    }

    run_json(runner, "import-wards", str(write_wards(tmp_path / "again.geojson", year="25")))
    assert rows(app, "SELECT vintage, count(*) FROM lsoa_wards GROUP BY vintage") == [
        ("2024", 3),
        ("2025", 3),
    ]
    assert foreign_key_problems(app) == []


def test_rejected_rows_are_listed_with_their_lines(runner: FlaskCliRunner, tmp_path: Path) -> None:
    population = write_population(
        tmp_path / "population.csv", [*POPULATION, ("E01000001", "", "Aged 99", "lots")]
    )

    summary = run_json(
        runner,
        "import-population",
        "--population",
        str(population),
        "--lsoa-boundaries",
        str(write_lsoas(tmp_path / "lsoas.geojson")),
    )

    assert summary["rows_rejected"] == 1
    assert summary["rejected"] == [
        {
            "source": str(population),
            "line": 7,
            "column": "usual_residents",
            "problem": "the count 'lots' is not a whole number",
        }
    ]
    assert summary["residents"] == 690


def test_bad_population_file_fails_clearly_and_keeps_what_was_stored(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    import_population(runner, tmp_path)
    before = rows(app, "SELECT * FROM lsoas ORDER BY code")
    bad = tmp_path / "bad.csv"
    bad.write_text("ward,people\nE05000001,10\n")

    result = runner.invoke(
        args=[
            "import-population",
            "--population",
            str(bad),
            "--lsoa-boundaries",
            str(tmp_path / "lsoas.geojson"),
        ]
    )

    assert result.exit_code != 0
    assert "bad.csv" in result.output
    assert "['ward', 'people']" in result.output
    assert rows(app, "SELECT * FROM lsoas ORDER BY code") == before


def test_bad_boundary_file_fails_and_stores_nothing(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.geojson"
    bad.write_text("this is not GeoJSON")

    result = runner.invoke(
        args=[
            "import-population",
            "--population",
            str(write_population(tmp_path / "population.csv")),
            "--lsoa-boundaries",
            str(bad),
        ]
    )

    assert result.exit_code != 0
    assert "bad.geojson" in result.output
    assert rows(app, "SELECT count(*) FROM lsoas") == [(0,)]
    assert rows(app, "SELECT count(*) FROM imports") == [(0,)]


def test_boundary_files_are_required(runner: FlaskCliRunner, tmp_path: Path) -> None:
    result = runner.invoke(
        args=["import-population", "--population", str(write_population(tmp_path / "p.csv"))]
    )

    assert result.exit_code == 2
    assert "--lsoa-boundaries" in result.output


def test_a_vrt_as_lsoa_boundaries_is_refused_and_its_file_never_read(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    """Issue 13, item 1: LSOA boundaries are read as ward boundaries are, never as VRT."""
    lsoas = write_lsoas(tmp_path / "private.geojson")
    vrt = tmp_path / "lsoas.geojson"
    vrt.write_text(
        f'<OGRVRTDataSource><OGRVRTLayer name="lsoas"><SrcDataSource>{lsoas}</SrcDataSource>'
        "<SrcLayer>private</SrcLayer></OGRVRTLayer></OGRVRTDataSource>"
    )
    population = write_population(tmp_path / "population.csv")

    result = runner.invoke(
        args=["import-population", "--population", str(population), "--lsoa-boundaries", str(vrt)]
    )

    assert result.exit_code == 1
    assert f"Error: {vrt}: cannot be read as a boundary file" in result.output
    with app.app_context(), get_engine().connect() as connection:
        assert connection.execute(sa.text("SELECT count(*) FROM lsoas")).scalar() == 0


def test_an_lsoa_file_without_a_code_field_is_named_in_the_refusal(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    path = tmp_path / "lsoas.geojson"
    path.write_text(write_lsoas(tmp_path / "l.geojson").read_text().replace("LSOA21CD", "CODE"))
    population = write_population(tmp_path / "population.csv")

    result = runner.invoke(
        args=["import-population", "--population", str(population), "--lsoa-boundaries", str(path)]
    )

    assert result.exit_code == 1
    assert f"Error: {path}: no LSOA code columns" in result.output


def area_weighted(app: Flask, vintage: str = "2025") -> dict[str, float]:
    with app.app_context():
        return list_area_weighted_population(get_engine(), vintage=vintage)


def test_an_lsoa_split_between_wards_is_shared_by_area_for_every_vintage(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    # E01000005 straddles WEST and EAST: three quarters of it in WEST, so best fit gives it
    # whole to WEST (its point lies there) while the area rule gives EAST a quarter.
    straddling = (("E01000005", "Testborough 004A", box(-1.215, 54.60, -1.195, 54.61)),)
    run_json(
        runner,
        "import-population",
        "--population",
        str(
            write_population(
                tmp_path / "p.csv", (("E01000005", "Testborough 004A", "All ages", "400"),)
            )
        ),
        "--lsoa-boundaries",
        str(write_lsoas(tmp_path / "l.geojson", straddling)),
    )
    run_json(runner, "import-wards", str(write_wards(tmp_path / "wards.geojson")))

    assert ward_population(app)["E05000002"]["residents"] == 400
    shares = area_weighted(app)
    assert shares == {
        "E05000001": pytest.approx(100, rel=1e-3),
        "E05000002": pytest.approx(300, rel=1e-3),
    }

    # Re-importing the population replaces the shares; nothing is left twice.
    import_population(runner, tmp_path)
    assert rows(app, "SELECT count(*) FROM lsoa_ward_shares WHERE lsoa_code = 'E01000005'") == [
        (0,)
    ]
    assert area_weighted(app) == {
        "E05000001": pytest.approx(300, rel=1e-3),
        "E05000002": pytest.approx(350, rel=1e-3),
    }
    assert foreign_key_problems(app) == []
