"""Many wards' reports at once (the ``report`` command): rendered in a pool of processes, one
per core, each ward's files written whole, and a ward that fails listed rather than stopping
the others.

Every file is written next to its place and moved in (:func:`service.files.write_file`),
so a run that fails or is killed leaves no half-written file. A ward whose report cannot be made
is recorded as a :class:`Failure` in words; the run goes on with the others, the index lists
the wards made, and the combined PDF, which would miss a ward, is not written.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

import click
from flask import Flask

from geodata.period import Period
from service.files import write_file
from service.reports.render import ReportError, WardReport, index_page, ward_report
from service.settings import SETTINGS
from service.store.db import get_engine

COMBINED = "all-wards.pdf"
INDEX = "index.html"


@dataclass(frozen=True)
class Failure:
    """A ward whose report could not be made, and why, in words."""

    code: str
    name: str
    problem: str

    def __str__(self) -> str:
        return f"{self.name} ({self.code}): {self.problem}"


@dataclass(frozen=True)
class Run:
    """What a run made: each ward's headline figures, the wards that failed, the files."""

    results: list[WardReport]
    failures: list[Failure]
    files: list[Path] = field(default_factory=list)


def write_reports(
    app: Flask,
    codes: Sequence[str],
    task: Task,
    *,
    names: dict[str, str],
    marking: str,
    combined: bool,
) -> Run:
    """Render and write the reports of ward ``codes`` into ``task.out``, with an index of the
    wards made and, when ``combined`` and every ward was made, one PDF of them all.

    ``names`` gives each ward's name for the failures; ``marking`` is the run's highest
    (the index's and the combined PDF's).
    """
    out = Path(task.out)
    period = Period(*task.period)
    files = {code: [f"{code}.{kind}" for kind in task.formats] for code in codes}

    def index(results: Sequence[WardReport], *, for_pdf: bool) -> str:
        return index_page(
            results,
            period=period,
            audience=task.audience,
            marking=marking,
            today=task.today,
            files=files,
            for_pdf=for_pdf,
        )

    results, failed, cover = _render_all(
        app,
        codes,
        task,
        cover=(lambda results: index(results, for_pdf=True)) if combined else None,
    )
    failures = [Failure(code, names.get(code, code), problem) for code, problem in failed]
    write_file(out / INDEX, index(results, for_pdf=False).encode())
    made = {r.code for r in results}
    written = [out / name for code in codes if code in made for name in files[code]]
    written.append(out / INDEX)
    if cover is not None:
        from service.reports.pdf import combine_pdf  # pikepdf: only when joining

        ordered = sorted(results, key=lambda r: (r.headline["lad_name"], r.name, r.code))
        reports = [(f"{r.name} ({r.code})", r.combined_pdf or b"") for r in ordered]
        write_file(out / COMBINED, combine_pdf(cover, reports))
        written.append(out / COMBINED)
    return Run(results=results, failures=failures, files=written)


def problem(error: BaseException) -> str:
    """What went wrong, in words: a report's own message, else the kind of error and its text."""
    if isinstance(error, ReportError):
        return str(error)
    return f"the report could not be made ({type(error).__name__}: {error})"


@dataclass(frozen=True)
class Task:
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
    task: Task,
    *,
    cover: Callable[[list[WardReport]], str] | None,
) -> tuple[list[WardReport], list[tuple[str, str]], bytes | None]:
    """Render every ward, in this process for one ward, else in a pool of one process per
    core, each with its own app on the same database (workers only read); the progress bar
    on standard error moves as each ward is written. ``cover``, when given, makes the HTML
    of a cover page from the results, which is then laid out as PDF by a worker, whose
    WeasyPrint is warm (a force's cover: 0.7 s there, 1.2 s as this process's first layout).
    A ward that fails is returned with its problem, after the others; no cover is laid out
    then."""
    jobs = min(os.cpu_count() or 1, len(codes))
    with click.progressbar(
        length=len(codes), label="Rendering wards", file=sys.stderr, show_pos=True
    ) as bar:
        if jobs == 1:
            results, failed = [], []
            for code in codes:
                try:
                    results.append(_render_ward(app, code, task))
                except Exception as error:
                    failed.append((code, problem(error)))
                bar.update(1)
            laid_out = None if cover is None or failed else _lay_out(cover(results))
            return results, failed, laid_out
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
    task: Task,
    *,
    jobs: int,
    done: Callable[[], None],
    cover: Callable[[list[WardReport]], str] | None,
) -> tuple[list[WardReport], list[tuple[str, str]], bytes | None]:
    """Render ``codes`` in ``jobs`` worker processes; a ward that fails does not stop the rest."""
    config = {s.name: app.config[s.name] for s in SETTINGS}
    results, failed = [], []
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
                    failed.append((code, problem(error)))
                done()
        pdf = None if cover is None or failed else pool.submit(_lay_out, cover(results)).result()
    return results, failed, pdf


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


def _worker_render(code: str, task: Task) -> WardReport:
    """One ward in a worker, then one collection of what its layout left in cycles."""
    assert _WORKER_APP is not None, "worker started without its app"
    try:
        return _render_ward(_WORKER_APP, code, task)
    finally:
        gc.collect()


def _lay_out(html: str) -> bytes:
    """A page with no figures (the cover of a combined PDF) as PDF."""
    from service.reports.pdf import pdf_document

    return pdf_document(html, figures={}).write_pdf()


def _render_ward(app: Flask, code: str, task: Task) -> WardReport:
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
