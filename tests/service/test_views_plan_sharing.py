"""Sharing what works from the plan pages: whether a closed plan's fall lasted (on planted
data), the good-practice record by role with its history, What works' approaches, and the
case study (PDF and HTML, from the page and the command) with no names, no concern text and
no small count of the demo force."""

from __future__ import annotations

import dataclasses
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from pypdf import PdfReader

from geodata.crime import ASB
from geodata.demo.plans import demo_plans
from geodata.demo.wards import ASB_PARK
from geodata.io.plans import plan_from_dict
from service.store.concerns import list_concerns
from service.store.db import get_engine
from service.store.plans import create_plan, get_plan, update_plan
from tests.conftest import signed_in
from tests.factories import run_json, street_row, write_street_csv, write_wards

WEST_CODE = "E05000002"
MONTHS = [f"{y}-{m:02d}" for y in (2024, 2025) for m in range(1, 13)]


def csrf(client: FlaskClient, plan_id: int) -> str:
    page = client.get(f"/plans/{plan_id}").text
    return page.split('name="csrf-token" content="')[1].split('"')[0]


@pytest.fixture
def lasting(runner: FlaskCliRunner, app: Flask, tmp_path: Path) -> int:
    """Two years of ASB: 20 a month in WEST until June 2024, then 4 a month to the end of
    2025; 20 a month in EAST throughout. A closed plan in WEST from July 2024, assessed (so
    ended) on 31 December 2024: its fall lasted through both follow-up windows of 2025."""
    run_json(runner, "import-wards", str(write_wards(tmp_path / "wards.geojson")))
    for month in MONTHS:
        west = 20 if month < "2024-07" else 4
        rows = [
            *(street_row(month=month, category=ASB, lon="-1.21", lat="54.61") for _ in range(west)),
            *(street_row(month=month, category=ASB, lon="-1.19", lat="54.61") for _ in range(20)),
        ]
        write_street_csv(tmp_path / "crime" / month / f"{month}-test-street.csv", rows)
    run_json(runner, "import-crime", str(tmp_path / "crime"))
    made = demo_plans([WEST_CODE], names={ASB_PARK: WEST_CODE}, start=date(2024, 7, 1))[0]
    with app.app_context():
        return create_plan(get_engine(), dataclasses.replace(made, status="closed"), by="Test")


def test_a_closed_plan_whose_fall_lasted_shows_sustained(
    app: Flask, client: FlaskClient, lasting: int
) -> None:
    page = client.get(f"/plans/{lasting}").text
    section = page.split('id="lasting"')[1].split("</section>")[0]
    assert section.count("<strong>Sustained</strong>") == 2
    assert "January-June 2025" in section and "July-December 2025" in section
    assert "<td>The target area is still below its level before" in section
    assert "(rate ratio 0.20, 95 % CI 0.1" in section

    works = client.get("/plans/what-works").text
    assert "6 months after it ended: <strong>Sustained</strong>" in works
    approaches = works.split('id="approaches"')[1]
    assert "Too few plans to rank" in approaches
    assert "no approach has been used by 3 or more" in approaches.casefold()
    assert "Toolkit rating: Effective: 1 plan, effect 0.20" in approaches


def test_a_plan_not_closed_has_not_enough_data_yet(
    app: Flask, client: FlaskClient, lasting: int
) -> None:
    token = csrf(client, lasting)
    client.post(
        f"/plans/{lasting}/status", data={"csrf_token": token, "status": "active", "note": ""}
    )
    section = client.get(f"/plans/{lasting}").text.split('id="lasting"')[1]
    assert section.split("</section>")[0].count("<strong>Not enough data yet</strong>") == 2
    assert "It has not ended" in section


def test_a_pcso_nominates_but_cannot_award_and_an_analyst_awards(app: Flask, lasting: int) -> None:
    pcso, analyst = signed_in(app, "pcso"), signed_in(app, "analyst")
    url = f"/plans/{lasting}/good-practice"
    page = pcso.get(f"/plans/{lasting}").text
    assert '<option value="nominated">Nominate</option>' in page
    assert 'value="awarded"' not in page

    answer = pcso.post(
        url,
        data={
            "csrf_token": csrf(pcso, lasting),
            "action": "nominated",
            "note": "Gates and lights, copied twice already",
        },
    )
    assert answer.status_code == 303
    refused = pcso.post(
        url, data={"csrf_token": csrf(pcso, lasting), "action": "awarded", "note": "I award myself"}
    )
    assert refused.status_code == 403
    awarded = analyst.post(
        url,
        data={
            "csrf_token": csrf(analyst, lasting),
            "action": "awarded",
            "note": "Sustained at 12 months",
        },
    )
    assert awarded.status_code == 303

    section = analyst.get(f"/plans/{lasting}").text.split('id="good-practice"')[1]
    assert "<p>Good-practice award</p>" in section
    rows = re.findall(
        r"<tr><td>[^<]+</td><td>([^<]+)</td><td>([^<]+)</td><td>([^<]+)</td>", section
    )
    assert rows == [
        ("Test Pcso", "Nominated for good practice", "Gates and lights, copied twice already"),
        ("Test Analyst", "Good-practice award", "Sustained at 12 months"),
    ]
    assert "I award myself" not in section


