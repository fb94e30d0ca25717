"""import-plans, export-plans and the plan store: plans checked, every change in the history."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskCliRunner

from geodata.crime import CATEGORIES
from geodata.demo.force import make_demo_force
from geodata.demo.wards import ASB_PARK, BURGLARY_RISING, TOWN_CENTRE
from geodata.errors import PlanError
from geodata.io.plans import plan_to_dict, plans_to_csv, plans_to_json, read_plans_csv
from geodata.plans import PLAN_COLUMNS, Plan, Response
from service.demo import create_demo_plans
from service.exporting import PLAN_EXPORT_COLUMNS as EXPORT_COLUMNS
from service.store.db import get_engine
from service.store.plans import (
    create_plan,
    get_plan,
    list_plans,
    set_status,
    stored_plans,
    update_plan,
)
from tests.factories import concern_row, run_json, write_concerns_csv, write_wards


@pytest.fixture
def engine(app: Flask, runner: FlaskCliRunner, tmp_path: Path) -> sa.Engine:
    """The app's engine with the hand-drawn wards (E05000001-3, vintage 2025) stored."""
    run_json(runner, "import-wards", str(write_wards(tmp_path / "wards.geojson")))
    with app.app_context():
        return get_engine()


def rows(engine: sa.Engine, sql: str) -> list[tuple[Any, ...]]:
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(sa.text(sql))]


def a_plan(**fields: Any) -> Plan:
    values: dict[str, Any] = {
        "ward_codes": ("E05000002",),
        "title": "Mill Lane park ASB",
        "problem": "Groups gather in Mill Lane park on Friday evenings.",
        "start_date": date(2025, 7, 1),
        "scanning_sources": ("data",),
        "root_cause": "The unlit shelter hides groups after dark.",
        "responses": (
            Response(action="Light the shelter", owner="Council", toolkit_rating="effective"),
        ),
        "objective": "Reduce ASB records by 30 %.",
        "categories": ("Anti-social behaviour",),
        "partners": ("Testborough Council",),
    }
    return Plan(**(values | fields))


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# --- import-plans --------------------------------------------------------------------------


