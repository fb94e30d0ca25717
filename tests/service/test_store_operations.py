"""The operation store and import-operations: checked, all or nothing, every change kept."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskCliRunner

from geodata.operations import OPERATION_FIELDS, Operation, OperationError
from service.store.db import get_engine
from service.store.operations import (
    create_operation,
    get_operation,
    list_operations,
    stored_operations,
    update_operation,
)
from service.store.versions import StaleEditError
from tests.factories import run_json, write_wards

HEADER = ",".join(OPERATION_FIELDS)
GOOD_ROWS = (
    "Operation Harvest,2025-10-01,2025-11-30,E05000001,no,burglary,Burglary,yes,Patrols.\n"
    "Clear Week,2025-03-10,2025-03-16,,yes,drug dealing,Drugs,no,\n"
)


@pytest.fixture
def engine(app: Flask, runner: FlaskCliRunner, tmp_path: Path) -> sa.Engine:
    """The app's engine with the hand-drawn wards (E05000001-3, vintage 2025) stored."""
    run_json(runner, "import-wards", str(write_wards(tmp_path / "wards.geojson")))
    with app.app_context():
        return get_engine()


def count(engine: sa.Engine, table: str) -> int:
    with engine.connect() as connection:
        return int(connection.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one())


def an_operation(**fields: Any) -> Operation:
    values: dict[str, Any] = {
        "name": "Operation Harvest",
        "start_date": date(2025, 10, 1),
        "end_date": date(2025, 11, 30),
        "ward_codes": ("E05000001",),
        "categories": ("Burglary",),
    }
    return Operation(**(values | fields))


def test_an_operation_is_stored_with_its_history_and_each_edit(engine: sa.Engine) -> None:
    operation_id = create_operation(engine, an_operation(), by="Pat PCSO")
    changed = update_operation(
        engine,
        operation_id,
        an_operation(overtime=True, ward_codes=("E05000001", "E05000002")),
        by="Ana Analyst",
        version=1,
    )

    assert changed == ["ward_codes", "overtime"]
    stored = get_operation(engine, operation_id)
    assert stored is not None
    assert (stored["version"], stored["overtime"], stored["ward_vintage"]) == (2, True, "2025")
    assert [(h["by"], h["change"]) for h in stored["history"]] == [
        ("Pat PCSO", "created"),
        ("Ana Analyst", "edited: ward_codes"),
        ("Ana Analyst", "edited: overtime"),
    ]
    assert stored["history"][1]["previous"]["ward_codes"] == ["E05000001"]
    assert (
        update_operation(
            engine,
            operation_id,
            an_operation(overtime=True, ward_codes=("E05000001", "E05000002")),
            by="Ana Analyst",
        )
        == []
    )
    with pytest.raises(StaleEditError):
        update_operation(engine, operation_id, an_operation(), by="Pat PCSO", version=1)


def test_a_bad_operation_is_refused_with_every_problem(engine: sa.Engine) -> None:
    with pytest.raises(OperationError) as refused:
        create_operation(
            engine,
            an_operation(ward_codes=("E05999999",), end_date=date(2025, 1, 1)),
            by="Pat PCSO",
        )
    assert [field for field, _ in refused.value.problems] == ["end_date", "ward_codes"]
    assert count(engine, "operations") == count(engine, "operation_history") == 0


def test_a_ward_lists_its_own_and_the_force_wide_operations(engine: sa.Engine) -> None:
    create_operation(engine, an_operation(), by="Pat")
    create_operation(
        engine,
        an_operation(
            name="Clear Week", ward_codes=(), force_wide=True, start_date=date(2025, 11, 1)
        ),
        by="Pat",
    )
    create_operation(engine, an_operation(name="Elsewhere", ward_codes=("E05000003",)), by="Pat")

    assert [o["name"] for o in list_operations(engine, ward="E05000001")] == [
        "Clear Week",
        "Operation Harvest",
    ]
    assert len(stored_operations(engine, ending_after=date(2025, 12, 1))) == 0


def test_import_operations_stores_a_good_file_once(
    engine: sa.Engine, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    path = tmp_path / "operations.csv"
    path.write_text(f"{HEADER}\n{GOOD_ROWS}")

    first = run_json(runner, "import-operations", str(path))
    again = run_json(runner, "import-operations", str(path))

    assert (first["status"], first["added"], first["rows_read"]) == ("stored", 2, 2)
    assert (again["status"], again["added"]) == ("unchanged", 0)
    stored = list_operations(engine)
    assert [o["name"] for o in stored] == ["Operation Harvest", "Clear Week"]
    assert get_operation(engine, stored[0]["id"])["history"][0]["change"] == (  # type: ignore[index]
        f"imported from {path}"
    )


def test_a_file_with_one_bad_row_is_refused_whole_with_row_level_errors(
    engine: sa.Engine, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    path = tmp_path / "operations.csv"
    path.write_text(
        f"{HEADER}\n{GOOD_ROWS}Bad one,2025-05-01,2025-04-01,E05999999,no,,Burgling,no,\n"
    )

    result = runner.invoke(args=["import-operations", str(path)])

    assert result.exit_code == 1
    assert f"rejected: {path}, line 4, end_date: 2025-04-01 is before the start date" in (
        result.output
    )
    assert f"rejected: {path}, line 4, ward_codes: unknown ward code 'E05999999'" in result.output
    assert "line 4, categories: 'Burgling' is not a police.uk category" in result.output
    assert "1 row cannot be read; nothing was stored" in result.output
    assert count(engine, "operations") == count(engine, "operation_history") == 0
    with engine.connect() as connection:
        ledger = (
            connection.execute(sa.text("SELECT status FROM imports WHERE kind = 'operations'"))
            .scalars()
            .all()
        )
    assert ledger == ["failed"]
