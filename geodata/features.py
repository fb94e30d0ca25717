"""GeoJSON for the API and maps: wards with headline figures, and a ward's incidents."""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import pandas as pd
import shapely

from geodata.period import Period
from geodata.profile import PLACES_CAVEAT


def incident_features(facts: pd.DataFrame) -> dict[str, Any]:
    """A FeatureCollection with one point per (snap point, month, category, outcome).

    ``count`` says how many identical incidents the feature stands for: police.uk snaps
    records to shared anonymous points, so one point often carries several incidents. Rows
    with no location have no point and are left out (the profile counts them).
    """
    located = facts.dropna(subset=["longitude", "latitude"])
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [row["longitude"], row["latitude"]]},
            "properties": {
                "month": row["month"],
                "category": row["category"],
                "outcome": row["outcome"],
                "location": row["location"],
                "count": int(row["n"]),
            },
        }
        for row in located.to_dict(orient="records")
    ]
    return {"type": "FeatureCollection", "features": features, "caveat": PLACES_CAVEAT}


def ward_features(
    wards: gpd.GeoDataFrame, headline: pd.DataFrame, period: Period | None
) -> dict[str, Any]:
    """A FeatureCollection of ward boundaries with the figures of :func:`headline_figures`."""
    features = []
    for ward, geometry in zip(wards.itertuples(index=False), wards.geometry, strict=True):
        figures = headline.loc[ward.code] if ward.code in headline.index else None
        rate = None if figures is None else figures["crime_per_1000"]
        features.append(
            {
                "type": "Feature",
                "geometry": shapely.geometry.mapping(geometry),
                "properties": {
                    "code": ward.code,
                    "name": ward.name,
                    "lad_code": ward.lad_code,
                    "lad_name": ward.lad_name,
                    "vintage": ward.vintage,
                    "crime_total": 0 if figures is None else int(figures["crime_total"]),
                    "asb_total": 0 if figures is None else int(figures["asb_total"]),
                    "crime_per_1000": None if rate is None or pd.isna(rate) else float(rate),
                },
            }
        )
    return {
        "type": "FeatureCollection",
        "period": None if period is None else period.to_json(),
        "features": features,
    }
