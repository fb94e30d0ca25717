"""export: one GeoPackage with a layer per product, styled for QGIS."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from service.access import record_command
from service.cli.options import (
    check_out_file,
    check_wards,
    chosen_period,
    from_option,
    json_option,
    overwrite_option,
    report,
    to_option,
    wards_option,
)
from service.store.db import get_engine


@click.command("export")
@click.option(
    "--out",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="GeoPackage file to write (.gpkg).",
)
@from_option
@to_option
@wards_option
@click.option(
    "--crs",
    type=click.Choice(["27700", "4326"]),
    default="27700",
    show_default=True,
    help="Coordinates: British National Grid (27700) or WGS84 longitude/latitude (4326).",
)
@click.option(
    "--audience",
    type=click.Choice(["internal", "public"]),
    default="internal",
    show_default=True,
    help="public: the public report's rules: wards and hot squares only, small counts as <5.",
)
@overwrite_option
@json_option
@with_appcontext
def command(
    out: Path,
    first: str | None,
    last: str | None,
    wards: tuple[str, ...],
    crs: str,
    audience: str,
    overwrite: bool,
    as_json: bool,
) -> None:
    """Export the force's wards with their figures, incidents by snap point, the hot-spot
    grid, the priority matrix, concerns and plans to one GeoPackage.

    Layers: wards, incidents, hotspots, priorities, concerns, plans (the last two marked
    OFFICIAL-SENSITIVE and OFFICIAL), each with the period, boundary vintage, source and
    licence in its metadata; the ward and hot-spot layers open styled in QGIS (the file's
    layer_styles table). --audience public writes partnership open data under the public
    report's rules: the ward and hot-spot layers only, counts below PUBLIC_SUPPRESS_BELOW as
    <5 with the rates, ratios, ranks and harm resting on them withheld, no concern text or
    names, hot squares instead of snap points. --ward limits every layer to those wards
    (hot-spot squares that reach into them). An existing file is replaced only with
    --overwrite.

    Example: flask --app service export --out cleveland.gpkg --from 2025-01 --to 2025-12
    """
    from geodata.io.downloads import CRS_CHOICES, write_geopackage
    from service.readmodels.downloads import Selection, layers, public_layers

    engine = get_engine()
    if out.suffix.lower() != ".gpkg":
        raise click.UsageError(f"--out: {out.name} must end in .gpkg")
    codes = list(dict.fromkeys(wards))
    check_wards(engine, codes)
    check_out_file(out, overwrite=overwrite)
    period = chosen_period(engine, first, last)
    started = time.perf_counter()
    selection = Selection(period=period, wards=codes or None, today=date.today())
    if audience == "public":
        written = public_layers(current_app, engine, selection)
    else:
        written = layers(current_app, engine, selection)
    write_geopackage(out, written, crs=CRS_CHOICES[crs])
    concerns = [layer.frame["id"] for layer in written if layer.name == "concerns"]
    record_command(
        kind="concern",
        refs=[str(i) for ids in concerns for i in ids],
        command=f"export --out {out.name} --audience {audience}",
    )
    seconds = time.perf_counter() - started
    counts = {layer.name: len(layer.frame) for layer in written}
    summary = {
        "out": str(out),
        "period": period.to_json(),
        "crs": f"EPSG:{crs}",
        "audience": audience,
        "layers": counts,
        "bytes": out.stat().st_size,
        "seconds": round(seconds, 2),
    }
    listed = ", ".join(f"{n:,} {name}" for name, n in counts.items())
    report(
        summary,
        f"Wrote {out} ({out.stat().st_size / 1e6:.1f} MB, {period.first} to {period.last}): "
        f"{listed}.",
        as_json=as_json,
    )
