"""Crime IDs split into police.uk's 32 bytes and anything else kept as written."""

from __future__ import annotations

import pyarrow as pa

from service.store.crime_ids import split_crime_ids

POLICE_UK = "0123456789abcdef" * 4


def test_police_uk_ids_become_their_bytes_and_others_stay_text() -> None:
    column = pa.chunked_array(
        [
            pa.array([POLICE_UK, "", None, POLICE_UK.upper()]),
            pa.array(["j1", "é" * 32, POLICE_UK[:-1] + "g", POLICE_UK[:-2], POLICE_UK[::-1]]),
        ]
    )

    crime_id, crime_id_text = split_crime_ids(column)

    assert crime_id.type == pa.binary()
    assert crime_id.to_pylist() == [
        bytes.fromhex(POLICE_UK),
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        bytes.fromhex(POLICE_UK[::-1]),
    ]
    assert crime_id_text.to_pylist() == [
        None,
        None,
        None,
        POLICE_UK.upper(),
        "j1",
        "é" * 32,
        POLICE_UK[:-1] + "g",
        POLICE_UK[:-2],
        None,
    ]


def test_a_slice_of_a_column_is_read_from_its_own_offset() -> None:
    column = pa.array(["x", POLICE_UK, "", POLICE_UK[::-1], "y"]).slice(1, 3)

    crime_id, crime_id_text = split_crime_ids(column)

    assert crime_id.to_pylist() == [bytes.fromhex(POLICE_UK), None, bytes.fromhex(POLICE_UK[::-1])]
    assert crime_id_text.to_pylist() == [None, None, None]


def test_an_empty_or_all_blank_column_gives_nulls() -> None:
    assert [a.to_pylist() for a in split_crime_ids(pa.array([], pa.string()))] == [[], []]
    assert [a.to_pylist() for a in split_crime_ids(pa.array(["", ""]))] == [
        [None, None],
        [None, None],
    ]


def test_a_column_of_64_long_values_with_one_not_in_police_uk_form_keeps_it_as_text() -> None:
    """Every value 64 long or blank: one decode of the whole buffer, unless any is not
    lowercase hex, when each row is judged on its own."""
    for odd in (POLICE_UK.upper(), "g" * 64, "é" * 32):
        column = pa.array([POLICE_UK, "", odd, POLICE_UK[::-1]])

        crime_id, crime_id_text = split_crime_ids(column)

        assert crime_id.to_pylist() == [
            bytes.fromhex(POLICE_UK),
            None,
            None,
            bytes.fromhex(POLICE_UK[::-1]),
        ]
        assert crime_id_text.to_pylist() == [None, None, odd, None]
