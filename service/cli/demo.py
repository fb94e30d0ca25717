"""demo: load the seeded, clearly labelled synthetic demo force through the real importers."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from geodata.demo import DEMO_FORCE, make_demo_force
from service.cli.options import json_option, report
from service.importing import import_crime_paths, import_ward_files
from service.store.db import get_engine
from service.store.wards import list_vintages


@click.command("demo")
@click.option("--seed", default=20251, show_default=True, help="Seed of the synthetic force.")
@click.option("--if-empty", is_flag=True, help="Do nothing when ward boundaries are stored.")
@json_option
@with_appcontext
def command(seed: int, if_empty: bool, as_json: bool) -> None:
    """Load SYNTHETIC demo data: 12 months for an invented force, not real police records.

    The files are written to instance/demo/ in the real ONS and police.uk formats and
    imported with import-wards and import-crime, so the demo runs every real check.

    Example: flask --app service demo
    """
    engine = get_engine()
    if if_empty and list_vintages(engine):
        report(
            {"loaded": False}, "Ward boundaries already stored; demo not loaded.", as_json=as_json
        )
        return
    folder = Path(current_app.instance_path) / "demo"
    force = make_demo_force(seed=seed)
    wards_path = folder / "demo_wards.geojson"
    folder.mkdir(parents=True, exist_ok=True)
    force.wards.to_file(wards_path, driver="GeoJSON", engine="pyogrio")
    for month, frame in force.months.items():
        path = folder / month / f"{month}-demoshire-street.csv"
        path.parent.mkdir(exist_ok=True)
        frame.to_csv(path, index=False)
    wards = import_ward_files(engine, [wards_path])
    crime = import_crime_paths(engine, [folder]).to_json()
    summary = {
        "loaded": True,
        "force": DEMO_FORCE,
        "folder": str(folder),
        "wards": wards,
        "crime": {k: v for k, v in crime.items() if k != "rejected"},
    }
    report(
        summary,
        f"Loaded SYNTHETIC demo force '{DEMO_FORCE}': {wards['wards']} wards, "
        f"{crime['rows_stored']:,} incidents over {len(crime['months'])} months from {folder}.",
        as_json=as_json,
    )
