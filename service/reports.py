"""Ward reports: one ward's profile, priorities and concerns as an A4 PDF or one HTML file.

A report reads what the ward pages read (:func:`service.readmodels.ward_profiles.ward_profile`,
:func:`service.readmodels.ward_priorities.ward_priorities` and the ward's concerns), draws its
figures with :mod:`geodata.static_maps`, and renders ``templates/reports/ward.html`` with Jinja,
which escapes every string. WeasyPrint lays that page out as an A4 PDF whose margin boxes carry
the protective marking and the page number on every page. The HTML edition is one file that
opens from disk with no network: its images are ``data:`` URIs and its interactive map has
Leaflet written into the page (:func:`geodata.maps.inline_assets`), with no basemap tiles.

Every figure shown is one of the profile's or the priorities' JSON values, only rounded for
reading; what the report decides is what to show to whom:

- ``internal``: everything, with the open concerns listed as recorded. A report holding
  the text of concerns is marked ``OFFICIAL-SENSITIVE``; otherwise it carries the
  ``PROTECTIVE_MARKING`` setting (``OFFICIAL``).
- ``public``: no concern text, no names (of who recorded a concern or of the community it
  came from), no concern locations, and every count below ``PUBLIC_SUPPRESS_BELOW`` shown as
  ``<5``, with the rates, shares, harm and ranks that would reveal it withheld. Its map
  shows the hot-spot grid in classes rather than each snap point.
"""

from __future__ import annotations

import io
import re
import threading
from collections.abc import Collection, Iterable, Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
import pikepdf
import sqlalchemy as sa
from flask import Flask, render_template
from weasyprint import CSS, HTML, Document
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from geodata.charts import lines_svg
from geodata.concerns import CHANNELS, OPEN_STATUSES, STATUSES
from geodata.crime import ASB, CATEGORIES
from geodata.maps import (
    ALL_CRIME_COLOUR,
    ASSETS_CSS,
    ASSETS_JS,
    CATEGORY_COLOURS,
    MapParts,
    inline_assets,
    neighbours,
    render,
    ward_map,
)
from geodata.period import Period
from geodata.plans import PLAN_STATUSES
from geodata.profile import (
    ALL_CRIME,
    ForceComparison,
    WardProfile,
    crime_total,
    force_comparison,
)
from geodata.static_maps import ward_static_map
from service import TEMPLATES
from service.readmodels.plan_evaluations import plan_evaluation
from service.readmodels.ward_priorities import ward_priorities
from service.readmodels.ward_profiles import SharedFigures, shared_figures, ward_frame, ward_profile
from service.store.aggregates import ward_facts
from service.store.concerns import concern_tags, list_concerns
from service.store.plans import list_plans

AUDIENCES = ("internal", "public")
FORMATS = ("pdf", "html")
NONE = "\u2013"
"""An en dash: the figure does not exist (no population, no comparison)."""
TIMES = "\u00d7"
"""The multiplication sign of a ratio, as in 1.25 times the force rate."""
SENSITIVE_MARKING = "OFFICIAL-SENSITIVE"
"""The marking of a report that holds the text of community concerns."""

ATTRIBUTION = (
    "police.uk and ONS data, Open Government Licence v3.0; contains OS data "
    "© Crown copyright and database right."
)
VENDOR = Path(__file__).resolve().parent / "static" / "vendor"
"""Leaflet and its plugins, copied from node_modules by ``make install``."""

FIGURE = "figure:"
"""How a PDF page names its figures (served by :class:`_FigureFetcher`)."""

ASSET_URL = "vendor"
"""The asset URL the HTML edition's map is built with, before its assets are inlined."""

MAP_CM = (18.2, 10.5)
"""The printed map: the A4 text width, and short enough to leave the trend on page one."""

TREND_CATEGORIES = 3
"""Crime categories drawn in the trend chart besides all crime and ASB: the busiest ones."""

LISTED_LOCATIONS = 5
"""Snap points a report lists, the busiest first: its map shows every one."""

LISTED_OUTCOMES = 5
"""Outcomes a report names, the commonest first; the rest are summed in one row."""

