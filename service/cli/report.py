"""report: ward reports as PDF and self-contained HTML, one ward or every ward, in parallel."""

from __future__ import annotations

import atexit
import gc
import os
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from geodata.profile import Period
from service.cli.options import (
    chosen_period,
    from_option,
    json_option,
    overwrite_option,
    report,
    to_option,
    wards_option,
    write_file,
)
from service.reports import (
    AUDIENCES,
    ReportError,
    WardReport,
    combine_pdf,
    index_page,
    pdf_document,
    report_marking,
    vendor_files,
    ward_report,
)
from service.settings import SETTINGS
from service.store.db import get_engine
from service.store.wards import latest_vintage, list_wards

COMBINED = "all-wards.pdf"
INDEX = "index.html"
_LISTED = 10
"""Existing files named in a refusal; the rest are counted."""


@click.command("report")
@wards_option
@click.option(
    "--all", "all_wards", is_flag=True, help=f"Every ward, with a combined {COMBINED} for PDF."
)
@from_option
@to_option
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
    known = [w["code"] for w in list_wards(engine, vintage=vintage)]
    if all_wards == bool(wards):
        raise click.UsageError("give --ward CODE (one or more) or --all, not both")
    codes = known if all_wards else list(dict.fromkeys(wards))
    unknown = sorted(set(codes) - set(known))
    if unknown:
        raise click.UsageError(
            f"--ward: {', '.join(unknown)} not in the latest boundary vintage ({vintage})"
        )
    period = chosen_period(engine, first, last)
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
    today = date.today()
    marking = report_marking(current_app, engine, codes=codes, audience=audience)
    started = time.perf_counter()
    task = _Task(
        period=(period.first, period.last),
        audience=audience,
        today=today,
        formats=formats,
        out=str(out),
        combined_marking=marking if combined else None,
    )
    files = {code: [f"{code}.{kind}" for kind in formats] for code in codes}

    def index(results: Sequence[WardReport], *, for_pdf: bool) -> str:
        return index_page(
            results,
            period=period,
            audience=audience,
            marking=marking,
            today=today,
            files=files,
            for_pdf=for_pdf,
        )

    results, cover = _render_all(
        current_app,
        codes,
        task,
        cover=(lambda results: index(results, for_pdf=True)) if combined else None,
    )
    write_file(out / INDEX, index(results, for_pdf=False).encode())
    if cover is not None:
        ordered = sorted(results, key=lambda r: (r.headline["lad_name"], r.name, r.code))
        reports = [(f"{r.name} ({r.code})", r.combined_pdf or b"") for r in ordered]
        write_file(out / COMBINED, combine_pdf(cover, reports))
    written = [str(t) for t in targets]
    seconds = time.perf_counter() - started
    summary = {
        "out": str(out),
        "wards": len(results),
        "period": period.to_json(),
        "audience": audience,
        "formats": list(formats),
        "marking": marking,
        "pages": sum(r.pages or 0 for r in results),
        "files": written,
        "seconds": round(seconds, 1),
    }
    extras = ", ".join([INDEX] + ([COMBINED] if combined else []))
    report(
        summary,
        f"Wrote {len(results)} {audience} ward report{'s' if len(results) != 1 else ''} "
        f"({' and '.join(f.upper() for f in formats)}) for {period.first} to {period.last} "
        f"to {out} with {extras}, marked {marking}, in {seconds:.1f} s.",
        as_json=as_json,
    )
    # Every file is written and closed. The process's last act would be a collection over
    # every object it made, the imported libraries' included (0.3-0.7 s); frozen at exit,
    # they are simply left to the end of the process.
    atexit.register(gc.freeze)


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


@dataclass(frozen=True)
class _Task:
    """What every ward of a run shares; picklable, so it can go to a worker process."""

    period: tuple[str, str]
    audience: str
    today: date
    formats: tuple[str, ...]
    out: str
    combined_marking: str | None


