"""Every page of the route inventory on a 360 x 740 phone and a 1366 x 900 desktop.

A page must not scroll sideways on the phone, and axe-core (from the npm registry, installed
under node_modules by ``make install``, injected by the test and never served by the app) must
find no critical or serious accessibility violation at either size. One signed-in context per
size opens every page in turn, so the suite stays quick.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import PASSWORD, LiveServer
from tests.service.test_route_inventory import HTML_PAGES, W

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1366, "height": 900}

PAGES = HTML_PAGES

RUN_AXE = """
async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations
    .filter(v => v.impact === "critical" || v.impact === "serious")
    .map(v => ({id: v.id, impact: v.impact,
                targets: v.nodes.map(n => n.target.join(" ")).slice(0, 5)}));
}
"""


def signed_in_context(browser: Any, server: LiveServer, viewport: dict[str, int]) -> Any:
    """An administrator (who may open every page, the forms and user admin too) in a context
    that lets the test inject axe-core past the page's Content-Security-Policy."""
    context = browser.new_context(viewport=viewport, bypass_csp=True)
    page = context.new_page()
    page.goto(f"{server.url}/login")
    page.fill('input[name="username"]', "admin")
    page.fill('input[name="password"]', PASSWORD)
    page.click('button[type="submit"]')
    page.wait_for_load_state("networkidle")
    return context


@pytest.fixture(scope="module")
def ward_code(browser: Any, live_server: LiveServer) -> str:
    context = signed_in_context(browser, live_server, DESKTOP)
    wards = context.request.get(live_server.url + "/api/wards").json()
    context.close()
    return str(wards[0]["code"])


@pytest.fixture(scope="module")
def phone(browser: Any, live_server: LiveServer) -> Iterator[Any]:
    if not AXE.exists():
        pytest.skip("axe-core is not installed: run make install (npm ci)")
    context = signed_in_context(browser, live_server, PHONE)
    yield context.new_page()
    context.close()


@pytest.fixture(scope="module")
def desktop(browser: Any, live_server: LiveServer) -> Iterator[Any]:
    if not AXE.exists():
        pytest.skip("axe-core is not installed: run make install (npm ci)")
    context = signed_in_context(browser, live_server, DESKTOP)
    yield context.new_page()
    context.close()


def open_page(page: Any, server: LiveServer, path: str, code: str) -> None:
    response = page.goto(server.url + path.replace(W, code))
    assert response.status == 200, path
    page.wait_for_load_state("networkidle")


def serious_violations(page: Any) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(AXE))
    violations: list[dict[str, Any]] = page.evaluate(RUN_AXE)
    return violations


def test_the_pages_are_every_html_page_of_the_inventory() -> None:
    assert f"/wards/{W}" in PAGES and "/concerns/new" in PAGES and "/login" in PAGES
    assert len(PAGES) >= 14


@pytest.mark.parametrize("path", PAGES)
def test_a_phone_never_scrolls_sideways_and_axe_finds_nothing_serious(
    phone: Any, live_server: LiveServer, ward_code: str, path: str
) -> None:
    open_page(phone, live_server, path, ward_code)

    wide = phone.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > 360.5)
            .slice(0, 5).map(e => e.tagName + '.' + e.className)"""
    )
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360, wide
    assert serious_violations(phone) == []


@pytest.mark.parametrize("path", PAGES)
def test_axe_finds_nothing_serious_on_a_desktop(
    desktop: Any, live_server: LiveServer, ward_code: str, path: str
) -> None:
    open_page(desktop, live_server, path, ward_code)

    assert serious_violations(desktop) == []


@pytest.fixture(scope="module")
def html_report(
    live_server: LiveServer, ward_code: str, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """The self-contained HTML report of one ward, written by the report command."""
    out = tmp_path_factory.mktemp("report")
    result = live_server.app.test_cli_runner().invoke(
        args=["report", "--ward", ward_code, "--format", "html", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    return out / f"{ward_code}.html"


def test_the_html_report_fits_a_phone_with_nothing_serious_for_axe(
    phone: Any, html_report: Path
) -> None:
    phone.goto(html_report.as_uri())
    phone.wait_for_load_state("load")

    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    headline = phone.evaluate(
        "[...document.querySelectorAll('.headline td')].map(td => td.getBoundingClientRect().width)"
    )
    assert min(headline) >= 120  # two figures a row, not six squeezed into each other
    assert serious_violations(phone) == []


CHART_TEXT = """
() => [...document.querySelectorAll('svg.chart')].map(svg => {
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  const texts = [...svg.querySelectorAll('text')];
  return {title: texts.length ? texts[0].textContent : '',
          smallest: Math.min(...texts.map(t => parseFloat(getComputedStyle(t).fontSize) * scale))};
})
"""


def test_the_trend_charts_have_visible_titles_and_readable_text_on_a_phone(
    phone: Any, live_server: LiveServer, ward_code: str
) -> None:
    open_page(phone, live_server, f"/wards/{W}", ward_code)

    charts = phone.evaluate(CHART_TEXT)

    assert [c["title"].split(" in ")[0] for c in charts] == [
        "Crimes per month",
        "Anti-social behaviour per month",
    ]
    assert min(c["smallest"] for c in charts) >= 11
