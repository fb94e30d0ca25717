"""Reading police.uk street-level CSVs: good rows kept, bad rows reported, bad files refused."""

from __future__ import annotations

import csv
import hashlib
import io
import math
import threading
import time
import zipfile
from collections.abc import Sequence
from pathlib import Path

import pyarrow.compute as pc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geodata.crime import ASB, STREET_COLUMNS
from geodata.errors import CrimeFileError, ForceChoiceError, RowError
from geodata.io.archives import ArchiveLimits
from geodata.io.police_uk import (
    READ_AHEAD_BLOCKS,
    StreetBatch,
    StreetFile,
    StreetSource,
    StreetStream,
    discover_street_files,
    find_street_files,
    parse_street_csv,
    read_street_file,
)

SOURCE = "2025-01-cleveland-street.csv"


def street_row(
    *,
    crime_id: str = "a1b2c3",
    month: str = "2025-01",
    reported_by: str = "Cleveland Police",
    falls_within: str = "Cleveland Police",
    lon: str = "-1.2",
    lat: str = "54.6",
    location: str = "On or near Albert Road",
    lsoa_code: str = "E01012000",
    lsoa_name: str = "Middlesbrough 001A",
    category: str = "Burglary",
    outcome: str = "Investigation complete; no suspect identified",
    context: str = "",
) -> list[str]:
    """The twelve fields of one police.uk street record, good unless told otherwise."""
    return [
        crime_id,
        month,
        reported_by,
        falls_within,
        lon,
        lat,
        location,
        lsoa_code,
        lsoa_name,
        category,
        outcome,
        context,
    ]


def street_csv(
    *rows: Sequence[str] | str,
    header: Sequence[str] = STREET_COLUMNS,
    newline: str = "\n",
    bom: bool = False,
) -> bytes:
    """CSV bytes: the header, then each row (a list of fields, or a raw line as a string)."""
    lines = [_csv_line(header)] + [row if isinstance(row, str) else _csv_line(row) for row in rows]
    text = "".join(line + newline for line in lines)
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")


