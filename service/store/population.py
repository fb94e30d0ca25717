"""Stored LSOA population and its best-fit lookup to the wards of every boundary vintage."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
import sqlalchemy as sa

from geodata.denominators import weighted_residents
from geodata.population import describe_method, ward_population
from service.store.imports import record_import
from service.store.schema import boundary_sets, lsoa_ward_shares, lsoa_wards, lsoas, wards
from service.store.wards import assign_lsoas, load_wards


def replace_population(
    engine: sa.Engine,
    lsoas_frame: pd.DataFrame,
    *,
    census_year: int,
    source: str,
    sha256: str,
    rows_read: int | None = None,
    rows_rejected: int = 0,
    boundary_sources: Sequence[tuple[str, str, int]] = (),
) -> dict[str, dict[str, int]]:
    """Store the population of every LSOA, replacing all of it, in one transaction.

    ``lsoas_frame`` holds ``lsoa_code``, ``lsoa_name``, ``residents``, ``longitude`` and
    ``latitude`` (the best-fit point; NaN for an LSOA without a boundary, which is stored
    but placed in no ward), and optionally ``boundary``: the LSOA's polygon as WKB (None
    without one), from which every vintage's area shares are computed. The import is
    recorded in the ledger: the population file, with ``rows_read`` file rows (default: one
    per LSOA) of which ``rows_rejected`` were rejected, and each LSOA boundary file of
    ``boundary_sources`` (file name, SHA-256, feature count). Then every stored boundary
    vintage gets its lookups (:func:`assign_lsoas`: best fit and area shares), so the
    population is never visible without them.

    Returns the assigned and outside counts of LSOAs for each vintage.
    """
    rows = _lsoa_rows(lsoas_frame, census_year=census_year, source=source)
    residents = sum(row["residents"] for row in rows)
    read = len(rows) + rows_rejected if rows_read is None else rows_read
    with engine.begin() as connection:
        connection.execute(lsoa_ward_shares.delete())
        connection.execute(lsoa_wards.delete())
        connection.execute(lsoas.delete())
        if rows:
            connection.execute(lsoas.insert(), rows)
        record_import(
            connection,
            kind="population",
            source=source,
            sha256=sha256,
            rows_read=read,
            rows_stored=read - rows_rejected,
            rows_rejected=rows_rejected,
            status="stored",
            message=f"{len(rows)} LSOAs, {residents:,} residents (Census {census_year})",
        )
        for name, digest, count in boundary_sources:
            record_import(
                connection,
                kind="population",
                source=name,
                sha256=digest,
                rows_read=count,
                rows_stored=count,
                status="stored",
                message="LSOA boundaries: the best-fit point of each LSOA",
            )
        vintages = connection.scalars(sa.select(boundary_sets.c.vintage).order_by("vintage"))
        return {
            vintage: assign_lsoas(
                connection, load_wards(connection, vintage=vintage), vintage=vintage
            )
            for vintage in list(vintages)
        }


def _lsoa_rows(frame: pd.DataFrame, *, census_year: int, source: str) -> list[dict[str, Any]]:
    longitude = frame["longitude"].astype("float64")
    latitude = frame["latitude"].astype("float64")
    boundary = frame["boundary"].tolist() if "boundary" in frame else [None] * len(frame)
    return [
        {
            "code": str(code),
            "name": str(name),
            "census_year": census_year,
            "residents": int(residents),
            "longitude": None if pd.isna(lon) else lon,
            "latitude": None if pd.isna(lat) else lat,
            "source": source,
            "boundary": wkb if isinstance(wkb, bytes) else None,
        }
        for code, name, residents, lon, lat, wkb in zip(
            frame["lsoa_code"].tolist(),
            frame["lsoa_name"].tolist(),
            frame["residents"].tolist(),
            longitude.tolist(),
            latitude.tolist(),
            boundary,
            strict=True,
        )
    ]


def list_ward_population(engine: sa.Engine, *, vintage: str) -> dict[str, dict[str, Any]]:
    """Residents of each ward of ``vintage`` that has a best-fit LSOA, with the method.

    Wards without any LSOA are absent, so their rates are absent rather than zero (see
    :func:`geodata.population.ward_population`).
    """
    with engine.connect() as connection:
        population = pd.DataFrame(
            connection.execute(sa.select(lsoas.c.code, lsoas.c.residents)).all(),
            columns=["lsoa_code", "residents"],
        )
        lookup = pd.DataFrame(
            connection.execute(
                sa.select(lsoa_wards.c.lsoa_code, lsoa_wards.c.ward_code).where(
                    lsoa_wards.c.vintage == vintage
                )
            ).all(),
            columns=["lsoa_code", "ward_code"],
        )
        years = list(connection.scalars(sa.select(lsoas.c.census_year).distinct()))
    if not years:
        return {}
    method = describe_method(census_year=years[0])
    totals = ward_population(population, lookup)
    return {
        str(code): {"residents": residents, "lsoas": n, "census_year": years[0], "method": method}
        for code, residents, n in zip(
            totals["ward_code"].tolist(),
            totals["residents"].tolist(),
            totals["lsoas"].tolist(),
            strict=True,
        )
    }


def list_local_authority_population(engine: sa.Engine, *, vintage: str) -> dict[str, int]:
    """Residents of the wards of ``vintage``, added up by the wards' local authority name."""
    by_ward = list_ward_population(engine, vintage=vintage)
    with engine.connect() as connection:
        authority = dict(
            connection.execute(
                sa.select(wards.c.code, wards.c.lad_name).where(wards.c.vintage == vintage)
            ).all()
        )
    totals: dict[str, int] = {}
    for code, figures in by_ward.items():
        name = authority.get(code) or "(no local authority)"
        totals[name] = totals.get(name, 0) + figures["residents"]
    return dict(sorted(totals.items()))


def list_area_weighted_population(engine: sa.Engine, *, vintage: str) -> dict[str, float]:
    """Residents of each ward of ``vintage`` when every LSOA is split by its share of area
    (:func:`geodata.denominators.weighted_residents`); a check on the best-fit figure.

    Wards that no stored LSOA polygon reaches are absent.
    """
    with engine.connect() as connection:
        shares = pd.DataFrame(
            connection.execute(
                sa.select(
                    lsoa_ward_shares.c.lsoa_code,
                    lsoa_ward_shares.c.ward_code,
                    lsoa_ward_shares.c.share,
                ).where(lsoa_ward_shares.c.vintage == vintage)
            ).all(),
            columns=["lsoa_code", "ward_code", "share"],
        )
        population = pd.DataFrame(
            connection.execute(sa.select(lsoas.c.code, lsoas.c.residents)).all(),
            columns=["lsoa_code", "residents"],
        )
    totals = weighted_residents(shares, population)
    return {str(code): float(residents) for code, residents in totals.items()}
