"""The backends' bulk writers: Arrow columns of every type the import writes come back from
the table exactly (NULL apart from the empty string, floats to the bit), on both stores."""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np
import psycopg
import pyarrow as pa
import pytest
import sqlalchemy as sa

from service.store import pg_copy
from service.store.bulk import bulk_writer, write_behind
from service.store.db import make_engine

metadata = sa.MetaData()
sample = sa.Table(
    "bulk_sample",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("small", sa.SmallInteger),
    sa.Column("big", sa.BigInteger),
    sa.Column("ratio", sa.Float),
    sa.Column("flag", sa.Boolean),
    sa.Column("label", sa.Text),
    sa.Column("blob", sa.LargeBinary),
)


@pytest.fixture
def engine(database_url: str) -> Iterator[sa.Engine]:
    engine = make_engine(database_url)
    metadata.create_all(engine)
    yield engine
    engine.dispose()


def _rows(count: int) -> pa.Table:
    """Rows that cover each type's edges, NULLs and empty values, repeated ``count`` times."""
    edges = {
        "small": pa.array([-32768, 32767, None, 0], pa.int64()),
        "big": pa.array([-(2**63), 2**63 - 1, 7, None], pa.int64()),
        "ratio": pa.array([-54.123456789012345, None, 1e-300, math.inf], pa.float64()),
        "flag": pa.array([True, False, None, True]),
        "label": pa.array(["Stockton-on-Tees", "", None, "Ynys Môn \u2014 \U0001f46e"]),
        "blob": pa.array([b"\x00\xff" * 16, b"", None, b"\x1f"], pa.binary()),
    }
    repeat = pa.array(np.arange(count) % 4)
    columns = {name: column.take(repeat) for name, column in edges.items()}
    return pa.table({"label": columns.pop("label"), "id": pa.array(np.arange(count))} | columns)


def _stored(engine: sa.Engine) -> list[tuple[object, ...]]:
    with engine.connect() as connection:
        query = sa.select(*[sample.c[name] for name in _rows(0).column_names]).order_by(sample.c.id)
        return [tuple(row) for row in connection.execute(query)]


def _expected(rows: pa.Table) -> list[tuple[object, ...]]:
    return list(zip(*(rows[name].to_pylist() for name in rows.column_names), strict=True))


def test_every_type_comes_back_exactly(engine: sa.Engine) -> None:
    rows = _rows(pg_copy.BATCH_ROWS + 5)  # two batches of the binary COPY on PostgreSQL

    with bulk_writer(engine) as writer:
        writer.ingest("bulk_sample", rows)

    assert _stored(engine) == _expected(rows)


def test_an_all_null_column_and_an_empty_table_are_written(engine: sa.Engine) -> None:
    rows = pa.table({"id": pa.array([1, 2]), "label": pa.nulls(2)})

    with bulk_writer(engine) as writer:
        writer.ingest("bulk_sample", rows.slice(0, 0))
        writer.ingest("bulk_sample", rows)

    with engine.connect() as connection:
        stored = connection.execute(sa.select(sample.c.id, sample.c.label)).all()
    assert [tuple(row) for row in stored] == [(1, None), (2, None)]


def test_a_value_too_wide_for_its_column_stops_the_whole_write(engine: sa.Engine) -> None:
    if engine.dialect.name == "sqlite":
        pytest.skip("SQLite stores any integer in any integer column")
    with pytest.raises(pa.ArrowInvalid), bulk_writer(engine) as writer:
        writer.ingest("bulk_sample", pa.table({"id": pa.array([1])}))
        writer.ingest("bulk_sample", pa.table({"id": pa.array([2]), "small": pa.array([40000])}))

    assert _stored(engine) == []


def test_a_column_the_table_lacks_is_named(engine: sa.Engine) -> None:
    if engine.dialect.name == "sqlite":
        pytest.skip("the binary COPY reads the table's columns; ADBC's SQLite ingest names its own")
    with (
        pytest.raises(KeyError, match="bulk_sample has no column colour"),
        bulk_writer(engine) as writer,
    ):
        writer.ingest("bulk_sample", pa.table({"id": pa.array([1]), "colour": pa.array(["red"])}))


