"""Importing operations from a CSV file: all or nothing, idempotent by content."""

from __future__ import annotations

import hashlib
import os
from dataclasses import asdict
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from geodata.errors import RowError
from geodata.io.operations import OperationFileError, read_operations_csv
from service.store.imports import record_failed_import
from service.store.operations import import_operations, operation_wards


class RejectedRowsError(OperationFileError):
    """A file with any bad row: nothing of it is stored; ``rejected`` names every problem."""

    def __init__(self, message: str, rejected: list[RowError]) -> None:
        super().__init__(message)
        self.rejected = rejected


def import_operation_file(engine: sa.Engine, path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read, check and store the operations of a CSV file in one transaction.

    All or nothing: rows are read and checked by
    ``geodata.io.operations.read_operations_csv`` against the wards of the latest boundary
    vintage, and a file with any bad row is refused whole (``RejectedRowsError``, every
    problem named by file, line and column) and put in the ledger as failed, so a
    half-imported set of operations can never be mistaken for the whole. The same file
    offered again adds nothing (``unchanged``).

    Raises
    ------
    OperationFileError
        When the file cannot be read at all, or no boundaries are stored.
    RejectedRowsError
        When any row has a problem.
    """
    source = str(path)
    known = operation_wards(engine)
    if known is None:
        raise OperationFileError(f"{source}: no ward boundaries are stored; run import-wards first")
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise OperationFileError(f"{source}: cannot be read ({error.strerror})") from error
    sha256 = hashlib.sha256(data).hexdigest()
    try:
        operations, errors = read_operations_csv(data, source=source, wards=known)
    except OperationFileError as error:
        record_failed_import(
            engine, kind="operations", source=source, sha256=sha256, message=str(error)
        )
        raise
    if errors:
        lines = len({error.line for error in errors})
        message = (
            f"{source}: {lines} row{'' if lines == 1 else 's'} cannot be read; "
            "nothing was stored (fix them and import the file again)"
        )
        record_failed_import(
            engine, kind="operations", source=source, sha256=sha256, message=message
        )
        raise RejectedRowsError(message, errors)
    stored = import_operations(engine, operations, source=source, sha256=sha256)
    return {
        "source": source,
        "sha256": sha256,
        "status": stored["status"],
        "import_id": stored["import_id"],
        "rows_read": len(operations),
        "rows_stored": len(operations),
        "rows_rejected": 0,
        "added": stored["added"],
        "rejected": [],
    }


def rejected_rows(error: RejectedRowsError) -> list[dict[str, Any]]:
    """The refused rows as JSON-ready records (source, line, column, problem)."""
    return [asdict(row) for row in error.rejected]
