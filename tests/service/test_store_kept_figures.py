"""Force-wide figures kept per data version in the database: built by the first process that
needs them, read back by every other one the same to the last bit, replaced by an import."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskCliRunner

from geodata.force_hotspots import force_hotspots
from geodata.period import Period
from geodata.profile import ForceCounts, to_json
from service.readmodels.kept import (
    decode_force_counts,
    decode_grid,
    encode_force_counts,
    encode_grid,
)
from service.readmodels.ward_priorities import rising_by_ward
from service.readmodels.ward_profiles import default_period, shared_figures, ward_profile
from service.store.db import get_engine
from service.store.imports import data_version
from service.store.kept import keep, read_kept
from tests.factories import run_json, write_wards
from tests.geodata.test_force_hotspots import FORCE, create_incidents
from tests.geodata.test_hotspots import to_wgs84
from tests.service.test_api import MONTHS, WEST_CODE, import_crime, import_population


def profile_json(app: Flask, statements: list[str] | None = None) -> dict[str, Any]:
    """The west ward's profile as JSON, recording every SQL statement into ``statements``."""

    def record(connection: Any, cursor: Any, statement: str, *args: Any) -> None:
        assert statements is not None
        statements.append(" ".join(statement.split()))

    with app.app_context():
        engine = get_engine()
        if statements is not None:
            sa.event.listen(engine, "before_cursor_execute", record)
        try:
            period = default_period(app, engine)
            assert period is not None
            profile = ward_profile(app, engine, code=WEST_CODE, period=period)
        finally:
            if statements is not None:
                sa.event.remove(engine, "before_cursor_execute", record)
        assert profile is not None
        result: dict[str, Any] = to_json(profile)
        return result


def rising(app: Flask) -> dict[str, frozenset[str]]:
    """Every ward's rising categories in the second quarter (the planted rise)."""
    with app.app_context():
        engine = get_engine()
        period = Period.parse("2025-04", "2025-06")
        return rising_by_ward(app, engine, shared_figures(app, engine), period=period)


def kept_rows(app: Flask) -> list[tuple[Any, ...]]:
    with app.app_context(), get_engine().connect() as connection:
        query = "SELECT version, name, key FROM kept_figures ORDER BY name"
        return [tuple(row) for row in connection.exec_driver_sql(query)]


def test_the_import_keeps_the_figures_every_worker_reads(
    app: Flask, runner: FlaskCliRunner, second_app: Any, tmp_path: Path
) -> None:
    run_json(runner, "import-wards", str(write_wards(tmp_path / "wards.geojson")))
    import_population(runner, tmp_path)
    import_crime(runner, tmp_path / "crime", MONTHS)
    with app.app_context():
        version = data_version(get_engine())

    # import-crime built them: no page has been asked for yet.
    assert kept_rows(app) == [
        (version, "force counts/1", "2025 2025-01 2025-06"),
        (version, "force grid/1", "2025 2024-07 2025-06 250.0"),
        (version, "rising categories/1", "2025 2024-07 2025-06"),
    ]
    statements: list[str] = []
    built = profile_json(second_app(), statements)
    # The worker read the kept figures, not every ward's counts and snap points.
    assert sum("FROM kept_figures" in s for s in statements) == 2
    assert not [s for s in statements if "ward_month_counts" in s or "GROUP BY f.place_id" in s]
    with app.app_context(), get_engine().begin() as connection:
        connection.exec_driver_sql("DELETE FROM kept_figures")
    # Built again from the rows: the same figures.
    assert profile_json(second_app()) == built
    # Every ward's rising categories of a period no import built: the first worker to rank
    # the wards keeps them, the next reads them.
    ranked = rising(second_app())
    assert ranked[WEST_CODE] == {"Burglary"}  # the planted rise
    assert rising(second_app()) == ranked
    assert "rising categories/1" in [name for _, name, _ in kept_rows(app)]
    # Another cell size is another grid, kept beside the first.
    profile_json(second_app(HOTSPOT_CELL_M=500))
    assert [key for _, name, key in kept_rows(app) if name == "force grid/1"] == [
        "2025 2024-07 2025-06 250.0",
        "2025 2024-07 2025-06 500.0",
    ]


def test_an_import_keeps_new_figures_and_drops_the_old(
    app: Flask, runner: FlaskCliRunner, second_app: Any, tmp_path: Path
) -> None:
    run_json(runner, "import-wards", str(write_wards(tmp_path / "wards.geojson")))
    import_crime(runner, tmp_path / "crime", MONTHS[:5])
    import_population(runner, tmp_path)
    before = profile_json(app)

    import_crime(runner, tmp_path / "crime", MONTHS)
    after = profile_json(second_app())

    assert after != before
    assert after == profile_json(app)  # the first worker reads what the second kept
    with app.app_context():
        version = data_version(get_engine())
    assert [(v, key) for v, _, key in kept_rows(app)] == [
        (version, "2025 2025-01 2025-06"),
        (version, "2025 2024-07 2025-06 250.0"),
        (version, "2025 2024-07 2025-06"),
    ]


def test_a_figure_is_kept_once(app: Flask) -> None:
    with app.app_context():
        engine = get_engine()
        assert keep(engine, version=3, name="n", key="k", payload=b"first")
        assert not keep(engine, version=3, name="n", key="k", payload=b"second")
        assert read_kept(engine, version=3, name="n", key="k") == b"first"
        assert read_kept(engine, version=2, name="n", key="k") is None
        assert keep(engine, version=4, name="n", key="k", payload=b"newer")
        assert read_kept(engine, version=3, name="n", key="k") is None


@pytest.mark.parametrize("station", [True, False])
def test_a_grid_reads_back_exactly(station: bool) -> None:
    incidents = create_incidents(
        {(r + 0.4, c + 0.6): 2 + r * c for r in range(3) for c in range(5)}
    )
    if station:  # one point holding far more than the mean: records logged at a station
        police = create_incidents({(1.5, 1.5): 400}, location="On or near Police Station")
        incidents = pd.concat([incidents, police], ignore_index=True)
    grid = force_hotspots(to_wgs84(FORCE), incidents)
    assert (not grid.excluded.empty) is station

    read = decode_grid(encode_grid(grid))

    pd.testing.assert_frame_equal(read.cells, grid.cells, check_exact=True)
    pd.testing.assert_frame_equal(read.excluded, grid.excluded, check_exact=True)
    assert read.cells.crs == grid.cells.crs
    assert (read.cell_size_m, read.alpha, read.min_count, read.note, read.method) == (
        grid.cell_size_m,
        grid.alpha,
        grid.min_count,
        grid.note,
        grid.method,
    )


@pytest.mark.parametrize("wards", [["A", "B"], []])
def test_force_counts_read_back_exactly(wards: list[str]) -> None:
    months = ["2025-01", "2025-02", "2025-03"] if wards else []
    counts = np.arange(len(wards) * 14 * len(months), dtype=np.int64)
    force = ForceCounts(
        wards,
        months,
        counts.reshape(len(wards), 14, len(months)),
        np.arange(len(months), dtype=np.int64),
        np.arange(len(months), dtype=np.int64) * 2,
    )

    read = decode_force_counts(encode_force_counts(force))

    assert (read.wards, read.months) == (force.wards, force.months)
    for name in ("counts", "outside", "no_location"):
        np.testing.assert_array_equal(getattr(read, name), getattr(force, name), strict=True)