def _render_all(
    app: Flask,
    codes: Sequence[str],
    task: _Task,
    *,
    cover: Callable[[list[WardReport]], str] | None,
) -> tuple[list[WardReport], bytes | None]:
    """Render every ward, in this process for one ward, else in a pool of one process per
    core, each with its own app on the same database (workers only read); the progress bar
    on standard error moves as each ward is written. ``cover``, when given, makes the HTML
    of a cover page from the results, which is then laid out as PDF by a worker, whose
    WeasyPrint is warm (a force's cover: 0.7 s there, 1.2 s as this process's first layout)."""
    jobs = min(os.cpu_count() or 1, len(codes))
    with click.progressbar(
        length=len(codes), label="Rendering wards", file=sys.stderr, show_pos=True
    ) as bar:
        if jobs == 1:
            results = []
            for code in codes:
                results.append(_render_ward(app, code, task))
                bar.update(1)
            return results, None if cover is None else _lay_out(cover(results))
        # Everything alive now goes to the collector's permanent generation before the fork,
        # so that the workers' collections never write to the pages they share with this
        # process (each write would copy a page: hundreds of thousands of page faults).
        gc.freeze()
        try:
            return _render_in_pool(
                app, codes, task, jobs=jobs, done=lambda: bar.update(1), cover=cover
            )
        finally:
            gc.unfreeze()


def _render_in_pool(
    app: Flask,
    codes: Sequence[str],
    task: _Task,
    *,
    jobs: int,
    done: Callable[[], None],
    cover: Callable[[list[WardReport]], str] | None,
) -> tuple[list[WardReport], bytes | None]:
    """Render ``codes`` in ``jobs`` worker processes; the first failure stops the rest."""
    config = {s.name: app.config[s.name] for s in SETTINGS}
    results = []
    with ProcessPoolExecutor(
        max_workers=jobs, initializer=_start_worker, initargs=(config,)
    ) as pool:
        pending = {pool.submit(_worker_render, code, task): code for code in codes}
        while pending:
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                code = pending.pop(future)
                try:
                    results.append(future.result())
                except Exception as error:
                    pool.shutdown(cancel_futures=True)
                    raise click.ClickException(f"ward {code}: {error}") from error
                done()
        pdf = None if cover is None else pool.submit(_lay_out, cover(results)).result()
    return results, pdf


_WORKER_APP: Flask | None = None


def _start_worker(config: dict[str, Any]) -> None:
    """Make the worker's app, move everything alive into the collector's permanent
    generation and leave collecting to :func:`_worker_render`: automatic collections during
    a layout would walk every module and the app again and again."""
    global _WORKER_APP
    from service import create_app

    _WORKER_APP = create_app(config)
    gc.freeze()
    gc.disable()


def _worker_render(code: str, task: _Task) -> WardReport:
    """One ward in a worker, then one collection of what its layout left in cycles."""
    assert _WORKER_APP is not None, "worker started without its app"
    try:
        return _render_ward(_WORKER_APP, code, task)
    finally:
        gc.collect()


def _lay_out(html: str) -> bytes:
    """A page with no figures (the cover of a combined PDF) as PDF."""
    return pdf_document(html, figures={}).write_pdf()


def _render_ward(app: Flask, code: str, task: _Task) -> WardReport:
    """Render one ward and write its files; what comes back is its headline figures and,
    for a combined PDF, its PDF with the combined marking."""
    with app.app_context():
        result = ward_report(
            app,
            get_engine(),
            code=code,
            period=Period(*task.period),
            audience=task.audience,
            today=task.today,
            formats=task.formats,
            combined_marking=task.combined_marking,
        )
    if result is None:
        raise ReportError(f"no ward {code!r} in the latest boundary vintage")
    out = Path(task.out)
    if result.pdf is not None:
        write_file(out / f"{code}.pdf", result.pdf)
    if result.html is not None:
        write_file(out / f"{code}.html", result.html.encode())
    return replace(result, pdf=None, html=None)