def test_good_plans_are_stored_and_bad_ones_rejected_with_line_and_reason(
    engine: sa.Engine, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    document = json.loads(
        plans_to_json([a_plan(), a_plan(title="East", ward_codes=("E05000001",))])
    )
    document["plans"].insert(1, plan_to_dict(a_plan(ward_codes=("E05999999",), status="won")))
    path = write(tmp_path / "plans.json", json.dumps(document))

    summary = run_json(runner, "import-plans", str(path))

    assert summary["rejected"] == [
        {
            "source": str(path),
            "line": 2,
            "column": "ward_codes",
            "problem": "unknown ward code 'E05999999': not a ward of the boundaries in use",
        },
        {
            "source": str(path),
            "line": 2,
            "column": "status",
            "problem": "unknown status 'won'; one of draft, active, under-review, closed",
        },
    ]
    assert {k: summary[k] for k in ("status", "rows_read", "rows_stored", "rows_rejected")} == {
        "status": "stored",
        "rows_read": 3,
        "rows_stored": 2,
        "rows_rejected": 1,
    }
    assert rows(
        engine, "SELECT id, title, status, ward_vintage, created_by, import_id FROM plans"
    ) == [
        (1, "Mill Lane park ASB", "draft", "2025", "import-plans", summary["import_id"]),
        (2, "East", "draft", "2025", "import-plans", summary["import_id"]),
    ]
    assert rows(engine, 'SELECT plan_id, "by", change, previous FROM plan_history') == [
        (1, "import-plans", f"imported from {path}", None),
        (2, "import-plans", f"imported from {path}", None),
    ]
    assert rows(engine, "SELECT kind, rows_read, rows_stored, rows_rejected, status FROM imports")[
        -1
    ] == ("plans", 3, 2, 1, "stored")
    assert [plan for _, plan in stored_plans(engine)] == [
        a_plan(title="East", ward_codes=("E05000001",)),
        a_plan(),
    ]
    assert rows(engine, "PRAGMA foreign_key_check") == []


def test_a_csv_of_plans_is_read_and_the_summary_is_one_line(
    engine: sa.Engine, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    text = plans_to_csv([a_plan(), a_plan(categories=("Car crime",)), a_plan(title="=1+1")])
    path = write(tmp_path / "plans.csv", text)

    result = runner.invoke(args=["import-plans", str(path)])

    assert result.exit_code == 0, result.output
    assert result.stdout.strip().splitlines() == [
        f"Read 3 plans from {path}: 2 stored (2 new), 1 rejected."
    ]
    assert result.stderr.strip().splitlines() == [
        f"rejected: {path}, line 3, categories: 'Car crime' is not a police.uk category; "
        f"one of {', '.join(CATEGORIES)}"
    ]
    assert [p["title"] for p in list_plans(engine)] == ["=1+1", "Mill Lane park ASB"]


def test_linked_concerns_must_be_stored(
    engine: sa.Engine, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    run_json(
        runner, "import-concerns", str(write_concerns_csv(tmp_path / "c.csv", [concern_row()]))
    )
    path = write(
        tmp_path / "p.json",
        plans_to_json([a_plan(linked_concern_ids=(1,)), a_plan(linked_concern_ids=(2,))]),
    )

    summary = run_json(runner, "import-plans", str(path))

    assert [(r["line"], r["problem"]) for r in summary["rejected"]] == [
        (2, "no stored concern has the id 2")
    ]
    assert summary["rows_stored"] == 1


def test_reimporting_the_same_file_adds_nothing(
    engine: sa.Engine, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    path = write(tmp_path / "p.json", plans_to_json([a_plan()]))
    first = run_json(runner, "import-plans", str(path))
    copy = write(tmp_path / "copy.json", path.read_text())

    again = run_json(runner, "import-plans", str(copy))

    assert (first["status"], again["status"], again["added"]) == ("stored", "unchanged", 0)
    assert rows(engine, "SELECT count(*) FROM plans") == [(1,)]
    assert rows(engine, "SELECT status, message FROM imports WHERE kind = 'plans'")[-1] == (
        "unchanged",
        f"same file as import {first['import_id']}; nothing added",
    )


def test_a_wrong_header_is_refused_and_nothing_is_stored(
    engine: sa.Engine, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    path = write(tmp_path / "p.csv", "ward_codes,title,problem\nE05000002,x,y\n")

    result = runner.invoke(args=["import-plans", str(path)])

    assert result.exit_code == 1
    assert "the header lacks the columns ['start_date'" in result.output
    assert rows(engine, "SELECT count(*) FROM plans") == [(0,)]
    assert rows(engine, "SELECT kind, status FROM imports")[-1] == ("plans", "failed")


def test_a_file_that_is_neither_csv_nor_json_is_refused(
    engine: sa.Engine, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    path = write(tmp_path / "plans.txt", "")

    result = runner.invoke(args=["import-plans", str(path)])

    assert result.exit_code == 1
    assert "give a .csv or .json file of plans, not '.txt'" in result.output


# --- export-plans --------------------------------------------------------------------------


def test_export_writes_csv_that_reads_back_and_is_safe_in_a_spreadsheet(
    engine: sa.Engine, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    plans = [a_plan(title="=HYPERLINK(1)"), a_plan(ward_codes=("E05000001",), status="active")]
    for plan in plans:
        create_plan(engine, plan, by="analyst")
    out = tmp_path / "out.csv"

    summary = run_json(runner, "export-plans", "--out", str(out))

    assert summary == {"out": str(out), "format": "csv", "plans": 2, "ward": None, "status": None}
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert table[0] == list(EXPORT_COLUMNS)
    assert [row[PLAN_COLUMNS.index("title")] for row in table[1:]] == [
        "Mill Lane park ASB",
        "'=HYPERLINK(1)",
    ]
    assert table[1][EXPORT_COLUMNS.index("quality_score")] == "6"
    back, errors = read_plans_csv(out, source="out.csv")
    assert (back, errors) == (plans[::-1], [])


def test_export_json_filters_and_never_overwrites_silently(
    engine: sa.Engine, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    create_plan(engine, a_plan(), by="analyst")
    create_plan(engine, a_plan(ward_codes=("E05000001",), status="active"), by="analyst")
    out = tmp_path / "plans.json"

    summary = run_json(runner, "export-plans", "--out", str(out), "--ward", "E05000001")
    again = runner.invoke(args=["export-plans", "--out", str(out)])
    replaced = run_json(
        runner, "export-plans", "--out", str(out), "--status", "draft", "--overwrite"
    )

    assert (summary["format"], summary["plans"]) == ("json", 1)
    assert again.exit_code == 2 and "exists; pass --overwrite to replace it" in again.output
    assert replaced["plans"] == 1
    exported = json.loads(out.read_text())["plans"]
    assert [(p["id"], p["status"], p["ward_codes"]) for p in exported] == [
        (1, "draft", ["E05000002"])
    ]
    assert run_json(runner, "import-plans", str(out))["rows_stored"] == 1
    bad = runner.invoke(args=["export-plans", "--out", str(tmp_path / "x.csv"), "--ward", "E0"])
    assert bad.exit_code == 2 and "--ward 'E0' is not a ward" in bad.output
    csv_named_json = tmp_path / "x.json"
    assert (
        run_json(runner, "export-plans", "--out", str(csv_named_json), "--format", "csv")["format"]
        == "csv"
    )


# --- The store: history on every change ----------------------------------------------------


def test_every_change_is_a_history_row_with_the_plan_before(engine: sa.Engine) -> None:
    plan_id = create_plan(engine, a_plan(), by="Ana Analyst")

    changed = update_plan(
        engine,
        plan_id,
        a_plan(objective="Reduce ASB records by 40 %.", status="active", buffer_m=100.0),
        by="Bo Analyst",
    )
    same = update_plan(
        engine,
        plan_id,
        a_plan(objective="Reduce ASB records by 40 %.", status="active", buffer_m=100.0),
        by="Bo",
    )
    set_status(engine, plan_id, "under-review", by="Cy Analyst", note="six months in")

    assert changed == ["status", "objective", "buffer_m"]
    assert same == []
    stored = get_plan(engine, plan_id)
    assert stored is not None
    history = stored["history"]
    assert [(h["by"], h["change"]) for h in history] == [
        ("Ana Analyst", "created (draft)"),
        ("Bo Analyst", "status: draft → active"),
        ("Bo Analyst", "edited: objective"),
        ("Bo Analyst", "edited: buffer_m"),
        ("Cy Analyst", "status: active → under-review (six months in)"),
    ]
    assert history[0]["previous"] is None
    assert history[1]["previous"] == plan_to_dict(a_plan())
    assert history[4]["previous"]["objective"] == "Reduce ASB records by 40 %."
    assert stored["status"] == stored["plan"]["status"] == "under-review"
    assert stored["quality"]["score"] == 6
    assert rows(engine, "SELECT status FROM plans") == [("under-review",)]


def test_a_bad_update_changes_nothing(engine: sa.Engine) -> None:
    plan_id = create_plan(engine, a_plan(), by="analyst")

    with pytest.raises(PlanError) as raised:
        update_plan(engine, plan_id, a_plan(title="", ward_codes=("E05999999",)), by="analyst")
    with pytest.raises(LookupError, match="no plan with id 9"):
        update_plan(engine, 9, a_plan(), by="analyst")
    with pytest.raises(PlanError, match="already draft"):
        set_status(engine, plan_id, "draft", by="analyst")
    with pytest.raises(PlanError, match="unknown status 'done'"):
        set_status(engine, plan_id, "done", by="analyst")

    assert raised.value.problems == [
        ("ward_codes", "unknown ward code 'E05999999': not a ward of the boundaries in use"),
        ("title", "is blank; give the plan a title"),
    ]
    assert rows(engine, "SELECT count(*) FROM plan_history") == [(1,)]


def test_plans_are_listed_newest_first_with_their_quality(engine: sa.Engine) -> None:
    create_plan(engine, a_plan(), by="analyst")
    create_plan(
        engine,
        a_plan(ward_codes=("E05000001", "E05000002"), categories=("Burglary",), status="active"),
        by="analyst",
    )

    listed = list_plans(engine)

    assert [(p["id"], p["ward_codes"], p["quality"]["score"]) for p in listed] == [
        (2, ["E05000001", "E05000002"], 6),
        (1, ["E05000002"], 6),
    ]
    assert listed[0]["quality"]["missing"][0] == "A specific problem statement"
    assert [p["id"] for p in list_plans(engine, ward="E05000001")] == [2]
    assert [p["id"] for p in list_plans(engine, status="draft")] == [1]
    assert [p["id"] for p in list_plans(engine, category="Burglary")] == [2]
    assert get_plan(engine, 3) is None


def test_the_demo_plans_are_stored_once(app: Flask, runner: FlaskCliRunner, tmp_path: Path) -> None:
    force = make_demo_force(months=1, incidents_per_month=len(CATEGORIES))
    path = tmp_path / "demo_wards.geojson"
    force.wards.to_file(path, driver="GeoJSON", engine="pyogrio")
    run_json(runner, "import-wards", str(path))
    with app.app_context():
        engine = get_engine()

    ids = create_demo_plans(engine, start=date(2025, 7, 1))
    again = create_demo_plans(engine, start=date(2025, 7, 1))

    names = dict(zip(force.wards["WD25NM"], force.wards["WD25CD"], strict=True))
    assert (ids, again) == ([1, 2, 3], [])
    listed = {p["id"]: p for p in list_plans(engine)}
    assert [
        (listed[i]["ward_codes"], listed[i]["target_kind"], listed[i]["quality"]["score"])
        for i in ids
    ] == [
        ([names[ASB_PARK]], "point-buffer", 9),
        ([names[TOWN_CENTRE]], "ward", 5),
        ([names[BURGLARY_RISING]], "ward", 1),
    ]
    assert {p["created_by"] for p in listed.values()} == {"Demo analyst (synthetic)"}
