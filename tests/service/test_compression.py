"""Pages are compressed at the fastest level of each method: every page is compressed
afresh, and at the default levels that cost more than building the page."""

from __future__ import annotations

import brotli
from flask import Flask

from tests.conftest import signed_in


def test_a_page_is_compressed_at_brotli_quality_one(app: Flask) -> None:
    response = signed_in(app, "viewer").get("/", headers={"Accept-Encoding": "br"})

    assert response.headers["Content-Encoding"] == "br"
    body = response.get_data()
    page = brotli.decompress(body)
    assert b"Ward Profiles" in page
    assert body == brotli.compress(page, quality=1)
    assert body != brotli.compress(page, quality=4)  # Flask-Compress's own default
