"""Operation pages, and operations and seasonal expectations on the ward, briefing and
planning pages of the two-year demo force."""

from __future__ import annotations

import dataclasses
import datetime
import re
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from geodata.demo.wards import ASB_PARK, TOWN_CENTRE
from geodata.operations import equivalent_plan
from service import create_app
from service.readmodels.operations import operation_evaluation
from service.readmodels.plan_evaluations import plan_evaluation
from service.readmodels.sustained import operation_follow_ups
from service.store.db import get_engine
from service.store.operations import list_operations, stored_operations
from service.store.plans import create_plan
from service.store.wards import latest_vintage, list_wards
from tests.conftest import signed_in
from tests.factories import run_json

PARK_RISE = "Anti-social behaviour usually rises in May-July (2024 and 2025)"
"""The demo's planted summer ASB round the park, the one rise the two years bear out."""


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    """The synthetic demo force over two whole years (2024 and 2025), loaded once."""
    folder = tmp_path_factory.mktemp("operations")
    app = create_app(
        {"TESTING": True, "DATABASE_URL": f"sqlite:///{folder / 'demo.sqlite'}", "SECRET_KEY": "t"}
    )
    app.instance_path = str(folder)
    summary = run_json(app.test_cli_runner(), "demo", "--years", "2")
    assert (len(summary["crime"]["months"]), summary["operations"]) == (24, 3)
    return app


@pytest.fixture(scope="module")
def viewer(demo_app: Flask) -> FlaskClient:
    return signed_in(demo_app, "viewer")


@pytest.fixture(scope="module")
def pcso(demo_app: Flask) -> FlaskClient:
    return signed_in(demo_app, "pcso")


def code_of(app: Flask, name: str) -> str:
    with app.app_context():
        engine = get_engine()
        wards = list_wards(engine, vintage=latest_vintage(engine) or "")
    return next(w["code"] for w in wards if w["name"] == name)


def token(client: FlaskClient) -> str:
    return client.get("/operations").text.split('name="csrf-token" content="')[1].split('"')[0]


def text_of(page: str) -> str:
    """The page's words, one space apart (none before a comma or a full stop)."""
    words = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    return words.replace(" ,", ",").replace(" .", ".")


