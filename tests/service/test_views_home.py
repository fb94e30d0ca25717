"""The home page: search, the force map by crime or harm rate, the sortable ward table."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from shapely.geometry import box

from tests.conftest import signed_in
from tests.factories import run_json, street_row, write_street_csv, write_wards
from tests.service.test_cli_import_population import import_population

ROW = re.compile(r'<th scope="row"><a href="/wards/([^"]+)">')
TIP = re.compile(r'"tip": "([^"]*)"')

# The hand-drawn wards of tests.factories with the LSOAs of test_cli_import_population:
# West Ward 350 residents, East Ward 300, North Ward none (so no rates).
WEST, EAST, NORTH = "E05000002", "E05000001", "E05000003"


def table_codes(page: str) -> list[str]:
    """The ward codes of the ward table's rows, top to bottom."""
    return ROW.findall(page)


@pytest.fixture
def figures(runner: FlaskCliRunner, tmp_path: Path) -> None:
    """West: 3 burglaries; East: 4 criminal damage and 1 ASB; North: 5 shoplifting.

    Crimes, highest first: North 5, East 4, West 3. Crimes per 1,000: East 4/300 = 13.3,
    West 3/350 = 8.6, North none. Harm per 1,000 (ONS CSS weights): West 3 x 381.54 / 350
    = 3,270.3, East 4 x 18.48 / 300 = 246.4, North none.
    """
    run_json(runner, "import-wards", str(write_wards(tmp_path / "w.geojson")))
    rows = [
        *[
            street_row(lon="-1.21", lat="54.61", category="Burglary", crime_id=f"w{i}")
            for i in range(3)
        ],
        *[
            street_row(
                lon="-1.19", lat="54.61", category="Criminal damage and arson", crime_id=f"e{i}"
            )
            for i in range(4)
        ],
        street_row(lon="-1.19", lat="54.61", category="Anti-social behaviour"),
        *[
            street_row(lon="-1.20", lat="54.63", category="Shoplifting", crime_id=f"n{i}")
            for i in range(5)
        ],
    ]
    run_json(runner, "import-crime", str(write_street_csv(tmp_path / "c.csv", rows)))
    import_population(runner, tmp_path)


def test_empty_database_says_how_to_start(client: FlaskClient) -> None:
    page = client.get("/").get_data(as_text=True)

    assert "No wards stored yet" in page
    assert "flask --app service demo" in page


def test_signed_out_visitors_are_sent_to_sign_in(anonymous: FlaskClient) -> None:
    response = anonymous.get("/?q=West")

    assert response.status_code == 302
    assert response.location.startswith("/login")


@pytest.mark.usefixtures("figures")
def test_a_viewer_sees_every_ward_with_its_figures_for_the_latest_year(app: Flask) -> None:
    page = signed_in(app, "viewer").get("/").get_data(as_text=True)

    assert "Wards (3, boundary vintage 2025)" in page
    assert "Period: February 2024 to January 2025</strong>" in page  # months in words
    assert "Test Police: 1 month,\n    January 2025, 13 incidents stored." in page
    east = page[page.index(f'<a href="/wards/{EAST}">East Ward</a>') :]
    cells = re.findall(r'<td class="n">([^<]*)</td>', east[: east.index("</tr>")])
    assert cells == ["4", "1", "13.3", "246.4", "300"]
    north = page[page.index(f'<a href="/wards/{NORTH}">North Ward</a>') :]
    assert north[: north.index("</tr>")].count("n/a") == 3  # no population: no rates
    assert '<a href="/planning">Planning</a>' in page


SORTED = (
    ("", [EAST, NORTH, WEST]),
    ("?sort=name&order=desc", [WEST, NORTH, EAST]),
    ("?sort=crime&order=desc", [NORTH, EAST, WEST]),
    ("?sort=crime&order=asc", [WEST, EAST, NORTH]),
    ("?sort=rate&order=desc", [EAST, WEST, NORTH]),
    ("?sort=rate&order=asc", [WEST, EAST, NORTH]),  # no rate: last either way
    ("?sort=harm&order=desc", [WEST, EAST, NORTH]),
)


@pytest.mark.usefixtures("figures")
def test_the_table_sorts_on_the_server(client: FlaskClient) -> None:
    for query, codes in SORTED:
        assert table_codes(client.get("/" + query).get_data(as_text=True)) == codes, query


@pytest.mark.usefixtures("figures")
def test_column_headers_link_to_their_sort_and_mark_the_current_one(client: FlaskClient) -> None:
    page = client.get("/?sort=rate&order=desc&q=ward").get_data(as_text=True)

    assert 'aria-sort="descending"' in page
    assert '<a href="/?q=ward&amp;metric=crime&amp;sort=rate&amp;order=asc">' in page
    assert '<a href="/?q=ward&amp;metric=crime&amp;sort=harm&amp;order=desc">' in page
    assert "<caption>" in page and 'scope="col"' in page


@pytest.mark.usefixtures("figures")
def test_search_filters_by_name_or_code(client: FlaskClient) -> None:
    assert table_codes(client.get("/?q=  west ").get_data(as_text=True)) == [WEST]
    assert table_codes(client.get("/?q=E0500000").get_data(as_text=True)) == [EAST, NORTH, WEST]
    nothing = client.get("/?q=Nowhere").get_data(as_text=True)
    assert table_codes(nothing) == []
    assert "name or code contains “Nowhere”." in nothing


