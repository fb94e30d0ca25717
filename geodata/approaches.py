"""Which approaches work: closed plans' evaluated effects pooled by the responses they used.

An **approach** is what a plan's responses have in common with other plans' responses:

- a **toolkit rating** (:data:`geodata.plans.TOOLKIT_RATINGS`), the College of Policing Crime
  Reduction Toolkit's verdict on the kind of response used;
- a **response**: the action as written, compared without letter case, spacing or a final
  full stop ("More patrols" and "more patrols." are one response). Actions are free text,
  so only plans that wrote the same action are pooled; a response vocabulary would pool more.

A plan counts once for each approach its responses use, however many of its responses use it.

Method
------
Each closed plan that could be evaluated brings its rate ratio (target against the rest of
the force, :func:`geodata.evaluation.evaluate`) and that ratio's standard error on the log
scale. An approach's effect is the random-effects pool of its plans' log rate ratios
(DerSimonian & Laird 1986): each plan weighted by 1 / (its variance + tau²), tau² the
between-plan variance estimated from Cochran's Q, so plans that disagree widen the interval
rather than being averaged away. The pooled ratio and its 95 % interval are the exponent of
the pooled log ratio ± 1.96 standard errors. Approaches resting on at least
:data:`MIN_PLANS` plans are ranked, lowest pooled ratio (the largest relative fall) first;
the others are listed apart as too few plans to rank, since one or two plans say more about
their places than about the approach. Each approach also counts its plans whose latest
follow-up (:func:`geodata.sustained.latest_result`) was sustained or faded.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from scipy import special

from geodata.plans import TOOLKIT_RATINGS, Plan
from geodata.sustained import FADED, SUSTAINED, FollowUp, latest_result

MIN_PLANS = 3
"""Fewest plans behind an approach for it to be ranked."""

TOOLKIT, RESPONSE = "toolkit", "response"
KINDS: Mapping[str, str] = {TOOLKIT: "Toolkit rating", RESPONSE: "Response"}
"""An approach's kind: slug → label."""

_Z95 = float(special.ndtri(0.975))
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class PlanResult:
    """A closed plan's evaluated effect: the rate ratio and its log standard error (None
    when it could not be evaluated) and its follow-ups (:func:`geodata.sustained.follow_ups`)."""

    plan_id: int
    plan: Plan
    ratio: float | None
    log_se: float | None
    follow_ups: Sequence[FollowUp] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class Approach:
    """One approach: its kind and name, the plans behind it, the pooled rate ratio with
    its 95 % interval, how many of its plans were sustained or faded, and whether it is
    ranked (at least :data:`MIN_PLANS` plans)."""

    kind: str
    name: str
    plan_ids: tuple[int, ...]
    ratio: float
    low: float
    high: float
    sustained: int
    faded: int

    @property
    def ranked(self) -> bool:
        return len(self.plan_ids) >= MIN_PLANS

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "name": self.name,
            "plans": len(self.plan_ids),
            "plan_ids": list(self.plan_ids),
            "ratio": self.ratio,
            "low": self.low,
            "high": self.high,
            "sustained": self.sustained,
            "faded": self.faded,
            "ranked": self.ranked,
        }


def response_key(action: str) -> str:
    """How two actions are compared: letter case, runs of spaces and a final full stop
    ignored."""
    return _SPACES.sub(" ", action).strip().rstrip(".").strip().casefold()


def approaches_of(plan: Plan) -> dict[tuple[str, str], str]:
    """(kind, key) → name of every approach the plan's responses use."""
    found: dict[tuple[str, str], str] = {}
    for response in plan.responses:
        rating = response.toolkit_rating
        if rating is not None and rating in TOOLKIT_RATINGS:
            found.setdefault((TOOLKIT, rating), TOOLKIT_RATINGS[rating].split(":")[0])
        key = response_key(response.action)
        if key:
            found.setdefault((RESPONSE, key), _SPACES.sub(" ", response.action).strip())
    return found


def pooled(log_ratios: Sequence[float], log_ses: Sequence[float]) -> tuple[float, float, float]:
    """The DerSimonian-Laird random-effects pool of log ratios: (ratio, low, high), the
    95 % interval from the normal approximation (see the module docstring)."""
    if not log_ratios or len(log_ratios) != len(log_ses):
        raise ValueError("log_ratios: need one standard error for each, and at least one")
    weights = [1 / se**2 for se in log_ses]
    total = sum(weights)
    fixed = sum(w * y for w, y in zip(weights, log_ratios, strict=True)) / total
    q = sum(w * (y - fixed) ** 2 for w, y in zip(weights, log_ratios, strict=True))
    scale = total - sum(w**2 for w in weights) / total
    tau2 = max(0.0, (q - (len(log_ratios) - 1)) / scale) if scale > 0 else 0.0
    random = [1 / (se**2 + tau2) for se in log_ses]
    mean = sum(w * y for w, y in zip(random, log_ratios, strict=True)) / sum(random)
    se = math.sqrt(1 / sum(random))
    return math.exp(mean), math.exp(mean - _Z95 * se), math.exp(mean + _Z95 * se)


def rank_approaches(results: Iterable[PlanResult]) -> list[Approach]:
    """Every approach of the evaluated plans in ``results``: the ranked ones first, lowest
    pooled ratio first, then those with too few plans, most plans first (ties by name)."""
    members: dict[tuple[str, str], list[PlanResult]] = {}
    names: dict[tuple[str, str], str] = {}
    for result in results:
        if not (result.ratio or 0) > 0 or not (result.log_se or 0) > 0:
            continue
        for key, name in approaches_of(result.plan).items():
            members.setdefault(key, []).append(result)
            names.setdefault(key, name)
    found = []
    for key, plans in members.items():
        ratio, low, high = pooled(
            [math.log(p.ratio or 1.0) for p in plans], [p.log_se or 0.0 for p in plans]
        )
        latest = [latest_result(p.follow_ups) for p in plans]
        found.append(
            Approach(
                kind=key[0],
                name=names[key],
                plan_ids=tuple(p.plan_id for p in plans),
                ratio=ratio,
                low=low,
                high=high,
                sustained=sum(1 for f in latest if f is not None and f.result == SUSTAINED),
                faded=sum(1 for f in latest if f is not None and f.result == FADED),
            )
        )
    return sorted(
        found,
        key=lambda a: (not a.ranked, a.ratio if a.ranked else -len(a.plan_ids), a.name),
    )
