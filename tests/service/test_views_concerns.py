"""Concern pages and the concern POST of the API: roles, CSRF, history, problems, escaping."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from geodata.concerns import Concern
from service.forms import JSON_FIELDS
from service.openapi import OPENAPI
from service.store.concerns import get_concern, record_concern, update_concern
from service.store.db import get_engine
from tests.conftest import signed_in
from tests.factories import run_json, write_wards

WEST, EAST = "E05000002", "E05000001"
TODAY = date.today()
RAISED = TODAY - timedelta(days=10)


# --- Fixtures and helpers ------------------------------------------------------------------


@pytest.fixture
def wards(runner: FlaskCliRunner, tmp_path: Path) -> None:
    """The hand-drawn wards E05000001-3 (vintage 2025)."""
    run_json(runner, "import-wards", str(write_wards(tmp_path / "wards.geojson")))


@pytest.fixture
def concern_id(app: Flask, wards: None) -> int:
    """One open concern in West Ward, raised ten days ago by PCSO Example."""
    return store(app)


@pytest.fixture
def officer(app: Flask) -> FlaskClient:
    return signed_in(app, "pcso")


@pytest.fixture
def viewer(app: Flask) -> FlaskClient:
    return signed_in(app, "viewer")


def store(app: Flask, **fields: Any) -> int:
    values: dict[str, Any] = {
        "ward_code": WEST,
        "tag": "asb",
        "description": "Groups gathering by the play area in the evenings.",
        "raised_on": RAISED,
        "channel": "community-meeting",
        "recorded_by": "PCSO Example",
        "community": "older residents",
        "location_text": "Mill Lane park",
    }
    with app.app_context():
        return record_concern(
            get_engine(), Concern(**(values | fields)), recorded_by="PCSO Example"
        )


def stored(app: Flask, concern_id: int) -> dict[str, Any]:
    with app.app_context():
        concern = get_concern(get_engine(), concern_id)
    assert concern is not None
    return concern


def notes(app: Flask, concern_id: int) -> list[tuple[str, str, str, date]]:
    """The history as (status, note, by, on), oldest first."""
    history = stored(app, concern_id)["history"]
    return [(u["status"], u["note"], u["by"], u["on"]) for u in history]


def count_rows(app: Flask) -> tuple[int, int]:
    """How many concerns and concern updates are stored."""
    with app.app_context(), get_engine().connect() as connection:
        return (
            connection.scalar(sa.text("SELECT count(*) FROM concerns")),
            connection.scalar(sa.text("SELECT count(*) FROM concern_updates")),
        )


def token(client: FlaskClient, path: str = "/concerns") -> str:
    """The session's CSRF token, from a form on ``path`` (as a browser would have it)."""
    match = re.search(r'name="csrf_token"[^>]*?value="([^"]+)"', client.get(path).text)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def meta_token(client: FlaskClient, path: str = "/concerns") -> str:
    """The token a JavaScript client reads from <meta name="csrf-token">."""
    match = re.search(r'<meta name="csrf-token" content="([^"]+)">', client.get(path).text)
    assert match, f"no csrf-token meta tag on {path}"
    return match.group(1)


def new_form(**fields: str) -> dict[str, str]:
    """What the new-concern form posts for a good concern; keyword arguments replace fields."""
    return {
        "ward_code": WEST,
        "tag": "burglary",
        "description": "Sheds broken into along the allotments.",
        "raised_on": RAISED.isoformat(),
        "channel": "ward-councillor",
        "community": "  Hollin   Green Residents' Association ",
        "location_text": "Hollin Lane allotments",
        "longitude": "-1.21",
        "latitude": "54.61",
        "recorded_by": "Cllr Example",
    } | fields


def json_body(**fields: Any) -> dict[str, Any]:
    return {
        "tag": "speeding",
        "description": "Cars racing on the High Street at night.",
        "raised_on": RAISED.isoformat(),
        "channel": "online-form",
    } | fields


