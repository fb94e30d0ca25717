"""Rendering a ward report: the Jinja page, its PDF edition and its self-contained HTML edition.

:func:`ward_report` gathers a ward's data (:mod:`service.reports.gather`), formats it for the
audience (:mod:`service.reports.context`) and renders ``templates/reports/ward.html`` with
Jinja, which escapes every string. WeasyPrint lays that page out as an A4 PDF
(:mod:`service.reports.pdf`) whose margin boxes carry the protective marking and the page
number on every page. The HTML edition is one file that opens from disk with no network: its
images are ``data:`` URIs and its interactive map has Leaflet written into the page
(:func:`geodata.maps.inline_assets`), with no basemap tiles.

WeasyPrint, pikepdf and matplotlib take seconds to import, so they are imported on the first
PDF made, not when the app starts: commands and pages that make no PDF never load them.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
import sqlalchemy as sa
from flask import Flask, render_template

from geodata.disclosure import AUDIENCES, Shown
from geodata.maps import ASSETS_CSS, ASSETS_JS, MapParts, inline_assets, render, ward_map
from geodata.period import Period
from geodata.profile import WardProfile
from service.readmodels.pages import mapped_concerns
from service.reports.context import _month_name, _trend, report_context
from service.reports.gather import gather

FORMATS = ("pdf", "html")
VENDOR = Path(__file__).resolve().parents[1] / "static" / "vendor"
"""Leaflet and its plugins, copied from node_modules by ``make install``."""

FIGURE = "figure:"
"""How a PDF page names its figures (served by :class:`service.reports.pdf.FigureFetcher`)."""

ASSET_URL = "vendor"
"""The asset URL the HTML edition's map is built with, before its assets are inlined."""

MAP_CM = (18.2, 10.5)
"""The printed map: the A4 text width, and short enough to leave the trend on page one."""


class ReportError(Exception):
    """A report cannot be made as asked; the message says what is missing."""


@dataclass(frozen=True)
class WardReport:
    """One ward's rendered report: the headline figures an index lists, and the files."""

    code: str
    name: str
    marking: str
    headline: dict[str, Any]
    html: str | None = None
    pdf: bytes | None = None
    pages: int | None = None
    combined_pdf: bytes | None = field(default=None, repr=False)
    """The PDF edition with the marking of a combined PDF, when one was asked for: the
    ward's own PDF when the markings agree, else laid out again with the combined one."""


def check_choice(name: str, value: str, allowed: Sequence[str]) -> str:
    if value not in allowed:
        raise ReportError(f"{name}: {value!r} is not one of {', '.join(allowed)}")
    return value


def ward_report(
    app: Flask,
    engine: sa.Engine,
    *,
    code: str,
    period: Period,
    audience: str,
    today: date,
    formats: Collection[str] = ("pdf",),
    combined_marking: str | None = None,
) -> WardReport | None:
    """Render one ward's report in ``formats`` (``pdf``, ``html``), or None for no such ward.

    ``combined_marking``, when given with ``pdf``, also gives the PDF edition with that
    marking (the highest of a combined PDF's wards) for :func:`service.reports.pdf.combine_pdf`.
    """
    check_choice("audience", audience, AUDIENCES)
    for name in formats:
        check_choice("format", name, FORMATS)
    gathered = gather(app, engine, code=code, period=period, today=today)
    if gathered is None:
        return None
    profile, priorities, concerns = gathered.profile, gathered.priorities, gathered.concerns
    geometry, nearby, facts = gathered.geometry, gathered.nearby, gathered.facts
    shown = Shown.for_audience(audience, suppress_below=int(app.config["PUBLIC_SUPPRESS_BELOW"]))
    context = report_context(
        profile,
        priorities,
        concerns,
        gathered.plans,
        shared=gathered.shared,
        audience=audience,
        shown=shown,
        marking=app.config["PROTECTIVE_MARKING"],
        today=today,
    )
    html = pdf = combined = None
    pages = None
    trend = _trend(profile, shown)
    figures: dict[str, bytes] = {}
    if "pdf" in formats:
        from geodata.static_maps import ward_static_map  # matplotlib: only when drawn
        from service.reports.pdf import pdf_document  # WeasyPrint: only when laid out

        figures["map"] = ward_static_map(
            ward_geometry=geometry,
            neighbours=nearby,
            incidents=facts,
            hotspot_cells=profile.hotspots.cells,
            cell_size_m=profile.hotspots.cell_size_m,
            attribution="",  # printed as text in the caption
            layer="hotspots" if audience == "public" else "incidents",
            size_cm=MAP_CM,
            format="jpeg",
        )
    page = {**context, "trend": trend, "figures": {name: f"{FIGURE}{name}" for name in figures}}
    if "pdf" in formats:
        document = pdf_document(render_template("reports/ward.html", **page), figures=figures)
        pdf, pages = document.write_pdf(), len(document.pages)
        combined = pdf
        if combined_marking not in (None, context["marking"]):
            page = {**page, "marking": combined_marking}
            combined = pdf_document(
                render_template("reports/ward.html", **page), figures=figures
            ).write_pdf()
    if "html" in formats:
        html = render_template(
            "reports/ward.html",
            **{
                **context,
                "interactive": True,
                "trend": trend,
                "map": _interactive_map(
                    profile, geometry, nearby, facts, concerns, audience=audience, shown=shown
                ),
            },
        )
    return WardReport(
        code=code,
        name=profile.ward.name,
        marking=context["marking"],
        headline=context["headline"],
        html=html,
        pdf=pdf,
        pages=pages,
        combined_pdf=combined if combined_marking is not None else None,
    )


