"""Ward reports of the synthetic demo force: PDF pages and text, self-contained HTML, escaping,
markings and what the public edition leaves out."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import pytest
from flask import Flask
from pypdf import PdfReader

from geodata.concerns import Concern
from geodata.demo.wards import ASB_PARK
from geodata.disclosure import Shown
from geodata.profile import WardProfile
from service import create_app
from service.readmodels.plan_evaluations import plan_evaluation
from service.readmodels.ward_profiles import default_period, ward_profile
from service.reports.context import (
    KEY_COLOURS,
    LISTED_LOCATIONS,
    LISTED_OUTCOMES,
    _outcomes,
    key_class,
)
from service.reports.render import VENDOR, WardReport, ward_report
from service.store.concerns import record_concern
from service.store.db import get_engine
from service.store.plans import list_plans
from service.store.wards import latest_vintage, list_wards
from tests.factories import run_json

TODAY = date.today()
PAYLOAD = "<img src=x onerror=alert(1)> ${alert(1)} `tick` </script><script>alert(2)</script>"
RECORDER = "PCSO Payload Tester"
COMMUNITY = "Friends of Quarry Lane"
PLACE = "Quarry Lane steps"
SVG_NAMESPACE = "http://www.w3.org/2000/svg"
VENDOR_URLS = {SVG_NAMESPACE, "https://leafletjs.com"}
"""The only URLs in a report's HTML: inside the inlined Leaflet library, an XML namespace name
and the link in its credit line, neither of which the browser fetches."""


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The demo force with one concern full of script payloads, and one ward's reports."""
    folder = tmp_path_factory.mktemp("reports")
    app = create_app(
        {"TESTING": True, "DATABASE_URL": f"sqlite:///{folder / 'demo.sqlite'}", "SECRET_KEY": "t"}
    )
    run_json(app.test_cli_runner(), "demo")
    with app.app_context():
        engine = get_engine()
        ward = list_wards(engine, vintage=latest_vintage(engine) or "")[0]
        record_concern(
            engine,
            Concern(
                ward_code=ward["code"],
                tag="asb",
                description=PAYLOAD,
                raised_on=date(2025, 12, 1),
                channel="community-group",
                recorded_by=RECORDER,
                community=COMMUNITY,
                location_text=PLACE,
                longitude=_inside(app, ward["code"])[0],
                latitude=_inside(app, ward["code"])[1],
            ),
            recorded_by=RECORDER,
        )
        period = default_period(app, engine)
        assert period is not None
        made = {
            audience: ward_report(
                app,
                engine,
                code=ward["code"],
                period=period,
                audience=audience,
                today=TODAY,
                formats=("pdf", "html"),
            )
            for audience in ("internal", "public")
        }
        profile = ward_profile(app, engine, code=ward["code"], period=period)
    yield {"app": app, "ward": ward, "period": period, "profile": profile, **made}


def _inside(app: Flask, code: str) -> tuple[float, float]:
    from service.store.wards import load_ward_frame

    wards = load_ward_frame(get_engine(), vintage=latest_vintage(get_engine()) or "")
    point = wards.geometry[wards["code"] == code].iloc[0].representative_point()
    return round(point.x, 6), round(point.y, 6)


def pdf_pages(made: WardReport) -> list[str]:
    assert made.pdf is not None
    return [page.extract_text() for page in PdfReader(io.BytesIO(made.pdf)).pages]


def test_pdf_pages_carry_the_marking_and_their_numbers(demo: dict[str, Any]) -> None:
    for audience, marking in (("internal", "OFFICIAL-SENSITIVE"), ("public", "OFFICIAL")):
        made = demo[audience]
        pages = pdf_pages(made)

        assert made.pages == len(pages)
        assert 3 <= len(pages) <= 5
        assert made.marking == marking
        for number, text in enumerate(pages, start=1):
            assert f"Page {number} of {len(pages)}" in text
            assert text.count(marking) >= 2, (audience, number)  # top and bottom
            if marking == "OFFICIAL":
                assert "SENSITIVE" not in text


def test_pdf_text_gives_the_ward_period_and_profile_figures(demo: dict[str, Any]) -> None:
    profile, ward = demo["profile"], demo["ward"]
    text = "\n".join(pdf_pages(demo["internal"]))
    first = pdf_pages(demo["internal"])[0]

    assert ward["name"] in first and ward["code"] in first and ward["lad_name"] in first
    assert "January 2025 to December 2025 (12 months)" in first
    assert "boundary vintage 2025" in first
    assert f"Generated {TODAY.day} {TODAY:%B %Y}" in first
    boxes = re.sub(r"\s+", " ", first)  # the headline boxes, their labels wrapped
    assert f" {profile.crime_total:,} crimes (ASB excluded) " in boxes
    assert f" {profile.asb_total:,} anti-social behaviour " in boxes
    for category, n in profile.counts.items():
        if n:
            assert re.search(rf"{re.escape(category)} {n:,}\b", text), category
    top = profile.top_locations[0]
    assert f"{top.location} {top.count}" in text
    listed = [place for place in profile.top_locations if place.location in text]
    assert 0 < len(listed) <= LISTED_LOCATIONS
    assert "Method notes" in text and "Data caveats" in text


