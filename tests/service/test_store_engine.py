"""The store's engine: a pooled connection lost while idle is replaced before use."""

from __future__ import annotations

import time
from typing import Any

import pytest
import sqlalchemy as sa

from service.store.db import make_engine, single_read


def _backend_pid(engine: sa.Engine) -> int:
    with engine.connect() as connection:
        return int(connection.scalar(sa.text("SELECT pg_backend_pid()")))


def test_a_connection_killed_while_idle_is_replaced(database_url: str, backend: str) -> None:
    if backend != "postgresql":
        pytest.skip("only a PostgreSQL connection can be lost while pooled")
    engine = make_engine(database_url, ping_after_idle_s=0.2)
    killer = make_engine(database_url)
    try:
        first = _backend_pid(engine)
        with killer.connect() as connection:
            assert connection.scalar(sa.text(f"SELECT pg_terminate_backend({first})"))
        time.sleep(0.5)  # idle past the threshold: the pool checks it and connects anew
        assert _backend_pid(engine) != first
    finally:
        engine.dispose()
        killer.dispose()


def test_a_connection_in_steady_use_is_not_pinged(
    database_url: str, backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page's statements, each checking out a connection, cost no round trip each."""
    if backend != "postgresql":
        pytest.skip("SQLite connections are never pinged")
    engine = make_engine(database_url, ping_after_idle_s=60)
    pings: list[object] = []
    ping = engine.dialect.do_ping

    def counted(dbapi_connection: Any) -> bool:
        pings.append(dbapi_connection)
        return ping(dbapi_connection)

    monkeypatch.setattr(engine.dialect, "do_ping", counted)
    try:
        pids = {_backend_pid(engine) for _ in range(5)}
        assert len(pids) == 1 and pings == []
    finally:
        engine.dispose()


def test_a_single_read_opens_no_transaction_and_leaves_none_behind(
    database_url: str, backend: str
) -> None:
    """The reads of every request cost one round trip on PostgreSQL, not three; the pooled
    connection is transactional again for the next user."""
    if backend != "postgresql":
        pytest.skip("SQLite transactions cost no round trip")
    engine = make_engine(database_url)
    try:
        with single_read(engine) as connection:
            assert connection.scalar(sa.text("SELECT 1")) == 1
            status = connection.connection.dbapi_connection.info.transaction_status  # type: ignore[union-attr]
            assert status.name == "IDLE"  # no transaction was begun around the statement
        with engine.connect() as connection:
            connection.scalar(sa.text("SELECT 1"))
            status = connection.connection.dbapi_connection.info.transaction_status  # type: ignore[union-attr]
            assert status.name == "INTRANS"
    finally:
        engine.dispose()
