"""Ward pages in a real browser: offline, the map's incidents, layer toggles, 360 px, XSS."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import LiveServer, open_signed_in

COUNT_CIRCLES = """
() => {
  const name = Object.keys(window).find(k => /^map_[0-9a-f]+$/.test(k));
  const map = window[name];
  let circles = 0;
  map.eachLayer(layer => {
    if (layer instanceof L.MarkerClusterGroup) { circles += layer.getLayers().length; }
    else if (layer instanceof L.CircleMarker && !layer.feature && !layer.__parent) { circles += 1; }
  });
  return circles;
}
"""

PAYLOADS = [
    "<img src=x onerror=window.__xss=1>",
    "${window.__xss=2}",
    "`;window.__xss=3;`",
    "\\`${window.__xss=4}`",
    "</script><script>window.__xss=5</script>",
]


@pytest.fixture(scope="module")
def busiest(browser: Any, live_server: LiveServer) -> str:
    watched = open_signed_in(browser, live_server)
    features = watched.page.request.get(live_server.url + "/api/wards.geojson").json()["features"]  # type: ignore[attr-defined]
    watched.page.context.close()  # type: ignore[attr-defined]
    return max(features, key=lambda f: f["properties"]["crime_total"])["properties"]["code"]


def expected_circles(page: Any, server: LiveServer, code: str, category: str | None = None) -> int:
    query = f"?category={category}" if category else ""
    features = page.request.get(f"{server.url}/api/wards/{code}/incidents.geojson{query}").json()
    return len(
        {
            (
                f["properties"]["category"],
                f["properties"]["location"],
                *f["geometry"]["coordinates"],
            )
            for f in features["features"]
        }
    )


def test_ward_page_loads_offline_with_every_incident_on_the_map(
    browser: Any, live_server: LiveServer, busiest: str
) -> None:
    watched = open_signed_in(browser, live_server)
    page: Any = watched.page

    page.goto(f"{live_server.url}/wards/{busiest}")
    page.wait_for_load_state("networkidle")

    assert page.evaluate(COUNT_CIRCLES) == expected_circles(page, live_server, busiest)
    assert watched.console_errors == []
    assert watched.foreign_requests == []
    page.context.close()


def test_unticking_a_category_hides_its_circles(
    browser: Any, live_server: LiveServer, busiest: str
) -> None:
    watched = open_signed_in(browser, live_server)
    page: Any = watched.page
    page.goto(f"{live_server.url}/wards/{busiest}")
    page.wait_for_load_state("networkidle")
    before = page.evaluate(COUNT_CIRCLES)
    burglary = expected_circles(page, live_server, busiest, "Burglary")

    page.hover(".leaflet-control-layers")
    page.locator(".leaflet-control-layers-overlays label", has_text="Burglary").locator(
        "input"
    ).uncheck()

    assert burglary > 0
    assert page.evaluate(COUNT_CIRCLES) == before - burglary
    page.context.close()


def test_briefing_fits_a_phone_held_in_one_hand(
    browser: Any, live_server: LiveServer, busiest: str
) -> None:
    watched = open_signed_in(browser, live_server, width=360)
    page: Any = watched.page

    page.goto(f"{live_server.url}/wards/{busiest}/briefing")
    page.wait_for_load_state("networkidle")

    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert watched.console_errors == []
    assert watched.foreign_requests == []
    page.context.close()


def test_a_concern_with_script_in_it_is_shown_as_text_and_never_runs(
    browser: Any, live_server: LiveServer, busiest: str
) -> None:
    watched = open_signed_in(browser, live_server, role="pcso")
    page: Any = watched.page
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(f"{live_server.url}/wards/{busiest}")
    token = page.locator('meta[name="csrf-token"]').get_attribute("content")
    for payload in PAYLOADS:
        response = page.request.post(
            f"{live_server.url}/api/wards/{busiest}/concerns",
            headers={"X-CSRFToken": token},
            data={
                "tag": "asb",
                "description": payload,
                "raised_on": "2025-06-01",
                "channel": "online-form",
                "longitude": None,
                "latitude": None,
            },
        )
        assert response.status == 201, response.text()

    for path in (f"/wards/{busiest}", f"/wards/{busiest}/briefing", f"/concerns?ward={busiest}"):
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        text = page.inner_text("main")
        assert page.evaluate("window.__xss") is None, path
        for payload in PAYLOADS[:3]:
            assert payload in text, (path, payload)
    assert dialogs == []
    assert watched.console_errors == []
    page.context.close()
