"""The versions a reader keeps values under: an import moves the data version, any change
of a concern moves the edit count, on both stores."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from service.importing import import_ward_files
from service.store.concerns import edit_concern, record_concern, update_concern
from service.store.db import make_engine
from service.store.versions import read_versions
from tests.factories import a_concern, write_wards


@pytest.fixture
def engine(database_url: str) -> Iterator[sa.Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


def test_imports_and_edits_each_move_their_version(engine: sa.Engine, tmp_path: Path) -> None:
    start = read_versions(engine)
    import_ward_files(engine, [str(write_wards(tmp_path / "wards.geojson"))])
    imported = read_versions(engine)
    assert imported[0] > start[0] and imported[1] == start[1]

    concern_id = record_concern(engine, a_concern(), recorded_by="PCSO Example")
    recorded = read_versions(engine)
    update_concern(
        engine, concern_id, status="closed", note="Patrols", by="PCSO", on=date(2025, 1, 20)
    )
    updated = read_versions(engine)
    edit_concern(engine, concern_id, by="PCSO", tag="drugs")
    edited = read_versions(engine)

    assert recorded[0] == updated[0] == edited[0] == imported[0]
    assert imported[1] < recorded[1] < updated[1] < edited[1]
