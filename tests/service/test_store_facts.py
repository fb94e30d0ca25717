"""A ward's facts read with their snap points in two statements: the same rows as one join,
even when a month is replaced between the two reads."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskCliRunner

from service.store import aggregates
from service.store.aggregates import list_facts
from service.store.db import get_engine
from tests.factories import run_json, write_wards
from tests.service.test_api import MONTHS, WEST_CODE, import_crime

JOINED = (
    "SELECT f.ward_code, f.month, c.label AS category, coalesce(o.label, '') AS outcome, "
    "f.place_id, pl.location, pl.longitude, pl.latitude, f.n FROM ward_facts f "
    "JOIN categories c ON c.id = f.category_id LEFT JOIN outcomes o ON o.id = f.outcome_id "
    "JOIN places pl ON pl.id = f.place_id WHERE f.ward_code = :ward "
    "ORDER BY f.ward_code, f.month, f.force_id, f.place_id, f.category_id, f.outcome_id"
)


def test_facts_carry_their_snap_points_even_when_a_month_moves_between_reads(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_json(runner, "import-wards", str(write_wards(tmp_path / "wards.geojson")))
    import_crime(runner, tmp_path / "crime", MONTHS)
    with app.app_context():
        engine = get_engine()
    with engine.connect() as connection:
        joined = connection.execute(sa.text(JOINED), {"ward": WEST_CODE}).all()
    expected = pd.DataFrame(joined, columns=list(joined[0]._fields))

    def read(ward_codes: tuple[str, ...] | None = (WEST_CODE,)) -> pd.DataFrame:
        facts = list_facts(
            engine,
            vintage="2025",
            first=MONTHS[0],
            last=MONTHS[-1],
            ward_codes=None if ward_codes is None else list(ward_codes),
        )
        return facts[facts["ward_code"] == WEST_CODE]

    assert read().astype(object).values.tolist() == expected.astype(object).values.tolist()
    assert len(expected) > 5
    # A named ward's points are read by id, a few at a time when there are many.
    monkeypatch.setattr(aggregates, "PLACES_PER_READ", 1)
    assert expected["place_id"].nunique() > 1
    assert read().astype(object).values.tolist() == expected.astype(object).values.tolist()

    def replace_the_months(connection: Any, cursor: Any, statement: str, *args: Any) -> None:
        if "FROM places pl WHERE pl.id IN" in statement:  # between the facts and their points
            with engine.begin() as other:
                other.execute(
                    sa.text("DELETE FROM ward_facts WHERE ward_code = :w"), {"w": WEST_CODE}
                )

    sa.event.listen(engine, "before_cursor_execute", replace_the_months)
    try:
        moved = read(None)  # every ward's: their points are read by a subquery
    finally:
        sa.event.remove(engine, "before_cursor_execute", replace_the_months)
    assert moved.astype(object).values.tolist() == expected.astype(object).values.tolist()
