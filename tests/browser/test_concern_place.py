"""Recording a concern by tapping the map, in a real browser at a phone's width."""

from __future__ import annotations

from typing import Any

from shapely.geometry import Point, shape

from tests.browser.conftest import LiveServer, open_signed_in

WARD_POINT = """
(code) => {
  const map = window.wardProfilesPickMap;
  let inside = null;
  map.eachLayer(layer => {
    if (layer.feature && layer.feature.properties.code === code) { inside = layer; }
  });
  // The middle of the ward's outline as Leaflet draws it, in page pixels.
  const at = inside.getBounds().getCenter();
  const box = map.getContainer().getBoundingClientRect();
  const point = map.latLngToContainerPoint(at);
  return [box.left + point.x, box.top + point.y];
}
"""


def test_a_concern_recorded_by_tapping_the_map_lands_inside_its_ward(
    browser: Any, live_server: LiveServer
) -> None:
    watched = open_signed_in(browser, live_server, role="pcso", width=360)
    page: Any = watched.page
    wards = page.request.get(live_server.url + "/api/wards.geojson").json()["features"]
    # A compact ward whose bounding-box middle lies inside it.
    ward = next(
        f
        for f in sorted(wards, key=lambda f: f["properties"]["code"])
        if shape(f["geometry"]).contains(shape(f["geometry"]).envelope.centroid)
    )
    code = ward["properties"]["code"]

    page.goto(f"{live_server.url}/concerns/new?ward={code}")
    page.wait_for_load_state("networkidle")
    assert page.is_visible("#use-location")
    page.locator(".pick-map").scroll_into_view_if_needed()
    x, y = page.evaluate(WARD_POINT, code)
    page.mouse.click(x, y)
    assert page.input_value("#longitude") and page.input_value("#latitude")
    page.select_option("#tag", index=1)
    page.fill("#description", "Tapped on the map in a browser test.")
    page.select_option("#channel", index=1)
    page.click("text=Record the concern")
    page.wait_for_load_state("networkidle")

    assert "/concerns/" in page.url and "recorded" in page.content()
    concerns = page.request.get(f"{live_server.url}/api/wards/{code}/concerns").json()
    mine = [c for c in concerns if c["description"] == "Tapped on the map in a browser test."]
    assert len(mine) == 1
    point = Point(mine[0]["longitude"], mine[0]["latitude"])
    assert shape(ward["geometry"]).covers(point)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert watched.console_errors == [] and watched.foreign_requests == []
