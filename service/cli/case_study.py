"""case-study: write a plan and its evaluation as a shareable case study (PDF or HTML)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from service.cli.options import check_out_file, json_option, overwrite_option, report
from service.files import write_file
from service.reports.case_study import case_study_file
from service.store.db import get_engine


@click.command("case-study")
@click.option("--plan", "plan_id", required=True, type=int, help="The plan's id.")
@click.option(
    "--format",
    "output",
    type=click.Choice(["pdf", "html"]),
    default="pdf",
    show_default=True,
    help="An A4 PDF or one self-contained HTML file.",
)
@click.option(
    "--out", required=True, type=click.Path(path_type=Path, dir_okay=False), help="File to write."
)
@overwrite_option
@json_option
@with_appcontext
def command(plan_id: int, output: str, out: Path, overwrite: bool, as_json: bool) -> None:
    """Write a plan as a case study for other forces and partners: the problem, the
    responses, the evaluation and whether it lasted, under the public rules (no names of
    people, no concern text, counts under PUBLIC_SUPPRESS_BELOW shown as '<5').

    Example: flask --app service case-study --plan 3 --format pdf --out case-study-3.pdf
    """
    check_out_file(out, overwrite=overwrite)
    made = case_study_file(
        current_app, get_engine(), plan_id=plan_id, format=output, today=date.today()
    )
    if made is None:
        raise click.UsageError(f"--plan: no plan with id {plan_id}")
    write_file(out, made.content)
    summary = {"out": str(out), "format": output, "plan": plan_id, "bytes": len(made.content)}
    report(summary, f"Wrote the case study of plan {plan_id} to {out} ({output}).", as_json=as_json)
