"""OGC API - Features under /ogc: the documents, the queries, and real clients (GDAL's OAPIF
driver through pyogrio, OWSLib) reading every feature from a running server with a token."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from owslib.ogcapi.features import Features
from werkzeug.serving import make_server

from service import create_app
from service.store.access import list_access
from service.store.db import get_engine
from service.store.tokens import create_token
from service.store.users import create_user
from tests.factories import (
    concern_row,
    run_json,
    street_row,
    write_concerns_csv,
    write_street_csv,
    write_wards,
)

CORE = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core"
BNG = "http://www.opengis.net/def/crs/EPSG/0/27700"


@pytest.fixture(scope="module")
def force(tmp_path_factory: pytest.TempPathFactory) -> tuple[Flask, str]:
    """The hand-drawn wards with 30 incidents over three months and a concern, and a
    token of an analyst."""
    folder = tmp_path_factory.mktemp("ogc")
    app = create_app(
        {"TESTING": True, "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite'}", "SECRET_KEY": "t"}
    )
    runner = app.test_cli_runner()
    run_json(runner, "import-wards", str(write_wards(folder / "wards.geojson")))
    rows = [
        street_row(month=f"2025-0{m}", lon=f"{-1.219 + i * 0.003:.4f}", category=category)
        for m in (1, 2, 3)
        for i, category in enumerate(["Burglary", "Drugs", "Burglary", "Anti-social behaviour"] * 3)
        if i < 10
    ]
    run_json(runner, "import-crime", str(write_street_csv(folder / "street.csv", rows)))
    run_json(runner, "import-concerns", str(write_concerns_csv(folder / "c.csv", [concern_row()])))
    with app.app_context():
        user = create_user(
            get_engine(), username="ann", password="correct horse battery", role="analyst"
        )
        token, _ = create_token(get_engine(), user_id=user, name="tests", days=1)
    return app, token


@pytest.fixture
def api(force: tuple[Flask, str]) -> FlaskClient:
    app, token = force
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client


@pytest.fixture(scope="module")
def server(force: tuple[Flask, str]) -> Iterator[str]:
    app, _ = force
    live = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=live.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{live.port}/ogc"
    live.shutdown()
    thread.join()


def test_landing_conformance_and_collections(api: FlaskClient) -> None:
    landing = api.get("/ogc").get_json()
    assert {link["rel"] for link in landing["links"]} >= {
        "self",
        "service-desc",
        "conformance",
        "data",
    }
    assert CORE in api.get("/ogc/conformance").get_json()["conformsTo"]
    collections = api.get("/ogc/collections").get_json()["collections"]
    assert [c["id"] for c in collections] == ["wards", "incidents", "hotspots", "concerns"]
    assert collections[0]["crs"][1] == BNG
    west, south, east, north = collections[0]["extent"]["spatial"]["bbox"][0]
    assert (west, south, east, north) == (-1.22, 54.6, -1.18, 54.64)
    assert api.get("/ogc/collections/nothing").status_code == 404


def test_items_page_with_next_links_and_filters(api: FlaskClient) -> None:
    everything = api.get("/ogc/collections/incidents/items?datetime=2025-01/2025-03").get_json()
    assert (
        everything["numberMatched"]
        == 30
        == sum(f["properties"]["count"] for f in everything["features"])
    )
    first = api.get("/ogc/collections/incidents/items?datetime=2025-01/2025-03&limit=12").get_json()
    assert first["numberReturned"] == 12
    ids = [f["id"] for f in first["features"]]
    while nexts := [link for link in first["links"] if link["rel"] == "next"]:
        first = api.get(nexts[0]["href"]).get_json()
        ids += [f["id"] for f in first["features"]]
    assert ids == [f["id"] for f in everything["features"]] and len(set(ids)) == 30

    burglary = api.get("/ogc/collections/incidents/items?category=Burglary&datetime=2025-02")
    assert burglary.get_json()["numberMatched"] == 5
    month = api.get("/ogc/collections/incidents/items?datetime=2025-03-01T00:00:00Z/..").get_json()
    assert {f["properties"]["month"] for f in month["features"]} == {"2025-03"}
    east = api.get(
        "/ogc/collections/incidents/items?bbox=-1.2,54.6,-1.18,54.62&datetime=../2025-03"
    )
    assert {f["properties"]["ward_code"] for f in east.get_json()["features"]} == {"E05000001"}
    assert api.get("/ogc/collections/incidents/items?bbox=1,2").status_code == 400
    assert api.get("/ogc/collections/incidents/items?limit=0").status_code == 400
    assert api.get("/ogc/collections/incidents/items?datetime=soon").status_code == 400


def test_wards_carry_the_period_figures_and_british_national_grid_on_request(
    api: FlaskClient,
) -> None:
    wards = api.get(f"/ogc/collections/wards/items?datetime=2025-01/2025-03&crs={BNG}")
    assert wards.headers["Content-Crs"] == f"<{BNG}>"
    by_code = {f["id"]: f for f in wards.get_json()["features"]}
    assert by_code["E05000002"]["properties"]["crime_total"] == 18
    x, y = by_code["E05000002"]["geometry"]["coordinates"][0][0]
    assert 400_000 < x < 500_000 and 500_000 < y < 600_000
    one = api.get("/ogc/collections/wards/items/E05000001").get_json()
    assert one["id"] == "E05000001" and one["properties"]["name"] == "East Ward"


def test_needs_a_token_and_logs_concern_reads(force: tuple[Flask, str], api: FlaskClient) -> None:
    app, _ = force
    anonymous = app.test_client().get("/ogc/collections")
    assert anonymous.status_code == 401 and anonymous.is_json
    assert api.get("/ogc/collections/concerns/items").get_json()["numberMatched"] == 1
    with app.app_context():
        logged = list_access(get_engine(), kind="ogc", ref="concerns")
    assert logged and logged[0]["username"] == "ann"


GDAL_CLIENT = """
import json, sys
import pyogrio
url, token = sys.argv[1], sys.argv[2]
pyogrio.set_gdal_config_options({"GDAL_HTTP_AUTH": "BEARER", "GDAL_HTTP_BEARER": token})
wards = pyogrio.read_dataframe(url, layer="wards")
incidents = pyogrio.read_dataframe(url, layer="incidents", where="ward_code = 'E05000001'")
print(json.dumps({
    "layers": [name for name, _ in pyogrio.list_layers(url)],
    "wards": sorted(wards["code"]),
    "crime_total": int(wards["crime_total"].sum()),
    "incidents": len(incidents),
    "incident_wards": sorted(set(incidents["ward_code"])),
}))
"""
"""GDAL holds Python's lock while it fetches, so it runs in its own process: in this one it
would wait for the server thread it keeps from running."""


def test_gdal_reads_every_feature_from_a_running_server(
    force: tuple[Flask, str], server: str, api: FlaskClient
) -> None:
    _, token = force
    done = subprocess.run(
        [sys.executable, "-c", GDAL_CLIENT, f"OAPIF:{server}", token],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    read = json.loads(done.stdout)

    assert read["layers"] == ["wards", "incidents", "hotspots", "concerns"]
    expected = api.get("/ogc/collections/wards/items").get_json()
    assert read["wards"] == sorted(f["id"] for f in expected["features"])
    assert read["crime_total"] == sum(f["properties"]["crime_total"] for f in expected["features"])
    east = api.get("/ogc/collections/incidents/items?ward_code=E05000001").get_json()
    assert read["incidents"] == east["numberMatched"] > 0
    assert read["incident_wards"] == ["E05000001"]


def test_owslib_lists_the_collections_and_pages_through_the_items(
    force: tuple[Flask, str], server: str, api: FlaskClient
) -> None:
    _, token = force
    client = Features(server, headers={"Authorization": f"Bearer {token}"})

    assert [c["id"] for c in client.collections()["collections"]] == [
        "wards",
        "incidents",
        "hotspots",
        "concerns",
    ]
    read, offset = [], 0
    while True:
        page = client.collection_items("incidents", limit=7, offset=offset)
        read += page["features"]
        offset += 7
        if not any(link["rel"] == "next" for link in page["links"]):
            break
    assert len(read) == api.get("/ogc/collections/incidents/items").get_json()["numberMatched"]
    assert client.collection_items("wards")["numberMatched"] == 3
