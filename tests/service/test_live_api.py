"""The API served as in production (gunicorn, two worker processes) and fuzzed by
Schemathesis from its own OpenAPI document, signed in as a pcso, who may read and write.

Schemathesis generates requests valid (and invalid) by the document for every operation, a
bounded number per operation with a fixed seed, and checks that no answer is a server
error, that each answer's status is documented and its body matches the document.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from service import create_app
from service.openapi import OPENAPI
from service.store.db import get_engine
from service.store.users import create_user

PASSWORD = "correct horse battery"
EXAMPLES = 20
"""Requests generated per operation (seeded: the same every run)."""
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@dataclass
class Live:
    url: str
    session: requests.Session
    token: str


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    folder = tmp_path_factory.mktemp("live")
    database = f"sqlite:///{folder / 'live.sqlite'}"
    app = create_app({"DATABASE_URL": database, "SECRET_KEY": "live"})
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        create_user(get_engine(), username="pcso", password=PASSWORD, role="pcso")
    port = _free_port()
    env = os.environ | {
        "WARDPROFILES_DATABASE_URL": database,
        "WARDPROFILES_SECRET_KEY": "live",
    }
    log = (folder / "gunicorn.log").open("wb")
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "service:create_app()",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        session = requests.Session()
        deadline = time.monotonic() + 60
        while True:
            try:
                page = session.get(f"{url}/login", timeout=30)
                break
            except requests.RequestException:
                assert server.poll() is None, (folder / "gunicorn.log").read_text()
                assert time.monotonic() < deadline, "gunicorn did not start in 60 s"
                time.sleep(0.5)
        form = re.search(r'name="csrf_token"[^>]*?value="([^"]+)"', page.text)
        assert form
        data = {"username": "pcso", "password": PASSWORD, "csrf_token": form.group(1)}
        assert session.post(f"{url}/login", data=data, allow_redirects=False).status_code == 302
        home = session.get(f"{url}/").text
        meta = re.search(r'name="csrf-token" content="([^"]+)"', home)
        assert meta
        yield Live(url=url, session=session, token=meta.group(1))
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def test_the_server_names_no_version(live: Live) -> None:
    for path in ("/login", "/api/wards", "/static/app.css"):
        server = live.session.get(f"{live.url}{path}").headers.get("Server", "")
        assert not re.search(r"\d", server), (path, server)
        assert "Werkzeug" not in server and "Python" not in server, (path, server)


schema = schemathesis.openapi.from_dict(OPENAPI)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)
def test_the_api_keeps_its_document(case: schemathesis.Case, live: Live) -> None:
    case.call_and_validate(
        base_url=live.url,
        session=live.session,
        headers={"X-CSRFToken": live.token},
        checks=CHECKS,
    )
