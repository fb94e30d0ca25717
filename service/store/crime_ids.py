"""Crime IDs stored as their 32 bytes: police.uk's 64 hex digits in half the room.

A police.uk Crime ID is a SHA-256 written as 64 lowercase hex digits (blank for anti-social
behaviour). ``incidents.crime_id`` holds those 32 bytes, which halves the widest column of
the table and the bytes a bulk write moves. The rule for what is stored where:

- 64 lowercase hex digits (police.uk's form): ``crime_id`` holds the 32 bytes;
- blank: both columns are NULL (anti-social behaviour has no Crime ID);
- anything else (upper-case hex, another length, other characters, as in forces' own or
  older files): ``crime_id_text`` holds it exactly as written, so such a row still imports
  and nothing in it is lost.

The view ``incident_rows`` shows either as text (the bytes as lowercase hex), so every
reader sees the Crime ID of the file, whichever column holds it.
"""

from __future__ import annotations

import binascii

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

HEX_DIGITS = 64
"""Length of a police.uk Crime ID as written; it is stored as half as many bytes."""

_NOT_HEX = 16
_DIGIT = np.full(256, _NOT_HEX, dtype=np.uint8)
_DIGIT[np.frombuffer(b"0123456789abcdef", dtype=np.uint8)] = np.arange(16, dtype=np.uint8)
"""Each byte's value as a lowercase hex digit, or ``_NOT_HEX``."""


def split_crime_ids(column: pa.Array | pa.ChunkedArray) -> tuple[pa.Array, pa.Array]:
    """Each row's Crime ID as (``crime_id`` bytes, ``crime_id_text``), by the rule above.

    Method: whole-column work, no Python object per row. When every value is 64 long or
    blank (police.uk's files), the column's character buffer is the Crime IDs end to end
    and, holding no upper-case letter, is decoded in one call of ``binascii.unhexlify``
    (which refuses anything not hex). Otherwise the rows of length 64 are picked out of
    the buffer and each character maps to its digit value through a 256-entry table
    (anything but ``0-9a-f`` maps to 16, which marks the row as not police.uk's form);
    pairs of digits make the bytes. Either way the bytes become an Arrow binary array
    over one buffer.
    """
    text = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    text = text.cast(pa.string())
    rows = len(text)
    offsets = np.frombuffer(text.buffers()[1], dtype=np.int32)[text.offset : text.offset + rows + 1]
    data = text.buffers()[2]
    chars = np.frombuffer(data, dtype=np.uint8) if data is not None else np.empty(0, np.uint8)
    chars = chars[offsets[0] : offsets[-1]]
    lengths = np.diff(offsets)
    valid = text.is_valid().to_numpy(zero_copy_only=False)
    candidate = valid & (lengths == HEX_DIGITS)
    stored = candidate.copy()
    packed = _unhex_all(chars) if np.count_nonzero(candidate) * HEX_DIGITS == len(chars) else None
    if packed is None:
        digits = np.take(_DIGIT, chars[np.repeat(candidate, lengths)]).reshape(-1, HEX_DIGITS)
        is_hex = digits.max(axis=1, initial=0) < _NOT_HEX
        stored[np.flatnonzero(candidate)[~is_hex]] = False
        digits = digits[is_hex]
        packed = np.ascontiguousarray((digits[:, 0::2] << 4) | digits[:, 1::2])
    byte_offsets = np.zeros(rows + 1, dtype=np.int32)
    np.cumsum(stored * np.int32(HEX_DIGITS // 2), out=byte_offsets[1:])
    crime_id = pa.Array.from_buffers(
        pa.binary(),
        rows,
        [
            pa.py_buffer(np.packbits(stored, bitorder="little")),
            pa.py_buffer(byte_offsets),
            pa.py_buffer(packed),
        ],
        null_count=rows - int(stored.sum()),
    )
    as_written = valid & ~stored & (lengths > 0)
    crime_id_text = pc.if_else(pa.array(as_written), text, pa.scalar(None, pa.string()))
    return crime_id, crime_id_text


def _unhex_all(chars: npt.NDArray[np.uint8]) -> npt.NDArray[np.uint8] | None:
    """The bytes of a buffer of lowercase hex digits; None if any is upper-case or not hex."""
    if np.any((chars >= ord("A")) & (chars <= ord("F"))):
        return None
    try:
        return np.frombuffer(binascii.unhexlify(chars.data), dtype=np.uint8)
    except binascii.Error:
        return None
