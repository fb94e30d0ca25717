"""Browser tests: the app served on localhost, driven by Playwright in Debian's Chromium.

One server and one browser serve the whole session (the demo force loads once). Every
page a test opens records console errors and requests to any host other than the app,
so a test can assert that a page works offline.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from flask import Flask
from werkzeug.serving import make_server

from service import create_app
from service.store.db import get_engine
from service.store.users import create_user

CHROMIUM = Path("/usr/bin/chromium")
PASSWORD = "browser test password"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The threaded server closes a static file only when the browser's connection ends,
    which Python reports as an unclosed file; that is the server's business, not a bug."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.filterwarnings("ignore::ResourceWarning"))
            item.add_marker(
                pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
            )


@dataclass
class LiveServer:
    url: str
    host: str
    app: Flask


@dataclass
class Watched:
    """A page with what it logged and where it tried to go."""

    page: object
    console_errors: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    folder = tmp_path_factory.mktemp("browser")
    app = create_app(
        {"DATABASE_URL": f"sqlite:///{folder / 'browser.sqlite'}", "SECRET_KEY": "browser"}
    )
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        for role in ("viewer", "pcso", "admin"):
            create_user(get_engine(), username=role, password=PASSWORD, role=role)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield LiveServer(
        url=f"http://127.0.0.1:{server.port}", host=f"127.0.0.1:{server.port}", app=app
    )
    server.shutdown()
    thread.join()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


def open_signed_in(
    browser: object, server: LiveServer, *, role: str = "viewer", width: int = 1280
) -> Watched:
    """A fresh context signed in as ``role``, watching console errors and foreign hosts."""
    context = browser.new_context(viewport={"width": width, "height": 800})  # type: ignore[attr-defined]
    page = context.new_page()
    watched = Watched(page)
    page.on(
        "console",
        lambda message: (
            watched.console_errors.append(message.text) if message.type == "error" else None
        ),
    )
    page.on(
        "request",
        lambda request: (
            watched.foreign_requests.append(request.url)
            if urlsplit(request.url).netloc not in ("", server.host)
            and not request.url.startswith(("data:", "blob:", "about:"))
            else None
        ),
    )
    page.goto(f"{server.url}/login")
    page.fill('input[name="username"]', role)
    page.fill('input[name="password"]', PASSWORD)
    page.click('button[type="submit"]')
    page.wait_for_load_state("networkidle")
    return watched
