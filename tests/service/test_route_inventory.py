"""Every route, every role: a new route fails here until its access rules are written down.

Each endpoint lists, per method, what a signed-out visitor and a viewer get on the demo
force, and the least role that may use it. Writes are tried without a CSRF token too.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests import conftest
from tests.conftest import signed_in
from tests.factories import run_json

W = "{ward}"
# endpoint: (method, path, signed-out status, viewer status, least role that may write)
INVENTORY: dict[str, list[tuple[str, str, int, int, str | None]]] = {
    "home.index": [("GET", "/", 302, 200, None)],
    "planning.index": [("GET", "/planning", 302, 200, None)],
    "resourcing.index": [("GET", "/resourcing", 302, 403, "analyst")],
    "resourcing.api": [("GET", "/api/resourcing", 401, 403, "analyst")],
    "my_wards.chooser": [("GET", "/my-wards", 302, 200, None)],
    "my_wards.users": [
        ("GET", "/admin/wards", 302, 403, "admin"),
        ("POST", "/admin/wards", 302, 400, "admin"),
    ],
    "wards.profile": [("GET", f"/wards/{W}", 302, 200, None)],
    "wards.briefing": [("GET", f"/wards/{W}/briefing", 302, 200, None)],
    "reports.ward_pdf": [("GET", f"/wards/{W}/report.pdf", 302, 200, None)],
    "concerns.index": [("GET", "/concerns", 302, 200, None)],
    "concerns.show": [("GET", "/concerns/1", 302, 200, None)],
    "concerns.new": [
        ("GET", "/concerns/new", 302, 403, "pcso"),
        ("POST", "/concerns/new", 302, 400, "pcso"),
    ],
    "concerns.edit": [
        ("GET", "/concerns/1/edit", 302, 403, "pcso"),
        ("POST", "/concerns/1/edit", 302, 400, "pcso"),
    ],
    "concerns.status": [("POST", "/concerns/1/status", 302, 400, "pcso")],
    "plans.index": [("GET", "/plans", 302, 200, None)],
    "plans.what_works": [("GET", "/plans/what-works", 302, 200, None)],
    "plans.show": [("GET", "/plans/1", 302, 200, None)],
    "plans.new": [
        ("GET", "/plans/new", 302, 403, "pcso"),
        ("POST", "/plans/new", 302, 400, "pcso"),
    ],
    "plans.edit": [
        ("GET", "/plans/1/edit", 302, 403, "pcso"),
        ("POST", "/plans/1/edit", 302, 400, "pcso"),
    ],
    "plans.status": [("POST", "/plans/1/status", 302, 400, "pcso")],
    "messages.index": [("GET", "/messages", 302, 200, None)],
    "messages.show": [("GET", "/messages/1", 302, 200, None)],
    "messages.new": [
        ("GET", "/messages/new", 302, 403, "pcso"),
        ("POST", "/messages/new", 302, 400, "pcso"),
    ],
    "operations.index": [("GET", "/operations", 302, 200, None)],
    "operations.show": [("GET", "/operations/1", 302, 200, None)],
    "operations.new": [
        ("GET", "/operations/new", 302, 403, "pcso"),
        ("POST", "/operations/new", 302, 400, "pcso"),
    ],
    "operations.edit": [
        ("GET", "/operations/1/edit", 302, 403, "pcso"),
        ("POST", "/operations/1/edit", 302, 400, "pcso"),
    ],
    "plan_sharing.good_practice": [("POST", "/plans/1/good-practice", 302, 400, "pcso")],
    "plan_sharing.case_study": [
        ("GET", "/plans/1/case-study.pdf", 302, 200, None),
        ("GET", "/plans/1/case-study.html", 302, 200, None),
    ],
    "auth.login": [("GET", "/login", 200, 200, None), ("POST", "/login", 400, 400, None)],
    "auth.logout": [("POST", "/logout", 302, 400, None)],
    "api.openapi": [("GET", "/api/openapi.json", 401, 200, None)],
    "api.wards": [("GET", "/api/wards", 401, 200, None)],
    "api.wards_geojson": [("GET", "/api/wards.geojson", 401, 200, None)],
    "api.profile": [("GET", f"/api/wards/{W}/profile", 401, 200, None)],
    "api.incidents": [("GET", f"/api/wards/{W}/incidents.geojson", 401, 200, None)],
    "api.priorities": [("GET", f"/api/wards/{W}/priorities", 401, 200, None)],
    "api.matrix": [("GET", "/api/priorities/matrix", 401, 200, None)],
    "api.threat": [("GET", "/api/threat", 401, 200, None)],
    "api.concerns": [("GET", f"/api/wards/{W}/concerns", 401, 200, None)],
    "api.new_concern": [("POST", f"/api/wards/{W}/concerns", 401, 400, "pcso")],
    "api.plans_index": [("GET", "/api/plans", 401, 200, None)],
    "api.plan_detail": [("GET", "/api/plans/1", 401, 200, None)],
    "api.plan_evaluation_view": [("GET", "/api/plans/1/evaluation", 401, 200, None)],
    "api.new_plan": [("POST", "/api/plans", 401, 400, "pcso")],
    "api.edit_plan": [("PUT", "/api/plans/1", 401, 400, "pcso")],
    "api_messages.index": [("GET", "/api/messages", 401, 200, None)],
    "api_messages.detail": [("GET", "/api/messages/1", 401, 200, None)],
    "api_messages.new": [("POST", "/api/messages", 401, 400, "pcso")],
    "api_messages.alignment": [("GET", "/api/messages/alignment", 401, 200, None)],
    "api_operations.index": [("GET", "/api/operations", 401, 200, None)],
    "api_operations.detail": [("GET", "/api/operations/1", 401, 200, None)],
    "api_operations.new": [("POST", "/api/operations", 401, 400, "pcso")],
    "tokens.index": [("GET", "/tokens", 302, 200, None), ("POST", "/tokens", 302, 400, None)],
    "tokens.revoke": [("POST", "/tokens/1/revoke", 302, 400, None)],
    "ogc.landing": [("GET", "/ogc", 401, 200, None)],
    "ogc.api": [("GET", "/ogc/api", 401, 200, None)],
    "ogc.conformance": [("GET", "/ogc/conformance", 401, 200, None)],
    "ogc.collections": [("GET", "/ogc/collections", 401, 200, None)],
    "ogc.collection": [("GET", "/ogc/collections/wards", 401, 200, None)],
    "ogc.queryables": [("GET", "/ogc/collections/incidents/queryables", 401, 200, None)],
    "ogc.items": [("GET", "/ogc/collections/incidents/items?limit=5", 401, 200, None)],
    "ogc.item": [("GET", f"/ogc/collections/wards/items/{W}", 401, 200, None)],
    "downloads.product": [("GET", f"/downloads/wards.csv?ward={W}", 302, 200, None)],
    "admin.users": [("GET", "/admin/users", 302, 403, "admin")],
    "admin.update_user": [("POST", "/admin/users/1", 302, 400, "admin")],
    "static": [("GET", "/static/app.css", 200, 200, None)],
    "health.healthz": [("GET", "/healthz", 200, 200, None)],
    "assets.file": [("GET", "/assets/0/app.css", 200, 200, None)],
}
"""A viewer's write without a CSRF token is refused (400) before the role is checked;
with the token a viewer gets 403 (see test_roles_below_the_least_role_are_refused)."""

HTML_PAGES = sorted(
    path
    for rows in INVENTORY.values()
    for method, path, *_ in rows
    if method == "GET"
    and not path.startswith(("/api/", "/ogc", "/downloads/", "/static/", "/assets/"))
    and not path.endswith(".pdf")
    and "/case-study." not in path  # a file to download, not a page
    and path != "/healthz"
)
"""The HTML pages of the inventory: every GET route but the machine answers (the API, OGC API -
Features, data downloads, the health check), static files and the PDF.
The browser test (tests/browser/test_every_page.py) and the page-words scan open each."""


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory: pytest.TempPathFactory) -> tuple[Flask, str]:
    from service import create_app

    folder = tmp_path_factory.mktemp("inventory")
    app = create_app(
        {"TESTING": True, "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite'}", "SECRET_KEY": "t"}
    )
    run_json(app.test_cli_runner(), "demo")
    ward = app.test_client()
    with app.app_context():
        from service.store.db import get_engine
        from service.store.wards import latest_vintage, list_wards

        engine = get_engine()
        code = list_wards(engine, vintage=latest_vintage(engine) or "")[0]["code"]
    del ward
    return app, code


def call(client: FlaskClient, method: str, path: str, **kwargs: Any) -> int:
    response = client.open(path, method=method, **kwargs)
    response.close()  # a static file is streamed: close it like a server would
    return response.status_code


def test_every_route_is_in_the_inventory(demo_app: tuple[Flask, str]) -> None:
    app, _ = demo_app
    routes = {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    listed = {(endpoint, m) for endpoint, rows in INVENTORY.items() for m, *_ in rows}

    assert routes == listed


@pytest.mark.parametrize(
    ("endpoint", "method", "path", "anonymous", "viewer"),
    [(e, m, p, a, v) for e, rows in INVENTORY.items() for m, p, a, v, _ in rows],
)
def test_signed_out_and_viewer(
    demo_app: tuple[Flask, str], endpoint: str, method: str, path: str, anonymous: int, viewer: int
) -> None:
    app, code = demo_app
    url = path.replace(W, code)

    assert call(app.test_client(), method, url) == anonymous
    viewer_client = signed_in(app, "viewer") if endpoint != "auth.login" else app.test_client()
    assert call(viewer_client, method, url) == viewer


@pytest.mark.parametrize(
    ("endpoint", "method", "path", "least"),
    [(e, m, p, r) for e, rows in INVENTORY.items() for m, p, _, _, r in rows if r],
)
def test_roles_below_the_least_role_are_refused(
    demo_app: tuple[Flask, str], endpoint: str, method: str, path: str, least: str
) -> None:
    app, code = demo_app
    url = path.replace(W, code)
    roles = ["viewer", "pcso", "analyst", "admin"]
    for role in roles[: roles.index(least)]:
        client = signed_in(app, role)
        token = client.get("/").text.split('name="csrf-token" content="')[1].split('"')[0]
        status = call(
            client, method, url, headers={"X-CSRFToken": token}, data={"csrf_token": token}
        )
        assert status == 403, (role, endpoint)


_NAMES = itertools.count()


@pytest.fixture(autouse=True)
def _unique_users(monkeypatch: pytest.MonkeyPatch) -> None:
    """signed_in() names users by role; the module's one app needs a new name each time."""
    original = conftest.create_user

    def create_user(engine, *, username, **kwargs):  # type: ignore[no-untyped-def]
        return original(engine, username=f"{username}-{next(_NAMES)}", **kwargs)

    monkeypatch.setattr(conftest, "create_user", create_user)


