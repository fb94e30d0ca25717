"""Bulk writers: the one place where each backend writes fast in its own way.

A crime import runs in one transaction that holds the store's import lock, reads and
writes small things with SQL and appends Arrow tables in bulk:

- SQLite: an ADBC connection moves Arrow columns into SQLite without a Python object per
  value (about three times ``executemany``), under ``BEGIN IMMEDIATE``, with foreign-key
  checks off for the bulk connection (ids are resolved by the import itself; the tests run
  ``PRAGMA foreign_key_check`` after imports).
- PostgreSQL: the engine's own connection, with ``COPY ... FROM STDIN (FORMAT binary)`` fed
  by ``service.store.pg_copy`` (numpy and Arrow kernels pack the tuples, no Python object
  per value either), under a transaction-level advisory lock,
  so one import runs at a time while readers keep answering from their MVCC snapshots, and
  with foreign-key triggers skipped where the role may (see ``_skip_foreign_key_triggers``).

Statements are SQLAlchemy ``text`` clauses with named parameters on both, compiled for the
backend, so the import's SQL is written once.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack, contextmanager, suppress
from typing import Any, Protocol

import pyarrow as pa
import sqlalchemy as sa
from sqlalchemy.dialects import sqlite

from service.store import pg_copy

IMPORT_LOCK = 0x57617264  # PostgreSQL advisory lock key held by every import transaction


class BulkWriter(Protocol):
    """What an import needs of the backend: SQL with named parameters, and Arrow appends."""

    def rows(self, sql: str, **params: Any) -> list[tuple[Any, ...]]: ...

    def execute(self, sql: str, **params: Any) -> None: ...

    def ingest(self, table: str, rows: pa.Table) -> None: ...


def lock_imports(connection: sa.Connection) -> None:
    """Serialise writers that must not interleave (crime and ward imports) on PostgreSQL.

    SQLite needs nothing: it has one writer at a time by construction.
    """
    if connection.dialect.name == "postgresql":
        connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": IMPORT_LOCK})


@contextmanager
def bulk_writer(engine: sa.Engine) -> Iterator[BulkWriter]:
    """One write transaction with the backend's bulk writer: committed at the end of the
    block, rolled back on any error."""
    if engine.dialect.name == "sqlite":
        with _sqlite_writer(engine) as writer:
            yield writer
    elif engine.dialect.name == "postgresql":
        with engine.begin() as connection, PostgresWriter(connection) as writer:
            lock_imports(connection)
            _skip_foreign_key_triggers(connection)
            yield writer
    else:
        raise NotImplementedError(
            f"bulk writes support SQLite and PostgreSQL; {engine.dialect.name} is not built"
        )


def _skip_foreign_key_triggers(connection: sa.Connection) -> None:
    """Skip the per-row foreign-key triggers for this transaction when the role may.

    The import resolves every id itself, as on SQLite, and checking five keys on every
    incident doubles the time of a COPY. ``session_replication_role`` needs a superuser or
    ``GRANT SET ON PARAMETER session_replication_role TO <role>`` (PostgreSQL 15); without
    it the keys are checked row by row, which is only slower. ``broken_foreign_keys``
    checks every key afterwards on either backend.
    """
    try:
        with connection.begin_nested():
            connection.exec_driver_sql("SET LOCAL session_replication_role = replica")
    except sa.exc.DBAPIError:
        pass


@contextmanager
def _sqlite_writer(engine: sa.Engine) -> Iterator[BulkWriter]:
    import adbc_driver_sqlite.dbapi as adbc

    with engine.connect() as probe:
        busy_timeout_ms = int(probe.exec_driver_sql("PRAGMA busy_timeout").scalar_one())
    # ADBC links its own copy of SQLite. Two copies in one process do not see each other's
    # POSIX locks, and the last one to close deletes the WAL under the other, so the
    # engine's pooled connections are closed first and reopened after.
    engine.dispose()
    connection = adbc.connect(str(engine.url.database), autocommit=True)
    cursor = connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout={busy_timeout_ms}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        # Checking five foreign keys on every incident would cost about a fifth of the
        # import; the app's own connections enforce them.
        cursor.execute("PRAGMA foreign_keys=OFF")
        cursor.execute("BEGIN IMMEDIATE")
        yield SqliteWriter(cursor)
        cursor.execute("COMMIT")
    except BaseException:
        # After a full disk or an I/O error SQLite has rolled back already; a second
        # ROLLBACK would fail and hide the error that says what happened.
        with suppress(adbc.Error):
            cursor.execute("ROLLBACK")
        raise
    finally:
        cursor.close()
        connection.close()
        engine.dispose()


class SqliteWriter:
    """Runs on an ADBC SQLite cursor; named parameters are compiled to SQLite's ``?``."""

    _dialect = sqlite.dialect(paramstyle="qmark")

    def __init__(self, cursor: Any) -> None:
        self._cursor = cursor

    def _run(self, sql: str, params: dict[str, Any]) -> None:
        compiled = sa.text(sql).bindparams(**params).compile(dialect=self._dialect)
        positions = compiled.positiontup or []
        self._cursor.execute(str(compiled), [compiled.params[name] for name in positions])

    def rows(self, sql: str, **params: Any) -> list[tuple[Any, ...]]:
        self._run(sql, params)
        return [tuple(row) for row in self._cursor.fetchall()]

    def execute(self, sql: str, **params: Any) -> None:
        self._run(sql, params)

    def ingest(self, table: str, rows: pa.Table) -> None:
        if rows.num_rows:
            self._cursor.adbc_ingest(table, rows, mode="append")


