"""import-messages: a prevention-messages CSV read by ``geodata.io.messages`` into the store.

Kept beside ``service.importing`` (the other file imports) as its own module: the one rule
that differs is that a messages file is taken whole or not at all.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from geodata.errors import MessageError, MessageFileError
from geodata.io.messages import read_messages_csv
from service.store.imports import record_failed_import
from service.store.messages import import_messages, message_references


def import_message_file(
    engine: sa.Engine, path: str | os.PathLike[str], *, today: date | None = None
) -> dict[str, Any]:
    """Read and check a prevention-messages CSV; store all of it in one transaction, or none.

    Rows are checked by ``geodata.io.messages.read_messages_csv`` against the wards and
    councils of the latest boundary vintage, the shipped concern tags and the active threat
    assessment's themes (and ``today``, default the computer's date). When any row is
    rejected the file is refused whole: nothing is stored, the ledger records it as failed,
    and the summary's ``status`` is ``refused`` with every rejected row (file, line, column,
    problem). Otherwise every message is stored (``stored``), and the same file offered
    again adds nothing (``unchanged``). A file that cannot be read at all (missing, not
    CSV, a header lacking a column) raises ``MessageFileError``, also recorded as failed.
    """
    source = str(path)
    try:
        references = message_references(engine)
    except MessageError as error:
        raise MessageFileError(f"{source}: {error}") from error
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise MessageFileError(f"{source}: cannot be read ({error.strerror})") from error
    sha256 = hashlib.sha256(data).hexdigest()
    try:
        messages, errors = read_messages_csv(
            data,
            source=source,
            wards=references.wards,
            councils=references.councils,
            themes=references.themes,
            today=today,
        )
    except MessageFileError as error:
        record_failed_import(
            engine, kind="messages", source=source, sha256=sha256, message=str(error)
        )
        raise
    rejected = len({error.line for error in errors})
    summary = {
        "source": source,
        "sha256": sha256,
        "vintage": references.vintage,
        "rows_read": len(messages) + rejected,
        "rows_rejected": rejected,
        "rejected": [asdict(error) for error in errors],
    }
    if errors:
        import_id = record_failed_import(
            engine,
            kind="messages",
            source=source,
            sha256=sha256,
            message=f"refused: {rejected} of {len(messages) + rejected} rows have problems",
        )
        return summary | {"status": "refused", "import_id": import_id, "rows_stored": 0, "added": 0}
    stored = import_messages(
        engine, messages, source=source, sha256=sha256, vintage=references.vintage
    )
    return summary | stored | {"rows_stored": len(messages)}