def _interactive_map(
    profile: WardProfile,
    geometry: Any,
    nearby: list[tuple[str, Any]],
    facts: pd.DataFrame,
    concerns: Sequence[Mapping[str, Any]],
    *,
    audience: str,
    shown: Shown,
) -> MapParts:
    """The ward map with Leaflet written in and no tiles: a file that needs no network.

    Internal: every incident and the open concerns that have a point. Public: the ward, its
    neighbours and the hot-spot squares only, their counts shown as the report shows them.
    """
    public = audience == "public"
    cells: Sequence[Mapping[str, Any]] = profile.hotspots.cells
    if public:
        cells = [{**c, "count": shown.count(c["count"])} for c in cells if c["hot"]]
    parts = render(
        ward_map(
            ward_name=profile.ward.name,
            ward_geometry=geometry,
            neighbours=nearby,
            incidents=facts.iloc[0:0] if public else facts,
            hotspot_cells=cells,
            concerns=[] if public else mapped_concerns(concerns),
            tile_url="",
            attribution="",
            asset_url=ASSET_URL,
            heat=False,
        )
    )
    return inline_assets(parts, asset_url=ASSET_URL, files=vendor_files())


@cache
def vendor_files() -> dict[str, bytes]:
    """Every file under ``service/static/vendor`` by its path there, read once."""
    wanted = [*ASSETS_JS.values(), *ASSETS_CSS.values()]
    missing = [path for path in wanted if not (VENDOR / path).is_file()]
    if missing:
        raise ReportError(
            f"the map libraries are not installed ({', '.join(missing)} missing under "
            f"{VENDOR}); run `make install`"
        )
    return {
        path.relative_to(VENDOR).as_posix(): path.read_bytes()
        for path in VENDOR.rglob("*")
        if path.is_file()
    }


def index_page(
    reports: Sequence[WardReport],
    *,
    period: Period,
    audience: str,
    marking: str,
    today: date,
    files: Mapping[str, Sequence[str]],
    for_pdf: bool,
) -> str:
    """The index of a run: every ward with its headline figures and (HTML) links to its
    files, which sit next to the index."""
    return render_template(
        "reports/index.html",
        rows=[
            {**r.headline, "files": files.get(r.code, [])}
            for r in sorted(reports, key=lambda r: (r.headline["lad_name"], r.name, r.code))
        ],
        period={
            "first": _month_name(period.first),
            "last": _month_name(period.last),
            "months": len(period.months),
        },
        audience=audience,
        public=audience == "public",
        marking=marking,
        generated_on=f"{today.day} {today:%B %Y}",
        for_pdf=for_pdf,
    )