def error_of(page: str, field: str) -> str | None:
    """The problem shown with a form field (the element its aria-describedby names)."""
    match = re.search(rf'<span class="error" id="{field}-error">([^<]*)</span>', page)
    return match.group(1) if match else None


# --- Who may do what -----------------------------------------------------------------------

READS = [("GET", "/concerns"), ("GET", "/concerns/{id}")]
WRITES = [
    ("GET", "/concerns/new"),
    ("POST", "/concerns/new"),
    ("GET", "/concerns/{id}/edit"),
    ("POST", "/concerns/{id}/edit"),
    ("POST", "/concerns/{id}/status"),
    ("POST", "/api/wards/{ward}/concerns"),
]
POSTS = [(method, path) for method, path in WRITES if method == "POST"]


def call(client: FlaskClient, method: str, path: str, concern_id: int, *, csrf: str | None) -> Any:
    """Call a route of the inventory with a request that would succeed for an officer."""
    url = path.format(id=concern_id, ward=WEST)
    if method == "GET":
        return client.get(url)
    if url.startswith("/api/"):
        headers = {"X-CSRFToken": csrf} if csrf else {}
        return client.post(url, json=json_body(), headers=headers)
    data = {
        "/concerns/new": new_form(),
        f"/concerns/{concern_id}/edit": {
            "tag": "asb",
            "description": "Groups gathering by the play area late at night.",
            "channel": "community-meeting",
        },
        f"/concerns/{concern_id}/status": {
            "status": "in-progress",
            "note": "Patrols added on Friday evenings.",
            "on": TODAY.isoformat(),
        },
    }[url]
    return client.post(url, data=data | ({"csrf_token": csrf} if csrf else {}))


def test_the_inventory_lists_every_concern_route(app: Flask) -> None:
    ours = {
        (method, re.sub(r"<(?:int:)?(\w+)>", lambda m: "{" + m[1] + "}", rule.rule))
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("concerns.") or rule.endpoint == "api.new_concern"
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}
    }
    listed = {(m, p.replace("{id}", "{concern_id}").replace("{ward}", "{code}")) for m, p in READS}
    listed |= {
        (m, p.replace("{id}", "{concern_id}").replace("{ward}", "{code}")) for m, p in WRITES
    }

    assert ours == listed


@pytest.mark.parametrize(("method", "path"), READS + WRITES)
def test_signed_out_pages_go_to_sign_in_and_the_api_answers_401(
    anonymous: FlaskClient, concern_id: int, method: str, path: str
) -> None:
    before = count_rows(anonymous.application)
    response = call(anonymous, method, path, concern_id, csrf=token(anonymous, "/login"))

    if path.startswith("/api/"):
        assert response.status_code == 401
        assert response.get_json()["error"]["message"] == "sign in first"
    else:
        assert response.status_code == 302 and response.location.startswith("/login")
    assert count_rows(anonymous.application) == before


@pytest.mark.parametrize(("method", "path"), READS)
def test_a_viewer_reads(viewer: FlaskClient, concern_id: int, method: str, path: str) -> None:
    assert call(viewer, method, path, concern_id, csrf=None).status_code == 200


@pytest.mark.parametrize(("method", "path"), WRITES)
def test_a_viewer_may_not_write(
    app: Flask, viewer: FlaskClient, concern_id: int, method: str, path: str
) -> None:
    before = count_rows(app)
    response = call(viewer, method, path, concern_id, csrf=token(viewer))

    assert response.status_code == 403
    assert "this needs the pcso role or above" in response.text
    assert count_rows(app) == before


def test_a_viewer_is_not_offered_the_forms(viewer: FlaskClient, concern_id: int) -> None:
    listing = viewer.get("/concerns").text
    page = viewer.get(f"/concerns/{concern_id}").text

    assert "Record a concern" not in listing
    assert "Update the status" not in page and "Edit this concern" not in page


