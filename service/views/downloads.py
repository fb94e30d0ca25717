"""Downloads of what the pages show: a product as GeoPackage, GeoJSON or CSV."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

from flask import Blueprint, Response, current_app, g, request
from werkzeug.exceptions import BadRequest, NotFound

from geodata.io.downloads import (
    CRS_CHOICES,
    FORMATS,
    MEDIA_TYPES,
    csv_bytes,
    geojson_bytes,
    geopackage_bytes,
)
from geodata.products import PRODUCTS
from service.readmodels.downloads import Selection, product_layer
from service.store.concerns import ward_codes
from service.store.db import get_engine
from service.views.api import current_vintage, requested_period

bp = Blueprint("downloads", __name__, url_prefix="/downloads")


@bp.get("/<product>.<fmt>")
def product(product: str, fmt: str) -> Response:
    """``?from&to`` (default: the latest 12 months), ``ward`` (repeat for several; default:
    every ward) and, for a GeoPackage, ``crs=4326`` for WGS84 (default 27700)."""
    if product not in PRODUCTS or fmt not in FORMATS:
        raise NotFound(f"no download {product}.{fmt}")
    period, wards = requested_period(), request.args.getlist("ward")
    unknown = sorted(set(wards) - ward_codes(get_engine(), vintage=current_vintage()))
    crs = request.args.get("crs", "27700")
    if unknown or crs not in CRS_CHOICES:
        raise BadRequest(
            f"ward: {', '.join(unknown)} not a ward" if unknown else "crs: 27700 or 4326"
        )
    selection = Selection(period=period, wards=wards or None, today=date.today())
    layer = product_layer(current_app, get_engine(), product, selection)
    if product == "concerns":  # each concern downloaded is in the access log
        g.shown_concern_ids = [str(i) for i in layer.frame["id"]]
    if fmt == "gpkg":
        with tempfile.TemporaryDirectory() as folder:
            data = geopackage_bytes([layer], crs=CRS_CHOICES[crs], folder=Path(folder))
    else:
        data = (csv_bytes if fmt == "csv" else geojson_bytes)(layer)
    name = "-".join([product, *wards[:3], period.first, period.last]) + f".{fmt}"
    disposition = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(data, mimetype=MEDIA_TYPES[fmt], headers=disposition)
