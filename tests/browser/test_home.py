"""The home page in a real browser: signed in, offline, no script errors."""

from __future__ import annotations

from typing import Any

from tests.browser.conftest import LiveServer, open_signed_in


def test_home_page_loads_offline_with_a_force_map(browser: Any, live_server: LiveServer) -> None:
    watched = open_signed_in(browser, live_server)
    page: Any = watched.page

    page.goto(live_server.url + "/")
    page.wait_for_load_state("networkidle")

    assert "Ward Profiles" in page.title()
    assert page.locator(".leaflet-container").count() >= 1
    assert watched.console_errors == []
    assert watched.foreign_requests == []


def test_signed_out_browser_lands_on_the_sign_in_page(
    browser: Any, live_server: LiveServer
) -> None:
    context = browser.new_context()
    page = context.new_page()

    page.goto(live_server.url + "/")

    assert page.url.startswith(live_server.url + "/login")
    context.close()
