"""import-wards: store a ward boundary vintage from ONS (or other) boundary files."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from geodata.errors import BoundaryError
from service.cli.options import json_option, report
from service.errors import storage_errors_as_messages
from service.importing import archive_limits, import_ward_files
from service.readmodels.ward_priorities import keep_force_figures
from service.store.db import get_engine


@click.command("import-wards")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--crs", help="CRS of files that declare none, e.g. EPSG:27700.")
@click.option("--code-field", help="Column holding the ward code (default: detect WDyyCD).")
@click.option("--name-field", help="Column holding the ward name (default: detect WDyyNM).")
@click.option("--vintage", help="Boundary vintage, e.g. 2025 (default: from the WDyyCD name).")
@json_option
@with_appcontext
@storage_errors_as_messages
def command(
    paths: tuple[Path, ...],
    crs: str | None,
    code_field: str | None,
    name_field: str | None,
    vintage: str | None,
    as_json: bool,
) -> None:
    """Import ward boundaries (GeoJSON, GeoPackage, Shapefile or zipped Shapefile).

    Several files are merged into one vintage; importing a vintage again replaces it.

    Example: flask --app service import-wards data/boundaries/wards_wd25/*.geojson
    """
    try:
        summary = import_ward_files(
            get_engine(),
            paths,
            crs=crs,
            code_field=code_field,
            name_field=name_field,
            vintage=vintage,
            limits=archive_limits(current_app.config),
        )
    except BoundaryError as error:
        raise click.ClickException(str(error)) from error
    keep_force_figures(current_app, get_engine())
    authorities = ", ".join(f"{name} {n}" for name, n in summary["local_authorities"].items())
    report(
        summary,
        f"Stored {summary['wards']} wards, vintage {summary['vintage']} ({authorities}); "
        f"{summary['repaired']} repaired.",
        as_json=as_json,
    )
