"""import-population: store census residents by LSOA and place each LSOA in a ward (best fit)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext

from geodata.errors import BoundaryError, PopulationError
from geodata.population import CENSUS_YEAR
from service.cli.options import json_option, report
from service.errors import storage_errors_as_messages
from service.importing import archive_limits, import_population_files
from service.store.db import get_engine


@click.command("import-population")
@click.option(
    "--population",
    required=True,
    type=click.Path(path_type=Path),
    help="CSV of counts by LSOA (rows of one LSOA, such as age bands, are added up).",
)
@click.option(
    "--lsoa-boundaries",
    "lsoa_boundaries",
    multiple=True,
    type=click.Path(path_type=Path),
    help="LSOA boundary file; repeat the option, or list further files after it.",
)
@click.argument("more_boundaries", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--census-year",
    type=click.IntRange(1801, 2100),
    default=CENSUS_YEAR,
    show_default=True,
    help="Census the counts come from.",
)
@click.option("--code-field", help="Population column holding the LSOA code (default: detect).")
@click.option("--count-field", help="Population column holding the count (default: detect).")
@click.option(
    "--lsoa-code-field", help="Boundary column holding the LSOA code (default: LSOAyyCD)."
)
@json_option
@with_appcontext
@storage_errors_as_messages
def command(
    population: Path,
    lsoa_boundaries: tuple[Path, ...],
    more_boundaries: tuple[Path, ...],
    census_year: int,
    code_field: str | None,
    count_field: str | None,
    lsoa_code_field: str | None,
    as_json: bool,
) -> None:
    """Import census residents by LSOA, the denominator of rates per 1,000 residents.

    Each LSOA goes whole to the ward containing its point-on-surface (best fit), for every
    stored boundary vintage and every vintage imported later. Importing again replaces all
    LSOA population.

    Example: flask --app service import-population
    --population data/population/census2021_usual_residents_by_age6_lsoa21_cleveland.csv
    --lsoa-boundaries data/boundaries/lsoa21/*.geojson
    """
    boundaries = [*lsoa_boundaries, *more_boundaries]
    if not boundaries:
        raise click.UsageError("give the LSOA boundary files with --lsoa-boundaries PATH...")
    try:
        summary = import_population_files(
            get_engine(),
            population=population,
            lsoa_boundaries=boundaries,
            census_year=census_year,
            code_field=code_field,
            count_field=count_field,
            lsoa_code_field=lsoa_code_field,
            limits=archive_limits(current_app.config),
        )
    except (PopulationError, BoundaryError) as error:
        raise click.ClickException(str(error)) from error
    report(summary, _summary_line(summary), as_json=as_json)


def _summary_line(summary: dict[str, Any]) -> str:
    """One line: what was stored, the wards of the latest vintage, and anything left over."""
    wards = summary["wards_with_population"]
    latest = max(wards) if wards else None
    placed = (
        f"{wards[latest]} wards of vintage {latest} have a population."
        if latest
        else "no ward boundaries are stored yet (import-wards will place the LSOAs)."
    )
    leftovers = [
        (summary["rows_rejected"], "row rejected", "rows rejected"),
        (len(summary["missing_boundaries"]), "LSOA without a boundary", "LSOAs without a boundary"),
        (
            len(summary["missing_population"]),
            "boundary without population",
            "boundaries without population",
        ),
        (
            summary["lsoas_outside_wards"].get(latest, 0),
            "LSOA outside every ward",
            "LSOAs outside every ward",
        ),
    ]
    notes = "; ".join(f"{n:,} {one if n == 1 else many}" for n, one, many in leftovers if n)
    return (
        f"Stored {summary['lsoas']:,} LSOAs, {summary['residents']:,} residents "
        f"(Census {summary['census_year']}); {placed}" + (f" {notes}." if notes else "")
    )