@pytest.fixture
def in_may(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The pages think today is 15 May 2026, so the coming month is June."""

    class May(datetime.date):
        @classmethod
        def today(cls) -> May:
            return cls(2026, 5, 15)

    monkeypatch.setattr("service.views.operations.date", May)
    yield


def test_the_planning_page_lists_the_seasonal_rises_and_next_months(
    demo_app: Flask, viewer: FlaskClient, in_may: None
) -> None:
    page = text_of(viewer.get("/planning").text)

    assert "Expected seasonal rises in June" in page
    assert f"{ASB_PARK} {PARK_RISE}" in page  # next month's rises, ward by ward
    assert "Every usual rise (1)" in page
    assert "Operation Summer Park (synthetic)" in page
    assert "Operation Clear Week (synthetic), 10 March 2025 to 16 March 2025, force-wide" in page


def test_the_briefing_says_what_usually_rises_next_month(
    demo_app: Flask, pcso: FlaskClient, in_may: None
) -> None:
    park = text_of(pcso.get(f"/wards/{code_of(demo_app, ASB_PARK)}/briefing").text)
    town = text_of(pcso.get(f"/wards/{code_of(demo_app, TOWN_CENTRE)}/briefing").text)

    assert f"Usually above the ward's average at this time of year: {PARK_RISE}." in park
    assert "Usually above the ward" not in town


def test_a_ward_page_lists_its_operations_and_the_force_wide_ones(
    demo_app: Flask, viewer: FlaskClient
) -> None:
    page = text_of(viewer.get(f"/wards/{code_of(demo_app, ASB_PARK)}").text)
    town = text_of(viewer.get(f"/wards/{code_of(demo_app, TOWN_CENTRE)}").text)

    assert "Operations (2)" in page
    assert "Operation Summer Park (synthetic), 1 July 2025 to 31 August 2025" in page
    assert "Anti-social behaviour and Criminal damage and arson rose" in page
    assert f"In season: {PARK_RISE}; part of the change may be the season." in page
    assert "Not evaluated: a force-wide operation covers every ward" in page
    assert (
        "Operation Night Lights (synthetic), 28 November 2025 to 31 December 2025, on overtime"
        in town
    )


def test_an_operation_is_evaluated_as_its_equivalent_plan(demo_app: Flask) -> None:
    with demo_app.test_request_context():
        engine = get_engine()
        (summary, operation), *_ = [
            (s, o) for s, o in stored_operations(engine) if s["name"].startswith("Operation Summer")
        ]
        plan_id = create_plan(engine, equivalent_plan(operation), by="test")
        as_plan = plan_evaluation(demo_app, engine, plan_id=plan_id)
        as_operation = operation_evaluation(demo_app, engine, operation, operation_id=summary["id"])

    assert as_plan is not None and as_operation is not None
    assert as_operation["evaluated"] is True
    assert as_operation == {k: v for k, v in as_plan.items() if k not in ("plan_id", "title")}


def test_the_operation_pages_read_for_everyone(demo_app: Flask, viewer: FlaskClient) -> None:
    listed = viewer.get("/operations")
    [park] = [o for o in list_of(demo_app) if o["name"].startswith("Operation Summer")]
    shown = viewer.get(f"/operations/{park['id']}")

    assert listed.status_code == shown.status_code == 200
    assert "Record an operation" not in listed.text  # a viewer may not write
    page = text_of(shown.text)
    assert f"Where {ASB_PARK} ({park['ward_codes'][0]})" in page
    assert "Rate ratio" in page and "Demo analyst (synthetic): created" in page
    assert f"In season: {PARK_RISE}. Part of the change" in page
    assert viewer.get("/operations/new").status_code == 403
    assert viewer.get("/operations/999").status_code == 404


def list_of(app: Flask) -> list[dict[str, Any]]:
    with app.app_context():
        return list_operations(get_engine())


def form(client: FlaskClient, **fields: Any) -> dict[str, Any]:
    return {
        "csrf_token": token(client),
        "name": "Operation Autumn Nights",
        "start_date": "2025-10-01",
        "end_date": "2025-10-31",
        "ward_codes": [],
        "themes": "burglary, young people",
        "categories": ["Burglary"],
        "description": "Evening patrols.",
    } | fields


def test_a_pcso_records_and_edits_an_operation(demo_app: Flask, pcso: FlaskClient) -> None:
    code = code_of(demo_app, ASB_PARK)
    saved = pcso.post("/operations/new", data=form(pcso, ward_codes=[code], overtime="y"))

    assert saved.status_code == 303
    operation_id = int(saved.headers["Location"].rsplit("/", 1)[1])
    edit_page = pcso.get(f"/operations/{operation_id}/edit").text
    assert 'value="burglary, young people"' in edit_page
    edited = pcso.post(
        f"/operations/{operation_id}/edit",
        data=form(pcso, ward_codes=[code], overtime="y", end_date="2025-11-15", version="1"),
    )
    assert edited.status_code == 303
    page = text_of(pcso.get(f"/operations/{operation_id}").text)
    assert "1 October 2025 to 15 November 2025" in page and "Ran on overtime" in page
    assert "Test Pcso: created" in page and "Test Pcso: edited: end_date" in page


def test_problems_are_summarised_and_shown_by_their_fields(
    demo_app: Flask, pcso: FlaskClient
) -> None:
    before = len(list_of(demo_app))
    refused = pcso.post(
        "/operations/new", data=form(pcso, name=" ", end_date="2025-09-01", force_wide="")
    )

    assert refused.status_code == 400
    page = refused.text
    assert "<title>Error: New operation" in page
    assert 'class="error-summary"' in page
    assert '<a href="#name">is blank; give the operation its name</a>' in page
    assert re.search(r'id="end_date-error">2025-09-01 is before the start date 2025-10-01', page)
    assert re.search(r'id="ward_codes-error">is empty; give at least one ward code', page)
    no_token = pcso.post("/operations/new", data=form(pcso) | {"csrf_token": ""})
    assert no_token.status_code == 400 and "The CSRF token is missing" in no_token.text
    assert len(list_of(demo_app)) == before


def test_an_ended_operation_is_looked_at_again_6_and_12_months_after_its_end(
    demo_app: Flask, viewer: FlaskClient
) -> None:
    with demo_app.test_request_context():
        engine = get_engine()
        [(summary, operation)] = [
            (s, o) for s, o in stored_operations(engine) if s["name"].startswith("Operation Summer")
        ]
        # The same operation a year earlier has ended, with both follow-up windows held.
        earlier = dataclasses.replace(
            operation, start_date=datetime.date(2024, 7, 1), end_date=datetime.date(2024, 8, 31)
        )
        looked = operation_follow_ups(demo_app, engine, earlier, today=datetime.date(2026, 1, 1))
        running = operation_follow_ups(demo_app, engine, earlier, today=datetime.date(2024, 8, 31))

    assert [(f.months_after, f.window.first, f.window.last) for f in looked if f.window] == [
        (6, "2024-09", "2025-02"),
        (12, "2025-03", "2025-08"),
    ]
    assert all(f.counts and f.since_before is not None for f in looked)
    assert [f.result for f in running] == ["not-enough-data", "not-enough-data"]
    assert "has not ended" in running[0].reason

    # The 2025 operation ended in August 2025: its 12-month window (to August 2026) is not held.
    page = text_of(viewer.get(f"/operations/{summary['id']}").text)
    assert "Did it last? 6 and 12 months after an operation ended" in page
    assert "12 months March-August 2026 Not enough data yet" in page
    assert "The months March-August 2026 are not all held yet (6 of 6 missing)" in page
