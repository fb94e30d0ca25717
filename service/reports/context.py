"""What a ward report prints: every figure as a display string, with the audience's rules applied.

Every figure shown is one of the profile's or the priorities' JSON values, only rounded for
reading. Counts, rates and shares are formatted here rather than in the template, so that what
a public report withholds is decided in one place, by the rules of :mod:`geodata.disclosure`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import pandas as pd

from geodata.charts import lines_svg
from geodata.concerns import CHANNELS, STATUSES
from geodata.crime import ASB, CATEGORIES
from geodata.disclosure import NONE, Shown, report_marking
from geodata.maps import ALL_CRIME_COLOUR, CATEGORY_COLOURS
from geodata.period import Period
from geodata.plans import PLAN_STATUSES
from geodata.profile import (
    ALL_CRIME,
    ForceComparison,
    WardProfile,
    crime_total,
    force_comparison,
)
from service.readmodels.ward_profiles import SharedFigures
from service.reports.gather import open_concerns as _open
from service.store.concerns import concern_tags

TIMES = "\u00d7"
"""The multiplication sign of a ratio, as in 1.25 times the force rate."""

ATTRIBUTION = (
    "police.uk and ONS data, Open Government Licence v3.0; contains OS data "
    "© Crown copyright and database right."
)

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
        "marking": report_marking(
            audience=audience, open_concerns=bool(open_concerns), default=marking
        ),
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
        if verdict is not None and target and shown.any_hidden(target.values()):
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
            f"{hotspots.alpha:g} and a positive z-score. The ward profile's data download "
            "(the profile in the app's API) states the full method.",
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
