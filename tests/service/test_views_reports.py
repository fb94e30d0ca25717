"""The Download report button's PDF: made on request, for signed-in users only."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from pypdf import PdfReader

from tests.conftest import signed_in
from tests.factories import run_json, street_row, write_street_csv, write_wards


@pytest.fixture
def force(runner: FlaskCliRunner, tmp_path: Path) -> None:
    run_json(runner, "import-wards", str(write_wards(tmp_path / "wards.geojson")))
    rows = [street_row(month="2025-02", lon="-1.21", lat="54.61") for _ in range(3)]
    run_json(runner, "import-crime", str(write_street_csv(tmp_path / "street.csv", rows)))


@pytest.mark.usefixtures("force")
def test_a_viewer_downloads_a_ward_pdf(app: Flask) -> None:
    viewer = signed_in(app, "viewer")

    response = viewer.get("/wards/E05000002/report.pdf?from=2025-01&to=2025-02&audience=public")

    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=E05000002-2025-01-2025-02-public.pdf"
    )
    text = PdfReader(io.BytesIO(response.data)).pages[0].extract_text()
    assert "West Ward" in text and "January 2025 to February 2025 (2 months)" in text
    assert "<5\ncrimes (ASB" in text  # 3 crimes, suppressed in the public edition


@pytest.mark.usefixtures("force")
@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/wards/E05999999/report.pdf", 404),
        ("/wards/E05000002/report.pdf?audience=everyone", 400),
        ("/wards/E05000002/report.pdf?from=2025-13&to=2025-12", 400),
    ],
)
def test_bad_requests(client: FlaskClient, url: str, status: int) -> None:
    assert client.get(url).status_code == status


@pytest.mark.usefixtures("force")
def test_signed_out_is_sent_to_sign_in(anonymous: FlaskClient) -> None:
    response = anonymous.get("/wards/E05000002/report.pdf")

    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


@pytest.mark.usefixtures("force")
def test_the_ward_page_offers_the_report(client: FlaskClient) -> None:
    page = client.get("/wards/E05000002?from=2025-01&to=2025-02").get_data(as_text=True)

    assert (
        'href="/wards/E05000002/report.pdf?from=2025-01&amp;to=2025-02">Download report</a>' in page
    )
