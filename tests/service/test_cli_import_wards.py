from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskCliRunner

from service.store.db import get_engine
from tests.factories import HAND_DRAWN_WARDS, run_json, write_wards


def count(app: Flask, sql: str) -> int:
    with app.app_context(), get_engine().connect() as connection:
        return int(connection.execute(sa.text(sql)).scalar_one())


def test_import_wards_reports_wards_vintage_and_authorities(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    summary = run_json(runner, "import-wards", str(write_wards(tmp_path / "w.geojson")))

    assert summary["wards"] == 3
    assert summary["vintage"] == "2025"
    assert summary["local_authorities"] == {"Testborough": 3}
    assert summary["repaired"] == 0


def test_human_summary_is_one_line(runner: FlaskCliRunner, tmp_path: Path) -> None:
    result = runner.invoke(args=["import-wards", str(write_wards(tmp_path / "w.geojson"))])

    assert result.exit_code == 0
    assert result.stdout.strip().splitlines() == [
        "Stored 3 wards, vintage 2025 (Testborough 3); 0 repaired."
    ]


def test_reimporting_a_vintage_replaces_it(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    run_json(runner, "import-wards", str(write_wards(tmp_path / "a.geojson")))
    run_json(runner, "import-wards", str(write_wards(tmp_path / "b.geojson", HAND_DRAWN_WARDS[:2])))

    assert count(app, "SELECT count(*) FROM wards") == 2
    assert count(app, "SELECT count(*) FROM boundary_sets") == 1


def test_another_vintage_is_kept_beside_the_first(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    run_json(runner, "import-wards", str(write_wards(tmp_path / "a.geojson", year="24")))
    run_json(runner, "import-wards", str(write_wards(tmp_path / "b.geojson", year="25")))

    assert count(app, "SELECT count(DISTINCT vintage) FROM wards") == 2


def test_bad_file_fails_clearly_and_keeps_what_was_stored(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    run_json(runner, "import-wards", str(write_wards(tmp_path / "good.geojson")))
    bad = tmp_path / "bad.geojson"
    bad.write_text("this is not GeoJSON")

    result = runner.invoke(args=["import-wards", str(bad)])

    assert result.exit_code != 0
    assert "bad.geojson" in result.output
    assert count(app, "SELECT count(*) FROM wards") == 3
