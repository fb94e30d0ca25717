"""Reading census counts by LSOA: columns found by name, age bands added up, bad rows reported."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
import pytest

from geodata.errors import PopulationError, RowError
from geodata.io.census import POPULATION_COLUMNS, read_lsoa_population

HEADER = ("lsoa21_code", "lsoa21_name", "age_group", "usual_residents")
AGE_BANDS = (
    ("E01000001", "Testborough 001A", "Aged 15 years and under", "300"),
    ("E01000001", "Testborough 001A", "Aged 16 to 64 years", "1000"),
    ("E01000001", "Testborough 001A", "Aged 65 years and over", "200"),
    ("E01000002", "Testborough 001B", "Aged 15 years and under", "0"),
    ("E01000002", "Testborough 001B", "Aged 16 to 64 years", "900"),
    ("E01000002", "Testborough 001B", "Aged 65 years and over", "100"),
)


def write_csv(
    path: Path,
    rows: Sequence[Sequence[str]] = AGE_BANDS,
    *,
    header: Sequence[str] = HEADER,
    encoding: str = "utf-8",
) -> Path:
    with path.open("w", newline="", encoding=encoding) as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def expected(*rows: tuple[str, str, int, int]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(POPULATION_COLUMNS))
    return frame.astype(
        {"lsoa_code": "str", "lsoa_name": "str", "residents": "int64", "rows": "int64"}
    )


def test_age_bands_are_added_up_per_lsoa(tmp_path: Path) -> None:
    frame, errors = read_lsoa_population(write_csv(tmp_path / "pop.csv"))

    pd.testing.assert_frame_equal(
        frame,
        expected(
            ("E01000001", "Testborough 001A", 1500, 3),
            ("E01000002", "Testborough 001B", 1000, 3),
        ),
    )
    assert errors == []


def test_ons_custom_dataset_names_are_found_in_any_case(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "ons.csv",
        [("E01000002", "Testborough 001B", "7"), ("E01000001", "Testborough 001A", "5")],
        header=("LSOA Code", "lsoa NAME", "OBSERVATION"),
        encoding="utf-8-sig",
    )

    frame, errors = read_lsoa_population(path)

    pd.testing.assert_frame_equal(
        frame,
        expected(("E01000001", "Testborough 001A", 5, 1), ("E01000002", "Testborough 001B", 7, 1)),
    )
    assert errors == []


def test_the_first_candidate_column_wins(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "both.csv",
        [("E01000001", "E01999999", "5", "99")],
        header=("lsoa_code", "lsoa21_code", "count", "usual_residents"),
    )

    frame, _ = read_lsoa_population(path)

    assert frame[["lsoa_code", "residents"]].values.tolist() == [["E01999999", 99]]


def test_named_columns_replace_detection_and_no_name_column_gives_blank_names(
    tmp_path: Path,
) -> None:
    path = write_csv(
        tmp_path / "own.csv",
        [("E01000001", "5", "6"), ("E01000001", "1", "2")],
        header=("area", "males", "females"),
    )

    frame, errors = read_lsoa_population(path, code_field="area", count_field="females")

    pd.testing.assert_frame_equal(frame, expected(("E01000001", "", 8, 2)))
    assert errors == []


def test_bad_rows_are_reported_and_the_rest_added_up(tmp_path: Path) -> None:
    rows = [
        ("E01000001", "Testborough 001A", "young", "300"),
        ("  ", "Testborough 001A", "old", "200"),
        ("E01000001", "Testborough 001A", "old", "12.5"),
        ("E01000001", "Testborough 001A", "old", "-3"),
        ("E01000001", "Testborough 001A", "old", ""),
        ("E01000002", "Testborough 001B", "young", "many"),
        ("E01000002", "Testborough 001B", "old", " 40 "),
    ]
    path = write_csv(tmp_path / "bad.csv", rows)
    source = str(path)

    frame, errors = read_lsoa_population(path)

    pd.testing.assert_frame_equal(
        frame,
        expected(
            ("E01000001", "Testborough 001A", 300, 1), ("E01000002", "Testborough 001B", 40, 1)
        ),
    )
    assert errors == [
        RowError(source, 3, "lsoa21_code", "the LSOA code is blank"),
        RowError(source, 4, "usual_residents", "the count '12.5' is not a whole number"),
        RowError(source, 5, "usual_residents", "the count -3 is negative"),
        RowError(source, 6, "usual_residents", "the count is blank"),
        RowError(source, 7, "usual_residents", "the count 'many' is not a whole number"),
    ]


def test_blank_lines_are_skipped_and_lines_still_counted(tmp_path: Path) -> None:
    path = tmp_path / "gaps.csv"
    path.write_text("lsoa21_code,usual_residents\nE01000001,5\n\nE01000001,x\n")

    frame, errors = read_lsoa_population(path)

    assert frame["residents"].tolist() == [5]
    assert [error.line for error in errors] == [4]


def test_missing_file_is_refused_by_name(tmp_path: Path) -> None:
    with pytest.raises(PopulationError, match=r"nowhere\.csv: no such file"):
        read_lsoa_population(tmp_path / "nowhere.csv")


def test_missing_count_column_names_the_file_and_the_columns(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "nocount.csv", [("E01000001", "x")], header=("LSOA21CD", "age"))

    with pytest.raises(PopulationError) as raised:
        read_lsoa_population(path)

    message = str(raised.value)
    assert "nocount.csv" in message
    assert "no count column" in message
    assert "['LSOA21CD', 'age']" in message
    assert "--count-field" in message


def test_missing_code_column_is_refused(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "nocode.csv", [("x", "1")], header=("ward", "count"))

    with pytest.raises(PopulationError, match=r"nocode\.csv: no LSOA code column"):
        read_lsoa_population(path)


def test_a_named_column_that_is_absent_is_refused(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "pop.csv")

    with pytest.raises(PopulationError, match=r"--count-field 'people' is not one of the columns"):
        read_lsoa_population(path, count_field="people")


@pytest.mark.parametrize(
    ("content", "problem"),
    [(b"", "is empty"), (b"lsoa21_code,count\n\xff\xfe\x00\x01,1\n", "is not UTF-8 text")],
    ids=["empty", "binary"],
)
def test_a_file_that_is_not_csv_text_is_refused(
    tmp_path: Path, content: bytes, problem: str
) -> None:
    path = tmp_path / "odd.csv"
    path.write_bytes(content)

    with pytest.raises(PopulationError, match=problem):
        read_lsoa_population(path)
