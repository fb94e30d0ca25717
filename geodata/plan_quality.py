"""The quality checklist of a problem-solving plan: nine items of a good SARA plan.

:func:`quality` scores a :class:`geodata.plans.Plan` one point per item met and says why
each item is met or not, so a page can show what the plan still lacks. The items and
the word lists that decide them are named here; the plan record and its checks live in
``geodata/plans.py``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, NamedTuple

from geodata.crime import CATEGORIES
from geodata.plans import Plan, Response

# --- Quality checklist ---------------------------------------------------------------------

QUALITY_ITEMS: Mapping[str, str] = MappingProxyType(
    {
        "specific-problem": "A specific problem statement",
        "root-cause": "The analysis names a root cause",
        "data-in-scanning": "Data used in scanning",
        "responses-linked": "Responses linked to the cause",
        "response-evidence": "Evidence for every response",
        "measurable-objective": "A measurable objective",
        "assessment-date": "An assessment date",
        "partners": "Partners named",
        "community": "Community involvement described",
    }
)
"""The checklist of a good SARA plan, in order: item slug → what the UI shows."""

MIN_PROBLEM_WORDS = 15
"""Words a specific problem statement has at least."""

MIN_ROOT_CAUSE_WORDS = 5
"""Words a root cause has at least: a cause, not a label."""

PLACE_WORDS: tuple[str, ...] = (
    "street", "road", "lane", "avenue", "park", "estate", "centre", "center", "station",
    "shop", "shops", "parade", "car park", "alley", "alleyway", "underpass", "square",
    "school", "precinct", "bus stop", "footpath", "towpath", "canal", "field", "fields",
    "playground", "play area", "garages", "flats", "high street", "market", "pub", "pubs",
    "bars", "nightclub", "takeaway", "taxi rank", "terrace", "back lane", "retail park",
)  # fmt: skip
"""Words and phrases that name a place in a problem statement."""

TIME_WORDS: tuple[str, ...] = (
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "mondays", "tuesdays", "wednesdays", "thursdays", "fridays", "saturdays", "sundays",
    "january", "february", "march", "april", "june", "july", "august",
    "september", "october", "november", "december",
    "morning", "mornings", "afternoon", "afternoons", "evening", "evenings", "night",
    "nights", "overnight", "weekend", "weekends", "weekday", "weekdays", "daytime",
    "dusk", "after dark", "summer", "winter", "spring", "autumn", "holidays",
    "school holidays", "closing time", "midnight", "midday",
)  # fmt: skip
"""Words and phrases that name a time; clock times (``8pm``, ``22:00``) count too."""

CATEGORY_WORDS: tuple[str, ...] = (
    "asb", "anti-social", "antisocial", "burglary", "burglaries", "shoplifting",
    "violence", "violent", "assault", "assaults", "robbery", "robberies", "theft",
    "thefts", "drugs", "drug", "dealing", "criminal damage", "arson", "vandalism",
    "graffiti", "weapons", "knife", "knives", "public order", "vehicle crime", "car crime",
    "bicycle", "bike", "bikes", "sexual",
)  # fmt: skip
"""Words and phrases that name a kind of crime; police.uk category names count too."""

COMMON_WORDS: tuple[str, ...] = (
    "with", "that", "this", "from", "they", "them", "their", "there", "have", "been", "more",
    "less", "when", "where", "which", "will", "into", "over", "than", "were", "what", "also",
    "about", "after", "before", "other", "some", "such", "only", "very", "each", "most",
    "much", "many", "make", "made", "does", "done", "through", "would", "could", "should",
    "being", "these", "those", "while",
)  # fmt: skip
"""Words left out when :func:`quality` looks for a response linked to the cause."""

_WORD = re.compile(r"[0-9a-z]+(?:['-][0-9a-z]+)*")
_CLOCK = re.compile(r"\b(?:\d{1,2}(?::\d{2})?\s?(?:am|pm)|\d{1,2}:\d{2})\b")
_STEM = 5


class Check(NamedTuple):
    """One checklist item: its slug (:data:`QUALITY_ITEMS`), whether it is met, and why."""

    item: str
    met: bool
    why: str


@dataclass(frozen=True)
class Quality:
    """The checklist result: items met (``score``) out of ``out_of``, and each item."""

    score: int
    out_of: int
    items: list[Check]

    @property
    def missing(self) -> list[str]:
        """What the plan still lacks, as the UI shows it."""
        return [QUALITY_ITEMS[check.item] for check in self.items if not check.met]

    def as_dict(self) -> dict[str, Any]:
        return {
            "score": self.score,
            "out_of": self.out_of,
            "items": [
                {"item": c.item, "label": QUALITY_ITEMS[c.item], "met": c.met, "why": c.why}
                for c in self.items
            ],
        }


def quality(plan: Plan) -> Quality:
    """Score ``plan`` against the checklist of a good SARA plan, one point per item met.

    The rules, in the order of :data:`QUALITY_ITEMS` (words are runs of letters and
    digits, compared in any letter case):

    1. **A specific problem statement**: ``problem`` has at least :data:`MIN_PROBLEM_WORDS`
       words and names a place (:data:`PLACE_WORDS`), a time (:data:`TIME_WORDS` or a clock
       time such as ``8pm`` or ``22:00``) or a kind of crime (:data:`CATEGORY_WORDS` or a
       police.uk category name).
    2. **The analysis names a root cause**: ``root_cause`` has at least
       :data:`MIN_ROOT_CAUSE_WORDS` words.
    3. **Data used in scanning**: ``data`` is one of the ``scanning_sources``.
    4. **Responses linked to the cause**: there is at least one response, and every
       response's action or evidence shares a word stem with the root cause or the
       hypothesis: words of four letters or more, compared on their first five letters
       (so "lighting" matches "lights"), leaving out :data:`COMMON_WORDS`.
    5. **Evidence for every response**: there is at least one response, and every response
       has evidence text or a toolkit rating other than ``unknown``.
    6. **A measurable objective**: ``objective`` contains a number (``20 %``, ``halve`` does
       not count: write ``50 %``).
    7. **An assessment date**: ``assessment_date`` is set.
    8. **Partners named**: the plan or one of its responses names a partner.
    9. **Community involvement described**: ``community_involvement`` is not blank.

    The rules look for what a reviewer looks for first; they cannot tell a good root cause
    from a poor one, so a full score means complete, not right. Each item's ``why`` says
    what was found or what is missing.
    """
    checks = [
        _specific_problem(plan.problem),
        _root_cause(plan.root_cause),
        Check(
            "data-in-scanning",
            "data" in plan.scanning_sources,
            "scanning used recorded data"
            if "data" in plan.scanning_sources
            else "scanning sources do not include 'data' (recorded crime and ASB)",
        ),
        _responses_linked(plan),
        _response_evidence(plan.responses),
        _measurable(plan.objective),
        Check(
            "assessment-date",
            plan.assessment_date is not None,
            f"assessed on {plan.assessment_date.isoformat()}"
            if plan.assessment_date is not None
            else "no assessment date: say when the plan will be judged",
        ),
        _partners(plan),
        Check(
            "community",
            bool(plan.community_involvement.strip()),
            "describes how the community is involved"
            if plan.community_involvement.strip()
            else "community involvement is blank",
        ),
    ]
    return Quality(score=sum(c.met for c in checks), out_of=len(checks), items=checks)


def _words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def _found(words: list[str], phrases: Iterable[str]) -> list[str]:
    """The phrases that occur in ``words``, in the order they first occur there."""
    padded = f" {' '.join(words)} "
    found = [phrase for phrase in phrases if f" {phrase} " in padded]
    return sorted(found, key=lambda phrase: padded.index(f" {phrase} "))


def _specific_problem(problem: str) -> Check:
    words = _words(problem)
    named: list[str] = []
    places = _found(words, PLACE_WORDS)
    times = _found(words, TIME_WORDS) + _CLOCK.findall(problem.casefold())
    kinds = _found(words, CATEGORY_WORDS) + _found(words, (" ".join(_words(c)) for c in CATEGORIES))
    for what, hits in (("a place", places), ("a time", times), ("a kind of crime", kinds)):
        if hits:
            named.append(f"{what} ({hits[0]})")
    if len(words) < MIN_PROBLEM_WORDS:
        return Check(
            "specific-problem",
            False,
            f"the problem statement has {len(words)} words; a specific one has at least "
            f"{MIN_PROBLEM_WORDS} and names a place, a time or a kind of crime",
        )
    if not named:
        return Check(
            "specific-problem",
            False,
            "the problem statement names no place, time or kind of crime",
        )
    return Check("specific-problem", True, "names " + ", ".join(named))


def _root_cause(root_cause: str) -> Check:
    n = len(_words(root_cause))
    if n >= MIN_ROOT_CAUSE_WORDS:
        return Check("root-cause", True, "the analysis names a root cause")
    if n == 0:
        return Check("root-cause", False, "no root cause: say why the problem happens here")
    return Check(
        "root-cause",
        False,
        f"the root cause has {n} words; say why the problem happens here in at least "
        f"{MIN_ROOT_CAUSE_WORDS}",
    )


def _stems(text: str) -> set[str]:
    return {w[:_STEM] for w in _words(text) if len(w) >= 4 and w not in COMMON_WORDS}


def _responses_linked(plan: Plan) -> Check:
    if not plan.responses:
        return Check("responses-linked", False, "no responses yet")
    cause = _stems(plan.root_cause) | _stems(plan.hypothesis)
    if not cause:
        return Check("responses-linked", False, "no root cause or hypothesis to link them to")
    unlinked = [
        n
        for n, response in enumerate(plan.responses, start=1)
        if not (_stems(response.action) | _stems(response.evidence)) & cause
    ]
    if unlinked:
        return Check(
            "responses-linked",
            False,
            f"response {_numbers(unlinked)} shares no word with the root cause or hypothesis",
        )
    return Check("responses-linked", True, "every response addresses the cause")


def _response_evidence(responses: Sequence[Response]) -> Check:
    if not responses:
        return Check("response-evidence", False, "no responses yet")
    bare = [
        n
        for n, r in enumerate(responses, start=1)
        if not r.evidence.strip() and r.toolkit_rating in (None, "unknown")
    ]
    if bare:
        return Check(
            "response-evidence",
            False,
            f"response {_numbers(bare)} has no evidence text and no toolkit rating",
        )
    return Check("response-evidence", True, "every response gives its evidence")


def _numbers(numbers: list[int]) -> str:
    return ", ".join(str(n) for n in numbers)


def _measurable(objective: str) -> Check:
    if re.search(r"\d", objective):
        return Check("measurable-objective", True, "the objective has a number to judge by")
    if not objective.strip():
        return Check("measurable-objective", False, "no objective")
    return Check(
        "measurable-objective",
        False,
        "the objective has no number: say how much, e.g. 'reduce ASB reports by 20 %'",
    )


def _partners(plan: Plan) -> Check:
    named = list(plan.partners) + [p for r in plan.responses for p in r.partners]
    if named:
        return Check("partners", True, f"names {len(set(named))} partner(s)")
    return Check("partners", False, "no partner is named, for the plan or any response")
