"""import-concerns, export-concerns and the concern store: rows checked, history kept."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskCliRunner

from geodata.concerns import CONCERN_COLUMNS
from geodata.demo.concerns import demo_concerns
from geodata.errors import ConcernError
from geodata.io.concerns import read_concerns_csv
from service.exporting import CONCERN_EXPORT_COLUMNS as EXPORT_COLUMNS
from service.store.concerns import (
    concern_tags,
    edit_concern,
    get_concern,
    list_concerns,
    record_concern,
    update_concern,
)
from service.store.db import get_engine
from tests.factories import a_concern, concern_row, run_json, write_concerns_csv, write_wards

TAGS = ", ".join(concern_tags())


@pytest.fixture
def engine(app: Flask, runner: FlaskCliRunner, tmp_path: Path) -> sa.Engine:
    """The app's engine with the hand-drawn wards (E05000001-3, vintage 2025) stored."""
    run_json(runner, "import-wards", str(write_wards(tmp_path / "wards.geojson")))
    with app.app_context():
        return get_engine()


def rows(engine: sa.Engine, sql: str) -> list[tuple[Any, ...]]:
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(sa.text(sql))]


# --- import-concerns -----------------------------------------------------------------------


def test_good_rows_are_stored_and_bad_rows_rejected_with_line_and_reason(
    engine: sa.Engine, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    path = write_concerns_csv(
        tmp_path / "concerns.csv",
        [
            concern_row(),
            concern_row(ward_code="E05999999"),
            concern_row(ward_code="E05000001", tag="burglary", channel="Ward councillor"),
            concern_row(tag="litter"),
        ],
    )

    summary = run_json(runner, "import-concerns", str(path))

    assert summary["rejected"] == [
        {
            "source": str(path),
            "line": 3,
            "column": "ward_code",
            "problem": "unknown ward code 'E05999999': not a ward of the boundaries in use",
        },
        {
            "source": str(path),
            "line": 5,
            "column": "tag",
            "problem": f"unknown tag 'litter'; one of {TAGS}",
        },
    ]
    assert {k: summary[k] for k in ("status", "rows_read", "rows_stored", "rows_rejected")} == {
        "status": "stored",
        "rows_read": 4,
        "rows_stored": 2,
        "rows_rejected": 2,
    }
    assert (summary["added"], summary["vintage"]) == (2, "2025")
    assert rows(
        engine, "SELECT ward_code, ward_vintage, tag, channel, status, import_id FROM concerns"
    ) == [
        ("E05000002", "2025", "asb", "community-meeting", "open", summary["import_id"]),
        ("E05000001", "2025", "burglary", "ward-councillor", "open", summary["import_id"]),
    ]
    assert rows(engine, 'SELECT concern_id, status, note, "by", "on" FROM concern_updates') == [
        (1, "open", "raised", "PCSO Example", "2025-01-15"),
        (2, "open", "raised", "PCSO Example", "2025-01-15"),
    ]
    assert rows(engine, "SELECT kind, rows_read, rows_stored, rows_rejected, status FROM imports")[
        -1
    ] == ("concerns", 4, 2, 2, "stored")
    assert rows(engine, "PRAGMA foreign_key_check") == []


def test_human_summary_is_one_line_and_the_first_20_rejections_are_shown(
    engine: sa.Engine, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    bad = [concern_row(ward_code=f"E0599{n:04d}") for n in range(25)]
    path = write_concerns_csv(tmp_path / "c.csv", [concern_row(), *bad])

    result = runner.invoke(args=["import-concerns", str(path)])

    assert result.exit_code == 0, result.output
    assert result.stdout.strip().splitlines() == [
        f"Read 26 rows from {path}: 1 stored (1 new), 25 rejected."
    ]
    shown = result.stderr.strip().splitlines()
    assert len(shown) == 21
    assert shown[0] == (
        f"rejected: {path}, line 3, ward_code: unknown ward code 'E05990000': "
        "not a ward of the boundaries in use"
    )
    assert shown[-1] == "... and 5 more (see --json)"


def test_reimporting_the_same_file_adds_nothing(
    engine: sa.Engine, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    path = write_concerns_csv(tmp_path / "c.csv", [concern_row(), concern_row(tag="litter")])
    first = run_json(runner, "import-concerns", str(path))

    again = run_json(runner, "import-concerns", str(path))
    copy = tmp_path / "copy.csv"
    copy.write_bytes(path.read_bytes())
    renamed = run_json(runner, "import-concerns", str(copy))

    for summary in (again, renamed):
        assert (summary["status"], summary["added"]) == ("unchanged", 0)
        assert (summary["rows_read"], summary["rows_stored"], summary["rows_rejected"]) == (2, 1, 1)
    assert rows(engine, "SELECT count(*) FROM concerns") == [(1,)]
    assert rows(engine, "SELECT count(*) FROM concern_updates") == [(1,)]
    assert rows(engine, "SELECT status, message FROM imports WHERE kind = 'concerns'") == [
        ("stored", "1 concerns added (boundary vintage 2025)"),
        ("unchanged", f"same file as import {first['import_id']}; nothing added"),
        ("unchanged", f"same file as import {first['import_id']}; nothing added"),
    ]


def test_a_wrong_header_fails_and_stores_nothing(
    engine: sa.Engine, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    header = [c for c in CONCERN_COLUMNS if c != "channel"]
    path = write_concerns_csv(tmp_path / "bad.csv", [concern_row()], header=header)

    result = runner.invoke(args=["import-concerns", str(path)])

    assert result.exit_code == 1
    assert f"{path}: the header lacks the columns ['channel']" in result.output
    assert rows(engine, "SELECT count(*) FROM concerns") == [(0,)]
    assert rows(engine, "SELECT status FROM imports WHERE kind = 'concerns'") == [("failed",)]


def test_import_needs_stored_boundaries(app: Flask, runner: FlaskCliRunner, tmp_path: Path) -> None:
    path = write_concerns_csv(tmp_path / "c.csv", [concern_row()])

    result = runner.invoke(args=["import-concerns", str(path)])

    assert result.exit_code == 1
    assert "no ward boundaries are stored; run import-wards first" in result.output


def test_a_missing_file_fails_clearly(engine: sa.Engine, runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["import-concerns", "nowhere.csv"])

    assert result.exit_code == 1
    assert "nowhere.csv: cannot be read" in result.output


# --- export-concerns -----------------------------------------------------------------------


def read_csv(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8-sig") as stream:
        return list(csv.reader(stream))


def test_export_is_spreadsheet_safe_and_reads_back_as_stored(
    engine: sa.Engine, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    hostile = '=HYPERLINK("http://example.invalid","click")'
    source = write_concerns_csv(
        tmp_path / "c.csv",
        [
            concern_row(description=hostile, community="@group", raised_on="2025-01-10"),
            concern_row(
                ward_code="E05000001", location="-", longitude="", latitude="", status="closed"
            ),
        ],
    )
    run_json(runner, "import-concerns", str(source))
    out = tmp_path / "export.csv"

    summary = run_json(runner, "export-concerns", "--out", str(out))

    assert summary == {"out": str(out), "concerns": 2, "ward": None, "status": None}
    header, newest, oldest = read_csv(out)
    assert header == list(EXPORT_COLUMNS)
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    assert newest[:11] == [
        "E05000001", "asb", "Groups gathering by the play area in the evenings.",
        "2025-01-15", "community-meeting", "older residents", "'-", "", "", "closed",
        "PCSO Example",
    ]  # fmt: skip
    assert newest[11:] == ["2", "2025", "2025-01-15"]
    assert (oldest[2], oldest[5], oldest[7]) == ("'" + hostile, "'@group", "-1.21")
    wards = {"E05000001", "E05000002", "E05000003"}
    back, errors = read_concerns_csv(out, source=str(out), wards=wards, tags=concern_tags())
    assert errors == []
    assert [(c.description, c.community, c.location_text) for c in back] == [
        ("Groups gathering by the play area in the evenings.", "older residents", "-"),
        (hostile, "@group", "Mill Lane park"),
    ]


def test_export_refuses_to_overwrite_without_the_option(
    engine: sa.Engine, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    out = tmp_path / "export.csv"
    out.write_text("keep me")

    refused = runner.invoke(args=["export-concerns", "--out", str(out)])

    assert refused.exit_code == 2
    assert f"{out} exists; pass --overwrite to replace it" in refused.output
    assert out.read_text() == "keep me"

    replaced = runner.invoke(args=["export-concerns", "--out", str(out), "--overwrite"])

    assert replaced.exit_code == 0, replaced.output
    assert replaced.stdout.strip() == f"Wrote 0 concerns to {out}."
    assert read_csv(out) == [list(EXPORT_COLUMNS)]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_export_filters_by_ward_and_status(
    engine: sa.Engine, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    source = write_concerns_csv(
        tmp_path / "c.csv",
        [
            concern_row(),
            concern_row(status="resolved"),
            concern_row(ward_code="E05000001"),
        ],
    )
    run_json(runner, "import-concerns", str(source))

    for args, expected in [
        (["--ward", "E05000002"], 2),
        (["--status", "open"], 2),
        (["--ward", "E05000002", "--status", "resolved"], 1),
    ]:
        out = tmp_path / f"{'-'.join(args)}.csv"
        assert run_json(runner, "export-concerns", "--out", str(out), *args)["concerns"] == expected
        assert len(read_csv(out)) == expected + 1


def test_export_refuses_an_unknown_ward_or_status(
    engine: sa.Engine, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    out = tmp_path / "e.csv"

    ward = runner.invoke(args=["export-concerns", "--out", str(out), "--ward", "E05999999"])
    status = runner.invoke(args=["export-concerns", "--out", str(out), "--status", "pending"])

    assert ward.exit_code == 2
    assert "--ward 'E05999999' is not a ward of the latest boundary vintage (2025)" in ward.output
    assert status.exit_code == 2
    assert "'pending' is not one of 'open', 'in-progress', 'resolved', 'closed'" in status.output
    assert not out.exists()


# --- The store: history --------------------------------------------------------------------


def history(engine: sa.Engine, concern_id: int) -> list[tuple[Any, ...]]:
    return rows(
        engine,
        f'SELECT status, note, "by", "on" FROM concern_updates WHERE concern_id = {concern_id} '
        "ORDER BY id",
    )


def test_every_status_change_and_edit_is_kept(engine: sa.Engine) -> None:
    concern_id = record_concern(engine, a_concern(), recorded_by="Analyst One")
    update_concern(
        engine,
        concern_id,
        status="in-progress",
        note="Extra patrols at the times reported.",
        by="PCSO Two",
        on=date(2025, 1, 20),
    )
    changed = edit_concern(
        engine,
        concern_id,
        by="Analyst One",
        on=date(2025, 1, 21),
        tag="drugs",
        description="Suspected dealing by the play area.",
        community="  young   people ",
        location_text=None,
    )
    update_concern(
        engine,
        concern_id,
        status="resolved",
        note="Arrests made.",
        by="PC Three",
        on=date(2025, 2, 1),
    )
    update_concern(
        engine,
        concern_id,
        status="open",
        note="Reported again.",
        by="PCSO Two",
        on=date(2025, 2, 3),
    )

    assert changed == ["tag", "description", "community"]
    assert history(engine, concern_id) == [
        ("open", "raised", "Analyst One", "2025-01-15"),
        ("in-progress", "Extra patrols at the times reported.", "PCSO Two", "2025-01-20"),
        ("in-progress", "edited: tag: 'asb' → 'drugs'", "Analyst One", "2025-01-21"),
        (
            "in-progress",
            "edited: description: 'Groups gathering by the play area in the evenings.' → "
            "'Suspected dealing by the play area.'",
            "Analyst One",
            "2025-01-21",
        ),
        (
            "in-progress",
            "edited: community: 'older residents' → 'young people'",
            "Analyst One",
            "2025-01-21",
        ),
        ("resolved", "Arrests made.", "PC Three", "2025-02-01"),
        ("open", "Reported again.", "PCSO Two", "2025-02-03"),
    ]
    stored = get_concern(engine, concern_id, today=date(2025, 2, 14))
    assert stored is not None
    assert {k: stored[k] for k in ("tag", "community", "status", "recorded_by", "age_days")} == {
        "tag": "drugs",
        "community": "young people",
        "status": "open",
        "recorded_by": "PCSO Example",
        "age_days": 30,
    }
    assert stored["updated_on"] == date(2025, 2, 3)
    assert [h["note"] for h in stored["history"]][-1] == "Reported again."
    assert rows(engine, "PRAGMA foreign_key_check") == []


def test_an_edit_that_changes_nothing_writes_nothing(engine: sa.Engine) -> None:
    concern_id = record_concern(engine, a_concern(), recorded_by="Analyst One")

    assert (
        edit_concern(engine, concern_id, by="Analyst One", tag="asb", community="older  residents")
        == []
    )
    assert len(history(engine, concern_id)) == 1


def test_moving_a_concern_to_another_ward_is_recorded(engine: sa.Engine) -> None:
    concern_id = record_concern(
        engine, a_concern(longitude=-1.21, latitude=54.61), recorded_by="Analyst One"
    )

    edit_concern(
        engine, concern_id, by="Analyst One", on=date(2025, 1, 16), ward_code="E05000001",
        longitude=-1.19, raised_on=date(2025, 1, 14),
    )  # fmt: skip

    assert [note for _, note, _, _ in history(engine, concern_id)[1:]] == [
        "edited: ward_code: 'E05000002' → 'E05000001'",
        "edited: raised_on: 2025-01-15 → 2025-01-14",
        "edited: longitude: -1.21 → -1.19",
    ]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"status": "closed"}, "cannot edit status; editable: .*; change the status with update"),
        ({"colour": "red"}, "cannot edit colour"),
        ({"tag": "litter"}, "tag: unknown tag 'litter'"),
        ({"ward_code": "E05999999"}, "ward_code: unknown ward code 'E05999999'"),
        ({"raised_on": "2025-01-01"}, "raised_on: '2025-01-01' is not a date"),
        ({"latitude": 54.61}, "longitude: is blank but latitude is given"),
        ({"description": ""}, "description: is blank"),
        ({"raised_on": date(2025, 1, 25)}, "raised_on: 2025-01-25 is after the concern's first"),
    ],
)
def test_bad_edits_are_refused_and_change_nothing(
    engine: sa.Engine, change: dict[str, Any], message: str
) -> None:
    concern_id = record_concern(engine, a_concern(), recorded_by="Analyst One")
    update_concern(
        engine, concern_id, status="in-progress", note="Patrols.", by="PC", on=date(2025, 1, 20)
    )
    before = get_concern(engine, concern_id)

    with pytest.raises(ConcernError, match=message):
        edit_concern(engine, concern_id, by="Analyst One", **change)

    assert get_concern(engine, concern_id) == before


@pytest.mark.parametrize(
    ("update", "message"),
    [
        ({"status": "done"}, "status: unknown status 'done'; one of open, in-progress, resolved"),
        ({"note": " "}, "note: is blank"),
        ({"by": ""}, "by: is blank"),
        (
            {"on": date(2025, 1, 19)},
            "on: 2025-01-19 is before the concern's latest change of status",
        ),
        ({"on": date.today() + timedelta(days=1)}, "is after today"),
    ],
)
def test_bad_updates_are_refused(engine: sa.Engine, update: dict[str, Any], message: str) -> None:
    concern_id = record_concern(engine, a_concern(), recorded_by="Analyst One")
    update_concern(
        engine, concern_id, status="in-progress", note="Patrols.", by="PC", on=date(2025, 1, 20)
    )
    arguments = {"status": "resolved", "note": "Done.", "by": "PC", "on": date(2025, 2, 1)} | update

    with pytest.raises(ConcernError, match=message):
        update_concern(engine, concern_id, **arguments)

    assert len(history(engine, concern_id)) == 2


def test_an_update_may_be_backdated_past_an_edit(engine: sa.Engine) -> None:
    concern_id = record_concern(engine, a_concern(), recorded_by="Analyst One")
    edit_concern(engine, concern_id, by="Analyst One", on=date(2025, 3, 1), tag="drugs")

    update_concern(engine, concern_id, status="closed", note="Done.", by="PC", on=date(2025, 2, 1))

    assert rows(engine, "SELECT status FROM concerns") == [("closed",)]


def test_unknown_concerns_are_looked_up_not_invented(engine: sa.Engine) -> None:
    with pytest.raises(LookupError, match="no concern with id 99"):
        update_concern(engine, 99, status="closed", note="x", by="y", on=date(2025, 1, 1))
    with pytest.raises(LookupError):
        edit_concern(engine, 99, by="y", tag="asb")
    assert get_concern(engine, 99) is None


def test_record_concern_checks_the_concern(engine: sa.Engine) -> None:
    with pytest.raises(ConcernError) as raised:
        record_concern(
            engine,
            a_concern(ward_code="E05999999", channel="fax", raised_on=date.today() + timedelta(1)),
            recorded_by="Analyst One",
        )
    assert str(raised.value).startswith("ward_code: unknown ward code 'E05999999'")
    assert "; raised_on: " in str(raised.value)
    assert "; channel: unknown channel 'fax'" in str(raised.value)
    with pytest.raises(ConcernError, match="recorded_by: is blank"):
        record_concern(engine, a_concern(), recorded_by=" ")
    assert rows(engine, "SELECT count(*) FROM concerns") == [(0,)]


def test_record_concern_needs_stored_boundaries(app: Flask) -> None:
    with app.app_context(), pytest.raises(ConcernError, match="no ward boundaries are stored"):
        record_concern(get_engine(), a_concern(), recorded_by="Analyst One")


def test_list_concerns_is_newest_first_and_filtered(engine: sa.Engine) -> None:
    first = record_concern(engine, a_concern(raised_on=date(2025, 1, 1)), recorded_by="A")
    second = record_concern(
        engine,
        a_concern(raised_on=date(2025, 2, 1), tag="burglary", channel="ward-councillor"),
        recorded_by="A",
    )
    third = record_concern(
        engine, a_concern(raised_on=date(2025, 3, 1), ward_code="E05000001"), recorded_by="A"
    )
    update_concern(engine, first, status="closed", note="Done.", by="PC", on=date(2025, 3, 5))

    def ids(**filters: Any) -> list[int]:
        return [c["id"] for c in list_concerns(engine, **filters)]

    assert ids() == [third, second, first]
    assert ids(ward_code="E05000002") == [second, first]
    assert ids(status="closed") == [first]
    assert ids(tag="burglary") == [second]
    assert ids(channel="community-meeting") == [third, first]
    assert ids(since=date(2025, 2, 1)) == [third, second]
    listed = list_concerns(engine, today=date(2025, 3, 31))
    assert [(c["age_days"], c["updated_on"]) for c in listed] == [
        (30, date(2025, 3, 1)),
        (58, date(2025, 2, 1)),
        (89, date(2025, 3, 5)),
    ]


def test_the_demo_set_can_be_stored_with_its_history(engine: sa.Engine) -> None:
    made = demo_concerns(["E05000001", "E05000002", "E05000003"], seed=3, today=date.today())

    for concern, updates in made:
        concern_id = record_concern(engine, concern, recorded_by="demo")
        for update in updates:
            update_concern(
                engine,
                concern_id,
                status=update.status,
                note=update.note,
                by=update.by,
                on=update.on,
            )

    expected = sum(1 + len(updates) for _, updates in made)
    assert rows(engine, "SELECT count(*), count(DISTINCT concern_id) FROM concern_updates") == [
        (expected, 60)
    ]
    assert rows(
        engine,
        "SELECT count(*) FROM concerns c WHERE c.status != (SELECT u.status FROM concern_updates u "
        "WHERE u.concern_id = c.id ORDER BY u.id DESC LIMIT 1)",
    ) == [(0,)]
