"""import-threat: every version kept, the latest active, the same file twice unchanged."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskCliRunner

from geodata.io.threat import read_threat_assessment
from service.store.db import broken_foreign_keys, get_engine
from service.store.threat import get_themes, list_assessments
from tests.factories import run_json

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
EXAMPLE_YAML = EXAMPLES / "threat-assessment-demo.yaml"
EXAMPLE_CSV = EXAMPLES / "threat-assessment-demo.csv"
TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00")


def rows(app: Flask, sql: str) -> list[tuple[Any, ...]]:
    with app.app_context(), get_engine().connect() as connection:
        return [tuple(row) for row in connection.execute(sa.text(sql))]


def foreign_key_problems(app: Flask) -> list[tuple[object, ...]]:
    with app.app_context():
        return broken_foreign_keys(get_engine())


def write_revision(tmp_path: Path, *, name: str = "revised.yaml") -> Path:
    """The example with vehicle crime moved up to the medium band: a revised assessment."""
    path = tmp_path / name
    text = EXAMPLE_YAML.read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            "risk_score: 96\n    confidence: high\n    priority_band: low",
            "risk_score: 150\n    confidence: high\n    priority_band: medium",
        ),
        encoding="utf-8",
    )
    return path


def test_example_is_stored_with_every_theme(app: Flask, runner: FlaskCliRunner) -> None:
    summary = run_json(runner, "import-threat", str(EXAMPLE_YAML))

    assert TIMESTAMP.fullmatch(summary.pop("active_since"))
    assert summary == {
        "assessment_id": 1,
        "version": 1,
        "title": "Demoshire Strategic Assessment 2026: EXAMPLE — not a real assessment",
        "themes": 7,
        "bands": {"high": 3, "medium": 3, "low": 1},
        "example": True,
        "unchanged": False,
    }
    assert rows(app, "SELECT force, assessed_on, is_example, source FROM threat_assessments") == [
        ("Demoshire Constabulary (synthetic demo data)", "2026-03-31", 1, str(EXAMPLE_YAML))
    ]
    assert rows(
        app, "SELECT name, categories, concern_tags FROM threat_themes WHERE id IN (1, 6)"
    ) == [
        (
            "Serious violence",
            "Violence and sexual offences;Possession of weapons;Robbery",
            "violence;knife-crime;robbery",
        ),
        ("Organised crime", "", "exploitation"),
    ]
    assert rows(app, "SELECT kind, rows_read, rows_stored, status, message FROM imports") == [
        ("threat", 7, 7, "stored", "version 1: 7 themes (3 high, 3 medium, 1 low)")
    ]
    with app.app_context():
        assert tuple(get_themes(get_engine())) == read_threat_assessment(EXAMPLE_YAML).themes


def test_human_summary_is_one_line(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["import-threat", str(EXAMPLE_YAML)])

    assert result.exit_code == 0, result.output
    (line,) = result.stdout.strip().splitlines()
    assert re.fullmatch(
        "Stored threat assessment 'Demoshire Strategic Assessment 2026: EXAMPLE — not a real "
        r"assessment' \(7 themes: 3 high, 3 medium, 1 low\), version 1, active since "
        rf"{TIMESTAMP.pattern}; marked as an example, not a real assessment\.",
        line,
    ), line


def test_versions_are_kept_and_the_latest_is_active(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    run_json(runner, "import-threat", str(EXAMPLE_YAML))

    summary = run_json(runner, "import-threat", str(write_revision(tmp_path)))

    assert (summary["assessment_id"], summary["version"], summary["unchanged"]) == (2, 2, False)
    assert summary["bands"] == {"high": 3, "medium": 4, "low": 0}
    with app.app_context():
        versions = list_assessments(get_engine())
        active = get_themes(get_engine())
        first = get_themes(get_engine(), 1)
    assert [(v["id"], v["version"], v["themes"], v["active"]) for v in versions] == [
        (2, 2, 7, True),
        (1, 1, 7, False),
    ]
    assert [t.priority_band for t in active if t.name == "Vehicle crime"] == ["medium"]
    assert tuple(first) == read_threat_assessment(EXAMPLE_YAML).themes
    assert rows(app, "SELECT count(*) FROM threat_themes") == [(14,)]
    assert foreign_key_problems(app) == []


def test_the_same_file_twice_is_unchanged(app: Flask, runner: FlaskCliRunner) -> None:
    first = run_json(runner, "import-threat", str(EXAMPLE_YAML))

    again = runner.invoke(args=["import-threat", str(EXAMPLE_YAML)])
    as_json = run_json(runner, "import-threat", str(EXAMPLE_YAML))

    assert again.exit_code == 0, again.output
    assert again.stdout.startswith(
        "Threat assessment 'Demoshire Strategic Assessment 2026: EXAMPLE — not a real "
        "assessment' unchanged (7 themes: 3 high, 3 medium, 1 low): the file of version 1, "
        f"active since {first['active_since']}; nothing stored"
    )
    assert as_json == {**first, "unchanged": True}
    assert rows(app, "SELECT count(*) FROM threat_assessments") == [(1,)]
    assert rows(app, "SELECT count(*) FROM threat_themes") == [(7,)]
    assert rows(app, "SELECT status, rows_read, rows_stored, message FROM imports") == [
        ("stored", 7, 7, "version 1: 7 themes (3 high, 3 medium, 1 low)"),
        ("unchanged", 7, 0, "same as the active version 1"),
        ("unchanged", 7, 0, "same as the active version 1"),
    ]


def test_an_earlier_file_imported_again_becomes_the_active_version(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    run_json(runner, "import-threat", str(EXAMPLE_YAML))
    run_json(runner, "import-threat", str(write_revision(tmp_path)))

    back = run_json(runner, "import-threat", str(EXAMPLE_YAML))

    assert (back["version"], back["unchanged"]) == (3, False)
    with app.app_context():
        assert tuple(get_themes(get_engine())) == read_threat_assessment(EXAMPLE_YAML).themes


def test_the_csv_example_is_the_same_assessment_as_a_new_version(
    app: Flask, runner: FlaskCliRunner
) -> None:
    run_json(runner, "import-threat", str(EXAMPLE_YAML))

    summary = run_json(runner, "import-threat", str(EXAMPLE_CSV))

    # A different file (its SHA-256 differs), so a new version, with the same themes.
    assert (summary["version"], summary["unchanged"]) == (2, False)
    with app.app_context():
        assert get_themes(get_engine(), 1) == get_themes(get_engine(), 2)


def test_csv_without_notes_takes_the_options(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    bare = tmp_path / "bare.csv"
    lines = EXAMPLE_CSV.read_text(encoding="utf-8").splitlines(keepends=True)
    bare.write_text("".join(line for line in lines if not line.startswith("#")), encoding="utf-8")

    summary = run_json(
        runner,
        "import-threat",
        str(bare),
        "--title",
        "Workbook export",
        "--force-name",
        "Test Police",
        "--assessed-on",
        "2026-04-01",
    )
    again = run_json(
        runner,
        "import-threat",
        str(bare),
        "--title",
        "Renamed",
        "--force-name",
        "Test Police",
        "--assessed-on",
        "2026-04-01",
    )

    assert (summary["example"], summary["themes"]) == (False, 7)
    # The same file under another title is another assessment, not 'unchanged'.
    assert (again["version"], again["unchanged"]) == (2, False)
    assert rows(app, "SELECT title, force, assessed_on FROM threat_assessments") == [
        ("Workbook export", "Test Police", "2026-04-01"),
        ("Renamed", "Test Police", "2026-04-01"),
    ]


def test_bad_file_fails_and_stores_nothing(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        EXAMPLE_YAML.read_text(encoding="utf-8")
        .replace("priority_band: low", "priorty_band: low")
        .replace("concern_tags: [burglary]", "concern_tags: [burglary, home-invasion]"),
        encoding="utf-8",
    )

    result = runner.invoke(args=["import-threat", str(bad)])

    assert result.exit_code == 1
    assert f"{bad}: threat assessment cannot be used (3 problems):" in result.output
    assert (
        f"{bad}, theme 4 ('Burglary'), field 'concern_tags': 'home-invasion' is not a concern "
        "tag; allowed: asb, bicycle-theft" in result.output
    )
    assert (
        f"{bad}, theme 7 ('Vehicle crime'), field 'priorty_band': unknown field (did you mean "
        "'priority_band'?)" in result.output
    )
    assert "Traceback" not in result.output
    assert rows(app, "SELECT count(*) FROM threat_assessments") == [(0,)]
    assert rows(app, "SELECT count(*) FROM imports") == [(0,)]


def test_a_bad_file_leaves_the_active_version_alone(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    run_json(runner, "import-threat", str(EXAMPLE_YAML))
    bad = shutil.copy(EXAMPLE_CSV, tmp_path / "bad.csv")
    Path(bad).write_text(
        Path(bad).read_text(encoding="utf-8").replace(",412,high,", ",-412,high,"),
        encoding="utf-8",
    )

    result = runner.invoke(args=["import-threat", str(bad)])

    assert result.exit_code == 1
    assert (
        f"{bad}, line 8 ('Serious violence'), column 'risk_score': '-412' is negative; risk "
        "scores are 0 or more" in result.output
    )
    with app.app_context():
        assert [v["version"] for v in list_assessments(get_engine())] == [1]
    assert rows(app, "SELECT count(*) FROM imports") == [(1,)]


def test_a_missing_file_is_reported(runner: FlaskCliRunner, tmp_path: Path) -> None:
    result = runner.invoke(args=["import-threat", str(tmp_path / "nowhere.yaml")])

    assert result.exit_code == 1
    assert f"{tmp_path / 'nowhere.yaml'}: no such file" in result.output