CONCERN_TEXT = "Zqxv scooters racing through the underpass"
CONCERN_COMMUNITY = "Zqxv tenants"
SHOWS_CONCERNS = {
    "concerns.index",
    "concerns.show",
    "concerns.edit",
    "wards.profile",
    "wards.briefing",
    "api.concerns",
    "api.priorities",
    "reports.ward_pdf",
}
"""Routes known to show a concern's text or who raised it; the scan below finds any other."""


@pytest.fixture(scope="module")
def planted(demo_app: tuple[Flask, str]) -> int:
    """A concern in the demo ward with words found nowhere else, raised recently."""
    from datetime import date, timedelta

    from geodata.concerns import Concern
    from service.store.concerns import record_concern
    from service.store.db import get_engine

    app, code = demo_app
    concern = Concern(
        ward_code=code,
        tag="asb",
        description=CONCERN_TEXT,
        raised_on=date.today() - timedelta(days=3),
        channel="community-meeting",
        recorded_by="PCSO Test",
        community=CONCERN_COMMUNITY,
    )
    with app.app_context():
        return record_concern(get_engine(), concern, recorded_by="PCSO Test")


def text_of(response: Any) -> str:
    """What a person reading the answer sees: a PDF's text, or the page or JSON as sent."""
    if response.mimetype != "application/pdf":
        return str(response.text)
    from io import BytesIO

    from pypdf import PdfReader

    return " ".join(page.extract_text() for page in PdfReader(BytesIO(response.data)).pages)


@pytest.mark.parametrize(
    ("endpoint", "path"),
    [(e, p) for e, rows in INVENTORY.items() for m, p, *_ in rows if m == "GET"]
    + [("concerns.index", f"/concerns?ward={W}")],
)
def test_every_route_showing_a_concern_logs_its_id(
    demo_app: tuple[Flask, str], planted: int, endpoint: str, path: str
) -> None:
    from service.store.access import list_access
    from service.store.db import get_engine

    app, code = demo_app
    url = path.replace(W, code).replace("/concerns/1", f"/concerns/{planted}")
    client = signed_in(app, "pcso")
    with app.app_context():
        before = {row["id"] for row in list_access(get_engine(), limit=100_000)}
    response = client.get(url)
    text = text_of(response)
    shown = CONCERN_TEXT in text or CONCERN_COMMUNITY in text
    response.close()
    with app.app_context():
        rows = [r for r in list_access(get_engine(), limit=100_000) if r["id"] not in before]

    assert shown == (endpoint in SHOWS_CONCERNS), endpoint
    if shown:
        assert ("concern", str(planted)) in {(r["kind"], r["ref"]) for r in rows}, endpoint