@pytest.mark.parametrize(("method", "path"), WRITES)
def test_an_officer_writes(
    app: Flask, officer: FlaskClient, concern_id: int, method: str, path: str
) -> None:
    before = count_rows(app)
    response = call(officer, method, path, concern_id, csrf=meta_token(officer))

    expected = {"GET": 200, "POST": 201 if path.startswith("/api/") else 303}[method]
    assert response.status_code == expected, response.text
    assert (count_rows(app) > before) == (method == "POST")


@pytest.mark.parametrize(("method", "path"), POSTS)
@pytest.mark.parametrize("csrf", [None, "not-the-token"])
def test_every_post_without_the_csrf_token_is_refused(
    app: Flask, officer: FlaskClient, concern_id: int, method: str, path: str, csrf: str | None
) -> None:
    before = count_rows(app)
    response = call(officer, method, path, concern_id, csrf=csrf)

    assert response.status_code == 400
    assert "CSRF" in response.text
    assert count_rows(app) == before


def test_the_nav_links_to_the_concerns(client: FlaskClient) -> None:
    assert '<a href="/concerns">Concerns</a>' in client.get("/").text


# --- Recording a concern -------------------------------------------------------------------


@pytest.mark.usefixtures("wards")
def test_recording_a_concern_redirects_to_it_with_its_history(
    app: Flask, officer: FlaskClient
) -> None:
    response = officer.post("/concerns/new", data=new_form(csrf_token=token(officer)))

    assert response.status_code == 303 and response.location == "/concerns/1"
    concern = stored(app, 1)
    assert concern | {"created_at": None, "history": None, "age_days": None} == {
        "id": 1,
        "ward_code": WEST,
        "ward_vintage": "2025",
        "tag": "burglary",
        "description": "Sheds broken into along the allotments.",
        "raised_on": RAISED,
        "channel": "ward-councillor",
        "community": "Hollin Green Residents' Association",
        "location_text": "Hollin Lane allotments",
        "longitude": -1.21,
        "latitude": 54.61,
        "status": "open",
        "recorded_by": "Cllr Example",
        "import_id": None,
        "created_at": None,
        "updated_on": RAISED,
        "age_days": None,
        "history": None,
    }
    assert notes(app, 1) == [("open", "raised", "Test Pcso", RAISED)]
    page = officer.get("/concerns/1").text
    assert "Concern 1 recorded." in page
    assert "<td>raised</td><td>Test Pcso</td>" in page
    assert "Concern 1 recorded." not in officer.get("/concerns/1").text


@pytest.mark.usefixtures("wards")
def test_the_form_offers_the_latest_wards_and_defaults(officer: FlaskClient) -> None:
    page = officer.get(f"/concerns/new?ward={EAST}").text

    assert f'<option selected value="{EAST}">East Ward ({EAST})</option>' in page
    assert f'<option value="{WEST}">West Ward ({WEST})</option>' in page
    assert '<option value="vawg">Violence against women and girls</option>' in page
    assert '<option value="street-briefing">Street briefing or door-knocking</option>' in page
    assert f'name="raised_on" required type="date" value="{TODAY.isoformat()}"' in page
    assert 'name="recorded_by" required type="text" value="Test Pcso"' in page
    assert "young people, older residents" in page


@pytest.mark.usefixtures("wards")
def test_recorded_by_defaults_to_the_signed_in_user(app: Flask, officer: FlaskClient) -> None:
    form = new_form(csrf_token=token(officer))
    del form["recorded_by"]

    assert officer.post("/concerns/new", data=form).status_code == 303
    assert stored(app, 1)["recorded_by"] == "Test Pcso"


