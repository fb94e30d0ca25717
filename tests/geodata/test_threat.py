"""Threat assessments: the example files, and every check of the YAML and CSV readers."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from geodata.concerns import DEFAULT_TAGS_PATH
from geodata.crime import CATEGORIES
from geodata.demo.force import DEMO_FORCE
from geodata.errors import GeodataError, ThreatFileError
from geodata.io.concerns import read_concern_tags
from geodata.io.threat import read_threat_assessment
from geodata.threat import BAND_ORDER, THEME_FIELDS, ThreatAssessment, ThreatTheme, band_counts

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
EXAMPLE_YAML = EXAMPLES / "threat-assessment-demo.yaml"
EXAMPLE_CSV = EXAMPLES / "threat-assessment-demo.csv"
ALL_CATEGORIES = ", ".join(CATEGORIES)
ALL_FIELDS = ", ".join(THEME_FIELDS)


def create_theme(*, drop: tuple[str, ...] = (), **fields: Any) -> dict[str, Any]:
    """A valid theme mapping (burglary, medium band), with fields overridden or dropped."""
    theme: dict[str, Any] = {
        "name": "Burglary",
        "description": "Residential burglary.",
        "risk_score": 240,
        "confidence": "high",
        "priority_band": "medium",
        "categories": ["Burglary"],
        "concern_tags": ["burglary"],
        "owner": "Acquisitive Crime Strategic Lead",
        "review_date": date(2026, 9, 30),
    }
    theme.update(fields)
    for name in drop:
        del theme[name]
    return theme


def write_yaml(
    tmp_path: Path,
    themes: list[Any] | None = None,
    *,
    name: str = "threat.yaml",
    drop: tuple[str, ...] = (),
    **top: Any,
) -> Path:
    """A YAML assessment with one valid theme unless ``themes`` is given."""
    data: dict[str, Any] = {
        "title": "Test Strategic Assessment 2026",
        "force": "Test Police",
        "assessed_on": date(2026, 3, 31),
        "themes": [create_theme()] if themes is None else themes,
    }
    data.update(top)
    for key in drop:
        del data[key]
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


CSV_NOTES = (
    "# title: Test Strategic Assessment 2026\n# force: Test Police\n# assessed_on: 2026-03-31\n"
)
CSV_HEADER = ",".join(THEME_FIELDS) + "\n"
CSV_ROW = (
    "Burglary,Residential burglary.,240,high,medium,Burglary,burglary,"
    "Acquisitive Crime Strategic Lead,2026-09-30\n"
)


def write_csv(tmp_path: Path, text: str, *, name: str = "threat.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(error: pytest.ExceptionInfo[ThreatFileError]) -> list[str]:
    """The problem lines of a ThreatFileError, without the heading line."""
    return [line.strip() for line in str(error.value).splitlines()[1:]]


def refused(path: Path, **options: Any) -> list[str]:
    with pytest.raises(ThreatFileError) as error:
        read_threat_assessment(path, **options)
    return problems(error)


# --- the example files ----------------------------------------------------------------------


def test_yaml_and_csv_examples_read_to_the_same_assessment() -> None:
    from_yaml = read_threat_assessment(EXAMPLE_YAML)
    from_csv = read_threat_assessment(EXAMPLE_CSV)

    assert from_csv.source == str(EXAMPLE_CSV)
    assert dataclasses.replace(from_csv, source=from_yaml.source) == from_yaml


def test_example_is_marked_as_an_example_of_the_demo_force() -> None:
    assessment = read_threat_assessment(EXAMPLE_YAML)

    assert assessment.is_example is True
    assert "EXAMPLE — not a real assessment" in assessment.title
    assert assessment.force == DEMO_FORCE
    assert [(t.name, t.priority_band) for t in assessment.themes] == [
        ("Serious violence", "high"),
        ("Drug supply", "high"),
        ("Violence against women and girls", "high"),
        ("Burglary", "medium"),
        ("Anti-social behaviour", "medium"),
        ("Organised crime", "medium"),
        ("Vehicle crime", "low"),
    ]
    assert band_counts(assessment.themes) == {"high": 3, "medium": 3, "low": 1}
    organised = assessment.themes[5]
    assert organised.categories == ()
    assert all(t.review_date.year == 2026 for t in assessment.themes)
    # Scores fall with the bands: the example is internally consistent.
    scores = [t.risk_score for t in assessment.themes]
    assert scores == sorted(scores, reverse=True)


def test_example_tags_are_shipped_concern_tags() -> None:
    tags = read_concern_tags(DEFAULT_TAGS_PATH)

    assessment = read_threat_assessment(EXAMPLE_CSV, known_tags=tags)

    assert {tag for t in assessment.themes for tag in t.concern_tags} <= set(tags)


# --- what a good file reads to --------------------------------------------------------------


def test_a_theme_reads_to_exact_values(tmp_path: Path) -> None:
    assessment = read_threat_assessment(write_yaml(tmp_path))

    assert assessment == ThreatAssessment(
        title="Test Strategic Assessment 2026",
        force="Test Police",
        assessed_on=date(2026, 3, 31),
        themes=(
            ThreatTheme(
                name="Burglary",
                description="Residential burglary.",
                risk_score=240.0,
                confidence="high",
                priority_band="medium",
                categories=("Burglary",),
                concern_tags=("burglary",),
                owner="Acquisitive Crime Strategic Lead",
                review_date=date(2026, 9, 30),
            ),
        ),
        source=str(tmp_path / "threat.yaml"),
        is_example=False,
    )


def test_category_aliases_become_current_names_each_once(tmp_path: Path) -> None:
    theme = create_theme(
        categories=["violent-crime", "Public disorder and weapons", "burglary", "Burglary"]
    )

    (read,) = read_threat_assessment(write_yaml(tmp_path, [theme])).themes

    assert read.categories == ("Violence and sexual offences", "Public order", "Burglary")


def test_lists_may_be_semicolon_text_and_optional_fields_may_be_left_out(tmp_path: Path) -> None:
    themes = [
        create_theme(categories="Drugs; Possession of weapons", concern_tags="drugs;;knife-crime"),
        create_theme(name="Organised crime", drop=("categories", "concern_tags")),
        create_theme(name="Exploitation", categories=[], concern_tags=None),
    ]

    read = read_threat_assessment(write_yaml(tmp_path, themes)).themes

    assert [(t.categories, t.concern_tags) for t in read] == [
        (("Drugs", "Possession of weapons"), ("drugs", "knife-crime")),
        ((), ()),
        ((), ()),
    ]


def test_band_and_confidence_are_read_in_any_letter_case(tmp_path: Path) -> None:
    theme = create_theme(confidence=" Medium", priority_band="HIGH")

    (read,) = read_threat_assessment(write_yaml(tmp_path, [theme])).themes

    assert (read.confidence, read.priority_band) == ("medium", "high")


def test_risk_score_may_be_quoted_and_text_is_stripped(tmp_path: Path) -> None:
    theme = create_theme(risk_score="12.5", name="  Burglary ", owner=" Lead ")

    (read,) = read_threat_assessment(write_yaml(tmp_path, [theme])).themes

    assert (read.risk_score, read.name, read.owner) == (12.5, "Burglary", "Lead")


def test_band_order_is_most_urgent_first() -> None:
    assert BAND_ORDER == ("high", "medium", "low")
    assert list(band_counts([])) == ["high", "medium", "low"]


def test_concern_tags_are_checked_only_against_known_tags(tmp_path: Path) -> None:
    path = write_yaml(tmp_path, [create_theme(concern_tags=["burglary", "home-invasion"])])

    assert read_threat_assessment(path).themes[0].concern_tags == ("burglary", "home-invasion")
    assert refused(path, known_tags={"burglary", "drugs"}) == [
        f"{path}, theme 1 ('Burglary'), field 'concern_tags': 'home-invasion' is not a "
        "concern tag; allowed: burglary, drugs"
    ]


# --- YAML problems, each with its exact message ---------------------------------------------


@pytest.mark.parametrize(
    ("fields", "field", "problem"),
    [
        ({"risk_score": -1}, "risk_score", "-1 is negative; risk scores are 0 or more"),
        ({"risk_score": "high"}, "risk_score", "'high' is not a number"),
        ({"risk_score": True}, "risk_score", "True is not a number"),
        ({"risk_score": float("inf")}, "risk_score", "inf is not a finite number"),
        (
            {"confidence": "certain"},
            "confidence",
            "'certain' is not a confidence; allowed: low, medium, high",
        ),
        (
            {"priority_band": "urgent"},
            "priority_band",
            "'urgent' is not a priority band; allowed: high, medium, low",
        ),
        (
            {"priority_band": 1},
            "priority_band",
            "1 is not a priority band; allowed: high, medium, low",
        ),
        (
            {"categories": ["Burglary", "Murder"]},
            "categories",
            f"'Murder' is not a police.uk category; allowed: {ALL_CATEGORIES}",
        ),
        (
            {"categories": {"Burglary": 1}},
            "categories",
            "{'Burglary': 1} is not a list; give a list, or text separated by ';'",
        ),
        ({"concern_tags": ["burglary", 7]}, "concern_tags", "7 is not text"),
        (
            {"review_date": "30/09/2026"},
            "review_date",
            "'30/09/2026' is not a date; write YYYY-MM-DD",
        ),
        (
            {"review_date": "2026-02-30"},
            "review_date",
            "'2026-02-30' is not a date; write YYYY-MM-DD",
        ),
        ({"owner": 101}, "owner", "101 is not text; put it in quotes"),
        ({"owner": "  "}, "owner", "required but missing or blank"),
        ({"description": None}, "description", "required but missing or blank"),
    ],
)
def test_a_bad_theme_field_is_named_with_its_theme(
    tmp_path: Path, fields: dict[str, Any], field: str, problem: str
) -> None:
    path = write_yaml(tmp_path, [create_theme(), create_theme(name="Drugs", **fields)])

    assert refused(path) == [f"{path}, theme 2 ('Drugs'), field {field!r}: {problem}"]


def test_a_date_with_a_time_is_refused(tmp_path: Path) -> None:
    path = write_yaml(tmp_path)
    # Unquoted, YAML reads this as a timestamp, as it would in a hand-written file.
    path.write_text(path.read_text().replace("2026-09-30", "2026-09-30 10:00:00"))

    assert refused(path) == [
        f"{path}, theme 1 ('Burglary'), field 'review_date': '2026-09-30T10:00:00' is a date "
        "and time; give the date, YYYY-MM-DD"
    ]


def test_every_missing_field_is_listed(tmp_path: Path) -> None:
    path = write_yaml(tmp_path, [{"name": "Burglary"}])

    assert refused(path) == [
        f"{path}, theme 1 ('Burglary'), field {field!r}: required but missing or blank"
        for field in ("description", "risk_score", "confidence", "priority_band", "owner")
    ] + [f"{path}, theme 1 ('Burglary'), field 'review_date': required but missing or blank"]


def test_a_misspelt_key_does_not_pass_silently(tmp_path: Path) -> None:
    theme = create_theme(drop=("priority_band",), priorty_band="high")
    path = write_yaml(tmp_path, [theme], exampel=True)

    assert refused(path) == [
        f"{path}, field 'exampel': unknown field (did you mean 'example'?); "
        "allowed: title, force, assessed_on, example, themes",
        f"{path}, theme 1 ('Burglary'), field 'priorty_band': unknown field "
        f"(did you mean 'priority_band'?); allowed: {ALL_FIELDS}",
        f"{path}, theme 1 ('Burglary'), field 'priority_band': required but missing or blank",
    ]


def test_an_unknown_key_without_a_near_name_lists_the_allowed_ones(tmp_path: Path) -> None:
    path = write_yaml(tmp_path, [create_theme(colour="red")])

    assert refused(path) == [
        f"{path}, theme 1 ('Burglary'), field 'colour': unknown field; allowed: {ALL_FIELDS}"
    ]


def test_duplicate_theme_names_in_any_letter_case(tmp_path: Path) -> None:
    path = write_yaml(tmp_path, [create_theme(), create_theme(name="BURGLARY")])

    assert refused(path) == [
        f"{path}, theme 2 ('BURGLARY'), field 'name': 'BURGLARY' repeats the name of theme 1; "
        "theme names must differ"
    ]


@pytest.mark.parametrize(
    ("options", "problem"),
    [
        ({"themes": []}, "lists no themes; an assessment needs at least one"),
        ({"themes": "Burglary"}, "must be a list of themes, one mapping each"),
        ({"drop": ("themes",)}, "required but missing or blank"),
    ],
)
def test_an_assessment_needs_a_list_of_themes(
    tmp_path: Path, options: dict[str, Any], problem: str
) -> None:
    path = write_yaml(tmp_path, **options)

    assert refused(path) == [f"{path}, field 'themes': {problem}"]


def test_a_theme_that_is_not_a_mapping(tmp_path: Path) -> None:
    path = write_yaml(tmp_path, [create_theme(), "Drugs"])

    assert refused(path) == [
        f"{path}, theme 2: must be a mapping of fields (name: ..., risk_score: ...)"
    ]


def test_assessment_fields_are_checked(tmp_path: Path) -> None:
    path = write_yaml(tmp_path, drop=("title",), force=7, assessed_on="31 March", example="yes")

    assert refused(path) == [
        f"{path}, field 'title': required but missing or blank",
        f"{path}, field 'force': 7 is not text; put it in quotes",
        f"{path}, field 'assessed_on': '31 March' is not a date; write YYYY-MM-DD",
        f"{path}, field 'example': 'yes' is not true or false",
    ]


def test_all_problems_are_listed_at_once_in_file_order(tmp_path: Path) -> None:
    themes = [
        create_theme(risk_score=-5, categories=["Murder"]),
        "Drugs",
        create_theme(name="burglary", confidence="sure"),
    ]
    path = write_yaml(tmp_path, themes, assessed_on="soon")

    with pytest.raises(ThreatFileError) as error:
        read_threat_assessment(path)

    assert str(error.value).splitlines()[0] == (
        f"{path}: threat assessment cannot be used (6 problems):"
    )
    assert [line.split(": ")[0] for line in problems(error)] == [
        f"{path}, field 'assessed_on'",
        f"{path}, theme 1 ('Burglary'), field 'risk_score'",
        f"{path}, theme 1 ('Burglary'), field 'categories'",
        f"{path}, theme 2",
        f"{path}, theme 3 ('burglary'), field 'confidence'",
        f"{path}, theme 3 ('burglary'), field 'name'",
    ]


def test_keyword_options_win_over_the_file(tmp_path: Path) -> None:
    path = write_yaml(tmp_path, drop=("title",))

    assessment = read_threat_assessment(
        path, title="Given title", force="Given Police", assessed_on=date(2026, 4, 1)
    )

    assert (assessment.title, assessment.force, assessment.assessed_on) == (
        "Given title",
        "Given Police",
        date(2026, 4, 1),
    )


# --- whole-file problems --------------------------------------------------------------------


def test_a_date_that_does_not_exist_is_found_by_line(tmp_path: Path) -> None:
    path = write_yaml(tmp_path)
    path.write_text(path.read_text().replace("2026-09-30", "2026-13-01"))

    with pytest.raises(ThreatFileError) as error:
        read_threat_assessment(path)

    assert str(error.value) == (
        f"{path}: holds a date that does not exist (line 15: '2026-13-01'); "
        "write real dates as YYYY-MM-DD"
    )


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("threat.json", "{}", "a threat assessment must be YAML or CSV; name it .yaml, .yml, .csv"),
        ("threat.yaml", "title: [unclosed", "is not valid YAML"),
        (
            "threat.yaml",
            "- a list\n",
            "must be a YAML mapping with the keys title, force, assessed_on, example, themes; "
            "found list",
        ),
        ("threat.yml", "", "must be a YAML mapping"),
    ],
)
def test_a_file_that_is_not_an_assessment(
    tmp_path: Path, name: str, text: str, message: str
) -> None:
    path = tmp_path / name
    path.write_text(text)

    with pytest.raises(ThreatFileError) as error:
        read_threat_assessment(path)

    assert str(error.value).startswith(f"{path}: {message}")


def test_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ThreatFileError, match="no such file"):
        read_threat_assessment(tmp_path / "nowhere.yaml")


def test_the_error_is_a_geodata_error_and_a_value_error() -> None:
    assert issubclass(ThreatFileError, GeodataError)
    assert issubclass(ThreatFileError, ValueError)


# --- CSV ------------------------------------------------------------------------------------


def test_csv_reads_notes_and_rows(tmp_path: Path) -> None:
    notes = "# written by hand\n" + CSV_NOTES + "# example: TRUE\n"
    from_csv = read_threat_assessment(write_csv(tmp_path, notes + CSV_HEADER + CSV_ROW))
    from_yaml = read_threat_assessment(write_yaml(tmp_path, example=True))

    assert from_csv.is_example is True
    assert dataclasses.replace(from_csv, source=from_yaml.source) == from_yaml


def test_csv_columns_may_leave_out_the_optional_ones_and_come_in_any_order(
    tmp_path: Path,
) -> None:
    header = "review_date,owner,priority_band,confidence,risk_score,description,name\n"
    row = "2026-09-30,Lead,low,low,1,Theft of vehicles.,Vehicle crime\n"

    (theme,) = read_threat_assessment(write_csv(tmp_path, CSV_NOTES + header + row)).themes

    assert (theme.name, theme.categories, theme.concern_tags) == ("Vehicle crime", (), ())


def test_csv_problems_name_the_line_and_column(tmp_path: Path) -> None:
    rows = (
        CSV_ROW
        + "\n"  # a blank line is skipped, and counted
        + "Drugs,Supply.,lots,high,top,Drugs;Narcotics,drugs,Lead,2026-06-31\n"
        + "burglary,Again.,1,low,low,,,Lead,2026-01-01\n"
        + "Robbery,Too short\n"
    )
    path = write_csv(tmp_path, CSV_NOTES + CSV_HEADER + rows)

    assert refused(path) == [
        f"{path}, line 7 ('Drugs'), column 'risk_score': 'lots' is not a number",
        f"{path}, line 7 ('Drugs'), column 'priority_band': 'top' is not a priority band; "
        "allowed: high, medium, low",
        f"{path}, line 7 ('Drugs'), column 'categories': 'Narcotics' is not a police.uk "
        f"category; allowed: {ALL_CATEGORIES}",
        f"{path}, line 7 ('Drugs'), column 'review_date': '2026-06-31' is not a date; "
        "write YYYY-MM-DD",
        f"{path}, line 8 ('burglary'), column 'name': 'burglary' repeats the name of line 5; "
        "theme names must differ",
        f"{path}, line 9 ('Robbery'): has 2 fields; the header has 9 ({','.join(THEME_FIELDS)})",
    ]


def test_csv_header_problems(tmp_path: Path) -> None:
    header = "name,description,risk_score,confidence,priorty_band,owner,owner,review_date\n"
    path = write_csv(tmp_path, CSV_NOTES + header + CSV_ROW)

    assert refused(path) == [
        f"{path}, line 4, column 'priorty_band': unknown column "
        f"(did you mean 'priority_band'?); allowed: {ALL_FIELDS}",
        f"{path}, line 4, column 'owner': appears twice in the header",
        f"{path}, line 4, column 'priority_band': required but missing from the header",
    ]


def test_csv_notes_are_checked(tmp_path: Path) -> None:
    notes = (
        "# title: A\n# titel: B\n# force: Test Police\n# force: Other Police\n"
        "# assessed_on: 31/03/2026\n# note that this line is a free comment: fine\n"
    )
    path = write_csv(tmp_path, notes + CSV_HEADER + CSV_ROW)

    assert refused(path) == [
        f"{path}, line 2, note 'titel': unknown note (did you mean 'title'?); "
        "allowed: title, force, assessed_on, example; "
        "write free comments without a 'word:' at the start",
        f"{path}, line 4, note 'force': repeats the note of line 3",
        f"{path}, line 5, note 'assessed_on': '31/03/2026' is not a date; write YYYY-MM-DD",
    ]


def test_csv_without_notes_needs_the_options(tmp_path: Path) -> None:
    path = write_csv(tmp_path, CSV_HEADER + CSV_ROW)

    assert refused(path) == [
        f"{path}, note {key!r}: required but missing or blank; add a '# {key}: ...' line "
        f"above the header, or pass the {key} option"
        for key in ("title", "force", "assessed_on")
    ]
    given = read_threat_assessment(path, title="T", force="F", assessed_on=date(2026, 3, 31))
    assert (given.title, given.force, given.assessed_on, len(given.themes)) == (
        "T",
        "F",
        date(2026, 3, 31),
        1,
    )


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (CSV_NOTES, f"has no header and no themes; expected the columns {ALL_FIELDS}"),
        (CSV_NOTES + CSV_HEADER + "\n", "lists no themes; an assessment needs at least one"),
    ],
)
def test_csv_without_themes(tmp_path: Path, text: str, problem: str) -> None:
    path = write_csv(tmp_path, text)

    assert refused(path) == [f"{path}: {problem}"]
