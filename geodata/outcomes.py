"""police.uk outcome labels: the current vocabulary, its aliases, and outcome shares.

Every crime row in a street file carries a "Last outcome category": the latest thing that
happened to the crime by the time the file was published, so it changes as cases progress
and differs between an old download and a new one. Anti-social behaviour rows have none.
The police.uk API names the same outcomes twice, with a slug (``no-further-action``) and a
name ("Investigation complete; no suspect identified"), and the API's name can differ from
the label in the street files.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import pandas as pd

OUTCOMES: tuple[str, ...] = (
    "Awaiting court outcome",
    "Court result unavailable",
    "Court case unable to proceed",
    "Local resolution",
    "Investigation complete; no suspect identified",
    "Offender deprived of property",
    "Offender fined",
    "Offender given absolute discharge",
    "Offender given a caution",
    "Offender given a drugs possession warning",
    "Offender given penalty notice",
    "Offender given community sentence",
    "Offender given conditional discharge",
    "Offender given suspended prison sentence",
    "Offender sent to prison",
    "Offender otherwise dealt with",
    "Offender ordered to pay compensation",
    "Suspect charged as part of another case",
    "Suspect charged",
    "Defendant found not guilty",
    "Defendant sent to Crown Court",
    "Unable to prosecute suspect",
    "Formal action is not in the public interest",
    "Action to be taken by another organisation",
    "Further investigation is not in the public interest",
    "Further action is not in the public interest",
    "Under investigation",
    "Status update unavailable",
)
"""The 28 outcome categories of the police.uk API, in the API's order, as street files label them.

The list is the API's outcome-category vocabulary (the ``outcomes-for-crime`` and
``outcomes-at-location`` methods), as transcribed by independent API clients: a Python and
a Haskell client list all 28 codes and names, and Swift and C# clients agree wherever they
overlap. The one label written as the
street files write it rather than as the API names it is "Offender given penalty notice"
(the API says "Offender given a penalty notice"); see :data:`OUTCOME_ALIASES`.
"""

OUTCOME_NOT_RECORDED = "Outcome not recorded"
"""What :func:`outcome_shares` calls a crime whose outcome cell is blank."""

OUTCOME_ALIASES: dict[str, str] = {
    # The API's outcome name, where the street files and the API's crime records
    # ("outcome_status") use the shorter label.
    "Offender given a penalty notice": "Offender given penalty notice",
    # Slugs (outcome category codes) used by the police.uk API and extracts made from it.
    "awaiting-court-result": "Awaiting court outcome",
    "court-result-unavailable": "Court result unavailable",
    "unable-to-proceed": "Court case unable to proceed",
    "local-resolution": "Local resolution",
    "no-further-action": "Investigation complete; no suspect identified",
    "deprived-of-property": "Offender deprived of property",
    "fined": "Offender fined",
    "absolute-discharge": "Offender given absolute discharge",
    "cautioned": "Offender given a caution",
    "drugs-possession-warning": "Offender given a drugs possession warning",
    "penalty-notice-issued": "Offender given penalty notice",
    "community-penalty": "Offender given community sentence",
    "conditional-discharge": "Offender given conditional discharge",
    "suspended-sentence": "Offender given suspended prison sentence",
    "imprisoned": "Offender sent to prison",
    "other-court-disposal": "Offender otherwise dealt with",
    "compensation": "Offender ordered to pay compensation",
    "sentenced-in-another-case": "Suspect charged as part of another case",
    "charged": "Suspect charged",
    "not-guilty": "Defendant found not guilty",
    "sent-to-crown-court": "Defendant sent to Crown Court",
    "unable-to-prosecute": "Unable to prosecute suspect",
    "formal-action-not-in-public-interest": "Formal action is not in the public interest",
    "action-taken-by-another-organisation": "Action to be taken by another organisation",
    "further-investigation-not-in-public-interest": (
        "Further investigation is not in the public interest"
    ),
    "further-action-not-in-public-interest": "Further action is not in the public interest",
    "under-investigation": "Under investigation",
    "status-update-unavailable": "Status update unavailable",
}
"""Other labels for a current outcome, each mapped to the label in :data:`OUTCOMES`.

Only aliases with a source are listed. The slugs are the API's category codes, each paired
with its name in the API's outcome records. "Offender given a penalty notice" is the API's
name for ``penalty-notice-issued``; the street files and the ``outcome_status`` of the API's
crime records say "Offender given penalty notice" (observed on the live API and recorded by
an API client's maintainers). Older street files may use other wordings; none is listed
until it is seen in a file, because a guessed alias could merge two different outcomes.
"""


def canonical_outcome(label: str) -> str:
    """The current police.uk outcome for ``label``.

    Surrounding spaces are ignored. A blank label gives ``""`` (the crime has no outcome
    recorded). A current label is returned as it is, an alias as its current label, and
    any other label unchanged: an outcome police.uk adds after this vocabulary was written
    must stay visible, as its own line in a profile, rather than vanish and inflate the
    share of every other outcome.
    """
    text = label.strip()
    if not text or text in OUTCOMES:
        return text
    return OUTCOME_ALIASES.get(text, text)


def outcome_shares(
    labels: Sequence[str] | pd.Series, *, counts: Sequence[int] | None = None
) -> dict[str, float]:
    """The share of crimes in each last outcome category.

    Method
    ------
    Pass the outcome labels of crimes only, one per crime (anti-social behaviour rows
    have no outcome and are not crimes, so leave them out before calling). Each label is
    put in its current form by :func:`canonical_outcome`. A crime whose label is blank
    (``""``, spaces, ``None`` or NaN, as pandas reads an empty cell) is counted under
    :data:`OUTCOME_NOT_RECORDED`, so the shares still cover every crime. The share of an
    outcome is its number of crimes divided by the number of crimes, so the shares sum to
    1 (to rounding); labels police.uk has not used in this vocabulary keep their own line.

    ``counts``, when given, says how many crimes each label stands for (grouped rows);
    the shares are then those of the summed counts.

    Returns
    -------
    dict
        ``{outcome: share}``, largest share first and, among equal shares, outcomes in
        alphabetical order; ``{}`` when there are no crimes.
    """
    values = labels.tolist() if isinstance(labels, pd.Series) else list(labels)
    weights = [1] * len(values) if counts is None else [int(n) for n in counts]
    if len(weights) != len(values):
        raise ValueError(f"counts: {len(weights)} counts for {len(values)} labels")
    totals: Counter[str] = Counter()
    for value, weight in zip(values, weights, strict=True):
        totals[_outcome_of(value)] += weight
    total = sum(totals.values())
    if not total:
        return {}
    ordered = sorted(totals.items(), key=lambda item: (-item[1], item[0]))
    return {outcome: count / total for outcome, count in ordered if count}


def _outcome_of(value: object) -> str:
    """The current outcome of one crime's label, blank ones as :data:`OUTCOME_NOT_RECORDED`."""
    if value is None or (isinstance(value, float) and value != value):
        return OUTCOME_NOT_RECORDED
    if not isinstance(value, str):
        raise TypeError(f"labels: {value!r} is not a text outcome label")
    return canonical_outcome(value) or OUTCOME_NOT_RECORDED