def test_a_step_without_a_note_or_token_is_refused(app: Flask, lasting: int) -> None:
    pcso = signed_in(app, "pcso")
    url = f"/plans/{lasting}/good-practice"
    assert pcso.post(url, data={"action": "nominated", "note": "x"}).status_code == 400  # CSRF
    answer = pcso.post(url, data={"csrf_token": csrf(pcso, lasting), "action": "nominated"})
    assert answer.status_code == 400
    assert 'class="error-summary"' in answer.text
    assert 'href="#note">Say why, in a sentence or two.</a>' in answer.text
    early = pcso.post(
        url, data={"csrf_token": csrf(pcso, lasting), "action": "withdrawn", "note": "x"}
    )
    assert early.status_code == 403  # withdrawing needs an analyst


# --- The case study of a demo plan ---------------------------------------------------------


@pytest.fixture
def demo_names(app: Flask, runner: FlaskCliRunner) -> dict[str, Any]:
    """The demo force, its park plan edited by a named user who wrote a concern recorder's
    name into the problem and aimed it at bicycle theft in a 150 m circle (a handful a
    month): the names and concern texts a case study must not hold, and small counts."""
    run_json(runner, "demo")
    with app.app_context():
        engine = get_engine()
        concerns = list_concerns(engine)
        stored = get_plan(engine, 1)
        assert stored is not None
        recorder = concerns[0]["recorded_by"]
        made, problems = plan_from_dict(stored["plan"])
        assert made is not None, problems
        edited = dataclasses.replace(  # a rare category in a small circle: small counts
            made,
            categories=("Bicycle theft",),
            radius_m=150.0,
            problem=made.problem + f" First raised with {recorder}.",
        )
        update_plan(engine, 1, edited, by="Dana Updater")
        stored = get_plan(engine, 1)
    assert stored is not None
    return {
        "names": {"Dana Updater", stored["created_by"], *(c["recorded_by"] for c in concerns)},
        "concern_texts": [c["description"] for c in concerns],
        "recorder": recorder,
    }


def check_public(text: str, names: dict[str, Any]) -> None:
    flat = " ".join(text.split())
    for name in names["names"]:
        assert name not in flat, name
    for description in names["concern_texts"]:
        assert " ".join(description.split()) not in flat
    assert "First raised with [name removed]." in flat


def test_the_case_study_pdf_and_html_hold_no_names_concern_text_or_small_counts(
    app: Flask, runner: FlaskCliRunner, client: FlaskClient, tmp_path: Path, demo_names: dict
) -> None:
    out = tmp_path / "case.pdf"
    run_json(runner, "case-study", "--plan", "1", "--format", "pdf", "--out", str(out))
    text = "\n".join(page.extract_text() for page in PdfReader(out).pages)
    assert "Case study:" in text and "Did it last?" in text
    check_public(text, demo_names)

    answer = client.get("/plans/1/case-study.html")
    assert answer.status_code == 200 and answer.mimetype == "text/html"
    assert "attachment" in answer.headers["Content-Disposition"]
    html = answer.text
    check_public(html, demo_names)
    cells = re.findall(r'<td class="n count">([^<]+)</td>', html)
    assert "&lt;5" in cells  # the counts table is there, and the target's are small
    for cell in cells:
        assert cell == "&lt;5" or int(cell.replace(",", "")) >= 5, cell
    assert client.get("/plans/1/case-study.pdf").mimetype == "application/pdf"
    assert client.get("/plans/999/case-study.pdf").status_code == 404


def test_the_case_study_command_refuses_an_unknown_plan_and_an_existing_file(
    runner: FlaskCliRunner, tmp_path: Path, demo_names: dict
) -> None:
    unknown = runner.invoke(args=["case-study", "--plan", "999", "--out", str(tmp_path / "x")])
    assert unknown.exit_code == 2 and "no plan with id 999" in unknown.output
    existing = tmp_path / "there.html"
    existing.write_text("keep")
    again = runner.invoke(
        args=["case-study", "--plan", "1", "--format", "html", "--out", str(existing)]
    )
    assert again.exit_code == 2 and existing.read_text() == "keep"
