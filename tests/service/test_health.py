"""/healthz answers the load balancer without signing in; request logs are one JSON line."""

from __future__ import annotations

import json
import logging

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from service.store import migrate
from service.store.db import get_engine
from service.store.users import user_id_named


def test_healthy_when_the_database_answers_at_the_latest_schema(anonymous: FlaskClient) -> None:
    response = anonymous.get("/healthz")

    assert response.status_code == 200
    assert response.json == {"status": "ok", "schema": migrate.head_revision()}


def test_unhealthy_when_the_schema_is_behind(app: Flask, anonymous: FlaskClient) -> None:
    with app.app_context(), get_engine().begin() as connection:
        connection.execute(sa.text("UPDATE alembic_version SET version_num = '0001'"))

    response = anonymous.get("/healthz")

    assert response.status_code == 503
    assert response.json is not None
    assert response.json["problem"] == (
        f"the database schema is at 0001, the code needs {migrate.head_revision()}"
    )


def test_each_request_is_one_json_line(
    app: Flask, client: FlaskClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="wardprofiles.requests"):
        client.get("/api/wards/E05000099/profile")
        client.get("/healthz")

    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name.endswith("requests")]
    assert [(line["route"], line["status"]) for line in lines] == [
        ("/api/wards/<code>/profile", 404),
        ("/healthz", 200),
    ]
    assert isinstance(lines[0]["user_id"], int) and lines[0]["ms"] >= 0
    with app.app_context():  # the user's id, not the session's id:generation
        assert lines[0]["user_id"] == user_id_named(get_engine(), "test-analyst")
    assert set(lines[0]) == {"at", "user_id", "method", "route", "status", "ms"}
