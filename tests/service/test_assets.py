"""Static files under fingerprinted URLs: kept a year, compressed, a new URL when they change."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from service.assets import IMMUTABLE, digests
from tests.conftest import signed_in


def linked(page: str, name: str) -> str:
    match = re.search(rf'"(/assets/[0-9a-f]{{12}}/{re.escape(name)})"', page)
    assert match, name
    return match.group(1)


def test_a_page_links_its_stylesheet_and_script_by_their_content(app: Flask) -> None:
    page = signed_in(app, "viewer").get("/").get_data(as_text=True)
    css = (Path(app.static_folder or "") / "app.css").read_bytes()

    url = linked(page, "app.css")

    assert url.split("/")[2] == digests(Path(app.static_folder or ""))["app.css"]
    response = app.test_client().get(url, headers={"Accept-Encoding": "gzip"})
    assert response.headers["Cache-Control"] == IMMUTABLE
    assert response.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.get_data()) == css
    response.close()
    assert linked(page, "app.js")


def test_a_stale_fingerprint_gets_the_file_but_not_for_a_year(anonymous: FlaskClient) -> None:
    response = anonymous.get("/assets/000000000000/app.css")

    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-cache"
    response.close()


def test_a_file_under_a_fingerprinted_folder_is_kept_a_year(app: Flask) -> None:
    vendor = digests(Path(app.static_folder or ""))["vendor"]
    response = app.test_client().get(f"/assets/{vendor}/vendor/leaflet/leaflet.js")

    assert response.status_code == 200
    assert response.headers["Cache-Control"] == IMMUTABLE
    response.close()


def test_a_changed_file_changes_its_digest_and_its_folders(tmp_path: Path) -> None:
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "a.js").write_text("one")
    (tmp_path / "b.css").write_text("two")
    before = digests(tmp_path)

    (tmp_path / "lib" / "a.js").write_text("three")
    after = digests(tmp_path)

    assert set(before) == {"lib", "lib/a.js", "b.css"}
    assert after["lib/a.js"] != before["lib/a.js"] and after["lib"] != before["lib"]
    assert after["b.css"] == before["b.css"]


def test_the_ward_maps_load_leaflet_from_the_fingerprinted_folder(app: Flask) -> None:
    app.test_cli_runner().invoke(args=["demo"])
    page = signed_in(app, "viewer").get("/").get_data(as_text=True)

    assert linked(page, "vendor/leaflet/leaflet.js")
    assert "/static/vendor/" not in page
