"""import-messages and export-messages: a bad file stores nothing, the same file twice adds
nothing, and an export is safe in a spreadsheet and imports again as it was."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner

from geodata.messages import MESSAGE_COLUMNS
from service.store.db import get_engine
from service.store.imports import list_imports
from service.store.messages import get_message, list_messages
from tests.factories import run_json, write_wards


def message_row(**cells: str) -> dict[str, str]:
    values = {
        "sent_on": "2025-11-03",
        "channel": "Community messaging system (such as Neighbourhood Alert)",
        "area": "E05000002;E05000001",
        "themes": "burglary",
        "audiences": "residents",
        "group": "",
        "reach": "1200",
        "sent_by": "Neighbourhood team",
        "summary": "Dark nights: lock sheds and garages.",
        "reference": "https://example.org/alerts/1",
    }
    values.update(cells)
    return values


def write_messages_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, fieldnames=list(MESSAGE_COLUMNS))
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture
def wards(runner: FlaskCliRunner, tmp_path: Path) -> None:
    run_json(runner, "import-wards", str(write_wards(tmp_path / "wards.geojson")))


GOOD = [
    message_row(),
    message_row(area="force-wide", themes="asb;knife-crime", channel="press", reach=""),
    message_row(area="E06000099", audiences="named-group", group="Mill Lane RA"),
]


def stored(app: Flask) -> list[dict[str, object]]:
    with app.app_context():
        return list_messages(get_engine())


def test_a_good_file_is_stored_with_its_history(
    app: Flask, runner: FlaskCliRunner, wards: None, tmp_path: Path
) -> None:
    path = write_messages_csv(tmp_path / "messages.csv", GOOD)

    summary = run_json(runner, "import-messages", str(path))

    assert (summary["status"], summary["rows_read"], summary["added"]) == ("stored", 3, 3)
    rows = stored(app)
    assert sorted((r["area"], tuple(r["area_codes"])) for r in rows) == [  # type: ignore[arg-type]
        ("council", ("E06000099",)),
        ("force-wide", ()),
        ("wards", ("E05000002", "E05000001")),
    ]
    with app.app_context():
        first = get_message(get_engine(), int(rows[-1]["id"]))  # type: ignore[call-overload]
    assert first is not None
    assert [h["change"] for h in first["history"]] == [f"imported from {path}"]
    assert first["channel"] == "community-messaging"


def test_a_file_with_a_bad_row_is_refused_whole_with_every_problem(
    app: Flask, runner: FlaskCliRunner, wards: None, tmp_path: Path
) -> None:
    path = write_messages_csv(
        tmp_path / "bad.csv",
        [
            *GOOD,
            message_row(area="E05999999", themes="litter"),
            message_row(sent_on="03/11/2025", audiences="named-group"),
        ],
    )

    result = runner.invoke(args=["import-messages", str(path)])

    assert result.exit_code == 1
    assert f"rejected: {path}, line 5, area: unknown ward code 'E05999999'" in result.output
    assert f"rejected: {path}, line 5, themes: unknown theme 'litter'" in result.output
    assert f"rejected: {path}, line 6, sent_on: '03/11/2025' is not a date" in result.output
    assert f"rejected: {path}, line 6, group: is blank; name the group" in result.output
    assert f"Refused {path}: 2 of 5 rows have problems; nothing stored." in result.output
    assert stored(app) == []
    with app.app_context():
        ledger = list_imports(get_engine())[0]
    assert (ledger["kind"], ledger["status"]) == ("messages", "failed")


def test_the_refusal_lists_every_row_in_json(
    app: Flask, runner: FlaskCliRunner, wards: None, tmp_path: Path
) -> None:
    path = write_messages_csv(tmp_path / "bad.csv", [message_row(reach="lots")])

    result = runner.invoke(args=["import-messages", "--json", str(path)])

    assert result.exit_code == 1
    assert '"status": "refused"' in result.output
    assert '"problem": "\'lots\' is not a whole number"' in result.output


def test_a_file_with_a_wrong_header_is_refused_naming_the_column(
    app: Flask, runner: FlaskCliRunner, wards: None, tmp_path: Path
) -> None:
    path = tmp_path / "header.csv"
    path.write_text("sent_on,channel\n2025-11-03,press\n")

    result = runner.invoke(args=["import-messages", str(path)])

    assert result.exit_code == 1
    assert "area" in result.output
    assert stored(app) == []


def test_importing_the_same_file_again_changes_nothing(
    app: Flask, runner: FlaskCliRunner, wards: None, tmp_path: Path
) -> None:
    path = write_messages_csv(tmp_path / "messages.csv", GOOD)
    run_json(runner, "import-messages", str(path))
    before = stored(app)

    again = run_json(runner, "import-messages", str(path))

    assert (again["status"], again["added"]) == ("unchanged", 0)
    assert stored(app) == before


def test_the_export_is_formula_safe_and_imports_again(
    app: Flask, runner: FlaskCliRunner, wards: None, tmp_path: Path
) -> None:
    risky = message_row(summary='=HYPERLINK("http://evil.example","click")', sent_by="@comms")
    run_json(runner, "import-messages", str(write_messages_csv(tmp_path / "in.csv", [risky])))
    out = tmp_path / "out.csv"

    summary = run_json(runner, "export-messages", "--out", str(out))

    assert summary["messages"] == 1
    with out.open(encoding="utf-8-sig", newline="") as file:
        exported = list(csv.DictReader(file))
    assert exported[0]["summary"] == '\'=HYPERLINK("http://evil.example","click")'
    assert exported[0]["sent_by"] == "'@comms"
    assert exported[0]["area"] == "E05000002;E05000001"
    refused = runner.invoke(args=["export-messages", "--out", str(out)])
    assert refused.exit_code != 0 and "--overwrite" in refused.output
    # The exported file, read back, is the same message (a new file, so it is stored again).
    run_json(runner, "import-messages", str(out))
    first, second = stored(app)
    assert {k: v for k, v in first.items() if k in MESSAGE_COLUMNS} == {
        k: v for k, v in second.items() if k in MESSAGE_COLUMNS
    }
    assert first["summary"] == '=HYPERLINK("http://evil.example","click")'


def test_import_needs_wards(app: Flask, runner: FlaskCliRunner, tmp_path: Path) -> None:
    path = write_messages_csv(tmp_path / "messages.csv", GOOD)

    result = runner.invoke(args=["import-messages", str(path)])

    assert result.exit_code == 1
    assert "no ward boundaries are stored" in result.output