@pytest.mark.usefixtures("wards")
def test_every_problem_is_shown_with_its_field_and_nothing_is_stored(
    app: Flask, officer: FlaskClient
) -> None:
    tomorrow = (TODAY + timedelta(days=1)).isoformat()
    form = new_form(
        csrf_token=token(officer),
        ward_code="E05999999",
        tag="litter",
        description="x" * 2_001,
        raised_on=tomorrow,
        channel="",
        longitude="",
        latitude="54.61",
        recorded_by=" ",
    )

    response = officer.post("/concerns/new", data=form)

    assert response.status_code == 400
    page = response.text
    # Issue 15: a list field's problem says to choose, never the list of codes allowed.
    assert error_of(page, "ward_code") == "Choose a ward"
    assert error_of(page, "tag") == "Choose a theme"
    assert error_of(page, "description") == "is 2,001 characters long; at most 2,000"
    assert error_of(page, "raised_on") == f"{tomorrow} is after today ({TODAY.isoformat()})"
    assert error_of(page, "channel") == "Choose how the concern reached the police"
    summary = page[page.index('<div class="error-summary"') :]
    assert '<a href="#tag">Choose a theme</a>' in summary[: summary.index("</div>")]
    assert error_of(page, "longitude") == "is blank but latitude is given; give both or neither"
    assert error_of(page, "recorded_by") == "is blank; name who recorded the concern"
    assert error_of(page, "community") is None and error_of(page, "latitude") is None
    assert 'aria-describedby="description-error" aria-invalid' in page
    assert count_rows(app) == (0, 0)


@pytest.mark.usefixtures("wards")
@pytest.mark.parametrize(
    ("fields", "field", "problem"),
    [
        ({"raised_on": "15/01/2025"}, "raised_on", "Not a valid date value."),
        ({"raised_on": ""}, "raised_on", "Not a valid date value."),
        ({"longitude": "west"}, "longitude", "Not a valid float value."),
        (
            {"longitude": "2.5", "latitude": "48.9"},
            "longitude",
            "(2.5, 48.9) lies outside England and Wales",
        ),
        ({"description": "   "}, "description", "is blank; say what was raised"),
        ({"community": "c" * 201}, "community", "is 201 characters long; at most 200"),
        ({"location_text": "l" * 201}, "location_text", "is 201 characters long; at most 200"),
    ],
)
def test_a_bad_field_is_named(
    officer: FlaskClient, fields: dict[str, str], field: str, problem: str
) -> None:
    response = officer.post("/concerns/new", data=new_form(csrf_token=token(officer), **fields))

    assert response.status_code == 400
    assert error_of(response.text, field) == problem


# --- Changing a concern --------------------------------------------------------------------


def test_a_status_update_adds_a_history_row(
    app: Flask, officer: FlaskClient, concern_id: int
) -> None:
    response = officer.post(
        f"/concerns/{concern_id}/status",
        data={
            "status": "in-progress",
            "note": "Patrols added on Friday evenings.",
            "on": TODAY.isoformat(),
            "csrf_token": token(officer),
        },
    )

    assert response.status_code == 303 and response.location == f"/concerns/{concern_id}"
    assert notes(app, concern_id) == [
        ("open", "raised", "PCSO Example", RAISED),
        ("in-progress", "Patrols added on Friday evenings.", "Test Pcso", TODAY),
    ]
    page = officer.get(f"/concerns/{concern_id}").text
    assert "Status recorded: In progress." in page
    assert f"In progress (since {TODAY.isoformat()})" in page
    assert "<td>Patrols added on Friday evenings.</td><td>Test Pcso</td>" in page