def _csv_line(fields: Sequence[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(fields)
    return buffer.getvalue()


def write_file(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def write_zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def column(street: StreetFile, name: str) -> list[object]:
    return street.table[name].to_pylist()


# --- good files ------------------------------------------------------------------------


def test_good_file_keeps_every_row_with_lines_and_coordinates() -> None:
    data = street_csv(
        street_row(lon="-1.234567", lat="54.567890"),
        street_row(category=ASB, crime_id="", outcome="", lon="-1.2", lat="54.6"),
        street_row(lon="", lat="", location="No location"),
    )
    street = parse_street_csv(data, source=SOURCE)

    assert street.source == SOURCE
    assert street.errors == []
    assert street.rows_read == 3
    assert street.rows_rejected == 0
    assert street.table.column_names == [*STREET_COLUMNS, "line", "longitude", "latitude"]
    assert column(street, "line") == [2, 3, 4]
    assert column(street, "Crime type") == ["Burglary", ASB, "Burglary"]
    assert column(street, "Crime ID") == ["a1b2c3", "", "a1b2c3"]
    assert str(street.table.schema.field("longitude").type) == "double"
    assert str(street.table.schema.field("latitude").type) == "double"
    longitude = column(street, "longitude")
    latitude = column(street, "latitude")
    assert longitude[:2] == [-1.234567, -1.2]
    assert latitude[:2] == [54.56789, 54.6]
    assert math.isnan(longitude[2])
    assert math.isnan(latitude[2])


def test_header_only_file_has_no_rows() -> None:
    street = parse_street_csv(street_csv(), source=SOURCE)
    assert (street.rows_read, street.table.num_rows, street.errors) == (0, 0, [])


def test_identical_rows_are_separate_incidents_and_all_kept() -> None:
    street = parse_street_csv(street_csv(*[street_row()] * 3), source=SOURCE)
    assert street.table.num_rows == 3
    assert column(street, "line") == [2, 3, 4]


def test_utf8_byte_order_mark_is_accepted() -> None:
    street = parse_street_csv(street_csv(street_row(), street_row(), bom=True), source=SOURCE)
    assert street.errors == []
    assert street.table.column_names[0] == "Crime ID"
    assert column(street, "Crime ID") == ["a1b2c3", "a1b2c3"]
    assert column(street, "line") == [2, 3]


def test_crlf_line_endings_are_accepted() -> None:
    data = street_csv(street_row(context="x"), street_row(month="2025-13"), newline="\r\n")
    street = parse_street_csv(data, source=SOURCE)
    assert column(street, "Context") == ["x"]
    assert column(street, "line") == [2]
    assert [(e.line, e.column) for e in street.errors] == [(3, "Month")]


@pytest.mark.parametrize(
    ("label", "category"),
    [
        ("Violent crime", "Violence and sexual offences"),
        ("Public disorder and weapons", "Public order"),
        ("anti-social-behaviour", ASB),
        ("Violence and sexual offences", "Violence and sexual offences"),
    ],
)
def test_older_labels_are_mapped_to_the_current_category(label: str, category: str) -> None:
    street = parse_street_csv(street_csv(street_row(category=label)), source=SOURCE)
    assert street.errors == []
    assert column(street, "Crime type") == [category]


# --- row problems ----------------------------------------------------------------------

ROW_PROBLEMS = {
    "month 13": (dict(month="2025-13"), "Month", ["'2025-13'", "YYYY-MM"]),
    "two-digit year": (dict(month="25-01"), "Month", ["'25-01'", "YYYY-MM"]),
    "unknown category": (
        dict(category="Burglery"),
        "Crime type",
        ["'Burglery'", "police.uk crime type"],
    ),
    "blank force": (dict(falls_within=""), "Falls within", ["''", "blank"]),
    "spaces for force": (dict(falls_within="   "), "Falls within", ["blank"]),
    "longitude only": (dict(lat=""), "Longitude", ["'-1.2'", "pair of numbers"]),
    "latitude only": (dict(lon=""), "Longitude", ["'54.6'", "pair of numbers"]),
    "words for a number": (dict(lon="west"), "Longitude", ["'west'", "pair of numbers"]),
    "decimal comma": (dict(lon="-1,2"), "Longitude", ["-1,2", "pair of numbers"]),
    "swapped": (dict(lon="54.6", lat="-1.2"), "Longitude", ["54.6", "outside England and Wales"]),
    "null island": (dict(lon="0", lat="0"), "Longitude", ["outside England and Wales"]),
    "not a number": (dict(lon="nan", lat="nan"), "Longitude", ["outside England and Wales"]),
}


@pytest.mark.parametrize(("fields", "column_name", "said"), ROW_PROBLEMS.values(), ids=ROW_PROBLEMS)
def test_a_bad_row_is_reported_with_its_line_and_column_and_left_out(
    fields: dict[str, str], column_name: str, said: list[str]
) -> None:
    data = street_csv(street_row(), street_row(**fields), street_row(crime_id="after"))
    street = parse_street_csv(data, source=SOURCE)

    assert [(e.source, e.line, e.column) for e in street.errors] == [(SOURCE, 3, column_name)]
    for words in said:
        assert words in street.errors[0].problem
    assert str(street.errors[0]).startswith(f"{SOURCE}, line 3, column {column_name!r}: ")
    assert column(street, "line") == [2, 4]
    assert column(street, "Crime ID") == ["a1b2c3", "after"]
    assert (street.rows_read, street.rows_rejected) == (3, 1)


def test_a_row_with_several_problems_gets_one_error_each_and_is_counted_once() -> None:
    data = street_csv(street_row(month="2025-13", category="Burglery", falls_within=""))
    street = parse_street_csv(data, source=SOURCE)
    assert sorted(e.column for e in street.errors) == ["Crime type", "Falls within", "Month"]
    assert {e.line for e in street.errors} == {2}
    assert (street.rows_read, street.table.num_rows, street.rows_rejected) == (1, 0, 1)


def test_rows_with_the_wrong_number_of_fields_keep_later_line_numbers_right() -> None:
    data = street_csv(
        street_row(crime_id="line 2"),
        [*street_row(), "one too many"],
        street_row(crime_id="line 4"),
        street_row(month="2025-13"),
        street_row()[:5],
        street_row(crime_id="line 7"),
    )
    street = parse_street_csv(data, source=SOURCE)

    assert street.errors == [
        RowError(SOURCE, 3, "", "has 13 fields, expected 12"),
        RowError(SOURCE, 5, "Month", "value '2025-13' is not YYYY-MM"),
        RowError(SOURCE, 6, "", "has 5 fields, expected 12"),
    ]
    assert column(street, "line") == [2, 4, 7]
    assert column(street, "Crime ID") == ["line 2", "line 4", "line 7"]
    assert (street.rows_read, street.rows_rejected) == (6, 3)


def test_a_blank_line_does_not_shift_the_line_numbers_after_it() -> None:
    data = street_csv(street_row(), "", street_row(month="2025-13"), street_row())
    street = parse_street_csv(data, source=SOURCE)
    assert [(e.line, e.column) for e in street.errors] == [(4, "Month")]
    assert column(street, "line") == [2, 5]


ROW_KINDS = {
    "good": street_row(),
    "good, other place": street_row(lon="-1.25", lat="54.55", category="Drugs"),
    "no location": street_row(lon="", lat=""),
    "old label": street_row(category="Violent crime"),
    "bad month": street_row(month="2025-00"),
    "bad category": street_row(category="Arson"),
    "blank force": street_row(falls_within=""),
    "one coordinate": street_row(lon=""),
    "not numbers": street_row(lat="north"),
    "swapped": street_row(lon="54.6", lat="-1.2"),
    "too many fields": [*street_row(), ""],
    "too few fields": street_row()[:11],
}
GOOD_KINDS = {"good", "good, other place", "no location", "old label"}


@settings(max_examples=100, deadline=None)
@given(kinds=st.lists(st.sampled_from(sorted(ROW_KINDS)), max_size=60))
def test_every_row_read_is_either_kept_or_rejected(kinds: list[str]) -> None:
    street = parse_street_csv(street_csv(*[ROW_KINDS[k] for k in kinds]), source=SOURCE)
    good_lines = [line for line, kind in enumerate(kinds, start=2) if kind in GOOD_KINDS]
    bad_lines = [line for line, kind in enumerate(kinds, start=2) if kind not in GOOD_KINDS]

    assert street.rows_read == len(kinds)
    assert street.rows_read == street.table.num_rows + street.rows_rejected
    assert column(street, "line") == good_lines
    assert sorted({e.line for e in street.errors}) == bad_lines
    assert [e.line for e in street.errors] == sorted(e.line for e in street.errors)


# --- file problems ---------------------------------------------------------------------


def renamed(old: str, new: str) -> list[str]:
    return [new if name == old else name for name in STREET_COLUMNS]


@pytest.mark.parametrize(
    ("header", "said"),
    [
        (renamed("Month", "Period"), ["missing ['Month']", "unexpected ['Period']"]),
        (STREET_COLUMNS[:-1], ["missing ['Context']"]),
        ([*STREET_COLUMNS, "Notes"], ["unexpected ['Notes']"]),
        (list(reversed(STREET_COLUMNS)), ["columns out of order"]),
        ([f" {name}" for name in STREET_COLUMNS], []),
    ],
    ids=["renamed", "missing", "extra", "reordered", "padded with spaces"],
)
def test_a_wrong_header_refuses_the_whole_file(header: list[str], said: list[str]) -> None:
    data = street_csv(street_row(), header=header)
    with pytest.raises(CrimeFileError) as caught:
        parse_street_csv(data, source=SOURCE)
    message = str(caught.value)
    assert message.startswith(f"{SOURCE}: ")
    for words in said:
        assert words in message


@pytest.mark.parametrize(
    ("data", "said"),
    [
        (b"", "empty"),
        (b"\n\n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "not a CSV text file"),
        (
            street_csv(street_row(location="On or near Caf\xe9 Street")).decode().encode("latin-1"),
            "UTF8",
        ),
    ],
    ids=["empty", "blank lines", "binary", "latin-1 row"],
)
def test_an_unreadable_file_is_refused_with_its_name(data: bytes, said: str) -> None:
    with pytest.raises(CrimeFileError) as caught:
        parse_street_csv(data, source=SOURCE)
    assert str(caught.value).startswith(f"{SOURCE}: ")
    assert said in str(caught.value)


def test_crime_file_error_is_a_value_error() -> None:
    assert issubclass(CrimeFileError, ValueError)


def test_a_missing_path_is_refused(tmp_path: Path) -> None:
    missing = tmp_path / "2025-01-cleveland-street.csv"
    with pytest.raises(CrimeFileError, match="no such file or folder") as caught:
        find_street_files([missing])
    assert str(missing) in str(caught.value)
    with pytest.raises(CrimeFileError) as caught:
        read_street_file(StreetSource(missing))
    assert str(missing) in str(caught.value)


def test_a_text_file_is_refused(tmp_path: Path) -> None:
    path = write_file(tmp_path / "2025-01-cleveland-street.txt", street_csv(street_row()))
    with pytest.raises(CrimeFileError, match="not a CSV file, a folder or a zip") as caught:
        find_street_files([path])
    assert str(path) in str(caught.value)


def test_a_broken_zip_is_refused(tmp_path: Path) -> None:
    path = write_file(tmp_path / "archive.zip", b"PK\x03\x04 this is not really a zip")
    with pytest.raises(CrimeFileError, match="not a readable zip archive") as caught:
        find_street_files([path])
    assert str(path) in str(caught.value)


def test_a_zip_without_street_files_is_refused(tmp_path: Path) -> None:
    path = write_zip(
        tmp_path / "archive.zip",
        {
            "2025-01/2025-01-cleveland-outcomes.csv": b"x\n",
            "2025-01/2025-01-cleveland-stop-and-search.csv": b"x\n",
        },
    )
    with pytest.raises(CrimeFileError, match=r"no police\.uk street files") as caught:
        find_street_files([path])
    assert str(path) in str(caught.value)


def test_a_folder_without_street_files_is_refused(tmp_path: Path) -> None:
    write_file(tmp_path / "2025-01" / "2025-01-cleveland-outcomes.csv", b"x\n")
    write_file(tmp_path / "2025-01" / "notes.csv", b"x\n")
    with pytest.raises(CrimeFileError, match=r"no police\.uk street files") as caught:
        find_street_files([tmp_path])
    assert str(tmp_path) in str(caught.value)


# --- discovery -------------------------------------------------------------------------


def test_a_folder_yields_only_its_street_files_in_order(tmp_path: Path) -> None:
    for month in ("2025-02", "2025-01"):
        for kind in ("street", "outcomes", "stop-and-search"):
            write_file(tmp_path / month / f"{month}-cleveland-{kind}.csv", street_csv())
    assert find_street_files([tmp_path]) == [
        StreetSource(tmp_path / "2025-01" / "2025-01-cleveland-street.csv"),
        StreetSource(tmp_path / "2025-02" / "2025-02-cleveland-street.csv"),
    ]


def test_a_csv_named_directly_is_taken_whatever_its_name(tmp_path: Path) -> None:
    path = write_file(tmp_path / "my extract.csv", street_csv(street_row()))
    assert find_street_files([path]) == [StreetSource(path)]


def test_an_archive_yields_only_its_street_members_and_they_are_read(tmp_path: Path) -> None:
    january = street_csv(street_row(), street_row(month="2025-13"))
    february = street_csv(street_row(month="2025-02"))
    path = write_zip(
        tmp_path / "archive.zip",
        {
            "2025-02/2025-02-cleveland-street.csv": february,
            "2025-01/2025-01-cleveland-street.csv": january,
            "2025-01/2025-01-cleveland-outcomes.csv": street_csv(),
            "2025-01/2025-01-cleveland-stop-and-search.csv": street_csv(),
        },
    )
    sources = find_street_files([path])
    assert sources == [
        StreetSource(path, "2025-01/2025-01-cleveland-street.csv"),
        StreetSource(path, "2025-02/2025-02-cleveland-street.csv"),
    ]

    street = read_street_file(sources[0])
    assert street.source == f"{path}!2025-01/2025-01-cleveland-street.csv"
    assert "archive.zip!2025-01/2025-01-cleveland-street.csv" in street.source
    assert street.sha256 == hashlib.sha256(january).hexdigest()
    assert street.table.num_rows == 1
    assert street.errors == [
        RowError(street.source, 3, "Month", "value '2025-13' is not YYYY-MM"),
    ]
    assert column(read_street_file(sources[1]), "Month") == ["2025-02"]


ALL_FORCES = ("btp", "cleveland", "northern-ireland")


def all_forces_members() -> dict[str, bytes]:
    """police.uk's archive layout: a folder per month, three files per force."""
    return {
        f"{month}/{month}-{slug}-{kind}.csv": street_csv(street_row(month=month))
        for month in ("2025-02", "2025-01")
        for slug in ALL_FORCES
        for kind in ("street", "outcomes", "stop-and-search")
    }


def test_an_all_forces_archive_of_several_months_yields_its_street_members(
    tmp_path: Path,
) -> None:
    path = write_zip(tmp_path / "2025-02.zip", all_forces_members())

    found = discover_street_files([path])

    assert [source.member for source in found.sources] == [
        f"{month}/{month}-{slug}-street.csv"
        for month in ("2025-01", "2025-02")
        for slug in ALL_FORCES
    ]
    assert [source.force_slug for source in found.sources[:3]] == list(ALL_FORCES)
    assert found.skipped == {"outcomes": 6, "stop-and-search": 6}
    assert (found.forces, found.left_out) == (ALL_FORCES, 0)


def test_the_same_layout_unpacked_is_read_alike(tmp_path: Path) -> None:
    for name, data in all_forces_members().items():
        write_file(tmp_path / name, data)

    found = discover_street_files([tmp_path])

    assert [source.path.relative_to(tmp_path).as_posix() for source in found.sources] == [
        f"{month}/{month}-{slug}-street.csv"
        for month in ("2025-01", "2025-02")
        for slug in ALL_FORCES
    ]
    assert found.skipped == {"outcomes": 6, "stop-and-search": 6}


def test_forces_are_chosen_by_slug_or_name(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "2025-02.zip", all_forces_members())

    found = discover_street_files([path], forces=["British Transport Police", "NORTHERN-IRELAND"])

    assert {source.force_slug for source in found.sources} == {"btp", "northern-ireland"}
    assert len(found.sources) == 4 and found.left_out == 2
    assert found.forces == ALL_FORCES
    with pytest.raises(ForceChoiceError, match=r"'durham': not among .* btp \(British Transport"):
        discover_street_files([path], forces=["durham"])


def test_forces_cannot_be_chosen_among_files_that_do_not_name_theirs(tmp_path: Path) -> None:
    named = write_file(tmp_path / "2025-01-cleveland-street.csv", street_csv(street_row()))
    unnamed = write_file(tmp_path / "my extract.csv", street_csv(street_row()))

    assert discover_street_files([named, unnamed]).forces == ("cleveland",)
    with pytest.raises(CrimeFileError, match="the file name does not say its force") as caught:
        discover_street_files([named, unnamed], forces=["cleveland"])
    assert str(caught.value).startswith(str(unnamed))


def test_a_corrupt_member_is_an_error_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "archive.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("2025-01/2025-01-btp-street.csv", street_csv(street_row()) * 20)
    data = bytearray(path.read_bytes())
    for offset in range(60, 90):  # inside the member's compressed bytes
        data[offset] ^= 0x5A
    path.write_bytes(bytes(data))
    [source] = find_street_files([path])

    with pytest.raises(CrimeFileError, match="cannot read from the archive") as caught:
        read_street_file(source)
    assert str(caught.value).startswith(f"{path}!2025-01/2025-01-btp-street.csv: ")


@pytest.mark.parametrize(
    "name", ["../2025-01-cleveland-street.csv", "2025-01/../../2025-01-cleveland-street.csv"]
)
def test_an_archive_with_a_member_leading_outside_it_is_refused_whole(
    tmp_path: Path, name: str
) -> None:
    path = write_zip(
        tmp_path / "archive.zip",
        {"2025-02/2025-02-cleveland-street.csv": street_csv(street_row()), name: street_csv()},
    )

    with pytest.raises(CrimeFileError, match="member names leading outside it") as caught:
        find_street_files([path])
    assert str(caught.value).startswith(f"{path}: ") and repr(name) in str(caught.value)


def test_a_member_larger_than_the_limit_is_not_read(tmp_path: Path) -> None:
    big = street_csv(*[street_row(crime_id=f"{i:064x}") for i in range(8_000)])
    assert 1024 * 1024 < len(big) < 2 * 1024 * 1024
    path = write_zip(
        tmp_path / "archive.zip",
        {"2025-01-cleveland-street.csv": big, "2025-02-cleveland-street.csv": street_csv()},
    )
    small, fine = find_street_files([path], limits=ArchiveLimits(max_member_mb=1))

    with pytest.raises(CrimeFileError, match="unpacks to 2 MB, more than the 1 MB allowed"):
        read_street_file(small)
    assert read_street_file(fine).rows_read == 0


def test_a_member_compressed_beyond_the_ratio_is_not_read(tmp_path: Path) -> None:
    path = tmp_path / "archive.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("2025-01-cleveland-street.csv", street_csv() + b"\n" * 10_000_000)
    [bomb] = find_street_files([path])

    with pytest.raises(CrimeFileError, match=r"compressed [0-9,]+ times, more than the 100"):
        read_street_file(bomb)


def test_sha256_is_of_the_file_bytes(tmp_path: Path) -> None:
    data = street_csv(street_row(), street_row(lon="west"), newline="\r\n", bom=True)
    path = write_file(tmp_path / "2025-01-cleveland-street.csv", data)
    street = read_street_file(StreetSource(path))
    assert street.source == str(path)
    assert street.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


# --- real data -------------------------------------------------------------------------


@pytest.mark.realdata
def test_cleveland_2025_reads_cleanly(real_data: Path) -> None:
    sources = find_street_files([real_data / "police_uk" / "cleveland"])
    streets = [read_street_file(source) for source in sources]

    assert len(sources) == 12
    assert sum(street.rows_read for street in streets) == 89_391
    assert sum(street.table.num_rows for street in streets) == 89_391
    assert [error for street in streets for error in street.errors] == []
    asb = sum(pc.sum(pc.equal(street.table["Crime type"], ASB)).as_py() or 0 for street in streets)
    assert asb == 17_604


# --- streaming -------------------------------------------------------------------------


def read_in_blocks(data: bytes, block_size: int) -> tuple[list[StreetBatch], str]:
    stream = StreetStream(io.BytesIO(data), source=SOURCE, block_size=block_size)
    return list(stream), stream.sha256


@settings(max_examples=60, deadline=None)
@given(
    kinds=st.lists(st.sampled_from(sorted(ROW_KINDS)), max_size=60),
    block_size=st.integers(min_value=256, max_value=2000),
)
def test_blocks_of_any_size_read_as_the_whole_file(kinds: list[str], block_size: int) -> None:
    data = street_csv(*[ROW_KINDS[k] for k in kinds])
    whole = parse_street_csv(data, source=SOURCE)

    batches, sha256 = read_in_blocks(data, block_size)

    assert sha256 == whole.sha256 == hashlib.sha256(data).hexdigest()
    assert sum(b.rows_read for b in batches) == whole.rows_read == len(kinds)
    assert [e for b in batches for e in b.errors] == whole.errors
    for name in ("line", "Crime type", "longitude", "latitude", "Crime ID"):
        streamed = [_no_nan(v) for b in batches for v in b.table[name].to_pylist()]
        assert streamed == [_no_nan(v) for v in whole.table[name].to_pylist()], name


def _no_nan(value: object) -> object:
    """NaN as None, so that missing coordinates compare equal."""
    return None if isinstance(value, float) and math.isnan(value) else value


def test_a_file_whose_first_blocks_yield_no_batch_streams_to_the_end() -> None:
    """Blocks whose rows are all malformed yield no batch, so Arrow needs more blocks than
    the read-ahead allows before the caller can take one: reading must not wait for a
    take then (it did, and the import hung for ever)."""
    data = street_csv(*[ROW_KINDS[k] for k in ("too few fields", "too many fields", "bad month")])
    read: list[list[StreetBatch]] = []
    reader = threading.Thread(target=lambda: read.append(read_in_blocks(data, 260)[0]), daemon=True)

    reader.start()
    reader.join(timeout=30)

    assert not reader.is_alive(), "the stream hung"
    assert [batch.rows_read for batch in read[0]] and sum(b.rows_read for b in read[0]) == 3


def test_once_the_first_batch_is_taken_arrow_reads_only_a_few_blocks_ahead() -> None:
    """The bound on memory: Arrow's reader threads, left alone, read many blocks ahead."""
    rows = [street_row(crime_id=f"row {i}") for i in range(3000)]
    stream = StreetStream(io.BytesIO(street_csv(*rows)), source=SOURCE, block_size=1024)
    batches = iter(stream)

    next(batches)
    time.sleep(0.3)  # time for Arrow's reader threads to read as far as they may

    assert stream._blocks_read <= 1 + READ_AHEAD_BLOCKS + 2  # 2: reads let through while it waited
    assert sum(batch.rows_read for batch in batches) > 2900


def test_a_long_file_streams_in_many_blocks_with_its_lines() -> None:
    rows = [street_row(crime_id=f"row {i}") for i in range(500)]
    rows[321] = street_row(month="2025-13")
    batches, _ = read_in_blocks(street_csv(*rows), 1024)

    assert len(batches) > 50
    assert max(b.table.num_rows for b in batches) < 10
    assert [(e.line, e.column) for b in batches for e in b.errors] == [(323, "Month")]
    assert [v for b in batches for v in b.table["line"].to_pylist()][-1] == 501


def test_an_archive_member_opens_as_a_stream(tmp_path: Path) -> None:
    data = street_csv(street_row(), street_row(lon="west"))
    archive = write_zip(tmp_path / "police.zip", {"2025-01/2025-01-test-street.csv": data})
    (source,) = find_street_files([archive])

    with source.open() as raw:
        batches, sha256 = read_in_blocks(raw.read(), 512)

    assert sha256 == hashlib.sha256(data).hexdigest()
    assert [b.rows_read for b in batches] == [2]


def test_the_hash_is_known_only_once_the_stream_is_read() -> None:
    stream = StreetStream(io.BytesIO(street_csv(street_row())), source=SOURCE, block_size=512)
    with pytest.raises(RuntimeError, match="once the file is read"):
        _ = stream.sha256


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.floats(min_value=-6.0, max_value=1.7),
            st.floats(min_value=50.0, max_value=55.7),
            st.sampled_from(["{!r}", "{:.6f}", "{:.3e}", "{:.17g}", "{:.1f}"]),
        ),
        min_size=1,
        max_size=20,
    )
)
def test_coordinates_read_by_arrow_equal_those_read_one_by_one(
    points: list[tuple[float, float, str]],
) -> None:
    """A block whose pairs Arrow reads gets exactly the numbers Python's ``float`` gives,
    as when one unreadable pair makes the block's pairs be read one by one."""
    rows = [street_row(lon=form.format(x), lat=form.format(y)) for x, y, form in points]
    rows.append(street_row(lon="", lat=""))

    by_arrow = parse_street_csv(street_csv(*rows), source=SOURCE)
    one_by_one = parse_street_csv(street_csv(*rows, street_row(lon="west")), source=SOURCE)

    assert by_arrow.errors == []
    assert [e.line for e in one_by_one.errors] == [len(rows) + 2]
    for name in ("longitude", "latitude"):
        expected = [float(row[4 if name == "longitude" else 5]) for row in rows[:-1]]
        assert column(by_arrow, name)[:-1] == expected
        assert column(one_by_one, name)[:-1] == expected
        assert math.isnan(column(by_arrow, name)[-1])
