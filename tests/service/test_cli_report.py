"""report: files per ward, an index, a combined PDF, no silent overwrite, usage errors."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from pypdf import PdfReader

from geodata.crime import CATEGORIES
from service.reports import render
from service.store.db import get_engine
from service.store.plans import create_plan
from tests.factories import (
    concern_row,
    run_json,
    street_row,
    write_concerns_csv,
    write_street_csv,
    write_wards,
)
from tests.service.test_api_plans import a_plan

CODES = ["E05000001", "E05000002", "E05000003"]


@pytest.fixture
def force(runner: FlaskCliRunner, tmp_path: Path) -> Path:
    """The hand-drawn wards with two months of incidents, most in West Ward."""
    run_json(runner, "import-wards", str(write_wards(tmp_path / "wards.geojson")))
    rows = [
        street_row(month=month, lon=lon, lat="54.61", category=category)
        for month in ("2025-01", "2025-02")
        for lon, category in (
            ("-1.21", "Burglary"),
            ("-1.211", "Burglary"),
            ("-1.212", "Anti-social behaviour"),
            ("-1.19", "Drugs"),
        )
    ]
    run_json(runner, "import-crime", str(write_street_csv(tmp_path / "street.csv", rows)))
    return tmp_path / "reports"


def test_one_ward_in_both_formats_with_an_index(runner: FlaskCliRunner, force: Path) -> None:
    summary = run_json(
        runner, "report", "--ward", "E05000002", "--format", "both", "--out", str(force)
    )

    assert sorted(p.name for p in force.iterdir()) == [
        "E05000002.html",
        "E05000002.pdf",
        "index.html",
    ]
    assert summary["wards"] == 1 and summary["formats"] == ["pdf", "html"]
    assert summary["period"] == {"from": "2024-03", "to": "2025-02", "months": 12}
    assert summary["marking"] == "OFFICIAL"
    assert [Path(f).name for f in summary["files"]] == [
        "E05000002.pdf",
        "E05000002.html",
        "index.html",
    ]
    pdf = PdfReader(force / "E05000002.pdf")
    assert len(pdf.pages) == summary["pages"]
    assert "West Ward" in pdf.pages[0].extract_text()
    index = (force / "index.html").read_text()
    assert "West Ward" in index and 'href="E05000002.pdf"' in index
    assert "East Ward" not in index


def test_existing_files_are_not_replaced_without_overwrite(
    runner: FlaskCliRunner, force: Path
) -> None:
    args = ["report", "--ward", "E05000001", "--format", "html", "--out", str(force)]
    run_json(runner, *args)
    before = (force / "E05000001.html").stat().st_mtime_ns

    refused = runner.invoke(args=args)

    assert refused.exit_code == 2
    assert "2 files would be replaced" in refused.output
    assert "E05000001.html, index.html" in refused.output
    assert "--overwrite" in refused.output
    assert (force / "E05000001.html").stat().st_mtime_ns == before
    run_json(runner, *args, "--overwrite")
    assert (force / "E05000001.html").stat().st_mtime_ns != before


def test_all_wards_in_parallel_with_a_combined_pdf(runner: FlaskCliRunner, force: Path) -> None:
    result = runner.invoke(
        args=["report", "--all", "--from", "2025-01", "--to", "2025-02", "--out", str(force)]
    )

    assert result.exit_code == 0, result.output
    assert "Rendering wards" in result.stderr
    line = result.stdout.strip()
    assert line.startswith("Wrote 3 internal ward reports (PDF) for 2025-01 to 2025-02 to ")
    assert "with index.html, all-wards.pdf, marked OFFICIAL" in line
    names = sorted(p.name for p in force.iterdir())
    assert names == sorted([f"{c}.pdf" for c in CODES] + ["index.html", "all-wards.pdf"])
    wards = {c: len(PdfReader(force / f"{c}.pdf").pages) for c in CODES}
    combined = PdfReader(force / "all-wards.pdf")
    index_pages = len(combined.pages) - sum(wards.values())
    assert index_pages == 1
    cover = combined.pages[0].extract_text()
    assert all(name in cover for name in ("East Ward", "West Ward", "North Ward"))
    # The reports follow the index in index order (by name): East, North, West.
    starts = [index_pages, index_pages + wards["E05000001"]]
    assert "East Ward" in combined.pages[starts[0]].extract_text()
    assert "North Ward" in combined.pages[starts[1]].extract_text()
    for page in combined.pages:
        assert "OFFICIAL" in page.extract_text()


def test_the_combined_pdf_carries_the_highest_marking_and_a_bookmark_per_ward(
    runner: FlaskCliRunner, force: Path, tmp_path: Path
) -> None:
    concerns = write_concerns_csv(tmp_path / "concerns.csv", [concern_row()])
    run_json(runner, "import-concerns", str(concerns))

    summary = run_json(
        runner, "report", "--all", "--from", "2025-01", "--to", "2025-02", "--out", str(force)
    )

    assert summary["marking"] == "OFFICIAL-SENSITIVE"  # West Ward lists an open concern
    east = PdfReader(force / "E05000001.pdf")
    assert all("OFFICIAL-SENSITIVE" not in page.extract_text() for page in east.pages)
    combined = PdfReader(force / "all-wards.pdf")
    assert all("OFFICIAL-SENSITIVE" in page.extract_text() for page in combined.pages)
    # Top-level bookmarks, one per file; each ward's headings are bookmarks under its own.
    assert [item.title for item in combined.outline if not isinstance(item, list)] == [
        "Index",
        "East Ward (E05000001)",
        "North Ward (E05000003)",
        "West Ward (E05000002)",
    ]
    wards = [len(PdfReader(force / f"{code}.pdf").pages) for code in CODES]
    assert len(combined.pages) == 1 + sum(wards)


def test_public_html_report(runner: FlaskCliRunner, force: Path) -> None:
    summary = run_json(
        runner, "report", "--ward", "E05000003", "--format", "html", "--audience", "public",
        "--out", str(force),
    )  # fmt: skip

    assert summary["audience"] == "public"
    html = (force / "E05000003.html").read_text()
    assert "Public edition" in html and "&lt;5" in html


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "give --ward CODE (one or more) or --all, not both"),
        (["--all", "--ward", "E05000001"], "not both"),
        (
            ["--ward", "E05999999"],
            "--ward 'E05999999' is not a ward of the latest boundary vintage (2025)",
        ),
        (
            ["--ward", "E05000001,E05999998", "--ward", "E05999999"],
            "--ward 'E05999998', 'E05999999' are not wards of the latest boundary vintage (2025)",
        ),
        (["--all", "--from", "2025-01"], "give both --from and --to, or neither"),
        (["--all", "--from", "2025-13", "--to", "2025-12"], "--from: '2025-13' is not a month"),
        (["--all", "--from", "2025-02", "--to", "2025-01"], "--from: 2025-02 is after --to"),
        (["--all", "--audience", "everyone"], "Invalid value for '--audience'"),
    ],
)
def test_usage_errors(runner: FlaskCliRunner, force: Path, args: list[str], message: str) -> None:
    result = runner.invoke(args=["report", *args, "--out", str(force)])

    assert result.exit_code == 2
    assert message in result.output
    assert not force.exists()


def test_out_must_be_a_folder(runner: FlaskCliRunner, force: Path) -> None:
    force.parent.joinpath("file.txt").write_text("x")

    result = runner.invoke(args=["report", "--all", "--out", str(force.parent / "file.txt")])

    assert result.exit_code == 2
    assert "is a file" in result.output or "is a file, not a folder" in result.output


def test_no_wards_stored(runner: FlaskCliRunner, tmp_path: Path) -> None:
    result = runner.invoke(args=["report", "--all", "--out", str(tmp_path / "r")])

    assert result.exit_code == 2
    assert "no ward boundaries are stored" in result.output


@pytest.mark.parametrize("status", ["draft", "active"])
def test_a_plan_without_categories_is_evaluated_on_all_of_them(
    app: Flask,
    client: FlaskClient,
    runner: FlaskCliRunner,
    force: Path,
    status: str,
) -> None:
    """Categories are optional on a plan: its page, its evaluation, the ward's PDF and the
    ward's report all work, counting every category (all crime and ASB)."""
    with app.app_context():
        plan_id = create_plan(
            get_engine(),
            a_plan(categories=(), status=status, start_date=date(2025, 2, 1)),
            by="Ana",
        )

    evaluation = client.get(f"/api/plans/{plan_id}/evaluation")
    page = client.get(f"/plans/{plan_id}")
    pdf = client.get("/wards/E05000002/report.pdf")
    summary = run_json(runner, "report", "--ward", "E05000002", "--out", str(force))

    assert evaluation.status_code == 200, evaluation.text
    assert evaluation.json["categories"] == list(CATEGORIES)
    assert evaluation.json["verdict"].startswith("All crime and anti-social behaviour ")
    assert page.status_code == 200 and "All crime and anti-social behaviour" in page.text
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert [Path(f).name for f in summary["files"]] == ["E05000002.pdf", "index.html"]


