"""Writing an output file whole or not at all: the reports and the exports share it."""

from __future__ import annotations

import os
from pathlib import Path


def write_file(path: Path, data: bytes) -> None:
    """Write next to ``path`` and move into place, so a failed command leaves no half file
    (and the file gets the usual permissions, which ``tempfile`` would narrow)."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        with temporary.open("wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
