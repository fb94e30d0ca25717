"""Plan pages: roles, CSRF, history, problems, the evaluation, "What works" and escaping."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from markupsafe import escape

from geodata.crime import ASB
from geodata.demo.plans import demo_plans
from geodata.demo.wards import ASB_PARK, BURGLARY_RISING
from geodata.period import period_words
from service.plan_forms import form_data
from service.readmodels.plan_evaluations import plan_evaluation
from service.store.db import get_engine
from service.store.plans import create_plan, get_plan, list_plans, set_status
from service.store.wards import latest_vintage, list_wards
from tests.conftest import signed_in
from tests.factories import (
    EAST,
    HAND_DRAWN_WARDS,
    NORTH,
    WEST,
    concern_row,
    run_json,
    street_row,
    write_concerns_csv,
    write_street_csv,
    write_wards,
)

XSS = "<img src=x onerror=alert(1)>"


# --- Fixtures and helpers ------------------------------------------------------------------


@pytest.fixture
def demo(runner: FlaskCliRunner) -> dict[str, Any]:
    """The demo force: wards, incidents and three stored plans."""
    return run_json(runner, "demo")


@pytest.fixture
def viewer(app: Flask) -> FlaskClient:
    return signed_in(app, "viewer")


def token(client: FlaskClient) -> str:
    return client.get("/plans").text.split('name="csrf-token" content="')[1].split('"')[0]


def ward_code(app: Flask, name: str | None = None) -> str:
    with app.app_context():
        engine = get_engine()
        wards = list_wards(engine, vintage=latest_vintage(engine) or "")
    return next(w["code"] for w in wards if name is None or w["name"] == name)


def plans(app: Flask, **filters: Any) -> list[dict[str, Any]]:
    with app.app_context():
        return list_plans(get_engine(), **filters)


def stored(app: Flask, plan_id: int) -> dict[str, Any]:
    with app.app_context():
        found = get_plan(get_engine(), plan_id)
    assert found is not None
    return found


def park_plan(app: Flask) -> int:
    return next(p["id"] for p in plans(app) if "park" in p["title"].lower())


def form(client: FlaskClient, code: str, **fields: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "csrf_token": token(client),
        "ward_codes": [code],
        "title": "Mill Lane garages: burglary",
        "problem": "Garages on Mill Lane are broken into at night, mostly on weekends.",
        "start_date": "2025-07-01",
        "status": "draft",
        "scanning_sources": ["data", "concerns"],
        "root_cause": "Unlit lane with broken garage locks and no one watching at night.",
        "responses": (
            "Fit lights on the lane | Council lighting team | 2025-09-01 | "
            "Improved street lighting | effective\n"
            "Lock surgery for garage owners | Neighbourhood team | | | promising"
        ),
        "objective": "Reduce garage burglaries by 30 %",
        "assessment_date": "2025-12-31",
        "target_kind": "ward",
        "buffer_m": "250",
        "categories": ["Burglary"],
        "partners": "Southmere Council, Garage owners' group",
        "community_involvement": "Garage owners asked at the ward panel.",
    }
    return values | fields


def post(client: FlaskClient, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, data=data)


# --- Roles and CSRF ------------------------------------------------------------------------


def test_a_viewer_reads_every_plan_page(demo: dict[str, Any], viewer: FlaskClient) -> None:
    listing = viewer.get("/plans")
    assert listing.status_code == 200
    for p in plans(viewer.application):
        assert str(escape(p["title"])) in listing.text
        assert f"{p['quality']['score']}/{p['quality']['out_of']}" in listing.text
        page = viewer.get(f"/plans/{p['id']}")
        assert page.status_code == 200
        assert "Edit this plan" not in page.text
        assert "Change the status" not in page.text
    assert viewer.get("/plans/what-works").status_code == 200
    assert viewer.get("/plans/new").status_code == 403
    assert viewer.get("/plans/999").status_code == 404
    assert viewer.get("/plans?status=nonsense").status_code == 400


def test_a_viewer_may_not_write_a_plan(
    app: Flask, demo: dict[str, Any], viewer: FlaskClient
) -> None:
    plan_id, code, before = park_plan(app), ward_code(app), len(plans(app))

    assert viewer.get("/plans/new").status_code == 403
    assert viewer.get(f"/plans/{plan_id}/edit").status_code == 403
    assert post(viewer, "/plans/new", form(viewer, code)).status_code == 403
    assert post(viewer, f"/plans/{plan_id}/edit", form(viewer, code)).status_code == 403
    status = {"csrf_token": token(viewer), "status": "closed", "note": "done"}
    assert post(viewer, f"/plans/{plan_id}/status", status).status_code == 403
    assert len(plans(app)) == before
    assert stored(app, plan_id)["status"] == "active"


def test_a_write_without_the_csrf_token_is_refused(
    app: Flask, demo: dict[str, Any], client: FlaskClient
) -> None:
    before = len(plans(app))
    data = form(client, ward_code(app))
    del data["csrf_token"]

    assert post(client, "/plans/new", data).status_code == 400
    assert post(client, "/plans/1/status", {"status": "closed"}).status_code == 400
    assert len(plans(app)) == before
    assert stored(app, 1)["status"] != "closed"


# --- Writing -------------------------------------------------------------------------------


def test_an_analyst_writes_a_plan_and_it_is_in_the_history(
    app: Flask, demo: dict[str, Any], client: FlaskClient
) -> None:
    code = ward_code(app)
    response = post(client, "/plans/new", form(client, code))

    assert response.status_code == 303
    plan_id = int(response.location.rsplit("/", 1)[1])
    plan = stored(app, plan_id)
    assert plan["plan"]["ward_codes"] == [code]
    assert plan["plan"]["responses"][0]["owner"] == "Council lighting team"
    assert plan["plan"]["responses"][1]["due"] is None
    assert plan["plan"]["responses"][1]["toolkit_rating"] == "promising"
    assert plan["plan"]["partners"] == ["Southmere Council", "Garage owners' group"]
    assert [h["by"] for h in plan["history"]] == ["Test Analyst"]
    page = client.get(response.location).text
    assert f"Plan {plan_id} saved." in page
    assert str(escape(plan["history"][0]["change"])) in page
    assert "Fit lights on the lane" in page


def test_an_edit_is_recorded_in_the_history(
    app: Flask, demo: dict[str, Any], client: FlaskClient
) -> None:
    plan_id = park_plan(app)
    page = client.get(f"/plans/{plan_id}/edit").text
    assert "action | owner | YYYY-MM-DD | evidence | rating" in page  # the format is documented
    before = stored(app, plan_id)

    data = form_data(before["plan"]) | {
        "csrf_token": token(client),
        "title": "Ashby Vale park: evening ASB (renamed)",
    }
    response = post(client, f"/plans/{plan_id}/edit", data)

    assert response.status_code == 303, response.text
    after = stored(app, plan_id)
    assert after["title"] == "Ashby Vale park: evening ASB (renamed)"
    assert after["plan"] | {"title": before["title"]} == before["plan"]  # nothing else moved
    assert [h["change"] for h in after["history"]][-1] == "edited: title"
    shown = client.get(response.location).text
    assert "Changed: title." in shown
    assert "edited: title" in shown


def test_the_status_changes_with_a_note(
    app: Flask, demo: dict[str, Any], client: FlaskClient
) -> None:
    plan_id = park_plan(app)
    data = {"csrf_token": token(client), "status": "under-review", "note": "six months on"}

    response = post(client, f"/plans/{plan_id}/status", data)

    assert response.status_code == 303
    assert stored(app, plan_id)["status"] == "under-review"
    page = client.get(response.location).text
    assert "status: active → under-review (six months on)" in page
    again = post(client, f"/plans/{plan_id}/status", data)
    assert again.status_code == 400
    assert "is already under-review" in again.text


def test_problems_are_shown_next_to_their_fields(
    app: Flask, demo: dict[str, Any], client: FlaskClient
) -> None:
    before = len(plans(app))
    data = form(
        client,
        ward_code(app),
        title="  ",
        assessment_date="2025-01-01",
        responses="Patrols | | 2025-08-01 | | brilliant",
        buffer_m="wide",
    )

    response = post(client, "/plans/new", data)

    assert response.status_code == 400
    page = response.text
    assert "This could not be saved" in page
    assert 'aria-describedby="title-error" aria-invalid' in page
    assert re.search(r'id="title-error">is blank; give the plan a title', page)
    assert re.search(r'id="assessment_date-error">2025-01-01 is before the start date', page)
    assert re.search(r'id="responses-error">[^<]*response 1 owner: is blank', page)
    assert "unknown rating &#39;brilliant&#39;" in page
    assert re.search(r'id="buffer_m-error">&#39;wide&#39; is not a number', page)
    assert len(plans(app)) == before


# --- Evaluation and What works -------------------------------------------------------------


def test_the_demo_plan_shows_its_evaluation(
    app: Flask, demo: dict[str, Any], viewer: FlaskClient
) -> None:
    plan_id = park_plan(app)
    with app.app_context():
        evaluation = plan_evaluation(app, get_engine(), plan_id=plan_id)
    assert evaluation is not None

    page = viewer.get(f"/plans/{plan_id}").text

    assert str(escape(evaluation["verdict"])) in page
    rr = evaluation["rate_ratio"]
    assert f"{rr['ratio']:.2f} (95 % CI {rr['low']:.2f}\u2013{rr['high']:.2f}" in page
    assert str(escape(evaluation["wdq"]["reading"])) in page
    assert f"{evaluation['wdd']['estimate']:.1f} incidents" in page
    counts = evaluation["counts"]["target"]
    assert f'<td class="n">{counts["before"]}</td><td class="n">{counts["after"]}</td>' in page
    before = evaluation["periods"]["before"]
    assert period_words(before["from"], before["to"]) in page
    # The quality checklist and the SARA record
    assert "Quality: 9/9" in page
    assert "Met:</strong> A specific problem statement" in page
    assert "Install lighting along the path" in page


def test_what_works_lists_only_closed_significant_good_plans(
    app: Flask, demo: dict[str, Any], client: FlaskClient
) -> None:
    plan_id = park_plan(app)
    title = str(escape(stored(app, plan_id)["title"]))
    assert title not in client.get("/plans/what-works").text  # active, not closed

    with app.app_context():
        set_status(get_engine(), plan_id, "closed", by="Test")
        evaluation = plan_evaluation(app, get_engine(), plan_id=plan_id)
    assert evaluation is not None
    rr = evaluation["rate_ratio"]
    qualifies = rr["ratio"] < 1 and rr["high"] < 1 and stored(app, plan_id)["quality"]["score"] >= 7

    page = client.get("/plans/what-works").text
    assert (title in page) == qualifies
    assert (title in client.get("/plans/what-works?q=PARK").text) == qualifies
    assert title not in client.get("/plans/what-works?q=no-such-words").text
    assert client.get("/plans/what-works?theme=nonsense").status_code == 400


PLANTED_MONTHS = tuple(f"2025-{m:02d}" for m in range(1, 13))
WEST_CODE, EAST_CODE, NORTH_CODE = (code for code, _, _ in HAND_DRAWN_WARDS)


@pytest.fixture
def planted(runner: FlaskCliRunner, tmp_path: Path) -> None:
    """The hand-drawn wards and a year of ASB: 20 a month in WEST until June, then 4 a
    month from July (a fall of 80 %); 20 a month in EAST all year (no change)."""
    run_json(runner, "import-wards", str(write_wards(tmp_path / "wards.geojson")))
    for month in PLANTED_MONTHS:
        west = 20 if month < "2025-07" else 4
        rows = [
            *(street_row(month=month, category=ASB, lon="-1.21", lat="54.61") for _ in range(west)),
            *(street_row(month=month, category=ASB, lon="-1.19", lat="54.61") for _ in range(20)),
        ]
        write_street_csv(tmp_path / "crime" / month / f"{month}-test-street.csv", rows)
    run_json(runner, "import-crime", str(tmp_path / "crime"))


def closed_plan(
    app: Flask,
    *,
    ward: str,
    good: bool = True,
    title: str | None = None,
    start: date = date(2025, 7, 1),
) -> int:
    """A closed plan in ``ward`` from ``start``: the demo's park plan (ASB and criminal
    damage, quality 9/9) or, unless ``good``, its weak burglary plan (1/9) aimed at ASB."""
    made = demo_plans([ward], names={ASB_PARK: ward, BURGLARY_RISING: ward}, start=start)
    plan = made[0] if good else dataclasses.replace(made[-1], categories=(ASB,))
    plan = dataclasses.replace(plan, status="closed", title=title or plan.title)
    with app.app_context():
        return create_plan(get_engine(), plan, by="Test")


@contextmanager
def statements(app: Flask) -> Iterator[list[str]]:
    """The SQL statements run on the app's engine while the block runs."""
    seen: list[str] = []
    with app.app_context():
        engine = get_engine()

    def note(*args: Any) -> None:
        seen.append(args[2])  # (connection, cursor, statement, parameters, context, many)

    sa.event.listen(engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        sa.event.remove(engine, "before_cursor_execute", note)


@pytest.mark.usefixtures("planted")
def test_what_works_shows_a_plan_whose_evaluation_found_a_fall(
    app: Flask, client: FlaskClient
) -> None:
    plan_id = closed_plan(app, ward=WEST_CODE)
    with app.app_context():
        evaluation = plan_evaluation(app, get_engine(), plan_id=plan_id)
    assert evaluation is not None
    assert evaluation["counts"]["target"] == {"before": 120, "after": 24}
    assert evaluation["rate_ratio"]["high"] < 1
    title = str(escape(stored(app, plan_id)["title"]))

    page = client.get("/plans/what-works").text
    assert title in page
    assert str(escape(evaluation["verdict"])) in page
    assert "<h2>Anti-social behaviour</h2>" in page
    assert "<h2>Criminal damage and arson</h2>" in page  # listed under each of its themes
    assert page.count(f'href="/plans/{plan_id}"') == 2
    assert "<p>1 plan.</p>" in page
    assert "(quality 9/9)" in page
    themed = client.get("/plans/what-works?theme=Burglary").text
    assert title not in themed
    assert "No closed plan of good quality with a significant fall matches." in themed
    damage = client.get("/plans/what-works?theme=Criminal+damage+and+arson").text
    assert title in damage
    assert "<h2>Anti-social behaviour</h2>" not in damage
    assert title in client.get("/plans/what-works?q=play+area").text


@pytest.mark.usefixtures("planted")
def test_what_works_leaves_out_no_fall_weak_plans_and_plans_not_yet_assessable(
    app: Flask, client: FlaskClient
) -> None:
    no_fall = closed_plan(app, ward=EAST_CODE, title="East park: no change")
    weak = closed_plan(app, ward=WEST_CODE, good=False, title="West: weak plan")
    closed_plan(app, ward=WEST_CODE, title="West: too new", start=date(2026, 1, 1))
    with app.app_context():
        evaluation = plan_evaluation(app, get_engine(), plan_id=no_fall)
    assert evaluation is not None
    assert evaluation["rate_ratio"]["high"] >= 1  # EAST did not change
    assert stored(app, weak)["quality"]["score"] < 7

    page = client.get("/plans/what-works").text
    assert "East park: no change" not in page
    assert "West: weak plan" not in page
    assert "West: too new" not in page  # no month after its start is held yet
    assert "<p>0 plans.</p>" in page
    assert "No closed plan of good quality with a significant fall." in page


@pytest.mark.usefixtures("planted")
def test_what_works_reads_a_fixed_number_of_statements(app: Flask, client: FlaskClient) -> None:
    # Before "what works" moved into geodata.what_works the page ran 2 + 6 statements per
    # closed plan (8 for one, 20 for three) once the shared figures were cached.
    counts = []
    for number in (1, 3):
        for _ in range(number - len(plans(app, status="closed"))):
            closed_plan(app, ward=WEST_CODE)
        client.get("/plans/what-works")  # the shared figures cached
        with statements(app) as seen:
            page = client.get("/plans/what-works").text
        assert f"<p>{number} plan{'' if number == 1 else 's'}.</p>" in page
        counts.append(len(seen))
    assert counts == [5, 5]


# --- Ward pages and escaping ---------------------------------------------------------------


def test_the_ward_profile_lists_its_active_plans(
    app: Flask, demo: dict[str, Any], viewer: FlaskClient
) -> None:
    code = ward_code(app, ASB_PARK)
    active = plans(app, ward=code, status="active")
    assert active

    page = viewer.get(f"/wards/{code}").text

    assert f"Active plans ({len(active)})" in page
    for p in active:
        assert str(escape(p["title"])) in page
        assert f"quality {p['quality']['score']}/{p['quality']['out_of']}" in page


def test_a_title_is_escaped(app: Flask, demo: dict[str, Any], client: FlaskClient) -> None:
    response = post(client, "/plans/new", form(client, ward_code(app), title=XSS))
    assert response.status_code == 303
    plan_id = int(response.location.rsplit("/", 1)[1])
    with app.app_context():
        set_status(get_engine(), plan_id, "active", by="Test")

    for url in [f"/plans/{plan_id}", "/plans", f"/plans/{plan_id}/edit"]:
        page = client.get(url).text
        assert XSS not in page
        assert "&lt;img src=x onerror=alert(1)&gt;" in page
    ward_page = client.get(f"/wards/{ward_code(app)}/briefing").text
    assert XSS not in ward_page


# --- Planted data: branches the demo force never reaches -----------------------------------


def test_before_any_wards_a_plan_cannot_be_written_and_the_list_is_empty(
    client: FlaskClient,
) -> None:
    listing = client.get("/plans").text
    assert "<p>No plans.</p>" in listing
    assert "<p>No plans match these filters.</p>" in client.get("/plans?status=closed").text

    response = post(client, "/plans/new", form(client, "E05000002"))

    assert response.status_code == 400
    assert "This could not be saved" in response.text
    assert plans(client.application) == []


@pytest.mark.usefixtures("planted")
def test_a_point_plan_with_reviews_and_a_linked_concern_shows_them(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    concerns = write_concerns_csv(tmp_path / "k.csv", [concern_row()])
    run_json(runner, "import-concerns", str(concerns))
    weak = demo_plans([WEST_CODE], names={BURGLARY_RISING: WEST_CODE}, start=date(2025, 7, 1))
    plan = dataclasses.replace(
        weak[0],
        target_kind="point-buffer",
        longitude=-1.21,
        latitude=54.61,
        radius_m=300.0,
        review_dates=(date(2025, 8, 1), date(2025, 9, 1)),
        linked_concern_ids=(1,),
        responses=(),
    )
    with app.app_context():
        plan_id = create_plan(get_engine(), plan, by="Test")

    page = client.get(f"/plans/{plan_id}").text

    assert "radius in metres): 300.0 m round (-1.21, 54.61);" in page
    assert "1 July 2025 · reviews 1 August 2025, 1 September 2025" in page
    assert 'Linked concerns: <a href="/concerns/1">1</a>.' in page
    assert "<p>No responses yet.</p>" in page
    listing = client.get(f"/plans?ward={WEST_CODE}&category=Burglary").text
    assert f'<option value="{WEST_CODE}" selected>' in listing
    assert "<option selected>Burglary</option>" in listing
    assert str(escape(plan.title)) in listing
    assert "No plans match" in client.get(f"/plans?ward={EAST_CODE}").text


@pytest.mark.usefixtures("planted")
def test_a_plan_of_an_older_boundary_vintage_can_still_be_edited(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    plan_id = closed_plan(app, ward=WEST_CODE)
    redrawn = [("E05009999", "Redrawn Ward", WEST.union(EAST).union(NORTH))]
    path = write_wards(tmp_path / "wd26.geojson", redrawn, year="26")
    run_json(runner, "import-wards", str(path))
    before = stored(app, plan_id)
    assert before["ward_vintage"] != "WD26"

    page = client.get(f"/plans/{plan_id}/edit").text
    assert f'value="{WEST_CODE}"' in page  # its own ward stays choosable
    data = form_data(before["plan"]) | {"csrf_token": token(client), "title": "Renamed"}
    response = post(client, f"/plans/{plan_id}/edit", data)

    assert response.status_code == 303, response.text
    assert stored(app, plan_id)["plan"]["ward_codes"] == [WEST_CODE]
    moved = form_data(before["plan"]) | {"csrf_token": token(client), "ward_codes": [EAST_CODE]}
    refused = post(client, f"/plans/{plan_id}/edit", moved)
    assert refused.status_code == 400  # a code of the old vintage is no longer allowed