def test_trend_key_is_text_coloured_as_its_lines(demo: dict[str, Any]) -> None:
    text = re.sub(r"\s+", " ", pdf_pages(demo["internal"])[0])
    html = demo["internal"].html

    assert "All crime Anti-social behaviour" in text  # the key, under the chart
    assert f'<span class="key {key_class("All crime")}">All crime</span>' in html
    assert f".{key_class('All crime')} {{ border-left-color: {KEY_COLOURS['All crime']}; }}" in html
    assert key_class("Violence and sexual offences") == "key-violence-and-sexual-offences"
    assert len({key_class(name) for name in KEY_COLOURS}) == len(KEY_COLOURS)


def _profile_with_outcomes(shares: dict[str, float], crimes: int) -> WardProfile:
    """Just the two fields ``_outcomes`` reads."""
    return cast(WardProfile, SimpleNamespace(crime_total=crimes, outcomes=shares))


def test_outcomes_name_the_commonest_and_sum_the_rest() -> None:
    counts = {f"Outcome {i}": n for i, n in enumerate([40, 20, 12, 10, 8, 6, 3, 1])}
    crimes = sum(counts.values())
    rows = _outcomes(
        _profile_with_outcomes({k: n / crimes for k, n in counts.items()}, crimes), Shown(None)
    )

    assert len(rows) == LISTED_OUTCOMES + 1
    assert [r["outcome"] for r in rows[:LISTED_OUTCOMES]] == list(counts)[:LISTED_OUTCOMES]
    assert rows[-1] == {"outcome": "3 other outcomes", "count": "10", "share": "10.0 %"}


def test_outcomes_sum_is_withheld_in_public_when_small() -> None:
    counts = {f"Outcome {i}": n for i, n in enumerate([50, 20, 12, 10, 8, 2, 1])}
    crimes = sum(counts.values())
    rows = _outcomes(
        _profile_with_outcomes({k: n / crimes for k, n in counts.items()}, crimes), Shown(5)
    )

    assert rows[-1] == {"outcome": "2 other outcomes", "count": "<5", "share": "withheld"}
    few = _outcomes(_profile_with_outcomes({"Only one": 1.0}, 7), Shown(5))
    assert few == [{"outcome": "Only one", "count": "7", "share": "100.0 %"}]


def test_payloads_are_text_in_the_pdf(demo: dict[str, Any]) -> None:
    text = re.sub(r"\s+", "", "".join(pdf_pages(demo["internal"])))

    assert re.sub(r"\s+", "", PAYLOAD) in text  # shown as it was typed, never run
    for name in (RECORDER, COMMUNITY, PLACE):
        assert name.replace(" ", "") in text


class Tags(HTMLParser):
    """Every start tag's attributes and the text of every script and style element."""

    def __init__(self) -> None:
        super().__init__()
        self.attributes: list[tuple[str, str, str | None]] = []
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.attributes += [(tag, name, value) for name, value in attrs]
        self._in = tag if tag in ("script", "style") else None

    def handle_endtag(self, tag: str) -> None:
        self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "script":
            self.scripts.append(data)
        elif self._in == "style":
            self.styles.append(data)


def parsed(html: str) -> Tags:
    tags = Tags()
    tags.feed(html)
    return tags


@pytest.mark.parametrize("audience", ["internal", "public"])
def test_html_needs_no_file_and_no_host(demo: dict[str, Any], audience: str) -> None:
    html = demo[audience].html
    tags = parsed(html)

    sources = [a for a in tags.attributes if a[1] in ("src", "href")]
    assert all((value or "").startswith("data:image/") for _, _, value in sources)
    for tag, name, value in tags.attributes:
        if (tag, name) != ("svg", "xmlns"):  # a namespace's name, never fetched
            assert "http" not in (value or ""), (tag, name)
    leaflet = (VENDOR / "leaflet" / "leaflet.js").read_text()
    charts = html.count(f'<svg xmlns="{SVG_NAMESPACE}"')  # an inline chart
    for url in VENDOR_URLS:
        assert html.count(url) == leaflet.count(url) + (charts if url == SVG_NAMESPACE else 0)
    code = " ".join(tags.scripts + tags.styles)
    assert set(re.findall(r"https?://[^\s\"'<>)\\]+", code)) <= VENDOR_URLS
    # Elsewhere a URL is only ever text a reader sees: the harm weights' citation.
    for url in re.findall(r"https?://[^\s\"'<>)\\]+", html):
        assert url in VENDOR_URLS or url.startswith("https://www.ons.gov.uk/"), url
    urls = re.findall(r"url\(([^)]*)\)", " ".join(tags.styles))
    assert all(u.startswith(("data:", "#")) for u in urls), urls
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in html  # the trend chart, inline
    assert "L.map(" in html  # the interactive map


