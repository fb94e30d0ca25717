from __future__ import annotations

from flask import Flask
from flask.testing import FlaskCliRunner

from geodata.demo.context import ATTRIBUTION, RINGS, SPOKES
from geodata.demo.force import DEMO_FORCE
from service.store.db import get_engine
from service.store.population import list_ward_population
from service.store.wards import list_wards
from tests.conftest import signed_in
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


def test_demo_gives_every_ward_a_synthetic_population(app: Flask, runner: FlaskCliRunner) -> None:
    summary = run_json(runner, "demo")
    with app.app_context():
        engine = get_engine()
    population = list_ward_population(engine, vintage="2025")

    assert summary["population"] == sum(w["residents"] for w in population.values())
    wards = {code for code, in_ward in population.items() if in_ward["residents"] > 0}
    assert wards == {w["code"] for w in list_wards(engine, vintage="2025")}
    with engine.connect() as connection:
        names = connection.exec_driver_sql("SELECT name FROM lsoas").scalars().all()
    assert names and all(name.endswith("(synthetic)") for name in names)


def test_demo_maps_have_synthetic_roads_with_their_credit(
    app: Flask, runner: FlaskCliRunner
) -> None:
    summary = run_json(runner, "demo")

    assert summary["roads"] == len(SPOKES) + len(RINGS) and summary["places"] == 3
    client = signed_in(app, "viewer")
    home = client.get("/").get_data(as_text=True)
    assert "Inner Ring Road" in home and ATTRIBUTION in home
