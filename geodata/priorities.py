"""Combined ward priorities: force threat themes and local concerns, scored and explained.

A neighbourhood team should see what matters in its ward and why; the community safety
team should see where force priorities and community concerns meet or miss each other.
Every score here is a weighted sum of four components, each between 0 and 1, and every
ranked theme carries its components and a plain sentence, so nobody has to trust a number
they cannot take apart.

The components are built to separate wards rather than tie them: the excess over the force
rate has no cap (it approaches 1 as the ratio grows, so the three busiest wards no longer all
score the maximum) and counts only the excess the ward's own numbers support (the lower end of
an exact Poisson interval), and the trend component uses the over-dispersion-aware,
force-relative and false-discovery-controlled test of :mod:`geodata.trends`. Scores are for
reading as whole numbers (:attr:`Priority.display_score`), and each priority names the
component that contributes most (:attr:`Priority.driver`).
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt

from geodata.crime import CATEGORIES
from geodata.denominators import poisson_interval
from geodata.period import Period
from geodata.profile import ForceCounts
from geodata.trends import adjust_page, dispersion, ward_changes

BAND_POINTS: Mapping[str, float] = {"high": 1.0, "medium": 0.6, "low": 0.3}
"""The force-priority component of each MoRiLE priority band; a local theme scores 0."""

COUNCILLOR = "ward-councillor"

CONFIDENCE = 0.95
"""The excess component uses the lower end of this two-sided exact Poisson interval."""

WEIGHTS_NOTE = (
    "The score adds four parts with fixed weights (force priority, how far the ward exceeds "
    "the force rate, open concerns and a rise). The weights are a design choice that keeps the "
    "ranking open to inspection, not a validated model of risk."
)
"""The sentence every page that shows a priority score should carry."""

DRIVERS: Mapping[str, str] = {
    "force": "force priority",
    "excess": "above the force rate",
    "concerns": "open concerns",
    "trend": "a rise",
}
"""Each component as a page names it when it drives a score (:attr:`Priority.driver`)."""


@dataclass(frozen=True)
class PriorityWeights:
    """How much each component counts; the defaults are documented in the README.

    ``high_ratio``: a ward rate at least this multiple of the force rate is "high" for the
    gap check; ``no_support_ratio``: below this multiple an open concern's theme "shows no
    supporting incidents".
    """

    force: float = 0.35
    excess: float = 0.30
    concerns: float = 0.25
    trend: float = 0.10
    high_ratio: float = 1.25
    no_support_ratio: float = 0.25


@dataclass(frozen=True)
class Theme:
    """What is ranked: a force threat theme, or a local theme raised only by concerns."""

    name: str
    band: str | None
    risk_score: float | None
    categories: tuple[str, ...]
    concern_tags: tuple[str, ...]


@dataclass(frozen=True)
class OpenConcern:
    tag: str
    raised_on: date
    channel: str
    community: str | None = None


@dataclass(frozen=True)
class Priority:
    """One ranked theme with the parts of its score and the reason in words."""

    theme: str
    score: float
    band: str | None
    components: Mapping[str, float]
    ratio: float | None
    rising: bool
    open_concerns: int
    reason: str
    concern_sources: Mapping[str, int] = field(default_factory=dict)
    points: Mapping[str, float] = field(default_factory=dict)
    ratio_low: float | None = None

    @property
    def display_score(self) -> int:
        """The score as it should be read: a whole number (a tenth would claim false precision)."""
        return round(self.score)

    @property
    def driver(self) -> str:
        """The component that adds most to the score (``contributions``), first on ties."""
        contributions = self.contributions
        return max(contributions, key=lambda name: contributions[name])

    @property
    def contributions(self) -> dict[str, float]:
        """Each component's points in the score: 100 x weight x component.

        Filled in by :func:`rank_priorities` through ``points``; a Priority made by hand
        without them falls back to the components themselves.
        """
        return dict(self.points) if self.points else dict(self.components)

    def to_json(self) -> dict[str, Any]:
        return {
            "theme": self.theme,
            "score": round(self.score, 1),
            "display_score": self.display_score,
            "driver": self.driver,
            "points": {k: round(v, 1) for k, v in self.contributions.items()},
            "ratio_low": None if self.ratio_low is None else round(self.ratio_low, 2),
            "band": self.band,
            "components": {k: round(v, 3) for k, v in self.components.items()},
            "ratio_to_force": None if self.ratio is None else round(self.ratio, 2),
            "rising": self.rising,
            "open_concerns": self.open_concerns,
            "concern_sources": dict(self.concern_sources),
            "reason": self.reason,
        }


def rising_categories(
    ward_code: str,
    force: ForceCounts,
    period: Period,
    months_held: Collection[str],
    *,
    dispersions: npt.ArrayLike | None = None,
) -> set[str]:
    """Categories whose count in the ward rose by more than usual variation explains.

    Method: :func:`geodata.trends.ward_changes` for the period against the previous period
    of equal length and against the same months a year earlier (each only when all its
    months are held): the ward's share of the force's change, with each category's
    over-dispersion measured on every month of ``force``, no statement under
    :data:`geodata.trends.MIN_INCIDENTS`; both comparisons of every category are adjusted
    together (Benjamini-Hochberg, :func:`geodata.trends.adjust_page`), and a category is
    rising when either comparison is a "rise". ``dispersions`` are those per-category
    dispersions when the caller holds them already (they are the same for every ward, so a
    page ranking every ward measures them once, not once per ward).
    """
    if ward_code not in force.wards:
        return set()
    ward = force.wards.index(ward_code)
    phi = dispersion(force.counts) if dispersions is None else dispersions
    changes = []
    for other in (period.previous(), period.year_earlier()):
        if set(other.months) <= set(months_held):
            changes += ward_changes(
                force.counts,
                ward,
                force.within(period),
                force.within(other),
                labels=CATEGORIES,
                dispersions=phi,
                totals=force.totals,
            )
    return {c.label for c in adjust_page(changes) if c.verdict == "rise"}


def harm_rates(
    force: ForceCounts, population: Mapping[str, int], period: Period, harm: Mapping[str, float]
) -> dict[str, float]:
    """Harm-weighted crimes per 1,000 residents of every ward with a population.

    Method: as the harm rate of :func:`geodata.profile.force_comparison`: the period's
    crimes weighted by category (ASB has no weight), over residents, times 1,000.
    """
    factor = np.array([harm.get(c, 0.0) for c in CATEGORIES])
    totals = dict(zip(force.wards, force.by_category(period) @ factor, strict=True))
    return {
        code: 1000 * totals.get(code, 0.0) / residents
        for code, residents in population.items()
        if residents
    }


def themes_for(
    force_themes: Sequence[Any], tags: Mapping[str, Sequence[str]], concern_tags: Collection[str]
) -> list[Theme]:
    """The force's themes, then one local theme per concern tag no force theme covers.

    ``force_themes`` are threat themes (name, priority_band, risk_score, categories,
    concern_tags); ``tags`` maps each concern tag to its police.uk categories.
    """
    themes = [
        Theme(t.name, t.priority_band, t.risk_score, tuple(t.categories), tuple(t.concern_tags))
        for t in force_themes
    ]
    covered = {tag for theme in themes for tag in theme.concern_tags}
    for tag in sorted(set(concern_tags) - covered):
        themes.append(Theme(f"{tag} (local)", None, None, tuple(tags.get(tag, ())), (tag,)))
    return themes


def theme_ratio(
    ward_code: str,
    categories: Sequence[str],
    force: ForceCounts,
    population: Mapping[str, int],
    period: Period,
    harm: Mapping[str, float],
) -> float | None:
    """Ward over force harm-weighted rate per resident for the theme's categories.

    Method: the period's incidents in the theme's categories, each weighted by its harm
    weight (a category without a weight, such as ASB, counts 1), summed per ward and
    divided by residents; the force rate sums all wards with a population. None when the
    ward has no population, the theme has no police.uk category or the force has none.
    """
    if not categories or not population.get(ward_code):
        return None
    factor = np.array([harm.get(c, 1.0) if c in categories else 0.0 for c in CATEGORIES])
    totals = dict(zip(force.wards, force.by_category(period) @ factor, strict=True))
    codes = [c for c, p in population.items() if p]
    total = sum(totals.get(c, 0.0) for c in codes)
    residents = sum(population[c] for c in codes)
    if total == 0:
        return None
    return (totals.get(ward_code, 0.0) / population[ward_code]) / (total / residents)


def concern_component(concerns: Sequence[OpenConcern], *, today: date) -> float:
    """Open concerns as a number between 0 and 1.

    Method: each open concern counts 1, plus up to 1 more as it ages (age in days / 180,
    capped at 1: a concern left open for six months weighs double); the sum over 4 is
    capped at 1, so four fresh concerns, or two six months old, give the full component.
    """
    weight = sum(1 + min((today - c.raised_on).days, 180) / 180 for c in concerns)
    return min(1.0, weight / 4)


def theme_count(
    ward_code: str, categories: Sequence[str], force: ForceCounts, period: Period
) -> int:
    """The ward's incidents in the theme's categories over the period (unweighted)."""
    if ward_code not in force.wards or not categories:
        return 0
    keep = np.array([c in categories for c in CATEGORIES])
    return int(force.by_category(period)[force.wards.index(ward_code)][keep].sum())


def ratio_lower_bound(
    ratio: float | None, count: int, *, confidence: float = CONFIDENCE
) -> float | None:
    """The lowest ratio to the force the ward's count supports.

    Method: the count is treated as Poisson, and the ratio scaled by the lower end of the
    exact two-sided interval of its mean over the count, ``L / count`` with ``L`` the
    lower end of :func:`geodata.denominators.poisson_interval` (Garwood's interval); the
    force rate is taken as exact, since it rests on far more incidents. With a harm-weighted
    ratio, the unweighted count stands for the weighted one (harm weights do not add
    information about chance). 0 when the count is 0; None when the ratio is None.
    """
    if ratio is None:
        return None
    if count <= 0:
        return 0.0
    lower, _ = poisson_interval(count, confidence=confidence)
    return ratio * lower / count


def excess_component(ratio: float | None, *, count: int | None = None) -> float:
    """How far the ward exceeds the force rate: ``1 - 1 / ratio``, between 0 and 1, no cap.

    At the force rate or below it is 0; twice the force rate gives 0.5, four times 0.75,
    eight times 0.875: it keeps rising with the ratio without reaching 1, so the busiest
    wards stay apart (the earlier ``log2(ratio) / 2`` stopped at 1 from four times the
    force rate, tying every ward beyond it). With ``count`` (the ward's incidents behind the
    ratio) the ratio is first lowered to :func:`ratio_lower_bound`, so that a ratio resting
    on a handful of incidents adds little.
    """
    if count is not None:
        ratio = ratio_lower_bound(ratio, count)
    if ratio is None or ratio <= 1:
        return 0.0
    return 1.0 - 1.0 / ratio


def rank_priorities(
    *,
    ward_code: str,
    themes: Sequence[Theme],
    force: ForceCounts,
    population: Mapping[str, int],
    period: Period,
    harm: Mapping[str, float],
    rising_categories: Collection[str],
    open_concerns: Sequence[OpenConcern],
    today: date,
    weights: PriorityWeights = PriorityWeights(),
) -> list[Priority]:
    """The ward's themes ranked by a transparent score (0 to 100).

    Method: score = 100 x (force x band points + excess x excess component + concerns x
    concern component + trend x rising), with the weights of ``PriorityWeights``. Band
    points come from ``BAND_POINTS``; the excess component from :func:`theme_ratio` lowered
    to what the ward's count in the theme supports (:func:`ratio_lower_bound`) via
    :func:`excess_component`; the concern component from the open concerns tagged with one
    of the theme's tags (:func:`concern_component`); rising is 1 when any of the theme's
    categories is in ``rising_categories`` (:func:`rising_categories`: more than usual
    variation explains, after the force's change and the false discovery rate). Ties are
    broken by the MoRiLE risk score, then by name. Themes with a zero score are left out.
    Each priority keeps each component's points and names the largest (its driver).
    """
    ranked = []
    for theme in themes:
        ratio = theme_ratio(ward_code, theme.categories, force, population, period, harm)
        count = theme_count(ward_code, theme.categories, force, period)
        concerns = [c for c in open_concerns if c.tag in theme.concern_tags]
        components = {
            "force": BAND_POINTS.get(theme.band or "", 0.0),
            "excess": excess_component(ratio, count=count),
            "concerns": concern_component(concerns, today=today),
            "trend": float(any(c in rising_categories for c in theme.categories)),
        }
        points = {name: 100 * getattr(weights, name) * value for name, value in components.items()}
        score = math.fsum(points.values())
        if score <= 0:
            continue
        sources = _sources(concerns)
        ranked.append(
            Priority(
                theme=theme.name,
                score=score,
                band=theme.band,
                components=components,
                ratio=ratio,
                rising=bool(components["trend"]),
                open_concerns=len(concerns),
                reason=reason(theme, ratio, bool(components["trend"]), concerns, sources),
                concern_sources=sources,
                points=points,
                ratio_low=ratio_lower_bound(ratio, count),
            )
        )
    return sorted(ranked, key=lambda p: (-p.score, -(_risk(themes, p.theme)), p.theme))


def _risk(themes: Sequence[Theme], name: str) -> float:
    return next((t.risk_score or 0.0 for t in themes if t.name == name), 0.0)


def _sources(concerns: Sequence[OpenConcern]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for concern in concerns:
        who = concern.community or concern.channel.replace("-", " ")
        counts[who] = counts.get(who, 0) + 1
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def reason(
    theme: Theme,
    ratio: float | None,
    rising: bool,
    concerns: Sequence[OpenConcern],
    sources: Mapping[str, int],
) -> str:
    """The plain sentence: "Force priority: high. Violence here is 2.3x the force rate and
    rising by more than usual variation explains. 3 open concerns raised by residents and a
    councillor." """
    parts = [
        f"Force priority: {theme.band}." if theme.band else "Local priority (not a force theme)."
    ]
    label = theme.name.removesuffix(" (local)")
    if ratio is not None:
        trend = " and rising by more than usual variation explains" if rising else ""
        parts.append(f"{label.capitalize()} here is {ratio:.1f}x the force rate{trend}.")
    elif rising:
        parts.append(f"{label.capitalize()} is rising here by more than usual variation explains.")
    if concerns:
        who = _listing([f"{n} {name}" if n > 1 else name for name, n in sources.items()])
        noun = "concern" if len(concerns) == 1 else "concerns"
        parts.append(f"{len(concerns)} open {noun} raised by {who}.")
    return " ".join(parts)


def _listing(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def gaps(
    *,
    ward_code: str,
    themes: Sequence[Theme],
    force: ForceCounts,
    population: Mapping[str, int],
    period: Period,
    harm: Mapping[str, float],
    open_concerns: Sequence[OpenConcern],
    tag_categories: Mapping[str, Sequence[str]],
    themes_with_plans: Collection[str] = (),
    weights: PriorityWeights = PriorityWeights(),
) -> list[dict[str, Any]]:
    """Where force priorities and community concerns miss each other in a ward.

    Method: (1) a high-band force theme whose ward ratio (:func:`theme_ratio`) is at least
    ``high_ratio`` with no open concern on its tags and no problem-solving plan: the
    community has not raised something the figures say matters. (2) an open concern whose
    tag maps to police.uk categories in which the ward's harm-weighted ratio is below
    ``no_support_ratio`` (or zero incidents): worth explaining back to the community.
    Concern tags with no police.uk category (speeding, parking) cannot be checked this way.
    """
    found: list[dict[str, Any]] = []
    tags_open = {c.tag for c in open_concerns}
    for theme in themes:
        if theme.band != "high" or theme.name in themes_with_plans:
            continue
        ratio = theme_ratio(ward_code, theme.categories, force, population, period, harm)
        if (
            ratio is not None
            and ratio >= weights.high_ratio
            and not tags_open & set(theme.concern_tags)
        ):
            found.append(
                {
                    "kind": "force priority not raised locally",
                    "theme": theme.name,
                    "ratio_to_force": round(ratio, 2),
                    "explanation": (
                        f"{theme.name} is a high force priority and runs at {ratio:.1f}x the "
                        "force rate here, but no open concern and no plan covers it."
                    ),
                }
            )
    for tag in sorted(tags_open):
        categories = tuple(tag_categories.get(tag, ()))
        if not categories:
            continue
        ratio = theme_ratio(ward_code, categories, force, population, period, harm)
        if ratio is None or ratio < weights.no_support_ratio:
            found.append(
                {
                    "kind": "concern without supporting incidents",
                    "theme": tag,
                    "ratio_to_force": None if ratio is None else round(ratio, 2),
                    "explanation": (
                        f"Open concerns about {tag} are not borne out by recorded incidents "
                        "in the period (police.uk records only what is reported); worth "
                        "explaining back to the community."
                    ),
                }
            )
    return found


def seldom_heard(
    concerns: Sequence[OpenConcern],
    *,
    harm_rate: float | None,
    force_median_harm_rate: float | None,
) -> dict[str, Any]:
    """Who raised the ward's concerns over the last 12 months (pass those concerns).

    Method: the number of distinct source channels and distinct community groups; the ward
    is flagged when every concern came from a ward councillor, or when none was raised
    while the ward's harm rate is above the force median.
    """
    channels = sorted({c.channel for c in concerns})
    groups = sorted({c.community for c in concerns if c.community})
    flags = []
    if concerns and channels == [COUNCILLOR]:
        flags.append("concerns came only from ward councillors")
    if (
        not concerns
        and harm_rate is not None
        and force_median_harm_rate is not None
        and harm_rate > force_median_harm_rate
    ):
        flags.append("no concerns raised while harm is above the force median")
    return {
        "concerns": len(concerns),
        "channels": channels,
        "communities": groups,
        "flags": flags,
    }
