"""Harm weights per police.uk category from offence weights and national offence volumes.

police.uk files each record under one of 13 broad crime categories, never the Home Office
offence, so a category's harm weight has to be an average over its offences. The fair
average is the one a typical crime of the category carries: each offence's Crime Severity
Score weight weighted by how often that offence is recorded nationally. A plain mean of two
"representative" offences (the first shipped table) let common assault count as much as
assault with injury and left out rape, trafficking and possession of a knife altogether.
``scripts/harm_weights.py`` runs this on the inputs under ``geodata/data/harm/`` and writes
the shipped table that :func:`geodata.harm.read_harm_weights` reads.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from geodata.errors import HarmWeightsError

LOCAL_MIX = 2.0
"""The plausible range lets each offence's share of its category locally be up to this many
times larger or smaller than its national share (half to twice, by default)."""


@dataclass(frozen=True)
class CategoryWeight:
    """One police.uk category's derived weight, its plausible range and how it was made."""

    category: str
    weight: float
    low: float
    high: float
    offences: int
    basis: str


def volume_weighted(
    weights: pd.DataFrame,
    volumes: pd.DataFrame,
    mapping: pd.DataFrame,
    *,
    local_mix: float = LOCAL_MIX,
) -> list[CategoryWeight]:
    """Each category's weight as the volume-weighted mean of its offences' CSS weights.

    Method
    ------
    1. Each row of ``mapping`` (``police_uk_category``, ``offence_code``) is joined to the
       national volume of its Home Office offence code in ``volumes`` (``offence_code``,
       ``css_offence_code``, ``count``), then by ``css_offence_code`` to the ONS weight in
       ``weights`` (``offence_code``, ``weight``). A mapping row with no volume (the
       "Homicide" row that sums codes 1, 4.1, 4.2 and 4.10, already mapped one by one) is
       left out; an offence with a volume but no weight is an error, since leaving it out
       would move the mean without saying so. Volumes with no category (fraud recorded by
       Action Fraud, CIFAS and UK Finance) are not police.uk crime and are not used.
    2. ``weight_c = sum_i n_i w_i / sum_i n_i`` over the offences ``i`` of category ``c``,
       with ``n_i`` the offences recorded in England and Wales in the year of ``volumes``.
    3. **Plausible range.** A ward's or force's mix of offences within a category is not the
       national one. The range is the lowest and highest weight the category would take if
       each offence's volume were anywhere between ``1 / local_mix`` and ``local_mix`` times
       its national volume: the extremes of a ratio of linear forms, reached when every
       offence heavier than the result has the largest factor and every lighter one the
       smallest (the lowest: the other way round), so trying each offence weight as the
       threshold finds them exactly. A category of one offence, or of offences of one
       weight, has no range.

    Returns
    -------
    list of CategoryWeight
        One per category of ``mapping``, sorted by category name.
    """
    if not local_mix >= 1:
        raise HarmWeightsError(f"local_mix must be a number >= 1, got {local_mix!r}")
    joined = mapping[["police_uk_category", "offence_code"]].merge(
        volumes[["offence_code", "css_offence_code", "count", "offence"]],
        on="offence_code",
        how="inner",
        validate="one_to_one",
    )
    joined = joined.merge(
        weights[["offence_code", "weight"]].rename(columns={"offence_code": "css_offence_code"}),
        on="css_offence_code",
        how="left",
        validate="many_to_one",
    )
    unweighted = joined[joined["weight"].isna()]
    if not unweighted.empty:
        codes = ", ".join(unweighted["offence_code"].astype(str))
        raise HarmWeightsError(f"offence codes with a volume but no CSS weight: {codes}")
    result = []
    for category, rows in joined.groupby("police_uk_category", sort=True):
        count = rows["count"].to_numpy(dtype=np.float64)
        weight = rows["weight"].to_numpy(dtype=np.float64)
        if count.sum() <= 0:
            raise HarmWeightsError(f"{category}: no recorded offences to weight by")
        mean = float(count @ weight / count.sum())
        low = _extreme(count, weight, local_mix, highest=False)
        high = _extreme(count, weight, local_mix, highest=True)
        result.append(
            CategoryWeight(
                category=str(category),
                weight=mean,
                low=low,
                high=high,
                offences=len(rows),
                basis=_basis(rows, count, mean),
            )
        )
    return result


def _extreme(
    count: npt.NDArray[np.float64],
    weight: npt.NDArray[np.float64],
    factor: float,
    *,
    highest: bool,
) -> float:
    """The highest (or lowest) volume-weighted mean with each volume scaled by 1/f to f."""
    best = float(count @ weight / count.sum())
    for threshold in np.unique(weight):
        heavy = weight > threshold if highest else weight < threshold
        scaled = count * np.where(heavy, factor, 1 / factor)
        value = float(scaled @ weight / scaled.sum())
        best = max(best, value) if highest else min(best, value)
    return best


def _basis(rows: pd.DataFrame, count: npt.NDArray[np.float64], mean: float) -> str:
    """The row's ``basis``: how many offences, and the largest shares of the category's harm."""
    if len(rows) == 1:
        return (
            f"{rows['offence_code'].iloc[0]} {rows['offence'].iloc[0].strip().lower()} "
            f"{mean:.2f}; the category's only offence"
        )
    harm = count * rows["weight"].to_numpy(dtype=np.float64)
    share_of_harm = harm / harm.sum()
    order = np.argsort(-share_of_harm, kind="stable")[:3]
    largest = "; ".join(
        f"{rows['offence_code'].iloc[i]} {rows['offence'].iloc[i].strip().lower()} "
        f"{rows['weight'].iloc[i]:.2f} x {int(count[i]):,} ({share_of_harm[i] * 100:.0f} % of harm)"
        for i in order
    )
    return (
        f"volume-weighted mean of {len(rows)} offences, {int(count.sum()):,} recorded; "
        f"largest parts: {largest}"
    )
