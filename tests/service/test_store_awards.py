"""Good practice in the store: nominate, award and withdraw with their full history, the
roles and the order of the steps, and the closing days of closed plans (SQLite and PostgreSQL)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskCliRunner

from geodata.demo.plans import demo_plans
from geodata.demo.wards import ASB_PARK
from service.store.awards import (
    AWARDED,
    NOMINATED,
    WITHDRAWN,
    AwardError,
    allowed_actions,
    award_history,
    award_states,
    record_award_step,
)
from service.store.db import get_engine
from service.store.people import people_named
from service.store.plans import closed_plans, create_plan, set_status
from service.store.schema import plan_awards
from tests.factories import run_json, write_wards


@pytest.fixture
def plan_id(app: Flask, runner: FlaskCliRunner, tmp_path) -> int:  # type: ignore[no-untyped-def]
    run_json(runner, "import-wards", str(write_wards(tmp_path / "wards.geojson")))
    made = demo_plans(["E05000002"], names={ASB_PARK: "E05000002"}, start=date(2025, 7, 1))[0]
    with app.app_context():
        return create_plan(get_engine(), made, by="Sam Writer")


def test_a_nomination_then_an_award_is_kept_in_order(app: Flask, plan_id: int) -> None:
    with app.app_context():
        engine = get_engine()
        record_award_step(engine, plan_id, NOMINATED, by="Pat", role="pcso", note="  Worth it ")
        record_award_step(engine, plan_id, AWARDED, by="Ana", role="analyst", note="Well done")

        history = award_history(engine, plan_id)
        assert [(h["action"], h["by"], h["note"]) for h in history] == [
            (NOMINATED, "Pat", "Worth it"),
            (AWARDED, "Ana", "Well done"),
        ]
        assert history[1]["label"] == "Good-practice award"
        assert datetime.fromisoformat(history[0]["at"]).tzinfo == UTC
        assert award_states(engine) == {plan_id: AWARDED}

        record_award_step(engine, plan_id, WITHDRAWN, by="Ana", role="admin", note="Re-read")
        assert award_states(engine) == {plan_id: WITHDRAWN}
        assert len(award_history(engine, plan_id)) == 3  # nothing is overwritten


def test_a_pcso_cannot_award_and_nothing_is_stored(app: Flask, plan_id: int) -> None:
    with app.app_context():
        engine = get_engine()
        record_award_step(engine, plan_id, NOMINATED, by="Pat", role="pcso", note="Worth it")
        with pytest.raises(AwardError, match="only a analyst or above"):
            record_award_step(engine, plan_id, AWARDED, by="Pat", role="pcso", note="Mine")
        with pytest.raises(AwardError, match="only a pcso or above"):
            record_award_step(engine, plan_id, NOMINATED, by="Vic", role="viewer", note="x")
        assert award_states(engine) == {plan_id: NOMINATED}


def test_steps_must_follow_in_order_and_carry_a_note(app: Flask, plan_id: int) -> None:
    with app.app_context():
        engine = get_engine()
        with pytest.raises(AwardError, match="never been nominated, so it cannot be awarded"):
            record_award_step(engine, plan_id, AWARDED, by="Ana", role="analyst", note="Yes")
        with pytest.raises(AwardError, match="note: say why"):
            record_award_step(engine, plan_id, NOMINATED, by="Pat", role="pcso", note="   ")
        with pytest.raises(AwardError, match="action: 'praised'"):
            record_award_step(engine, plan_id, "praised", by="Pat", role="pcso", note="Yes")
        with pytest.raises(LookupError, match="no plan with id 999"):
            record_award_step(engine, 999, NOMINATED, by="Pat", role="pcso", note="Yes")
        record_award_step(engine, plan_id, NOMINATED, by="Pat", role="pcso", note="Yes")
        with pytest.raises(AwardError, match="been nominated, so it cannot be nominated"):
            record_award_step(engine, plan_id, NOMINATED, by="Pat", role="pcso", note="Again")
        with engine.connect() as connection:
            assert connection.scalar(sa.select(sa.func.count()).select_from(plan_awards)) == 1


def test_the_steps_a_role_may_take() -> None:
    assert allowed_actions(None, role="viewer") == []
    assert allowed_actions(None, role="pcso") == [NOMINATED]
    assert allowed_actions(NOMINATED, role="pcso") == []
    assert allowed_actions(NOMINATED, role="analyst") == [AWARDED, WITHDRAWN]
    assert allowed_actions(AWARDED, role="admin") == [WITHDRAWN]
    assert allowed_actions(WITHDRAWN, role="pcso") == [NOMINATED]


def test_a_closed_plan_ends_on_its_last_closing(app: Flask, plan_id: int) -> None:
    with app.app_context():
        engine = get_engine()
        assert closed_plans(engine) == []
        set_status(engine, plan_id, "closed", by="Sam Writer")
        set_status(engine, plan_id, "active", by="Ana Lyst")
        set_status(engine, plan_id, "closed", by="Ana Lyst", note="done")
        [(found_id, plan, closed_on)] = closed_plans(engine)
        assert (found_id, plan.status) == (plan_id, "closed")
        assert closed_on == datetime.now(UTC).date()

        imported = dataclasses.replace(plan, status="closed", title="Imported closed")
        other = create_plan(engine, imported, by="Importer")
        assert dict((i, d) for i, _, d in closed_plans(engine)) == {
            plan_id: closed_on,
            other: None,
        }


def test_people_named_lists_writers_updaters_and_award_givers(app: Flask, plan_id: int) -> None:
    with app.app_context():
        engine = get_engine()
        set_status(engine, plan_id, "closed", by="Ana Lyst")
        record_award_step(engine, plan_id, NOMINATED, by="Pat Nominee", role="pcso", note="x")
        assert {"Sam Writer", "Ana Lyst", "Pat Nominee"} <= people_named(engine)
