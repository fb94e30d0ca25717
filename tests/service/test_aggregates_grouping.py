"""A block's aggregates, counted from hand-made rows with answers you can see, whether the
ids pack into one integer or are too large to."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from service.store.aggregates import PlaceWards, group_rows


@pytest.mark.parametrize("partition_base", [0, 2**60], ids=["packed", "too-large-to-pack"])
def test_rows_are_counted_per_ward_status_and_per_fact(partition_base: int) -> None:
    wards = PlaceWards(["E05000001", "E05000002"])
    wards.set_positions(np.array([1, 2]), [0, PlaceWards.OUTSIDE])  # place 3: no location
    a, b = partition_base + 7, partition_base + 8

    counts, facts = group_rows(
        np.array([a, a, a, a, b, a]),
        np.array([1, 1, 2, 3, 1, 1]),
        pa.array([2, 2, 2, 5, 2, 2]),
        pa.array([None, None, 3, None, 4, 6]),
        wards,
    )

    assert sorted(zip(*counts.to_pydict().values(), strict=True)) == [
        (a, -1, 1, 2, 1),  # outside every ward
        (a, -1, 2, 5, 1),  # no location
        (a, 0, 0, 2, 3),
        (b, 0, 0, 2, 1),
    ]
    assert sorted(zip(*facts.to_pydict().values(), strict=True)) == [
        (a, 0, 1, 2, 0, 2),
        (a, 0, 1, 2, 6, 1),
        (b, 0, 1, 2, 4, 1),
    ]
    assert counts.column_names == ["partition_id", "ward", "status", "category_id", "n"]
    assert facts.schema.types == [pa.int64(), pa.int32(), *[pa.int64()] * 4]
