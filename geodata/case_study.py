"""A plan as a shareable case study: what was done and what it achieved, for other forces
and partners, under the public audience's rules (``geodata/disclosure.py``).

What a case study shows, and what it leaves out:

- the plan's problem, scanning, places, root cause, hypothesis, responses (action, evidence,
  toolkit rating and partner organisations), objective, measure and community involvement;
  its wards, categories, dates, status, quality score and good-practice standing;
- **no names of people**: not who wrote or changed the plan, not the owners of its
  responses, not its offenders or victims (those fields are left out whole), and every name
  in ``names`` (the store's users, plan updaters and concern recorders) is replaced by
  :data:`REMOVED` wherever it appears in the text kept, as a whole word in any letter case;
- **no concern text**: linked concerns are not listed, only how many there are;
- **small counts suppressed**: the evaluation's counts by area and period as
  :class:`geodata.disclosure.Shown` writes them (``<5``), and every figure resting on a
  suppressed target or buffer count (the rate ratio, the verdict, a follow-up's ratios)
  withheld, since it would reveal the count.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from geodata.disclosure import WITHHELD, Shown
from geodata.plans import PLAN_STATUSES, TOOLKIT_RATINGS
from geodata.sustained import FollowUp

REMOVED = "[name removed]"
"""What stands in the text for a name of a person."""

KEPT_TEXT = (
    "problem",
    "scanning",
    "places",
    "root_cause",
    "hypothesis",
    "objective",
    "measure",
    "community_involvement",
)
"""The plan's free-text fields a case study keeps (offenders and victims are about people)."""

_AREAS = ("target", "buffer", "control")


def redact(text: str, names: Iterable[str]) -> str:
    """``text`` with each of ``names`` (whole words, any letter case) replaced by
    :data:`REMOVED`; longer names first, so "Jo Bloggs" goes before "Jo"."""
    wanted = sorted({n.strip() for n in names if n and n.strip()}, key=len, reverse=True)
    if not wanted or not text:
        return text
    pattern = re.compile(
        r"(?<!\w)(?:" + "|".join(re.escape(n) for n in wanted) + r")(?!\w)", re.IGNORECASE
    )
    return pattern.sub(REMOVED, text)


def case_study(
    plan: Mapping[str, Any],
    *,
    evaluation: Mapping[str, Any] | None,
    follow_ups: Sequence[FollowUp],
    award: str | None,
    ward_names: Mapping[str, str],
    names: Iterable[str],
    shown: Shown,
) -> dict[str, Any]:
    """The case study's content: ``plan`` as stored (``id``, ``status``, ``quality`` and the
    plan's JSON under ``plan``), its ``evaluation`` (None: not evaluated), follow-ups and
    good-practice standing (``award``: nominated, awarded, withdrawn or None), every text
    redacted of ``names`` and every count written by ``shown`` (see the module docstring)."""
    people = list(names)
    p = plan["plan"]

    def clean(text: str | None) -> str:
        return redact(text or "", people)

    counts = (evaluation or {}).get("counts") or {}
    local = [n for area in ("target", "buffer") for n in (counts.get(area) or {}).values()]
    hidden = shown.any_hidden(local)
    return {
        "id": plan["id"],
        "title": clean(p["title"]),
        "status": PLAN_STATUSES.get(plan["status"], plan["status"]),
        "wards": [f"{ward_names.get(c, c)} ({c})" for c in p["ward_codes"]],
        "categories": list(p["categories"]) or ["All crime and anti-social behaviour"],
        "start": p["start_date"],
        "assessment_date": p.get("assessment_date"),
        "quality": f"{plan['quality']['score']}/{plan['quality']['out_of']}",
        "award": award,
        "text": {field: clean(p.get(field)) for field in KEPT_TEXT},
        "linked_concerns": len(p.get("linked_concern_ids") or ()),
        "responses": [
            {
                "action": clean(r["action"]),
                "evidence": clean(r.get("evidence")),
                "rating": TOOLKIT_RATINGS.get(r.get("toolkit_rating") or "", "Not rated"),
                "partners": [clean(x) for x in r.get("partners") or ()],
            }
            for r in p.get("responses") or ()
        ],
        "partners": [clean(x) for x in p.get("partners") or ()],
        "evaluation": _evaluation(evaluation, shown, hidden=hidden),
        "follow_ups": [_follow_up(f, shown) for f in follow_ups],
        "suppress_below": shown.below,
    }


def _evaluation(
    evaluation: Mapping[str, Any] | None, shown: Shown, *, hidden: bool
) -> dict[str, Any] | None:
    if evaluation is None or not evaluation.get("evaluated", True):
        return None
    counts = evaluation["counts"]
    rate = evaluation["rate_ratio"]
    periods = evaluation["periods"]
    return {
        "before": periods["before"],
        "after": periods["after"],
        "rows": [
            {
                "area": area,
                "before": shown.count(counts[area]["before"]),
                "after": shown.count(counts[area]["after"]),
            }
            for area in _AREAS
            if counts.get(area)
        ],
        "ratio": WITHHELD
        if hidden
        else f"{rate['ratio']:.2f} (95 % CI {rate['low']:.2f}\N{EN DASH}{rate['high']:.2f})",
        "verdict": (
            f"Withheld: fewer than {shown.below} incidents in the target area or its buffer."
            if hidden
            else evaluation["verdict"]
        ),
    }


def _follow_up(found: FollowUp, shown: Shown) -> dict[str, Any]:
    local = [v for k, v in found.counts.items() if k.startswith("target")]
    hidden = shown.any_hidden(local)
    return {
        "months_after": found.months_after,
        "label": found.label,
        "window": None if found.window is None else f"{found.window.first} to {found.window.last}",
        "reason": (
            f"Withheld: fewer than {shown.below} incidents in the target area."
            if hidden
            else found.reason[:1].upper() + found.reason[1:] + "."
        ),
        "label_shown": WITHHELD if hidden else found.label,
    }