@pytest.mark.parametrize(
    ("fields", "field", "problem"),
    [
        ({"note": "  "}, "note", "is blank; it must say who or what"),
        ({"status": "pending"}, "status", "Choose a status"),
        (
            {"on": (RAISED - timedelta(days=1)).isoformat()},
            "on",
            f"{(RAISED - timedelta(days=1)).isoformat()} is before the concern&#39;s latest",
        ),
        ({"on": "next week"}, "on", "Not a valid date value."),
    ],
)
def test_a_refused_status_update_says_why_and_changes_nothing(
    app: Flask,
    officer: FlaskClient,
    concern_id: int,
    fields: dict[str, str],
    field: str,
    problem: str,
) -> None:
    data = {"status": "resolved", "note": "Done.", "on": TODAY.isoformat()} | fields

    response = officer.post(
        f"/concerns/{concern_id}/status", data=data | {"csrf_token": token(officer)}
    )

    assert response.status_code == 400
    assert (error_of(response.text, field) or "").startswith(problem)
    assert len(notes(app, concern_id)) == 1


def test_an_edit_records_each_old_and_new_value(
    app: Flask, officer: FlaskClient, concern_id: int
) -> None:
    page = officer.get(f"/concerns/{concern_id}/edit").text
    assert "Groups gathering by the play area in the evenings.</textarea>" in page

    response = officer.post(
        f"/concerns/{concern_id}/edit",
        data={
            "tag": "asb",
            "description": "Groups gathering by the play area late at night.",
            "channel": "community-meeting",
            "community": "young people",
            "location_text": "Mill Lane park",
            "csrf_token": token(officer),
        },
    )

    assert response.status_code == 303 and response.location == f"/concerns/{concern_id}"
    assert notes(app, concern_id)[1:] == [
        (
            "open",
            "edited: description: 'Groups gathering by the play area in the evenings.' → "
            "'Groups gathering by the play area late at night.'",
            "Test Pcso",
            TODAY,
        ),
        ("open", "edited: community: 'older residents' → 'young people'", "Test Pcso", TODAY),
    ]
    shown = officer.get(f"/concerns/{concern_id}").text
    assert "Changed: description, community." in shown
    assert "edited: community: &#39;older residents&#39; → &#39;young people&#39;" in shown


def test_an_edit_that_changes_nothing_writes_nothing(
    app: Flask, officer: FlaskClient, concern_id: int
) -> None:
    data = {
        "tag": "asb",
        "description": "Groups gathering by the play area in the evenings.",
        "channel": "community-meeting",
        "community": "older residents",
        "location_text": "Mill Lane park",
        "csrf_token": token(officer),
    }

    assert officer.post(f"/concerns/{concern_id}/edit", data=data).status_code == 303
    assert len(notes(app, concern_id)) == 1
    assert "Nothing changed." in officer.get(f"/concerns/{concern_id}").text


def test_a_refused_edit_names_the_field(app: Flask, officer: FlaskClient, concern_id: int) -> None:
    response = officer.post(
        f"/concerns/{concern_id}/edit",
        data={"tag": "litter", "description": "", "channel": "fax", "csrf_token": token(officer)},
    )

    assert response.status_code == 400
    assert error_of(response.text, "description") == "is blank; say what was raised"
    assert error_of(response.text, "tag") == "Choose a theme"
    assert error_of(response.text, "channel") == "Choose how the concern reached the police"
    assert len(notes(app, concern_id)) == 1


def test_an_unknown_concern_is_a_404(officer: FlaskClient, concern_id: int) -> None:
    for path in ("/concerns/99", "/concerns/99/edit"):
        assert officer.get(path).status_code == 404
    response = officer.post("/concerns/99/status", data={"csrf_token": token(officer)})
    assert response.status_code == 404


# --- The register --------------------------------------------------------------------------


@pytest.fixture
def register(app: Flask, wards: None) -> dict[str, int]:
    """Three concerns: an older resolved one and a newer one in West Ward, one in East Ward."""
    older = store(app, raised_on=TODAY - timedelta(days=40), tag="burglary")
    with app.app_context():
        update_concern(get_engine(), older, status="resolved", note="Done.", by="PC", on=TODAY)
    newer = store(app, raised_on=TODAY - timedelta(days=3), channel="survey", community=None)
    east = store(app, ward_code=EAST, raised_on=TODAY - timedelta(days=20))
    return {"older": older, "newer": newer, "east": east}


