"""PostgreSQL's binary COPY format, written from Arrow columns without a Python object per value.

``COPY table (columns) FROM STDIN (FORMAT binary)`` reads a header, then one tuple per row
(a 16-bit field count, then each field as a 32-bit byte length, -1 for NULL, followed by
that many bytes in the column type's binary form: big-endian integers and IEEE floats, the
bytes of ``text`` and ``bytea`` as they are), then a 16-bit -1. The server skips text
parsing and each value's input function, the larger part of a CSV COPY's cost.

Method, per batch of rows: each column becomes an Arrow binary array holding every row's
encoded field (numpy packs fixed-width values and their lengths with one structured-array
assignment; text gets its length prefix joined on by Arrow); the fields are then joined
row by row by Arrow's ``binary_join_element_wise``, whose data buffer is the COPY body.
Columns that are fixed-width and have no NULL in the batch are put first in the column
list and packed together into one structured array, so a row of narrow integers costs one
numpy assignment per column and no join at all.

The binary form must match the column's type exactly (an ``integer`` column takes four
bytes, never eight), so the encoder is given each column's PostgreSQL type and casts the
Arrow values to it; a value that does not fit raises ``pyarrow.ArrowInvalid``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

HEADER = b"PGCOPY\n\xff\r\n\x00" + bytes(8)
"""Signature, 32-bit flags (no OIDs) and 32-bit header-extension length."""
TRAILER = b"\xff\xff"

FIXED: dict[str, tuple[np.dtype, pa.DataType]] = {
    "smallint": (np.dtype(">i2"), pa.int16()),
    "integer": (np.dtype(">i4"), pa.int32()),
    "bigint": (np.dtype(">i8"), pa.int64()),
    "real": (np.dtype(">f4"), pa.float32()),
    "double precision": (np.dtype(">f8"), pa.float64()),
    "boolean": (np.dtype("u1"), pa.uint8()),
}
"""PostgreSQL types with a fixed-width binary form: its numpy layout and the Arrow type the
values are cast to first (a boolean is one byte, 0 or 1)."""
VARIABLE = frozenset({"text", "character varying", "bytea"})
"""Types whose binary form is the value's bytes: UTF-8 text, or bytes as they are."""

BATCH_ROWS = 65_536
"""Rows encoded at a time: a batch's buffer is sent while the next one is encoded."""


def column_order(batch: pa.RecordBatch | pa.Table, types: Sequence[str]) -> list[int]:
    """Column positions with the fixed-width columns that have no NULL first."""
    fixed = [i for i, t in enumerate(types) if t in FIXED and batch.column(i).null_count == 0]
    return fixed + [i for i in range(len(types)) if i not in fixed]


def encode(batch: pa.RecordBatch, types: Sequence[str]) -> memoryview:
    """The tuples of ``batch`` (columns in the order given, of the PostgreSQL ``types``)."""
    rows = batch.num_rows
    packed: list[tuple[str, np.dtype]] = [("count", np.dtype(">i2"))]
    values: list[tuple[int, np.ndarray]] = []
    fields: list[pa.Array] = []
    for index, (column, kind) in enumerate(zip(batch.columns, types, strict=True)):
        if kind in FIXED and column.null_count == 0 and not fields:
            layout, arrow_type = FIXED[kind]
            packed += [(f"length{index}", np.dtype(">i4")), (f"value{index}", layout)]
            values.append((index, _fixed_values(column, arrow_type)))
        elif column.null_count == rows:
            fields.append(_as_binary(np.full(rows, -1, dtype=">i4")))
        elif kind in FIXED:
            fields.append(_fixed_field(column, *FIXED[kind]))
        elif kind in VARIABLE:
            fields.append(_variable_field(column, kind))
        else:
            raise TypeError(f"binary COPY writes no {kind} column ({batch.schema.names[index]})")
    head = np.empty(rows, dtype=np.dtype(packed))
    head["count"] = batch.num_columns
    for index, array in values:
        head[f"length{index}"] = array.dtype.itemsize
        head[f"value{index}"] = array
    if not fields:
        return head.view(np.uint8).data
    joined = pc.binary_join_element_wise(_as_binary(head), *fields, b"")
    offsets = np.frombuffer(joined.buffers()[1], dtype=np.int32, count=rows + 1)
    return memoryview(joined.buffers()[2])[offsets[0] : offsets[rows]]


def batches(table: pa.Table, types: Sequence[str]) -> Iterator[memoryview]:
    """The COPY body of ``table`` in batches of at most ``BATCH_ROWS`` rows."""
    for batch in table.to_batches(max_chunksize=BATCH_ROWS):
        if batch.num_rows:
            yield encode(batch, types)


def _fixed_values(column: pa.Array, arrow_type: pa.DataType) -> np.ndarray:
    if pa.types.is_dictionary(column.type):
        column = column.dictionary_decode()
    if pa.types.is_boolean(column.type):
        column = pc.cast(column, pa.uint8())
    if column.null_count:
        column = pc.fill_null(column, 0)
    return pc.cast(column, arrow_type).to_numpy(zero_copy_only=False)


def _fixed_field(column: pa.Array, layout: np.dtype, arrow_type: pa.DataType) -> pa.Array:
    """Length and value of every row, and only the length -1 for a NULL."""
    field = np.empty(len(column), dtype=np.dtype([("length", ">i4"), ("value", layout)]))
    field["length"] = layout.itemsize
    field["value"] = _fixed_values(column, arrow_type)
    missing = ~column.is_valid().to_numpy(zero_copy_only=False)
    if not missing.any():
        return _as_binary(field)
    field["length"][missing] = -1
    keep = np.ones((len(column), field.itemsize), dtype=bool)
    keep[missing, 4:] = False
    offsets = np.zeros(len(column) + 1, dtype=np.int32)
    np.cumsum(np.where(missing, 4, field.itemsize), out=offsets[1:])
    data = field.view(np.uint8).reshape(len(column), field.itemsize)[keep]
    return pa.Array.from_buffers(
        pa.binary(), len(column), [None, pa.py_buffer(offsets), pa.py_buffer(data)]
    )


def _variable_field(column: pa.Array, kind: str) -> pa.Array:
    """The 32-bit byte length (-1 for NULL) joined to the bytes of every row."""
    if pa.types.is_dictionary(column.type):
        column = column.dictionary_decode()
    if kind != "bytea" and not (
        pa.types.is_string(column.type) or pa.types.is_large_string(column.type)
    ):
        raise TypeError(f"a {kind} column takes Arrow strings, not {column.type}")
    column = pc.cast(column, pa.binary())
    lengths = pc.fill_null(pc.binary_length(column), -1).to_numpy(zero_copy_only=False)
    return pc.binary_join_element_wise(
        _as_binary(lengths.astype(">i4")), pc.fill_null(column, b""), b""
    )


def _as_binary(packed: np.ndarray) -> pa.Array:
    """Each element of a fixed-width numpy array as one Arrow binary value (no copy)."""
    width = packed.dtype.itemsize
    offsets = np.arange(0, (len(packed) + 1) * width, width, dtype=np.int32)
    return pa.Array.from_buffers(
        pa.binary(), len(packed), [None, pa.py_buffer(offsets), pa.py_buffer(packed)]
    )
