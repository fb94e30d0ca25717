"""report: ward reports as PDF and self-contained HTML, one ward or every ward, in parallel."""

from __future__ import annotations

import atexit
import gc
import re
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from geodata.period import Period, PeriodError
from service.access import concerns_in_report, record_command
from service.cli.options import check_wards, json_option, overwrite_option, report
from service.readmodels.ward_profiles import default_period
from service.reports import AUDIENCES, ReportError, report_marking, vendor_files
from service.reports.batch import COMBINED, INDEX, Task, write_reports
from service.store.db import get_engine
from service.store.wards import latest_vintage, list_wards

_LISTED = 10
"""Existing files named in a refusal; the rest are counted."""


@click.command("report")
@click.option(
    "--ward",
    "wards",
    multiple=True,
    metavar="CODE",
    help="A ward of the latest boundary vintage; several, comma-separated or repeated.",
)
@click.option(
    "--all", "all_wards", is_flag=True, help=f"Every ward, with a combined {COMBINED} for PDF."
)
@click.option("--from", "first", metavar="YYYY-MM", help="First month (default: 12 months).")
@click.option("--to", "last", metavar="YYYY-MM", help="Last month (default: the latest held).")
@click.option(
    "--format",
    "output",
    type=click.Choice(["pdf", "html", "both"]),
    default="pdf",
    show_default=True,
    help="PDF (A4), one self-contained HTML file per ward, or both.",
)
@click.option(
    "--out",
    required=True,
    type=click.Path(path_type=Path, file_okay=False),
    help="Folder to write into; made if missing.",
)
@click.option(
    "--audience",
    type=click.Choice(AUDIENCES),
    default="internal",
    show_default=True,
    help="public: no concern text, names or locations, and small counts shown as '<5'.",
)
@overwrite_option
@json_option
@with_appcontext
def command(
    wards: tuple[str, ...],
    all_wards: bool,
    first: str | None,
    last: str | None,
    output: str,
    out: Path,
    audience: str,
    overwrite: bool,
    as_json: bool,
) -> None:
    """Write ward reports: map, trend, categories, harm, outcomes, priorities, concerns,
    caveats and methods, with the protective marking on every page.

    Files are named by ward code (E05009853.pdf, E05009853.html) beside an index.html that
    lists every ward with its headline figures; --all with PDF adds all-wards.pdf, the index
    and every report in one file. Wards are rendered in parallel, one process per core.
    Existing files are never replaced without --overwrite.

    Example: flask --app service report --all --format both --out reports/
    """
    engine = get_engine()
    vintage = latest_vintage(engine)
    if vintage is None:
        raise click.UsageError("no ward boundaries are stored: run import-wards first")
    if all_wards == bool(wards):
        raise click.UsageError("give --ward CODE (one or more) or --all, not both")
    names = {w["code"]: w["name"] for w in list_wards(engine, vintage=vintage)}
    codes = list(names) if all_wards else _codes(wards)
    check_wards(engine, codes)
    period = _period(first, last)
    formats = ("pdf", "html") if output == "both" else (output,)
    if "html" in formats:
        try:
            vendor_files()
        except ReportError as error:
            raise click.UsageError(str(error)) from error
    combined = all_wards and "pdf" in formats
    targets = [out / f"{code}.{kind}" for code in codes for kind in formats]
    targets += [out / INDEX] + ([out / COMBINED] if combined else [])
    _refuse_overwrite(out, targets, overwrite=overwrite)
    out.mkdir(parents=True, exist_ok=True)
    marking = report_marking(current_app, engine, codes=codes, audience=audience)
    started = time.perf_counter()
    task = Task(
        period=(period.first, period.last),
        audience=audience,
        today=date.today(),
        formats=formats,
        out=str(out),
        combined_marking=marking if combined else None,
    )
    run = write_reports(current_app, codes, task, names=names, marking=marking, combined=combined)
    results, failures = run.results, run.failures
    if audience == "internal" and results:  # the access log: internal reports carry concern text
        made = [r.code for r in results]
        what = f"report --audience internal --out {out} ({len(made)} wards)"
        record_command(kind="report", refs=made, command=what)
        ids = [str(c["id"]) for c in concerns_in_report(made)]
        record_command(kind="concern", refs=ids, command=what)
    seconds = time.perf_counter() - started
    summary = {
        "out": str(out),
        "wards": len(results),
        "period": period.to_json(),
        "audience": audience,
        "formats": list(formats),
        "marking": marking,
        "pages": sum(r.pages or 0 for r in results),
        "files": [str(f) for f in run.files],
        "failed": [{"ward": f.code, "name": f.name, "problem": f.problem} for f in failures],
        "seconds": round(seconds, 1),
    }
    extras = ", ".join(f.name for f in run.files if f.name in (INDEX, COMBINED))
    report(
        summary,
        f"Wrote {len(results)} {audience} ward report{'s' if len(results) != 1 else ''} "
        f"({' and '.join(f.upper() for f in formats)}) for {period.first} to {period.last} "
        f"to {out} with {extras}, marked {marking}, in {seconds:.1f} s.",
        as_json=as_json,
    )
    if failures:
        missing = f"; {COMBINED} was not written, as it would miss them" if combined else ""
        raise click.ClickException(
            f"{len(failures)} of {len(codes)} ward reports could not be made{missing}:\n"
            + "\n".join(f"  {failure}" for failure in failures)
        )
    # Every file is written and closed. The process's last act would be a collection over
    # every object it made, the imported libraries' included (0.3-0.7 s); frozen at exit,
    # they are simply left to the end of the process.
    atexit.register(gc.freeze)


def _period(first: str | None, last: str | None) -> Period:
    if first is None and last is None:
        period = default_period(current_app, get_engine())
        if period is None:
            raise click.UsageError("no police.uk records are stored: run import-crime first")
        return period
    if first is None or last is None:
        raise click.UsageError("give both --from and --to, or neither")
    try:
        return Period.parse(first, last, names=("--from", "--to"))
    except PeriodError as error:
        raise click.UsageError(str(error)) from error


def _refuse_overwrite(out: Path, targets: Sequence[Path], *, overwrite: bool) -> None:
    if out.exists() and not out.is_dir():
        raise click.UsageError(f"--out: {out} is a file, not a folder")
    existing = [t.name for t in targets if t.exists()]
    if existing and not overwrite:
        listed = ", ".join(existing[:_LISTED])
        more = f" and {len(existing) - _LISTED} more" if len(existing) > _LISTED else ""
        raise click.UsageError(
            f"{len(existing)} file{'s' if len(existing) > 1 else ''} would be replaced in "
            f"{out}: {listed}{more}; pass --overwrite to replace them"
        )


def _codes(wards: Sequence[str]) -> list[str]:
    """The ward codes of every --ward, each of which may hold several (comma or space
    separated), in order and once each."""
    return list(
        dict.fromkeys(code for value in wards for code in re.split(r"[\s,]+", value) if code)
    )