def listed(page: str) -> list[int]:
    return [int(n) for n in re.findall(r'<a href="/concerns/(\d+)">', page)]


def test_the_register_is_newest_first_with_age_status_channel_community_and_tag(
    client: FlaskClient, register: dict[str, int]
) -> None:
    page = client.get("/concerns").text

    assert listed(page) == [register["newer"], register["east"], register["older"]]
    assert "<h2>3 concerns</h2>" in page
    row = page[page.index(f'<a href="/concerns/{register["older"]}">') :]
    row = row[: row.index("</tr>")]
    assert "Resolved" in row and "Community meeting" in row and "older residents" in row
    newer = page[page.index(f"<td>{(TODAY - timedelta(days=3)).isoformat()}</td>") :]
    newer = newer[: newer.index("</tr>")]
    assert '<td class="n">3</td>' in newer and "<td>West Ward</td>" in newer
    assert "<td>Survey</td>" in newer and "<td>not known</td>" in newer
    assert "<td>Anti-social behaviour</td>" in newer


@pytest.mark.parametrize(
    ("query", "names"),
    [
        (f"ward={WEST}", ["newer", "older"]),
        ("status=resolved", ["older"]),
        ("status=open&tag=asb", ["newer", "east"]),
        ("channel=survey", ["newer"]),
        ("ward=&status=&tag=&channel=", ["newer", "east", "older"]),
        (f"ward={EAST}&tag=burglary", []),
    ],
)
def test_the_register_is_filtered(
    client: FlaskClient, register: dict[str, int], query: str, names: list[str]
) -> None:
    response = client.get(f"/concerns?{query}")

    assert response.status_code == 200
    assert listed(response.text) == [register[name] for name in names]


def test_the_filters_keep_their_choices(client: FlaskClient, register: dict[str, int]) -> None:
    page = client.get(f"/concerns?ward={WEST}&status=resolved").text

    assert f'<option selected value="{WEST}">West Ward ({WEST})</option>' in page
    assert '<option selected value="resolved">Resolved</option>' in page
    assert f'<a href="/concerns/new?ward={WEST}">Record a concern</a>' in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("status=pending", "status: &#39;pending&#39; is not one of open, in-progress, "),
        ("tag=litter", "tag: &#39;litter&#39; is not one of asb, "),
        ("channel=fax", "channel: &#39;fax&#39; is not one of ward-councillor, "),
        ("ward=E05999999", "ward: &#39;E05999999&#39; is not a ward of the latest boundary"),
    ],
)
def test_an_unknown_filter_is_a_400_naming_it(
    client: FlaskClient, register: dict[str, int], query: str, message: str
) -> None:
    response = client.get(f"/concerns?{query}")

    assert response.status_code == 400
    assert message in response.text


def test_the_register_without_wards_or_concerns(client: FlaskClient) -> None:
    response = client.get("/concerns")

    assert response.status_code == 200
    assert "No concerns match these filters." in response.text


# --- Hostile text --------------------------------------------------------------------------

PAYLOADS = (
    "<img src=x onerror=alert(1)>",
    "${alert(2)}",
    "`${alert(3)}`",
    "`-alert(4)-`",
    "</script><script>alert(5)</script>",
)


def assert_inert(page: str) -> None:
    """No payload reaches the page as markup, a script or an attribute; all show as text."""
    assert "<img src=x" not in page and "<script>alert" not in page
    for script in re.findall(r"<script\b[^>]*>(.*?)</script>", page, flags=re.S):
        assert "alert(" not in script
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "&lt;/script&gt;&lt;script&gt;alert(5)&lt;/script&gt;" in page
    for text in ("${alert(2)}", "`${alert(3)}`", "`-alert(4)-`"):
        assert text in page
        for match in re.finditer(re.escape(text), page):
            before = page[: match.start()]
            assert before.rfind(">") > before.rfind("<"), f"{text} inside a tag"


