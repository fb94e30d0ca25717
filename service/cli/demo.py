"""demo: load the seeded, clearly labelled synthetic demo force through the real importers."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click
import geopandas as gpd
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext

from geodata.demo import context as demo_roads
from geodata.demo.concerns import demo_concerns
from geodata.demo.force import DEMO_FORCE, make_demo_force
from geodata.demo.population import demo_population
from service.cli.options import json_option, report
from service.demo import (
    create_demo_messages,
    create_demo_operations,
    create_demo_plans,
    create_demo_teams,
)
from service.importing import (
    import_context_file,
    import_crime_paths,
    import_population_files,
    import_threat_file,
    import_ward_files,
)
from service.store.concerns import list_concerns, record_concern, update_concern
from service.store.db import get_engine
from service.store.wards import list_vintages

EXAMPLE_THREAT = Path(__file__).resolve().parents[2] / "examples" / "threat-assessment-demo.yaml"


@click.command("demo")
@click.option("--seed", default=20251, show_default=True, help="Seed of the synthetic force.")
@click.option("--if-empty", is_flag=True, help="Do nothing when ward boundaries are stored.")
@click.option(
    "--years",
    type=click.IntRange(1, 5),
    default=1,
    show_default=True,
    help="Calendar years of records, ending December 2025 (two or more show seasonal rises).",
)
@json_option
@with_appcontext
def command(seed: int, if_empty: bool, years: int, as_json: bool) -> None:
    """Load SYNTHETIC demo data: 12 months (--years 2: 24) for an invented force, not real
    police records, with a synthetic population by synthetic small areas (so rates, ranks
    and the default map show), synthetic roads and place names for the maps, the example
    threat assessment, a synthetic set of community concerns, plans and operations.

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
    force = make_demo_force(seed=seed, first_month=f"{2026 - years}-01", months=12 * years)
    wards_path = folder / "demo_wards.geojson"
    folder.mkdir(parents=True, exist_ok=True)
    force.wards.to_file(wards_path, driver="GeoJSON", engine="pyogrio")
    for month, frame in force.months.items():
        path = folder / month / f"{month}-demoshire-street.csv"
        path.parent.mkdir(exist_ok=True)
        frame.to_csv(path, index=False)
    areas, residents = demo_population(force.wards, force.months, seed=seed)
    areas_path = folder / "SYNTHETIC_demo_small_areas.geojson"
    residents_path = folder / "SYNTHETIC_demo_population.csv"
    areas.to_file(areas_path, driver="GeoJSON", engine="pyogrio")
    residents.to_csv(residents_path, index=False)
    roads_path = folder / "SYNTHETIC_demo_roads_and_places.geojson"
    demo_roads.demo_context(force.wards, seed=seed).to_file(
        roads_path, driver="GeoJSON", engine="pyogrio"
    )
    wards = import_ward_files(engine, [wards_path])
    crime = import_crime_paths(engine, [folder / month for month in force.months]).to_json()
    population = import_population_files(
        engine, population=residents_path, lsoa_boundaries=[areas_path]
    )
    context = import_context_file(
        engine, roads_path, attribution=demo_roads.ATTRIBUTION, licence=demo_roads.LICENCE
    )
    threat = import_threat_file(engine, EXAMPLE_THREAT)
    concerns = _load_concerns(engine, force.wards, seed=seed)
    plans = create_demo_plans(engine, start=date(2025, 7, 1))
    messages = create_demo_messages(current_app, engine, seed=seed).messages
    operations = create_demo_operations(engine, year=2025)
    teams = create_demo_teams(engine, folder=folder, seed=seed)
    summary = {
        "loaded": True,
        "force": DEMO_FORCE,
        "folder": str(folder),
        "wards": wards,
        "crime": {k: v for k, v in crime.items() if k != "rejected"},
        "population": population["residents"],
        "roads": context["roads"],
        "places": context["places"],
        "threat_themes": threat["themes"],
        "concerns": concerns,
        "plans": len(plans),
        "messages": len(messages),
        "operations": len(operations),
        "teams": teams["teams"] if teams else 0,
    }
    report(
        summary,
        f"Loaded SYNTHETIC demo force '{DEMO_FORCE}': {wards['wards']} wards, "
        f"{crime['rows_stored']:,} incidents over {len(crime['months'])} months, a synthetic "
        f"population of {population['residents']:,} residents in {population['lsoas']} small "
        f"areas, {context['roads']} synthetic roads and {context['places']} places, an example "
        f"threat assessment ({threat['themes']} themes), {concerns} concerns, {len(plans)} "
        f"problem-solving plans, {len(messages)} prevention messages, {len(operations)} "
        f"operations and {teams['teams'] if teams else 0} neighbourhood teams, from {folder}.",
        as_json=as_json,
    )


def _load_concerns(engine: sa.Engine, wards: gpd.GeoDataFrame, *, seed: int) -> int:
    """Store the synthetic concerns with their updates, unless concerns are stored already."""
    if list_concerns(engine):
        return 0
    made = demo_concerns(
        wards["WD25CD"].tolist(),
        seed=seed,
        today=date.today(),
        names=dict(zip(wards["WD25NM"], wards["WD25CD"], strict=True)),
    )
    for concern, updates in made:
        concern_id = record_concern(engine, concern, recorded_by=concern.recorded_by)
        for update in updates:
            update_concern(
                engine,
                concern_id,
                status=update.status,
                note=update.note,
                by=update.by,
                on=update.on,
            )
    return len(made)