def test_the_copy_body_is_postgresql_binary_tuples() -> None:
    """One row by hand: field count, then each field's length and big-endian bytes."""
    batch = pa.record_batch({"n": pa.array([258]), "t": pa.array(["é"]), "m": pa.nulls(1)})

    body = bytes(pg_copy.encode(batch, ["integer", "text", "bigint"]))

    assert body == (
        b"\x00\x03" + b"\x00\x00\x00\x04\x00\x00\x01\x02" + b"\x00\x00\x00\x02\xc3\xa9"
        + b"\xff\xff\xff\xff"
    )  # fmt: skip


def test_rows_go_into_the_table_in_primary_key_order(engine: sa.Engine) -> None:
    """So that each insertion into the key's b-tree lands next to the one before."""
    if engine.dialect.name == "sqlite":
        pytest.skip("SQLite's ADBC ingest appends in the order given")
    shuffled = np.random.default_rng(7).permutation(1000)

    with bulk_writer(engine) as writer:
        writer.ingest("bulk_sample", pa.table({"id": pa.array(shuffled)}))

    with engine.connect() as connection:
        stored = connection.exec_driver_sql("SELECT id FROM bulk_sample ORDER BY ctid").scalars()
        assert list(stored) == sorted(shuffled.tolist())


def test_appends_behind_land_in_order_before_every_later_write(engine: sa.Engine) -> None:
    """Writes after an append behind see its rows: each waits for the append under way."""
    first, second = _rows(3000), _rows(3000)
    second = second.set_column(1, "id", pa.array(np.arange(3000, 6000)))

    with bulk_writer(engine) as writer, write_behind(writer) as behind:
        behind.ingest_behind("bulk_sample", first)
        behind.execute("UPDATE bulk_sample SET small = 1 WHERE id < 3000")
        behind.ingest_behind("bulk_sample", second)
        (held,) = behind.rows("SELECT count(*) FROM bulk_sample")

    assert held == (6000,)
    stored = _stored(engine)
    assert stored[3000:] == _expected(second)
    assert {row[2] for row in stored[:3000]} == {1}


def test_an_append_behind_that_fails_stops_the_whole_write(engine: sa.Engine) -> None:
    with (
        pytest.raises(Exception, match="colour"),
        bulk_writer(engine) as writer,
        write_behind(writer) as behind,
    ):
        behind.ingest_behind("bulk_sample", _rows(10))
        behind.ingest_behind(
            "bulk_sample", pa.table({"id": pa.array([99]), "colour": pa.array(["red"])})
        )

    assert _stored(engine) == []


def test_a_copy_the_server_refuses_fails_the_next_statement_and_stores_nothing(
    engine: sa.Engine,
) -> None:
    """PostgreSQL's COPY is left running while the import goes on; the server's error comes
    back at the next statement, which does not run, and the transaction rolls back."""
    if engine.dialect.name == "sqlite":
        pytest.skip("ADBC's SQLite ingest ends before it returns")
    with (
        pytest.raises(psycopg.errors.UniqueViolation, match="bulk_sample_pkey"),
        bulk_writer(engine) as w,
    ):
        w.ingest("bulk_sample", pa.table({"id": pa.array([1, 1])}))
        w.execute("INSERT INTO bulk_sample (id) VALUES (2)")

    assert _stored(engine) == []


def test_a_copy_still_running_at_the_end_of_the_block_is_waited_for(engine: sa.Engine) -> None:
    if engine.dialect.name == "sqlite":
        pytest.skip("ADBC's SQLite ingest ends before it returns")
    with (
        pytest.raises(psycopg.errors.UniqueViolation, match="bulk_sample_pkey"),
        bulk_writer(engine) as w,
    ):
        w.ingest("bulk_sample", pa.table({"id": pa.array([1, 1])}))

    assert _stored(engine) == []


def test_an_error_of_the_import_ends_a_running_copy_and_stores_nothing(engine: sa.Engine) -> None:
    """The import's own error is the one raised (not the connection's, busy with a COPY)."""
    with pytest.raises(LookupError, match="the import's own"), bulk_writer(engine) as writer:
        writer.ingest("bulk_sample", _rows(10))
        raise LookupError("the import's own")

    assert _stored(engine) == []
    with bulk_writer(engine) as writer:
        writer.ingest("bulk_sample", _rows(3))
    assert _stored(engine) == _expected(_rows(3))