def test_script_payloads_show_escaped_on_the_register_and_the_concern_page(
    app: Flask, officer: FlaskClient, wards: None
) -> None:
    hostile = " ".join(PAYLOADS)
    form = new_form(
        csrf_token=token(officer),
        description=hostile,
        community=PAYLOADS[0],
        location_text=PAYLOADS[-1],
    )
    assert officer.post("/concerns/new", data=form).status_code == 303
    assert stored(app, 1)["description"] == hostile
    officer.post(
        "/concerns/1/status",
        data={
            "status": "closed",
            "note": hostile,
            "on": TODAY.isoformat(),
            "csrf_token": token(officer),
        },
    )

    for path in ("/concerns", "/concerns/1", "/concerns/1/edit"):
        assert_inert(officer.get(path).text)


# --- The JSON API --------------------------------------------------------------------------


def test_the_api_records_a_concern_with_the_token_from_the_meta_tag(
    app: Flask, officer: FlaskClient, wards: None
) -> None:
    response = officer.post(
        f"/api/wards/{WEST}/concerns",
        json=json_body(community="young people", longitude=-1.21, latitude=54.61),
        headers={"X-CSRFToken": meta_token(officer)},
    )

    assert response.status_code == 201 and response.location == "/concerns/1"
    body = response.get_json()
    assert body | {"created_at": None, "age_days": None} == {
        "id": 1,
        "ward_code": WEST,
        "ward_vintage": "2025",
        "tag": "speeding",
        "description": "Cars racing on the High Street at night.",
        "raised_on": RAISED.isoformat(),
        "channel": "online-form",
        "community": "young people",
        "location_text": None,
        "longitude": -1.21,
        "latitude": 54.61,
        "status": "open",
        "recorded_by": "Test Pcso",
        "import_id": None,
        "created_at": None,
        "updated_on": RAISED.isoformat(),
        "age_days": None,
        "history": [
            {
                "id": 1,
                "status": "open",
                "note": "raised",
                "by": "Test Pcso",
                "on": RAISED.isoformat(),
                "recorded_at": body["history"][0]["recorded_at"],
            }
        ],
    }
    assert body["age_days"] == 10
    listing = officer.get(f"/api/wards/{WEST}/concerns").get_json()
    assert [c["id"] for c in listing] == [1]


@pytest.mark.usefixtures("wards")
def test_the_api_can_record_a_concern_already_in_progress(officer: FlaskClient) -> None:
    response = officer.post(
        f"/api/wards/{EAST}/concerns",
        json=json_body(status="in-progress", recorded_by="PCSO Example", community=None),
        headers={"X-CSRFToken": meta_token(officer)},
    )

    assert response.status_code == 201
    body = response.get_json()
    assert (body["status"], body["recorded_by"], body["community"]) == (
        "in-progress",
        "PCSO Example",
        None,
    )


@pytest.mark.usefixtures("wards")
def test_the_api_lists_every_problem_by_field(app: Flask, officer: FlaskClient) -> None:
    tomorrow = (TODAY + timedelta(days=1)).isoformat()
    body = {
        "tag": "litter",
        "description": "",
        "raised_on": tomorrow,
        "channel": 3,
        "latitude": 54.61,
        "colour": "red",
    }

    response = officer.post(
        f"/api/wards/{WEST}/concerns", json=body, headers={"X-CSRFToken": meta_token(officer)}
    )

    assert response.status_code == 400
    error = response.get_json()["error"]
    problems = {p["field"]: p["problem"] for p in error["problems"]}
    assert set(problems) == {"colour", "channel", "tag", "description", "raised_on", "longitude"}
    assert problems["colour"].startswith("is not a field of a concern; one of tag, description")
    assert problems["channel"] == "3 is not text"
    assert problems["tag"].startswith("unknown tag 'litter'; one of asb, ")
    assert problems["description"] == "is blank; say what was raised"
    assert problems["raised_on"] == f"{tomorrow} is after today ({TODAY.isoformat()})"
    assert problems["longitude"] == "is blank but latitude is given; give both or neither"
    assert error["message"].startswith("colour: is not a field of a concern")
    assert (error["status"], error["name"]) == (400, "Bad Request")
    assert count_rows(app) == (0, 0)