@pytest.mark.usefixtures("figures")
def test_search_reads_council_words_and_suggests_wards_as_you_type(client: FlaskClient) -> None:
    assert table_codes(client.get("/?q=testborough west").get_data(as_text=True)) == [WEST]
    assert table_codes(client.get("/?q=WEST,  testborough.").get_data(as_text=True)) == [WEST]
    page = client.get("/").get_data(as_text=True)

    box_ = page[page.index('<input id="ward-search"') :]
    assert 'list="ward-suggestions"' in box_[: box_.index(">")]
    suggestions = re.findall(r'<option value="([^"]+)">', page[page.index("<datalist") :])
    assert suggestions == [
        "East Ward, Testborough",
        "North Ward, Testborough",
        "West Ward, Testborough",
    ]


@pytest.mark.usefixtures("figures")
def test_an_exact_code_goes_straight_to_the_ward(client: FlaskClient) -> None:
    response = client.get(f"/?q={EAST.lower()}")

    assert response.status_code == 302
    assert response.location == f"/wards/{EAST}"


@pytest.mark.usefixtures("figures")
def test_the_map_switches_between_crime_and_harm_rates(client: FlaskClient) -> None:
    crime = client.get("/").get_data(as_text=True)
    harm = client.get("/?metric=harm").get_data(as_text=True)

    assert sorted(TIP.findall(crime)) == [
        "East Ward: 13.3 crimes per 1,000 residents",
        "North Ward: no population",
        "West Ward: 8.6 crimes per 1,000 residents",
    ]
    assert sorted(TIP.findall(harm)) == [
        "East Ward: 246.4 harm per 1,000 residents",
        "North Ward: no population",
        "West Ward: 3,270.3 harm per 1,000 residents",
    ]
    assert '"popup": "East Ward (E05000001)"' in crime
    assert "Force map: harm per 1,000 residents" in harm
    for page in (crime, harm):  # the map sits in the page, not over it
        assert "user-scalable=no" not in page and "html, body" not in page
        assert re.search(r"/assets/[0-9a-f]{12}/vendor/leaflet/leaflet.js", page)
        assert "unpkg" not in page


@pytest.mark.usefixtures("figures")
def test_a_choice_not_offered_is_refused_on_the_error_page(client: FlaskClient) -> None:
    for query, named in (
        ("?metric=rate", "metric"),
        ("?sort=population", "sort"),
        ("?order=up", "order"),
    ):
        response = client.get("/" + query)
        page = response.get_data(as_text=True)
        assert response.status_code == 400, query
        assert "400 Bad Request" in page and f"{named}: " in page


@pytest.mark.usefixtures("figures")
def test_data_held_and_the_latest_ten_imports_are_kept(
    client: FlaskClient, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    for _ in range(8):  # re-reading a file stores nothing but is in the ledger
        run_json(runner, "import-crime", str(tmp_path / "c.csv"))

    page = client.get("/").get_data(as_text=True)

    ledger = page[page.index("<summary>Data held and recent imports</summary>") :]
    assert "Test Police: 1 month,\n    January 2025, 13 incidents stored." in ledger
    assert "<caption>The latest 10 imports, newest first</caption>" in ledger
    assert ledger.count("<td>crime</td>") == 8
    assert ledger.count("<td>population</td>") == 2


def test_wards_without_records_are_listed_and_the_page_says_why(
    client: FlaskClient, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    run_json(runner, "import-wards", str(write_wards(tmp_path / "w.geojson")))

    page = client.get("/").get_data(as_text=True)

    assert "No police.uk records are stored yet, so there are no figures" in page
    assert table_codes(page) == [EAST, NORTH, WEST]
    assert page.count("North Ward: no population") == 1


def test_ward_names_from_files_are_escaped(
    client: FlaskClient, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    hostile = "<script>alert(1)</script>`${alert(2)}`"
    path = write_wards(
        tmp_path / "w.geojson", [("E05000001", hostile, box(-1.2, 54.6, -1.1, 54.7))]
    )
    run_json(runner, "import-wards", str(path))
    run_json(
        runner,
        "import-crime",
        str(write_street_csv(tmp_path / "c.csv", [street_row(lon="-1.15", lat="54.65")])),
    )

    page = client.get(f"/?q={hostile[:8]}").get_data(as_text=True)

    script = page[page.rindex("<script nonce=") :]
    assert "<script>alert(1)" not in page
    tip = r"\u0026lt;script\u0026gt;alert(1)\u0026lt;/script\u0026gt;\u0026#96;\u0026#36;{"
    assert tip in script  # HTML entities (& written as \u0026 in JSON), shown as typed
    assert "`" not in script and "${" not in script
    assert "&lt;script&gt;alert(1)&lt;/script&gt;`${alert(2)}`</a>" in page


def test_unknown_page_uses_the_error_page(client: FlaskClient) -> None:
    response = client.get("/nowhere")

    assert response.status_code == 404
    assert "404 Not Found" in response.get_data(as_text=True)


@pytest.mark.usefixtures("figures")
def test_the_home_page_names_the_harm_source_without_links(app: Flask) -> None:
    page = signed_in(app, "viewer").get("/").get_data(as_text=True)

    line = page[page.index("Harm weights:") :].split("</p>")[0]
    assert "ONS Crime Severity Score" in line
    assert "http" not in line and "github" not in line and "commit" not in line
