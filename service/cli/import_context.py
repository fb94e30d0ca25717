"""import-context: store roads and place names drawn under the data on every map."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from flask.cli import with_appcontext

from geodata.errors import ContextError
from service.cli.options import json_option, report
from service.importing import import_context_file
from service.store.db import get_engine


@click.command("import-context")
@click.argument("path", type=click.Path(path_type=Path))
@click.option(
    "--attribution",
    required=True,
    help='Credit every map showing the file must carry, e.g. "(c) OpenStreetMap contributors".',
)
@click.option("--licence", required=True, help="Licence of the file, e.g. ODbL or CC BY 4.0.")
@click.option("--crs", help="CRS of a file that declares none, e.g. EPSG:27700.")
@click.option("--name-field", help="Column holding the names (default: detect).")
@click.option("--ref-field", help="Column holding road numbers such as A66 (default: detect).")
@json_option
@with_appcontext
def command(
    path: Path,
    attribution: str,
    licence: str,
    crs: str | None,
    name_field: str | None,
    ref_field: str | None,
    as_json: bool,
) -> None:
    """Import roads (lines) and place names (points) from a GeoJSON, GeoPackage or Shapefile
    in any CRS, drawn under the data on the web maps and the PDF map, offline, with the
    attribution shown. A file replaces an earlier file of the same name; the same file
    again changes nothing.

    Example: flask --app service import-context data/streets/tees_valley_main_roads_osm_2020.geojson
    --attribution "(c) OpenStreetMap contributors" --licence ODbL
    """
    try:
        summary = import_context_file(
            get_engine(),
            path,
            attribution=attribution,
            licence=licence,
            crs=crs,
            name_field=name_field,
            ref_field=ref_field,
        )
    except ContextError as error:
        raise click.ClickException(str(error)) from error
    except ValueError as error:
        raise click.UsageError(str(error)) from error
    report(summary, _summary_line(path, summary), as_json=as_json)


def _summary_line(path: Path, summary: dict[str, Any]) -> str:
    what = f"{summary['roads']:,} roads and {summary['places']:,} places"
    rejected = summary["rows_rejected"]
    left = f"; {rejected:,} features rejected" if rejected else ""
    if summary["status"] == "unchanged":
        return f"{path.name} unchanged ({what}); nothing stored{left}."
    return f"Stored {what} from {path.name}{left}."
