"""Sharing what works on a phone: the plan page's good-practice form with its error summary
and then its history, and the case study's HTML file, each 360 px wide with nothing serious
for axe-core."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import LiveServer
from tests.browser.test_every_page import AXE, PHONE, serious_violations, signed_in_context


@pytest.fixture(scope="module")
def phone(browser: Any, live_server: LiveServer) -> Iterator[Any]:
    if not AXE.exists():
        pytest.skip("axe-core is not installed: run make install (npm ci)")
    context = signed_in_context(browser, live_server, PHONE)
    yield context.new_page()
    context.close()


def fits(page: Any) -> None:
    wide = page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > 360.5)
            .slice(0, 5).map(e => e.tagName + '.' + e.className)"""
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, wide
    assert serious_violations(page) == []


def test_the_good_practice_form_and_history_fit_a_phone(
    phone: Any, live_server: LiveServer
) -> None:
    phone.goto(f"{live_server.url}/plans/1#good-practice")
    note = "form[action$='/good-practice'] textarea[name='note']"
    phone.eval_on_selector(note, "e => e.removeAttribute('required')")  # past the browser
    phone.click("form[action$='/good-practice'] button[type='submit']")  # no note
    phone.wait_for_load_state("networkidle")
    assert phone.locator(".error-summary").count() == 1
    fits(phone)

    phone.fill(note, "Gates, lights, youth club")
    phone.click("form[action$='/good-practice'] button[type='submit']")
    phone.wait_for_load_state("networkidle")
    assert phone.locator("#good-practice + p").inner_text() == "Nominated for good practice"
    assert "Gates, lights, youth club" in phone.locator("#good-practice ~ div table").inner_text()
    fits(phone)


def test_the_case_study_html_fits_a_phone(
    phone: Any, live_server: LiveServer, tmp_path: Path
) -> None:
    out = tmp_path / "case-study.html"
    result = live_server.app.test_cli_runner().invoke(
        args=["case-study", "--plan", "1", "--format", "html", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    phone.goto(out.as_uri())
    phone.wait_for_load_state("load")
    fits(phone)