@pytest.mark.usefixtures("wards")
@pytest.mark.parametrize(
    ("body", "field", "problem"),
    [
        ([1, 2], "body", "must be a JSON object of the concern's fields"),
        ("asb", "body", "must be a JSON object of the concern's fields"),
        (
            json_body(raised_on="15/01/2025"),
            "raised_on",
            "'15/01/2025' is not a day; give the day it was raised as YYYY-MM-DD",
        ),
        (
            {k: v for k, v in json_body().items() if k != "raised_on"},
            "raised_on",
            "is missing; give the day it was raised as YYYY-MM-DD",
        ),
        (json_body(longitude="-1.2", latitude=54.6), "longitude", "'-1.2' is not a number"),
        (json_body(longitude=True, latitude=54.6), "longitude", "True is not a number"),
        (
            json_body(longitude=10.0, latitude=60.0),
            "longitude",
            "(10.0, 60.0) lies outside England and Wales",
        ),
        (json_body(status="pending"), "status", "unknown status 'pending'; one of open, "),
        (json_body(recorded_by=""), "recorded_by", "is blank; name who recorded the concern"),
        (json_body(location_text=["a"]), "location_text", "['a'] is not text"),
        (json_body(ward_code=EAST), "ward_code", "is not a field of a concern; one of tag, "),
    ],
)
def test_the_api_names_a_bad_field(
    officer: FlaskClient, body: Any, field: str, problem: str
) -> None:
    response = officer.post(
        f"/api/wards/{WEST}/concerns", json=body, headers={"X-CSRFToken": meta_token(officer)}
    )

    assert response.status_code == 400
    problems = response.get_json()["error"]["problems"]
    assert [p["field"] for p in problems] == [field]
    assert problems[0]["problem"].startswith(problem)


@pytest.mark.usefixtures("wards")
def test_the_api_refuses_a_body_that_is_not_json(officer: FlaskClient) -> None:
    response = officer.post(
        f"/api/wards/{WEST}/concerns",
        data="tag=asb",
        headers={"X-CSRFToken": meta_token(officer)},
    )

    assert response.status_code == 400
    assert response.get_json()["error"]["problems"][0]["field"] == "body"


@pytest.mark.usefixtures("wards")
def test_the_api_answers_404_for_an_unknown_ward(officer: FlaskClient) -> None:
    response = officer.post(
        "/api/wards/E05999999/concerns",
        json=json_body(),
        headers={"X-CSRFToken": meta_token(officer)},
    )

    assert response.status_code == 404
    assert response.get_json()["error"]["message"] == (
        "no ward 'E05999999' in the latest boundary vintage"
    )


def test_the_api_without_the_token_header_is_a_json_400(
    app: Flask, officer: FlaskClient, wards: None
) -> None:
    response = officer.post(f"/api/wards/{WEST}/concerns", json=json_body())

    assert response.status_code == 400
    assert response.get_json()["error"]["message"] == "The CSRF token is missing."
    assert count_rows(app) == (0, 0)


def test_the_post_is_described_in_openapi() -> None:
    operation = OPENAPI["paths"]["/api/wards/{code}/concerns"]["post"]

    assert [p["name"] for p in operation["parameters"]] == ["code", "X-CSRFToken"]
    assert set(operation["responses"]) == {"201", "400", "401", "403", "404"}
    schema = OPENAPI["components"]["schemas"]["NewConcern"]
    assert set(schema["required"]) <= set(schema["properties"])
    assert set(schema["properties"]) == set(JSON_FIELDS)
