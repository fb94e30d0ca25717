"""The real Cleveland data loaded into a throwaway app, shared by the benchmarks."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from service import create_app
from service.auth import start_session
from service.store.db import get_engine
from service.store.users import create_user

ROOT = Path(__file__).resolve().parents[1]
BENCH_PASSWORD = "a long load test phrase"
"""The benchmark viewer's password (a password may not contain the user name)."""


def data_folder() -> Path:
    """The shared data/ folder from WARDPROFILES_TEST_DATA, or exit saying so."""
    data = os.environ.get("WARDPROFILES_TEST_DATA")
    if not data:
        sys.exit("WARDPROFILES_TEST_DATA must name the shared data/ folder")
    return Path(data)


def cleveland_app(folder: str | Path, *, threat: bool = True) -> Flask:
    """An app on a new SQLite file in ``folder`` with the wards, twelve months of crime, the
    population and (unless ``threat`` is false) the example threat assessment imported."""
    data = data_folder()
    app = create_app({"DATABASE_URL": f"sqlite:///{folder}/bench.sqlite", "SECRET_KEY": "bench"})
    runner = app.test_cli_runner()
    wards = sorted(str(p) for p in Path(data, "boundaries/wards_wd25").glob("*.geojson"))
    lsoas = sorted(str(p) for p in Path(data, "boundaries/lsoa21").glob("*.geojson"))
    population = data / "population/census2021_usual_residents_by_age6_lsoa21_cleveland.csv"
    commands = [
        ["import-wards", *wards],
        ["import-crime", str(data / "police_uk/cleveland")],
        ["import-population", "--population", str(population), "--lsoa-boundaries", *lsoas],
    ]
    if threat:
        commands.append(["import-threat", str(ROOT / "examples/threat-assessment-demo.yaml")])
    for args in commands:
        result = runner.invoke(args=args)
        if result.exit_code:
            sys.exit(result.output)
    return app


def signed_in_client(app: Flask) -> FlaskClient:
    """A test client signed in as a viewer made for the benchmark."""
    with app.app_context():
        user_id = create_user(
            get_engine(), username="bench", password=BENCH_PASSWORD, role="viewer"
        )
    return sign_in(app.test_client(), user_id)


def sign_in(client: FlaskClient, user_id: int) -> FlaskClient:
    """``client`` with a fresh session of user ``user_id`` (as signing in makes it)."""
    with client.session_transaction() as session:
        session["_user_id"] = f"{user_id}:0"
        start_session(session)
    return client
