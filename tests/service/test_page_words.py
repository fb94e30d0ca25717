"""No developer text on any page: every HTML page of the route inventory, rendered on the demo
force, is scanned for module paths, Python file names, commit hashes, code-hosting addresses,
server paths and months written as ``YYYY-MM`` (pages write "December 2025")."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import signed_in
from tests.service.test_route_inventory import HTML_PAGES, W, demo_app

__all__ = ["demo_app"]  # the module's demo force, shared with the route inventory

PAGES = HTML_PAGES

LEAKS = {
    "a module path": re.compile(r"\b(?:geodata|service|scripts|tests)/[\w/]+"),
    "a Python file": re.compile(r"\b\w+\.py\b"),
    "a commit hash": re.compile(r"\b(?=[0-9a-f]*[a-f])(?=[0-9a-f]*[0-9])[0-9a-f]{12,40}\b"),
    "a code-hosting address": re.compile(r"github\.com|gitlab\.|bitbucket\.org", re.I),
    "a server path": re.compile(r"(?<![\w.])/(?:home|tmp|work|srv|var|usr|opt)/"),
    "a month as YYYY-MM": re.compile(r"\b\d{4}-(?:0[1-9]|1[0-2])\b(?![-/\w])"),
}


class _Text(HTMLParser):
    """The text a reader sees: no scripts, styles or attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self._skip += tag in ("script", "style")

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("script", "style") and self._skip > 0

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def visible_text(page: str) -> str:
    parser = _Text()
    parser.feed(page)
    return " ".join(parser.parts)


def leaks(text: str) -> list[str]:
    return [f"{what}: {m.group(0)!r}" for what, rx in LEAKS.items() for m in rx.finditer(text)]


def test_the_scan_finds_each_kind_of_leak() -> None:
    text = visible_text(
        "<p>The methods are written in geodata/profile.py; commit 38420a1fbf0c6b43 on "
        "github.com, from /srv/imports/plan.csv, for 2025-12.</p><script>'2025-12'</script>"
    )

    assert [found.split(":")[0] for found in leaks(text)] == list(LEAKS)
    assert leaks(visible_text("<p>December 2025, raised 2025-12-03, E05009857.</p>")) == []


@pytest.fixture(scope="module")
def pcso(demo_app: tuple[Flask, str]) -> FlaskClient:
    """An administrator: every page of the inventory opens for them."""
    return signed_in(demo_app[0], "admin")


@pytest.mark.parametrize("path", PAGES)
def test_no_page_shows_developer_text(
    demo_app: tuple[Flask, str], pcso: FlaskClient, path: str
) -> None:
    response = pcso.get(path.replace(W, demo_app[1]))

    assert response.status_code == 200
    assert leaks(visible_text(response.get_data(as_text=True))) == []
