"""The message store keeps every change: an edit writes one history row per changed field,
and an edit from an older version is refused with the changes made since."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner

from geodata.errors import MessageError
from geodata.messages import Message
from service.store.db import get_engine
from service.store.messages import edit_message, get_message, messages_fingerprint, record_message
from service.store.versions import StaleEditError
from tests.factories import run_json, write_wards

MESSAGE = Message(
    sent_on=date(2025, 11, 3),
    channel="press",
    area="wards",
    area_codes=("E05000002",),
    themes=("burglary",),
    audiences=("residents",),
    sent_by="Corporate communications",
    summary="Burglary rises as nights draw in.",
)


@pytest.fixture
def stored(app: Flask, runner: FlaskCliRunner, tmp_path: Path) -> int:
    run_json(runner, "import-wards", str(write_wards(tmp_path / "wards.geojson")))
    with app.app_context():
        return record_message(get_engine(), MESSAGE, by="Pat PCSO")


def test_an_edit_records_each_changed_field(app: Flask, stored: int) -> None:
    with app.app_context():
        engine = get_engine()
        before = messages_fingerprint(engine)
        changed = edit_message(
            engine,
            stored,
            replace(MESSAGE, reach=5000, area="force-wide", area_codes=()),
            by="Ana Analyst",
            version=1,
        )
        found = get_message(engine, stored)
        assert messages_fingerprint(engine) != before
        assert (
            edit_message(
                engine,
                stored,
                replace(MESSAGE, reach=5000, area="force-wide", area_codes=()),
                by="Ana Analyst",
            )
            == []
        )

    assert changed == ["area", "area_codes", "reach"]
    assert found is not None
    assert [(h["by"], h["change"]) for h in found["history"]] == [
        ("Pat PCSO", "recorded"),
        ("Ana Analyst", "area: 'wards' → 'force-wide'"),
        ("Ana Analyst", "area_codes: 'E05000002' → none"),
        ("Ana Analyst", "reach: none → 5000"),
    ]
    assert (found["area"], found["area_codes"], found["reach"], found["version"]) == (
        "force-wide",
        [],
        5000,
        2,
    )


def test_an_edit_from_an_older_version_is_refused(app: Flask, stored: int) -> None:
    with app.app_context():
        engine = get_engine()
        edit_message(engine, stored, replace(MESSAGE, reach=10), by="Ana Analyst", version=1)
        with pytest.raises(StaleEditError) as raised:
            edit_message(engine, stored, replace(MESSAGE, reach=20), by="Pat PCSO", version=1)
        assert get_message(engine, stored)["reach"] == 10  # type: ignore[index]

    assert "reach: none → 10 (by Ana Analyst" in str(raised.value)


def test_a_bad_edit_is_refused_with_every_problem(app: Flask, stored: int) -> None:
    with app.app_context(), pytest.raises(MessageError) as raised:
        edit_message(get_engine(), stored, replace(MESSAGE, themes=(), reach=-1), by="Ana")

    assert [field for field, _ in raised.value.problems] == ["themes", "reach"]
