from __future__ import annotations

from flask.testing import FlaskCliRunner

from geodata.demo.force import DEMO_FORCE
from tests.factories import run_json


def test_demo_loads_a_labelled_synthetic_force_once(runner: FlaskCliRunner) -> None:
    summary = run_json(runner, "demo")

    assert summary["loaded"] is True
    assert summary["force"] == DEMO_FORCE and "synthetic" in DEMO_FORCE
    assert summary["wards"]["wards"] >= 25
    crime = summary["crime"]
    assert crime["rows_read"] == crime["rows_stored"] == 12 * 2500
    assert crime["rows_rejected"] == 0
    assert len(crime["months"]) == 12
    assert crime["outside_wards"] > 0 and crime["no_location"] > 0
    assert crime["assigned"] + crime["outside_wards"] + crime["no_location"] == 30_000

    assert summary["threat_themes"] == 7
    assert summary["concerns"] == 60

    assert run_json(runner, "demo", "--if-empty") == {"loaded": False}