KEY_COLOURS = {ALL_CRIME: ALL_CRIME_COLOUR, **CATEGORY_COLOURS}
"""The colour of each line of the trend and each category, as on the maps."""


def key_class(name: str) -> str:
    """The class that colours a key mark (the left border of an element with class ``key``)
    for the line or category ``name``: a class rather than an inline style, which
    WeasyPrint would parse again for every element."""
    return "key-" + "-".join(re.findall(r"[a-z]+", name.lower()))


KEY_CSS = "".join(
    f".{key_class(name)} {{ border-left-color: {colour}; }}\n"
    for name, colour in KEY_COLOURS.items()
)
"""The key colours, after ``report.css`` in every report (PDF and HTML)."""


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


@dataclass(frozen=True)
class Shown:
    """How counts are written: all of them, or (public) those below ``below`` as ``<below``."""

    below: int | None

    def hidden(self, n: int | float | None) -> bool:
        return self.below is not None and n is not None and n < self.below

    def count(self, n: int | float | None) -> str:
        if n is None:
            return NONE
        return f"<{self.below}" if self.hidden(n) else f"{round(n):,}"

    def value(self, value: float | None, n: int | float | None, *, digits: int = 1) -> str:
        """A figure derived from count ``n`` (a rate, a harm): withheld with the count."""
        if self.hidden(n):
            return "withheld"
        return NONE if value is None else f"{value:,.{digits}f}"


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
    marking (the highest of a combined PDF's wards) for :func:`combine_pdf`.
    """
    check_choice("audience", audience, AUDIENCES)
    for name in formats:
        check_choice("format", name, FORMATS)
    profile = ward_profile(app, engine, code=code, period=period)
    if profile is None:
        return None
    priorities = ward_priorities(app, engine, code=code, period=period, today=today) or {}
    concerns = list_concerns(engine, ward_code=code, today=today)
    plans = _evaluated_plans(app, engine, code=code)
    wards = ward_frame(app, engine, vintage=profile.ward.vintage)
    geometry = wards.geometry[wards["code"] == code].iloc[0]
    nearby = neighbours(wards, code)
    facts = ward_facts(
        engine,
        vintage=profile.ward.vintage,
        ward_code=code,
        first=period.first,
        last=period.last,
    )
    shown = Shown(int(app.config["PUBLIC_SUPPRESS_BELOW"]) if audience == "public" else None)
    context = report_context(
        profile,
        priorities,
        concerns,
        plans,
        shared=shared_figures(app, engine),
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


def _evaluated_plans(
    app: Flask, engine: sa.Engine, *, code: str
) -> list[tuple[dict[str, Any], dict[str, Any] | None]]:
    """The plans covering ward ``code``, each with its evaluation (None for a draft, which
    has nothing to evaluate yet)."""
    return [
        (
            plan,
            None if plan["status"] == "draft" else plan_evaluation(app, engine, plan_id=plan["id"]),
        )
        for plan in list_plans(engine, ward=code)
    ]


def report_marking(app: Flask, engine: sa.Engine, *, codes: Iterable[str], audience: str) -> str:
    """The marking a report (or a combined PDF) of wards ``codes`` carries: sensitive when
    it is internal and one of the wards has an open concern, whose text it then lists."""
    if audience == "internal":
        wanted = set(codes)
        if any(c["ward_code"] in wanted for c in _open(list_concerns(engine))):
            return SENSITIVE_MARKING
    marking: str = app.config["PROTECTIVE_MARKING"]
    return marking


def _open(concerns: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    return [c for c in concerns if c["status"] in OPEN_STATUSES]


def report_context(
    profile: WardProfile,
    priorities: Mapping[str, Any],
    concerns: Sequence[Mapping[str, Any]],
    plans: Sequence[tuple[Mapping[str, Any], Mapping[str, Any] | None]],
    *,
    shared: SharedFigures,
    audience: str,
    shown: Shown,
    marking: str,
    today: date,
) -> dict[str, Any]:
    """Everything the template prints, as display strings, with the audience's rules applied.

    Counts, rates and shares are formatted here rather than in the template, so that what a
    public report withholds is decided in one place.
    """
    ward = profile.ward
    period = profile.period
    public = audience == "public"
    open_concerns = _open(concerns)
    listed = [] if public else open_concerns
    return {
        "audience": audience,
        "public": public,
        "interactive": False,
        "marking": SENSITIVE_MARKING if listed else marking,
        "ward": ward,
        "period": {
            "first": _month_name(period.first),
            "last": _month_name(period.last),
            "months": len(period.months),
            "from": period.first,
            "to": period.last,
        },
        "generated_on": f"{today.day} {today:%B %Y}",
        "suppress_below": shown.below,
        "headline": _headline(profile, priorities, open_concerns, shown),
        "categories": _categories(profile, shared, period, shown),
        "sentences": _sentences(profile, shown),
        "harm": _harm(profile, shown),
        "outcomes": _outcomes(profile, shown),
        "locations": [
            {"location": place.location, "count": shown.count(place.count)}
            for place in profile.top_locations[:LISTED_LOCATIONS]
        ],
        "priorities": _priorities(priorities, shown, public=public),
        "concerns": _concerns(concerns, listed, shown),
        "plans": _plans(plans, shown, public=public),
        "caveats": _caveats(profile, priorities, shown),
        "methods": _methods(profile, priorities),
        "attribution": ATTRIBUTION,
        "key_css": KEY_CSS,
    }


def _month_name(month: str) -> str:
    return f"{date.fromisoformat(month + '-01'):%B %Y}"


def _ratio(comparison: ForceComparison | None) -> str:
    if comparison is None or comparison.ratio is None:
        return NONE
    return f"{comparison.ratio:.2f}{TIMES}"


def _rank(comparison: ForceComparison | None) -> str:
    return NONE if not comparison else f"{comparison.rank} of {comparison.of}"


def _ratio_rank(ratio: str, rank: str) -> str:
    """A ratio with its rank in brackets, when there is a rank to give."""
    return ratio if rank in ("withheld", NONE) else f"{ratio} ({rank})"


def _headline(
    profile: WardProfile,
    priorities: Mapping[str, Any],
    open_concerns: Sequence[Mapping[str, Any]],
    shown: Shown,
) -> dict[str, Any]:
    """The figures an index lists for the ward, as shown to the report's audience."""
    rates = profile.rates_per_1000
    crimes = profile.crime_total
    ranked = priorities.get("priorities") or []
    ratio = "withheld" if shown.hidden(crimes) else _ratio(rates.force)
    rank = "withheld" if shown.hidden(crimes) else _rank(rates.force)
    return {
        "code": profile.ward.code,
        "name": profile.ward.name,
        "lad_name": profile.ward.lad_name,
        "crimes": shown.count(crimes),
        "asb": shown.count(profile.asb_total),
        "population": NONE if not rates.population else f"{rates.population:,}",
        "crime_rate": shown.value(rates.crime, crimes),
        "force_rate": NONE if not rates.force else f"{rates.force.force_rate:,.1f}",
        "ratio": ratio,
        "rank": rank,
        "ratio_rank": _ratio_rank(ratio, rank),
        "harm_rate": shown.value(profile.harm.per_1000, crimes, digits=0),
        "harm_ratio": "withheld" if shown.hidden(crimes) else _ratio(profile.harm.force),
        "hot_cells": profile.hotspots.hot_cells,
        "cell_m": f"{profile.hotspots.cell_size_m:g}",
        "top_priority": ranked[0]["theme"] if ranked else NONE,
        "open_concerns": shown.count(len(open_concerns)),
    }


def _categories(
    profile: WardProfile, shared: SharedFigures, period: Period, shown: Shown
) -> list[dict[str, Any]]:
    """One row per category (crimes by count, then all crime, then ASB): count, rate per
    1,000, the force-wide rate, the ratio and the rank among wards, and harm.

    The force comparison of a category is :func:`geodata.profile.force_comparison` with a
    weight of 1 on that category alone.
    """
    code = profile.ward.code
    counts = profile.counts
    rates = profile.rates_per_1000

    def row(
        label: str,
        n: int,
        rate: float | None,
        comparison: ForceComparison | None,
        harm: float | None,
    ) -> dict:
        withheld = shown.hidden(n)
        ratio = "withheld" if withheld else _ratio(comparison)
        rank = "withheld" if withheld else _rank(comparison)
        return {
            "category": label,
            "key": key_class(label) if label in CATEGORY_COLOURS else None,
            "count": shown.count(n),
            "rate": shown.value(rate, n, digits=2),
            "force_rate": NONE if not comparison else f"{comparison.force_rate:,.2f}",
            "ratio": ratio,
            "rank": rank,
            "ratio_rank": _ratio_rank(ratio, rank),
            "harm": "" if harm is None else shown.value(harm, n, digits=0),
        }

    def comparison(category: str) -> ForceComparison | None:
        return force_comparison(
            code, shared.force, shared.residents, period, weights={category: 1.0}
        )

    crimes = sorted((c for c in CATEGORIES if c != ASB), key=lambda c: (-counts[c], c))
    rows = [
        row(c, counts[c], rates.by_category[c], comparison(c), profile.harm.by_category[c])
        for c in crimes
    ]
    rows.append(
        row(
            f"{ALL_CRIME} (ASB excluded)",
            crime_total(counts),
            rates.crime,
            rates.force,
            profile.harm.total,
        )
        | {"total": True}
    )
    rows.append(row(ASB, counts[ASB], rates.asb, comparison(ASB), None))
    return rows


def _sentences(profile: WardProfile, shown: Shown) -> list[str]:
    """The profile's notable-change sentences; a public report drops those whose counts it
    would withhold (each sentence gives the two counts it compares)."""
    found = []
    for trend in profile.trends:
        changes = [
            change
            for change in (trend.previous, trend.year_earlier)
            if change.available and change.significant
        ]
        for change, sentence in zip(changes, trend.sentences, strict=True):
            if not (shown.hidden(trend.count) or shown.hidden(change.count)):
                found.append(sentence)
    return found


def _trend(profile: WardProfile, shown: Shown) -> dict[str, Any]:
    """The monthly lines of all crime, ASB and the busiest crime categories: an inline SVG,
    which WeasyPrint draws as vectors, its key and its note as text. Months not held are
    gaps, and so (public) are months whose count is withheld."""
    trends = {t.category: t for t in profile.trends}
    missing = set(profile.completeness.months_missing)
    busiest = sorted(
        (c for c in CATEGORIES if c != ASB and profile.counts[c]),
        key=lambda c: (-profile.counts[c], c),
    )[:TREND_CATEGORIES]
    months = [m.month for m in trends[ALL_CRIME].monthly]
    series = {
        name: [
            None if m.month in missing or shown.hidden(m.n) else m.n for m in trends[name].monthly
        ]
        for name in (ALL_CRIME, ASB, *busiest)
    }
    notes = []
    if missing:
        notes.append("Gaps: months with no records held.")
    if shown.below is not None:
        notes.append(f"Months with fewer than {shown.below} incidents are left as gaps.")
    return {
        "svg": lines_svg(
            months,
            series,
            colours=KEY_COLOURS,
            title=f"Incidents per month in {profile.ward.name}",
        ),
        "key": [{"name": name, "class": key_class(name)} for name in series],
        "note": " ".join(notes),
    }


def _harm(profile: WardProfile, shown: Shown) -> dict[str, Any]:
    harm = profile.harm
    crimes = profile.crime_total
    return {
        "total": shown.value(harm.total, crimes, digits=0),
        "per_1000": shown.value(harm.per_1000, crimes, digits=0),
        "force_rate": NONE if not harm.force else f"{harm.force.force_rate:,.0f}",
        "ratio": "withheld" if shown.hidden(crimes) else _ratio(harm.force),
        "rank": "withheld" if shown.hidden(crimes) else _rank(harm.force),
        "source": harm.source,
        "caveat": harm.caveat,
    }


def _outcomes(profile: WardProfile, shown: Shown) -> list[dict[str, str]]:
    """The commonest outcomes, each with its share of the period's crimes and the count it
    stands for (the share times the crimes, which is exact: the shares are those counts over
    the total), then one row summing the rest."""
    crimes = profile.crime_total
    counted = [
        (outcome, round(share * crimes), share) for outcome, share in profile.outcomes.items()
    ]
    named, rest = counted[:LISTED_OUTCOMES], counted[LISTED_OUTCOMES:]
    if rest:
        kinds = f"{len(rest)} other outcome{'s' if len(rest) > 1 else ''}"
        named.append((kinds, sum(n for _, n, _ in rest), sum(share for _, _, share in rest)))
    return [
        {
            "outcome": outcome,
            "count": shown.count(n),
            "share": "withheld" if shown.hidden(n) else f"{100 * share:.1f} %",
        }
        for outcome, n, share in named
    ]


def _priorities(priorities: Mapping[str, Any], shown: Shown, *, public: bool) -> dict[str, Any]:
    """Ranked themes with their components; a public report leaves out the reasons (they
    name the communities that raised concerns) and the communities of seldom-heard."""
    assessment = priorities.get("threat_assessment")
    heard = priorities.get("seldom_heard") or {}
    return {
        "assessment": assessment,
        "rows": [
            {
                "theme": p["theme"],
                "band": p["band"] or "local",
                "score": f"{p['score']:.0f}",
                "components": {k: f"{v:.2f}" for k, v in p["components"].items()},
                "ratio": NONE
                if p["ratio_to_force"] is None
                else f"{p['ratio_to_force']:.2f}{TIMES}",
                "rising": p["rising"],
                "open_concerns": shown.count(p["open_concerns"]),
                "reason": None if public else p["reason"],
            }
            for p in priorities.get("priorities") or []
        ],
        "gaps": priorities.get("gaps") or [],
        "seldom_heard": {
            "concerns": shown.count(heard.get("concerns", 0)),
            "channels": [CHANNELS.get(c, c) for c in heard.get("channels", [])],
            "communities": [] if public else heard.get("communities", []),
            "flags": heard.get("flags", []),
        },
        "weights": priorities.get("weights") or {},
    }


def _concerns(
    concerns: Sequence[Mapping[str, Any]],
    listed: Sequence[Mapping[str, Any]],
    shown: Shown,
) -> dict[str, Any]:
    """Counts by theme tag and status for everyone; the open concerns themselves, as
    recorded, only when ``listed`` (internal reports)."""
    tags = concern_tags()
    frame = pd.DataFrame(
        {"tag": [c["tag"] for c in concerns], "status": [c["status"] for c in concerns]}
    )
    by_tag = []
    for tag, rows in frame.groupby("tag", sort=True):
        by_tag.append(
            {
                "tag": tags[str(tag)].label if str(tag) in tags else str(tag),
                **{
                    status: shown.count(int((rows["status"] == status).sum()))
                    for status in STATUSES
                },
                "total": shown.count(len(rows)),
            }
        )
    return {
        "total": shown.count(len(concerns)),
        "open": shown.count(len(_open(concerns))),
        "statuses": STATUSES,
        "by_tag": by_tag,
        "listed": [
            {
                "raised_on": c["raised_on"].isoformat(),
                "age_days": c["age_days"],
                "tag": tags[c["tag"]].label if c["tag"] in tags else c["tag"],
                "status": STATUSES.get(c["status"], c["status"]),
                "channel": CHANNELS.get(c["channel"], c["channel"]),
                "community": c["community"] or "not known",
                "location": c["location_text"] or "",
                "point": c["longitude"] is not None,
                "description": c["description"],
                "recorded_by": c["recorded_by"],
                "updated_on": str(c["updated_on"]),
            }
            for c in listed
        ],
    }


def _plans(
    plans: Sequence[tuple[Mapping[str, Any], Mapping[str, Any] | None]],
    shown: Shown,
    *,
    public: bool,
) -> list[dict[str, Any]]:
    """The problem-solving plans covering the ward, newest first, each with its evaluation's
    verdict (:func:`service.readmodels.plan_evaluations.plan_evaluation`; drafts are not evaluated).

    A public report names a plan by its categories, not its title (titles may name people or
    places), and withholds a verdict whose target-area counts before or after are below the
    threshold, since its percentages would reveal them.
    """
    rows = []
    for plan, evaluation in plans:
        verdict = None if evaluation is None else evaluation["verdict"]
        target = None if evaluation is None else evaluation["counts"]["target"]
        if verdict is not None and target and min(target.values()) < (shown.below or 0):
            verdict = f"Withheld: fewer than {shown.below} incidents in the target area."
        categories = ", ".join(plan["categories"]) or "all crime and ASB"
        rows.append(
            {
                "title": f"A plan on {categories}" if public else plan["title"],
                "status": PLAN_STATUSES.get(plan["status"], plan["status"]),
                "start": plan["start_date"],
                "categories": categories,
                "quality": f"{plan['quality']['score']}/{plan['quality']['out_of']}",
                "verdict": verdict or "Not evaluated: the plan is a draft.",
            }
        )
    return rows


def _caveats(profile: WardProfile, priorities: Mapping[str, Any], shown: Shown) -> list[str]:
    found = [profile.top_locations_caveat]
    completeness = profile.completeness
    missing = completeness.months_missing
    found.append(
        "Months of the period with no records held: "
        + (", ".join(missing) if missing else "none")
        + "."
    )
    share = completeness.no_location_share
    found.append(
        f"Across the force's records for the period, {completeness.no_location:,} of "
        f"{completeness.rows:,} rows"
        + (f" ({100 * share:.1f} %)" if share is not None else "")
        + " had no location and cannot be placed in any ward, and "
        f"{completeness.outside_wards:,} lay outside every ward of the "
        f"{completeness.boundary_vintage} boundaries."
    )
    if profile.ward.population:
        found.append(f"Residents: {completeness.population}.")
    else:
        found.append("This ward has no population on record, so no rates are given.")
    found.append(f"Harm weights: {profile.harm.caveat}.")
    assessment = priorities.get("threat_assessment")
    if assessment is None:
        found.append("No force threat assessment is stored: priorities rest on concerns only.")
    elif assessment.get("example"):
        found.append(
            f"The threat assessment ({assessment['title']}) is marked as an EXAMPLE, "
            "not a real assessment."
        )
    if shown.below is not None:
        found.append(
            f"Public edition: counts below {shown.below} are shown as <{shown.below}, and the "
            "rates, shares, harm and ranks that would reveal them are withheld. Concern text, "
            "names and locations are left out."
        )
    return found


def _methods(profile: WardProfile, priorities: Mapping[str, Any]) -> list[tuple[str, str]]:
    weights = priorities.get("weights") or {}
    hotspots = profile.hotspots
    return [
        (
            "Counts",
            "police.uk street-level records, each given to the ward whose boundary covers its "
            "snap point (a point on an edge several wards share goes to the code that sorts "
            "first). Crimes exclude anti-social behaviour, as police.uk counts them.",
        ),
        (
            "Rates and force comparison",
            "Incidents per 1,000 Census 2021 usual residents (each LSOA given whole to the "
            "ward holding its point-on-surface). The force rate is the total over wards with "
            "residents over their residents; the ratio is the ward's rate over it; rank 1 is "
            "the highest rate.",
        ),
        (
            "Harm",
            "Each crime weighted by its category's Crime Severity Score weight (days of "
            f"custody): {profile.harm.source}.",
        ),
        (
            "Trends",
            "The period's count against the previous period of equal length and the same "
            "months a year earlier, by the exact conditional (binomial) test for two Poisson "
            "counts; a change is notable when significant at 5 %.",
        ),
        (
            "Hot spots",
            f"Incidents counted in {hotspots.cell_size_m:g} m squares of the British "
            "National Grid over the ward; each square and its touching neighbours scored with "
            "the Getis-Ord Gi* statistic, the p-values adjusted for testing every square at once "
            "(Benjamini-Hochberg false discovery rate); a hot spot has an adjusted p-value below "
            f"{hotspots.alpha:g} and a positive z-score. The full method is the ward "
            "profile's hotspots.method (GET /api/wards/CODE/profile).",
        ),
        (
            "Priorities",
            f"Score = 100 {TIMES} ("
            + " + ".join(
                f"{weights.get(k, 0):.2f} {TIMES} {k}"
                for k in ("force", "excess", "concerns", "trend")
            )
            + "): force is the threat assessment's band (high 1, medium 0.6, low 0.3, local 0); "
            "excess is log2 of the ward's harm rate in the theme's categories over the force "
            "rate, halved and capped at 1; concerns is the open concerns on the theme's tags, "
            "each counting more as it ages, over 4, capped at 1; trend is 1 when a category of "
            "the theme rose significantly.",
        ),
    ]


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
            concerns=[] if public else _mapped(concerns),
            tile_url="",
            attribution="",
            asset_url=ASSET_URL,
            heat=False,
        )
    )
    return inline_assets(parts, asset_url=ASSET_URL, files=vendor_files())