class PostgresWriter:
    """Runs on a SQLAlchemy connection; appends go through psycopg's binary ``COPY``.

    A ``COPY`` is left running when :meth:`ingest` returns: its rows are sent, and the
    server inserts them while the import goes on with work that needs no SQL (grouping
    the block's aggregates, reading and checking the next file); the next statement, or
    the end of the block, waits for the server's answer and raises its error if any. Used
    as a context manager, the writer ends a running ``COPY`` on the way out: completed,
    or failed when an error leaves the block, so that the transaction can roll back.
    Measured on 2 forces x 2 years (357,564 rows, 48 files): the server's inserts of a
    file overlap the next file's parse, CPU per row unchanged.
    """

    def __init__(self, connection: sa.Connection) -> None:
        self._connection = connection
        self._tables: dict[str, tuple[dict[str, str], list[str]]] = {}
        self._running = ExitStack()

    def __enter__(self) -> PostgresWriter:
        return self

    def __exit__(self, *error: Any) -> None:
        self._running.__exit__(*error)

    def wait(self) -> None:
        """Wait for a running ``COPY`` to end, raising the server's error if it failed."""
        self._running.close()

    def rows(self, sql: str, **params: Any) -> list[tuple[Any, ...]]:
        self.wait()
        return [tuple(row) for row in self._connection.execute(sa.text(sql), params)]

    def execute(self, sql: str, **params: Any) -> None:
        self.wait()
        self._connection.execute(sa.text(sql), params)

    def ingest(self, table: str, rows: pa.Table) -> None:
        """COPY the rows in PostgreSQL's binary form (``service.store.pg_copy``), a batch
        sent while the next is encoded; NULL and the empty string stay apart, and floats
        travel as their exact bits. The ``COPY`` is left running (see the class).

        Rows that carry the whole primary key are sent in its order, so each insertion
        lands next to the last in the key's b-tree. Measured for ``ward_facts``' seven-column
        key, 48 months of two forces (264,000 rows) on a busy machine: 3.7 to 4.4 server CPU
        seconds per million rows in key order, 4.3 to 7.0 in the order grouped, for 0.35
        more on the client. Dropping the key and building it after the load costs about the
        same as key order, and would lock readers out of the table until the import commits.
        """
        self.wait()
        if not rows.num_rows:
            return
        types, key = self._shape(table)
        missing = [name for name in rows.column_names if name not in types]
        if missing:
            raise KeyError(f"{table} has no column {', '.join(missing)}")
        if key and set(key) <= set(rows.column_names):
            rows = rows.sort_by([(name, "ascending") for name in key])
        order = pg_copy.column_order(rows, [types[name] for name in rows.column_names])
        rows = rows.select(order)
        columns = ", ".join(f'"{name}"' for name in rows.column_names)
        driver = self._connection.connection.driver_connection
        assert driver is not None
        statement = f'COPY "{table}" ({columns}) FROM STDIN (FORMAT binary)'
        running = ExitStack()
        with running:
            cursor = running.enter_context(driver.cursor())
            copy = running.enter_context(cursor.copy(statement))
            copy.write(pg_copy.HEADER)
            for body in pg_copy.batches(rows, [types[name] for name in rows.column_names]):
                copy.write(body)
            copy.write(pg_copy.TRAILER)
            self._running = running.pop_all()

    def _shape(self, table: str) -> tuple[dict[str, str], list[str]]:
        """Each column's type name (``integer``, ``text``...) and the primary key's columns
        in key order, read once per table."""
        if table not in self._tables:
            types = self.rows(
                "SELECT a.attname, CAST(CAST(a.atttypid AS regtype) AS TEXT) "
                "FROM pg_attribute a WHERE a.attrelid = CAST(:table AS regclass) "
                "AND a.attnum > 0 AND NOT a.attisdropped",
                table=table,
            )
            key = self.rows(
                "SELECT a.attname FROM pg_index i JOIN pg_attribute a "
                "ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) "
                "WHERE i.indrelid = CAST(:table AS regclass) AND i.indisprimary "
                "ORDER BY array_position(CAST(i.indkey AS SMALLINT[]), a.attnum)",
                table=table,
            )
            self._tables[table] = dict(types), [name for (name,) in key]
        return self._tables[table]


class WriteBehind:
    """The bulk writer, with each block's incidents appended on a second thread while the
    caller groups that block and takes the next (SQLite's ingest and PostgreSQL's COPY
    release the GIL).

    One connection runs one statement at a time, so every other write, and the next
    append, first waits for the append under way; an append that failed raises there.
    The rows and the transaction are exactly those of appending in place.
    """

    def __init__(self, writer: BulkWriter, appender: ThreadPoolExecutor) -> None:
        self._writer = writer
        self._appender = appender
        self._pending: Future[None] | None = None

    def ingest_behind(self, table: str, rows: pa.Table) -> None:
        self.wait()
        self._pending = self._appender.submit(self._writer.ingest, table, rows)

    def wait(self) -> None:
        pending, self._pending = self._pending, None
        if pending is not None:
            pending.result()

    def rows(self, sql: str, **params: Any) -> list[tuple[Any, ...]]:
        self.wait()
        return self._writer.rows(sql, **params)

    def execute(self, sql: str, **params: Any) -> None:
        self.wait()
        self._writer.execute(sql, **params)

    def ingest(self, table: str, rows: pa.Table) -> None:
        self.wait()
        self._writer.ingest(table, rows)


@contextmanager
def write_behind(writer: BulkWriter) -> Iterator[WriteBehind]:
    """A :class:`WriteBehind` whose last append has ended before the transaction does
    (committed or rolled back): on error its own failure gives way to the first one."""
    with ThreadPoolExecutor(1, thread_name_prefix="append") as appender:
        behind = WriteBehind(writer, appender)
        try:
            yield behind
        except BaseException:
            with suppress(Exception):
                behind.wait()
            raise
        behind.wait()
