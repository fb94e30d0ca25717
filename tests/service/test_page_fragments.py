"""The ward page's kept fragments: rendered once per data version, ward and period, never
stale after an import, and never carrying one request's tokens into another's page; the
page's concerns and plans kept per edit version, never stale after a change in any worker."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

from flask import Flask
from flask.testing import FlaskCliRunner

from service.readmodels.cache import data_cache
from service.readmodels.fragments import FRAGMENTS_CACHED
from service.store.concerns import record_concern, update_concern
from service.store.db import get_engine
from tests.conftest import signed_in
from tests.factories import a_concern, run_json, street_row, write_street_csv, write_wards

PAGE = "/wards/E05000002?from=2025-01&to=2025-01"
"""West Ward in January: the same ward and period before and after a revised import."""


def burglaries(path: Path, month: str, count: int) -> str:
    """A street file of ``count`` burglaries in West Ward in ``month``."""
    rows = [street_row(month=month, crime_id=f"{month}-{i}") for i in range(count)]
    return str(write_street_csv(path, rows))


def crime_total(page: str) -> int:
    found = re.search(r'<span id="crime-total">([\d,]+)</span>', page)
    assert found, "no crime total on the page"
    return int(found.group(1).replace(",", ""))


def fragments(app: Flask) -> int:
    return len(data_cache(app, "page fragments", size=FRAGMENTS_CACHED))


def test_the_kept_figures_are_rendered_again_after_an_import(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    run_json(runner, "import-wards", str(write_wards(tmp_path / "wards.geojson")))
    run_json(runner, "import-crime", burglaries(tmp_path / "jan.csv", "2025-01", 3))
    viewer = signed_in(app, "viewer")
    assert crime_total(viewer.get(PAGE).get_data(as_text=True)) == 3

    # A revised January replaces the first: same ward, same period, a new data version.
    run_json(runner, "import-crime", burglaries(tmp_path / "revised.csv", "2025-01", 7))

    assert crime_total(viewer.get(PAGE).get_data(as_text=True)) == 7


def test_figures_are_kept_per_ward_and_period_and_shared_by_users(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    run_json(runner, "import-wards", str(write_wards(tmp_path / "wards.geojson")))
    run_json(runner, "import-crime", burglaries(tmp_path / "jan.csv", "2025-01", 3))
    viewer, analyst = signed_in(app, "viewer"), signed_in(app, "analyst")

    first = viewer.get(PAGE).get_data(as_text=True)
    again = analyst.get(PAGE).get_data(as_text=True)
    assert fragments(app) == 1
    run_json(runner, "import-crime", burglaries(tmp_path / "feb.csv", "2025-02", 4))
    viewer.get(PAGE)
    assert fragments(app) == 1  # a new version: the figures of the last one are dropped
    viewer.get("/wards/E05000002?from=2025-01&to=2025-02")
    viewer.get("/wards/E05000001?from=2025-01&to=2025-01")

    assert fragments(app) == 3
    # Each page carries its own request's tokens, none of the page it shares figures with.
    for page, other in ((first, again), (again, first)):
        for token in re.findall(r'(?:nonce|content)="([\w.-]{16,})"', page):
            assert token not in other


BIKES = "Bikes ridden on the footpath by the shops."


def concerns_table(page: str) -> str:
    return page.split('<section id="concerns">', 1)[1].split("</section>", 1)[0]


def test_a_concern_changed_in_one_worker_shows_on_the_next_page_of_another(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path, second_app: Callable[..., Flask]
) -> None:
    """Each worker keeps its own pages; the edit count read with the data version tells
    every one of them that a concern was recorded or updated elsewhere."""
    run_json(runner, "import-wards", str(write_wards(tmp_path / "wards.geojson")))
    run_json(runner, "import-crime", burglaries(tmp_path / "jan.csv", "2025-01", 3))
    worker = second_app()
    viewer = signed_in(app, "viewer")
    assert "No concerns recorded" in concerns_table(viewer.get(PAGE).get_data(as_text=True))
    with worker.app_context():
        concern_id = record_concern(
            get_engine(), a_concern(description=BIKES), recorded_by="PCSO Example"
        )

    shown = concerns_table(viewer.get(PAGE).get_data(as_text=True))
    assert BIKES in shown and "<td>Open</td>" in shown

    with worker.app_context():
        update_concern(
            get_engine(), concern_id, status="closed", note="Patrols", by="PCSO Example",
            on=date(2025, 1, 20),
        )  # fmt: skip

    assert "<td>Closed</td>" in concerns_table(viewer.get(PAGE).get_data(as_text=True))