def test_payloads_are_escaped_in_the_html(demo: dict[str, Any]) -> None:
    html = demo["internal"].html
    tags = parsed(html)

    assert "<img src=x" not in html and "<script>alert(2)" not in html
    inlined = sum(p.read_text().count("<script") for p in VENDOR.rglob("*.js"))
    assert html.count("<script") == len(tags.scripts) + inlined  # none the payload opened
    for script in tags.scripts:
        assert "${alert(1)}" not in script and "`tick`" not in script
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    popups = " ".join(tags.scripts)  # map_text's entities, JSON-escaped by folium
    assert "\\u0026#36;{alert(1)}" in popups and "\\u0026#96;tick\\u0026#96;" in popups


def test_public_edition_leaves_out_concern_text_names_and_places(demo: dict[str, Any]) -> None:
    public = demo["public"]
    pdf = re.sub(r"\s+", " ", " ".join(pdf_pages(public)))

    for secret in ("alert(1)", "alert(2)", "`tick`", RECORDER, COMMUNITY, PLACE):
        assert secret not in pdf
        assert secret not in (public.html or "")
    assert "Public edition" in pdf
    assert "<5" in pdf  # small counts suppressed
    small = [c for c, n in demo["profile"].counts.items() if 0 < n < 5]
    for category in small:
        assert re.search(rf"{re.escape(category)} <5 withheld", pdf), category


def test_internal_edition_without_open_concerns_is_official(demo: dict[str, Any]) -> None:
    app: Flask = demo["app"]
    with app.app_context():
        engine = get_engine()
        wards = [w["code"] for w in list_wards(engine, vintage=latest_vintage(engine) or "")]
        from service.store.concerns import list_concerns

        quiet = next(
            code
            for code in wards
            if not any(
                c["status"] in ("open", "in-progress")
                for c in list_concerns(engine, ward_code=code)
            )
        )
        made = ward_report(
            app,
            engine,
            code=quiet,
            period=demo["period"],
            audience="internal",
            today=TODAY,
            formats=("html",),
        )
    assert made is not None and made.marking == "OFFICIAL"
    assert made.pdf is None and made.html is not None
    assert '<p class="marking">OFFICIAL</p>' in made.html


def test_report_of_no_such_ward_is_none(demo: dict[str, Any]) -> None:
    app: Flask = demo["app"]
    with app.app_context():
        made = ward_report(
            app, get_engine(), code="X99", period=demo["period"], audience="public", today=TODAY
        )
    assert made is None


def test_vendor_folder_is_installed() -> None:
    assert Path(VENDOR, "leaflet", "leaflet.js").is_file(), "run `make install`"


def test_public_map_gives_hot_spot_counts_as_the_report_shows_them(demo: dict[str, Any]) -> None:
    app: Flask = demo["app"]
    with app.app_context():
        engine = get_engine()
        period = demo["period"]
        hot = next(
            profile
            for ward in list_wards(engine, vintage=latest_vintage(engine) or "")
            if (profile := ward_profile(app, engine, code=ward["code"], period=period))
            and profile.hotspots.hot_cells
        )
        made = ward_report(
            app,
            engine,
            code=hot.ward.code,
            period=period,
            audience="public",
            today=TODAY,
            formats=("html",),
        )
    assert made is not None and made.html is not None
    cells = [c for c in hot.hotspots.cells if c["hot"]]
    for cell in cells:
        shown = "\\u0026lt;5" if cell["count"] < 5 else f"{cell['count']:,}"
        assert f"Hot spot: {shown} incidents" in made.html


def test_plans_are_listed_with_their_verdicts_and_public_titles_left_out(
    demo: dict[str, Any],
) -> None:
    app = demo["app"]
    with app.app_context():
        engine = get_engine()
        ward = next(
            w
            for w in list_wards(engine, vintage=latest_vintage(engine) or "")
            if w["name"] == ASB_PARK
        )
        (plan,) = list_plans(engine, ward=ward["code"])
        verdict = plan_evaluation(app, engine, plan_id=plan["id"])
        assert verdict is not None
        made = {
            audience: ward_report(
                app,
                engine,
                code=ward["code"],
                period=demo["period"],
                audience=audience,
                today=TODAY,
            )
            for audience in ("internal", "public")
        }

    internal = " ".join(" ".join(pdf_pages(made["internal"])).split())
    public = " ".join(" ".join(pdf_pages(made["public"])).split())
    assert "Problem-solving plans" in internal and "Problem-solving plans" in public
    assert plan["title"] in internal
    assert plan["title"] not in public and "Ashby Vale park" not in public
    assert " ".join(verdict["verdict"].split())[:60] in internal
    assert "Active" in public and plan["start_date"] in public