def _mapped(concerns: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    fields = ("tag", "status", "description", "raised_on", "longitude", "latitude")
    return [
        {name: str(c[name]) if name == "raised_on" else c[name] for name in fields}
        for c in _open(concerns)
        if c["longitude"] is not None
    ]


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


class _FigureFetcher(URLFetcher):
    """Serves a page's own figures (``figure:NAME``) to WeasyPrint and refuses everything
    else, so a PDF never reads a file or a host whatever the page holds. Passing images
    this way rather than as ``data:`` URIs spares the HTML parser hundreds of kilobytes of
    base64 and WeasyPrint a decoding."""

    def __init__(self, figures: Mapping[str, bytes]) -> None:
        super().__init__(fail_on_errors=True)
        self._figures = figures

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        name = url.removeprefix(FIGURE)
        if name == url or name not in self._figures:
            raise ReportError(f"a report page may show only its own figures, not {url!r}")
        return URLFetcherResponse(
            url, body=self._figures[name], headers={"Content-Type": "image/jpeg"}
        )


@cache
def _stylesheet() -> CSS:
    """``templates/reports/report.css`` and :data:`KEY_CSS`, parsed once per process:
    WeasyPrint compiles a page's own ``<style>`` again for every page it lays out."""
    return CSS(string=(TEMPLATES / "reports" / "report.css").read_text() + KEY_CSS)


_FONTS = threading.local()


def _font_config() -> FontConfiguration:
    """One font configuration per thread, kept: WeasyPrint otherwise makes a new one, with
    a new Pango font map whose font caches start empty, for every document (about 4 % of a
    report's time). Per thread, because a Pango font map is not safe to share between the
    web server's threads."""
    config = getattr(_FONTS, "config", None)
    if config is None:
        config = _FONTS.config = FontConfiguration()
    return config


def pdf_document(html: str, *, figures: Mapping[str, bytes]) -> Document:
    """Lay out a report page as A4 PDF pages with the report stylesheet; its images are
    ``figures`` (JPEG) by name."""
    return HTML(string=html, url_fetcher=_FigureFetcher(figures)).render(
        stylesheets=[_stylesheet()], font_config=_font_config()
    )


def combine_pdf(cover: bytes, reports: Sequence[tuple[str, bytes]]) -> bytes:
    """One PDF of the ``cover`` and then each (title, PDF) of ``reports`` in order, every
    page as its own file laid it out (its own page numbers and marking), with a bookmark
    for each and the cover's metadata. The files are joined by qpdf (pikepdf), not laid out
    again: a fraction of a second for a whole force."""
    with ExitStack() as stack:
        combined = stack.enter_context(pikepdf.new())
        files = [("Index", cover), *reports]
        sources = [stack.enter_context(pikepdf.open(io.BytesIO(pdf))) for _, pdf in files]
        with combined.open_outline() as outline:
            for (title, _), source in zip(files, sources, strict=True):
                outline.root.append(pikepdf.OutlineItem(title, len(combined.pages)))
                combined.pages.extend(source.pages)
        for key, value in sources[0].docinfo.items():
            combined.docinfo[key] = value
        buffer = io.BytesIO()
        combined.save(buffer)
    return buffer.getvalue()


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