def test_a_plan_starting_after_the_months_held_says_it_is_not_evaluated_yet(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner, force: Path
) -> None:
    """A new plan (its start after the latest month held) showed a 500 on its page."""
    with app.app_context():
        plan_id = create_plan(
            get_engine(), a_plan(status="active", start_date=date(2025, 7, 1)), by="Ana"
        )
    said = (
        "Not evaluated yet: no whole month after the plan's start (2025-07) is held yet; "
        "the latest month held is 2025-02."
    )

    evaluation = client.get(f"/api/plans/{plan_id}/evaluation")
    page = client.get(f"/plans/{plan_id}")
    pdf = client.get("/wards/E05000002/report.pdf")
    summary = run_json(
        runner, "report", "--ward", "E05000002", "--format", "html", "--out", str(force)
    )

    assert evaluation.status_code == 200
    assert evaluation.json["evaluated"] is False and evaluation.json["verdict"] == said
    assert page.status_code == 200 and said.replace("'", "&#39;") in page.text
    assert pdf.status_code == 200
    assert said.replace("'", "&#39;") in (force / "E05000002.html").read_text()
    assert summary["wards"] == 1


def _failing_in(monkeypatch: pytest.MonkeyPatch, code: str) -> None:
    """Make gathering ward ``code``'s data fail, in this process and in forked workers."""
    real = render.gather

    def gather(app: Flask, engine: sa.Engine, **options: Any) -> Any:
        if options["code"] == code:
            raise KeyError("categories")
        return real(app, engine, **options)

    monkeypatch.setattr(render, "gather", gather)


