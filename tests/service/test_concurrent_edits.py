"""Concurrent edits: a plan or a concern edited from a version that is no longer current is
refused (409) with what changed since, in the forms and in PUT /api/plans/<id>."""

from __future__ import annotations

import html
import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from service.plan_forms import form_data
from service.store.db import get_engine
from service.store.plans import get_plan
from tests.conftest import signed_in
from tests.service.test_api_plans import put, stored, token
from tests.service.test_views_concerns import concern_id, officer, wards

__all__ = ["concern_id", "officer", "stored", "wards"]


def plan_of(app: Flask, plan_id: int) -> dict[str, Any]:
    with app.app_context():
        found = get_plan(get_engine(), plan_id)
    assert found is not None
    return found


def hidden_version(page: str) -> str:
    match = re.search(r'id="version" name="version" type="hidden" value="(\d+)"', page)
    assert match, "no version on the form"
    return match.group(1)


def test_a_stale_plan_put_is_a_409_naming_the_changes(
    app: Flask, client: FlaskClient, stored: int
) -> None:
    read = client.get(f"/api/plans/{stored}").json
    assert read["version"] == 1
    body = read["plan"] | {"version": 1}
    other = signed_in(app, "pcso")
    assert put(other, stored, body | {"title": "Theirs"}).status_code == 200

    refused = put(client, stored, body | {"title": "Mine"})

    assert refused.status_code == 409
    error = refused.json["error"]
    assert error["version"] == 2
    assert [(c["by"], c["change"]) for c in error["changes"]] == [("Test Pcso", "edited: title")]
    assert "was changed after you opened it (version 1, now 2): edited: title" in error["message"]
    assert plan_of(app, stored)["title"] == "Theirs"
    saved = put(client, stored, body | {"title": "Mine", "version": 2})
    assert saved.status_code == 200 and saved.json["version"] == 3


def test_a_stale_plan_form_is_shown_again_with_what_changed(
    app: Flask, client: FlaskClient, stored: int
) -> None:
    opened = client.get(f"/plans/{stored}/edit").text
    version = hidden_version(opened)
    other = signed_in(app, "pcso")
    before = plan_of(app, stored)
    mine = form_data(before["plan"]) | {"csrf_token": token(client), "version": version}
    theirs = mine | {"csrf_token": token(other), "problem": "Groups gather every night."}
    assert other.post(f"/plans/{stored}/edit", data=theirs).status_code == 303

    refused = client.post(f"/plans/{stored}/edit", data=mine | {"title": "Mine"})

    assert refused.status_code == 409
    text = html.unescape(refused.text)
    assert "this plan was changed after you opened it (version 1, now 2): edited: problem" in text
    assert "Your changes were not saved" in text
    assert hidden_version(refused.text) == "2"
    assert plan_of(app, stored)["title"] == before["title"]
    again = client.post(f"/plans/{stored}/edit", data=mine | {"title": "Mine", "version": "2"})
    assert again.status_code == 303
    assert plan_of(app, stored)["title"] == "Mine"


def test_a_stale_concern_edit_is_refused_with_what_changed(
    app: Flask, officer: FlaskClient, concern_id: int
) -> None:
    opened = officer.get(f"/concerns/{concern_id}/edit").text
    fields = {
        "tag": "asb",
        "description": "Groups gathering by the play area in the evenings.",
        "channel": "community-meeting",
        "community": "older residents",
        "location_text": "Mill Lane park",
        "version": hidden_version(opened),
    }
    other = signed_in(app, "analyst")
    changed = fields | {"description": "Groups by the play area.", "csrf_token": token(other)}
    assert other.post(f"/concerns/{concern_id}/edit", data=changed).status_code == 303

    mine = fields | {"community": "young people", "csrf_token": token(officer)}
    refused = officer.post(f"/concerns/{concern_id}/edit", data=mine)

    assert refused.status_code == 409
    text = html.unescape(refused.text)
    assert (
        "this concern was changed after you opened it (version 1, now 2): edited: description: "
        "'Groups gathering by the play area in the evenings.' → 'Groups by the play area.' "
        "(by Test Analyst" in text
    )
    assert "Groups by the play area." in officer.get(f"/concerns/{concern_id}").text
    assert hidden_version(refused.text) == "2"
