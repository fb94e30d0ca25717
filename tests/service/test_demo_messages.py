"""The demo force's prevention messages: the alignment view shows exactly the planted gaps,
noise and fatigue, on the API, the planning page and the ward pages."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from geodata.demo.messages import DemoMessages, demo_messages
from service import create_app
from service.readmodels.message_alignment import alignment_settings, period_days
from service.readmodels.ward_priorities import ranked_themes
from service.readmodels.ward_profiles import default_period
from service.store.db import get_engine
from service.store.messages import list_messages, message_of
from service.store.wards import latest_vintage, list_wards
from tests.conftest import signed_in
from tests.factories import run_json
from tests.service.api_schema import DocumentedClient


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    folder: Path = tmp_path_factory.mktemp("demo-messages")
    app = create_app(
        {"TESTING": True, "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite'}", "SECRET_KEY": "t"}
    )
    app.test_client_class = DocumentedClient
    run_json(app.test_cli_runner(), "demo")
    yield app
    with app.app_context():
        get_engine().dispose()


@pytest.fixture(scope="module")
def planted(demo_app: Flask) -> DemoMessages:
    """What the demo planted: the generator run again on the same priorities."""
    with demo_app.app_context():
        engine = get_engine()
        period = default_period(demo_app, engine)
        assert period is not None
        themes, ranked = ranked_themes(demo_app, engine, period=period, today=date.today())
        start, end = period_days(period, today=date.today())
        rows = list_wards(engine, vintage=latest_vintage(engine) or "")
        return demo_messages(
            ranked=ranked,
            themes=themes,
            names={row["name"]: row["code"] for row in rows},
            start=start,
            end=end,
            seed=20251,
            settings=alignment_settings(demo_app),
        )


@pytest.fixture(scope="module")
def viewer(demo_app: Flask) -> FlaskClient:
    return signed_in(demo_app, "viewer")


@pytest.fixture(scope="module")
def codes(demo_app: Flask) -> dict[str, str]:
    with demo_app.app_context():
        engine = get_engine()
        return {
            w["name"]: w["code"] for w in list_wards(engine, vintage=latest_vintage(engine) or "")
        }


def test_the_demo_stores_the_synthetic_messages(demo_app: Flask, planted: DemoMessages) -> None:
    with demo_app.app_context():
        stored = [message_of(row) for row in list_messages(get_engine())]

    assert sorted(stored, key=repr) == sorted(planted.messages, key=repr)
    assert all(m.summary.startswith("SYNTHETIC: ") for m in stored)


def test_the_alignment_shows_exactly_the_planted_gaps_noise_and_fatigue(
    viewer: FlaskClient, planted: DemoMessages, codes: dict[str, str]
) -> None:
    body = viewer.get("/api/messages/alignment").get_json()

    gaps = {(g["ward"], g["theme"]) for g in body["gaps"]}
    assert gaps == planted.gaps
    assert (codes["Millbrook Central"], "Violence against women and girls") in gaps
    assert len(gaps) == 2
    assert {n["ward"] for n in body["noise"]} == planted.noise == {codes["Kestrel Heath"]}
    fatigue = {(f["ward"], date.fromisoformat(f["week"])) for f in body["fatigue"]}
    assert fatigue == planted.fatigue == {(codes["Ashby Vale"], date(2025, 6, 16))}
    assert body["gap_weeks"] == 8 and body["weekly_ceiling"] == 5


def test_the_planning_page_lists_them(viewer: FlaskClient, codes: dict[str, str]) -> None:
    page = viewer.get("/planning").text

    section = page.split('id="messages"')[1]
    assert "Gaps (2)" in section and "Noise (1)" in section and "Message fatigue (1)" in section
    assert "<strong>Violence against women and girls</strong> (1 ward)" in section
    assert f'<a href="/wards/{codes["Kestrel Heath"]}">Kestrel Heath</a>' in section
    assert "7 messages in the week of 2025-06-16" in section


def test_a_ward_page_shows_its_own_findings(viewer: FlaskClient, codes: dict[str, str]) -> None:
    town = viewer.get(f"/wards/{codes['Millbrook Central']}").text.split(
        'id="prevention-messages"'
    )[1]
    quiet = viewer.get(f"/wards/{codes['Fenwick Marsh']}").text.split('id="prevention-messages"')[1]

    assert "Gap: Violence against women and girls" in town
    assert "No gaps, noise or weeks over the ceiling." in quiet


def test_the_gap_window_is_the_setting(
    demo_app: Flask, planted: DemoMessages, codes: dict[str, str]
) -> None:
    """Hollin Green last heard of its top priority ten weeks before the end, the town centre
    of VAWG twelve: an eleven-week window keeps only the town centre's gap."""
    url = demo_app.config["DATABASE_URL"]
    wider = create_app(
        {"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "t"} | {"MESSAGE_GAP_WEEKS": 11}
    )
    wider.test_client_class = DocumentedClient
    body = signed_in(wider, "analyst").get("/api/messages/alignment").get_json()

    assert {(g["ward"], g["theme"]) for g in body["gaps"]} == {
        (codes["Millbrook Central"], "Violence against women and girls")
    }
    assert body["gap_weeks"] == 11
    with wider.app_context():
        get_engine().dispose()
