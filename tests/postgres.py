"""A throwaway PostgreSQL 15 cluster for the tests: initdb in a temporary folder, a Unix
socket there, stopped and removed at the end of the session.

initdb refuses to run as root, so as root the cluster belongs to the ``postgres`` user
(``runuser``). Durability is off (fsync, full-page writes): the cluster dies with the tests.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import sqlalchemy as sa

BIN = Path(os.environ.get("WARDPROFILES_PG_BIN", "/usr/lib/postgresql/15/bin"))


class ClusterError(RuntimeError):
    """The cluster could not be started; the message says why."""


class Cluster:
    def __init__(self) -> None:
        if not (BIN / "initdb").exists():
            raise ClusterError(
                f"PostgreSQL 15 is not installed ({BIN / 'initdb'} is missing; "
                "apt-get install postgresql-15 postgresql-15-postgis-3)"
            )
        self.folder = Path(tempfile.mkdtemp(prefix="wardprofiles-pg-"))
        self.data = self.folder / "data"
        self.port = _free_port()
        self._as_owner: list[str] = []
        if os.geteuid() == 0:
            self._as_owner = ["runuser", "-u", "postgres", "--"]
            shutil.chown(self.folder, "postgres", "postgres")
        self._run(BIN / "initdb", "-D", self.data, "-U", "postgres", "--auth=trust",
                  "-E", "UTF8", "--locale=C", "--no-sync")  # fmt: skip
        options = (
            f"-c listen_addresses='' -k {self.folder} -p {self.port} -c fsync=off "
            "-c full_page_writes=off -c synchronous_commit=off -c max_connections=200"
        )
        self._run(BIN / "pg_ctl", "-D", self.data, "-l", self.folder / "log", "-o", options,
                  "-w", "-t", "60", "start")  # fmt: skip
        self._admin = sa.create_engine(self.url("postgres"), isolation_level="AUTOCOMMIT")
        self._count = 0

    def _run(self, *args: object) -> None:
        command = [*self._as_owner, *map(str, args)]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            log = self.folder / "log"
            tail = log.read_text()[-2000:] if log.exists() else ""
            raise ClusterError(f"{' '.join(command)} failed: {done.stderr.strip()} {tail}")

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@/{database}?host={self.folder}&port={self.port}"

    def create_database(self, *, template: str | None = None) -> str:
        self._count += 1
        name = f"test_{self._count}"
        clause = f" TEMPLATE {template}" if template else ""
        with self._admin.connect() as connection:
            connection.exec_driver_sql(f"CREATE DATABASE {name}{clause}")
        return name

    def drop_database(self, name: str) -> None:
        with self._admin.connect() as connection:
            connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def stop(self) -> None:
        self._admin.dispose()
        try:
            self._run(BIN / "pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
