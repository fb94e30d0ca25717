"""Bounded requests: a period outside the months held, or too long, is refused cheaply."""

from __future__ import annotations

import time

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.service.test_api import WEST_CODE, error_message, imported

__all__ = ["imported"]

HELD = "police.uk records are held from 2025-01 to 2025-06"
API = [
    f"/api/wards/{WEST_CODE}/profile",
    f"/api/wards/{WEST_CODE}/incidents.geojson",
    f"/api/wards/{WEST_CODE}/priorities",
    "/api/wards.geojson",
    "/api/priorities/matrix",
]
HOSTILE = [
    ("from=0001-01&to=9999-12", f"from: 0001-01 is before the months held ({HELD})"),
    ("from=1901-01&to=2100-11", f"from: 1901-01 is before the months held ({HELD})"),
    ("from=2025-02&to=2100-11", f"to: 2100-11 is after the months held ({HELD})"),
]


@pytest.mark.usefixtures("imported")
@pytest.mark.parametrize(("query", "message"), HOSTILE)
def test_a_period_outside_the_months_held_is_a_cheap_400_naming_it(
    client: FlaskClient, query: str, message: str
) -> None:
    for url in API:
        started = time.perf_counter()
        assert error_message(client, f"{url}?{query}", 400) == message
        assert time.perf_counter() - started < 2, url
    pdf = client.get(f"/wards/{WEST_CODE}/report.pdf?{query}")
    assert pdf.status_code == 400 and message in pdf.text


@pytest.mark.usefixtures("imported")
@pytest.mark.parametrize(("query", "message"), HOSTILE)
def test_pages_show_the_default_period_with_the_reason(
    client: FlaskClient, query: str, message: str
) -> None:
    for url in (f"/wards/{WEST_CODE}", "/planning"):
        page = client.get(f"{url}?{query}")
        assert page.status_code == 400, url
        # Issue 15: the reason is in the page's error summary, in words, linked to its field
        # (the API keeps the message above); the latest 12 months are shown instead.
        field = message.split(":")[0]
        summary = page.text[page.text.index('<div class="error-summary"') :]
        summary = summary[: summary.index("</div>")]
        assert f'<a href="#{field}">' in summary, url
        assert "records run from January 2025 to June 2025." in summary, url
        assert "July 2024 to June 2025" in page.text and "shown instead" in page.text, url


@pytest.mark.usefixtures("imported")
def test_the_default_periods_start_before_the_first_month_held_is_allowed(
    client: FlaskClient,
) -> None:
    assert client.get(f"/api/wards/{WEST_CODE}/profile?from=2024-07&to=2025-06").status_code == 200
    message = error_message(client, f"{API[0]}?from=2024-06&to=2025-06", 400)
    assert message == f"from: 2024-06 is before the months held ({HELD})"


@pytest.mark.usefixtures("imported")
def test_the_period_length_is_capped_by_a_setting(app: Flask, client: FlaskClient) -> None:
    app.config["MAX_PERIOD_MONTHS"] = 3

    message = error_message(client, f"{API[0]}?from=2025-01&to=2025-06", 400)

    assert message == f"from: a period can be at most 3 months long ({HELD})"
    assert client.get(f"{API[0]}?from=2025-04&to=2025-06").status_code == 200
