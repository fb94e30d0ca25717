"""import-threat: store the force threat assessment (its themes) as a new, active version."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import click
from flask.cli import with_appcontext

from geodata.concerns import DEFAULT_TAGS_PATH
from geodata.errors import ThreatFileError
from geodata.io.concerns import read_concern_tags
from service.cli.options import json_option, report
from service.errors import storage_errors_as_messages
from service.importing import import_threat_file
from service.store.db import get_engine


@click.command("import-threat")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--title", help="Title of the assessment (for a CSV without a '# title:' line).")
@click.option(
    "--force-name", help="Force that wrote the assessment (for a CSV without a '# force:' line)."
)
@click.option(
    "--assessed-on",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Date of the assessment, YYYY-MM-DD (for a CSV without a '# assessed_on:' line).",
)
@json_option
@with_appcontext
@storage_errors_as_messages
def command(
    path: Path,
    title: str | None,
    force_name: str | None,
    assessed_on: datetime | None,
    as_json: bool,
) -> None:
    """Import the force threat assessment: themes, risk scores and priority bands (YAML or CSV).

    Each import is a new version and becomes the active assessment; the earlier versions are
    kept. Importing the active version's file again changes nothing. Concern tags are checked
    against the shipped tags (geodata/data/concern_tags.csv). A file with any problem is
    refused whole, every problem listed.

    Example: flask --app service import-threat examples/threat-assessment-demo.yaml
    """
    try:
        summary = import_threat_file(
            get_engine(),
            path,
            known_tags=read_concern_tags(DEFAULT_TAGS_PATH),
            title=title,
            force=force_name,
            assessed_on=assessed_on.date() if assessed_on else None,
        )
    except ThreatFileError as error:
        raise click.ClickException(str(error)) from error
    report(summary, _summary_line(summary), as_json=as_json)


def _summary_line(summary: dict[str, Any]) -> str:
    """One line: the assessment, its themes by band, its version and since when it is active."""
    bands = ", ".join(f"{n} {band}" for band, n in summary["bands"].items() if n)
    themes = f"{summary['themes']} theme{'' if summary['themes'] == 1 else 's'}: {bands}"
    example = "; marked as an example, not a real assessment" if summary["example"] else ""
    if summary["unchanged"]:
        return (
            f"Threat assessment {summary['title']!r} unchanged ({themes}): the file of "
            f"version {summary['version']}, active since {summary['active_since']}; "
            f"nothing stored{example}."
        )
    return (
        f"Stored threat assessment {summary['title']!r} ({themes}), version "
        f"{summary['version']}, active since {summary['active_since']}{example}."
    )
