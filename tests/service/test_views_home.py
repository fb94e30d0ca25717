from __future__ import annotations

from pathlib import Path

from flask.testing import FlaskClient, FlaskCliRunner
from shapely.geometry import box

from tests.factories import run_json, street_row, write_street_csv, write_wards


def test_empty_database_says_how_to_start(client: FlaskClient) -> None:
    page = client.get("/").get_data(as_text=True)

    assert "No wards stored yet" in page
    assert "flask --app service demo" in page


def test_wards_are_listed_with_crime_and_asb_apart(
    client: FlaskClient, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    run_json(runner, "import-wards", str(write_wards(tmp_path / "w.geojson")))
    rows = [street_row(), street_row(), street_row(category="Anti-social behaviour")]
    run_json(runner, "import-crime", str(write_street_csv(tmp_path / "c.csv", rows)))

    page = client.get("/").get_data(as_text=True)

    assert "Wards (3, boundary vintage 2025)" in page
    assert "Test Police: 1 month,\n  2025-01 to 2025-01, 3 incidents stored." in page
    west = page[page.index("West Ward") :]
    assert '<td class="n">2</td><td class="n">1</td>' in west[: west.index("</tr>")]


def test_ward_names_from_files_are_escaped(
    client: FlaskClient, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    hostile = "<script>alert(1)</script>"
    path = write_wards(
        tmp_path / "w.geojson", [("E05000001", hostile, box(-1.2, 54.6, -1.1, 54.7))]
    )
    run_json(runner, "import-wards", str(path))

    page = client.get("/").get_data(as_text=True)

    assert hostile not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_unknown_page_uses_the_error_page(client: FlaskClient) -> None:
    response = client.get("/nowhere")

    assert response.status_code == 404
    assert "404 Not Found" in response.get_data(as_text=True)