def test_a_ward_that_fails_does_not_stop_the_others(
    runner: FlaskCliRunner, force: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _failing_in(monkeypatch, "E05000002")

    result = runner.invoke(
        args=["report", "--all", "--from", "2025-01", "--to", "2025-02", "--out", str(force)]
    )

    assert result.exit_code == 1
    assert "Wrote 2 internal ward reports (PDF)" in result.stdout
    assert (
        "1 of 3 ward reports could not be made; all-wards.pdf was not written, as it would "
        "miss them:\n  West Ward (E05000002): the report could not be made (KeyError: "
        "'categories')"
    ) in result.stderr
    # The others are whole; no half-written file and no combined PDF missing a ward.
    assert sorted(p.name for p in force.iterdir()) == [
        "E05000001.pdf",
        "E05000003.pdf",
        "index.html",
    ]
    assert "North Ward" in PdfReader(force / "E05000003.pdf").pages[0].extract_text()
    index = (force / "index.html").read_text()
    assert "East Ward" in index and "North Ward" in index and "West Ward" not in index


def test_one_failing_ward_alone_is_listed_in_json_too(
    runner: FlaskCliRunner, force: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _failing_in(monkeypatch, "E05000002")

    result = runner.invoke(
        args=["report", "--ward", "E05000002", "--format", "html", "--json", "--out", str(force)]
    )

    assert result.exit_code == 1
    summary = json.loads(result.stdout)
    assert summary["wards"] == 0
    assert summary["failed"] == [
        {
            "ward": "E05000002",
            "name": "West Ward",
            "problem": "the report could not be made (KeyError: 'categories')",
        }
    ]
    assert [Path(f).name for f in summary["files"]] == ["index.html"]
    assert sorted(p.name for p in force.iterdir()) == ["index.html"]


def test_several_wards_in_one_ward_option(runner: FlaskCliRunner, force: Path) -> None:
    summary = run_json(
        runner, "report", "--ward", "E05000003, E05000001", "--format", "html", "--out",
        str(force),
    )  # fmt: skip

    assert summary["wards"] == 2 and summary["failed"] == []
    assert [Path(f).name for f in summary["files"]] == [
        "E05000003.html",
        "E05000001.html",
        "index.html",
    ]
