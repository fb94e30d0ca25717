"""Neighbourhood teams and their staff set against where residents, crime, harm and concerns are.

The inspection asked whether the right resources are in the right place, "with greater
consideration given to the level of risk and harm in local communities", and found
neighbourhood officers often taken away to urgent work. This module answers both for each
neighbourhood team: its share of the force's residents, crimes, harm and open concerns
against its share of the staff in post, what the same staff would look like if shared out by
harm (or by a stated blend of harm and residents), and how many of its hours were taken to
response work. Every figure is a plain sum or a share of one; no weight is hidden.

Teams are read from a file by ``geodata/io/teams.py``; the service gathers the ward figures
(``service/readmodels/resourcing.py``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from geodata.crime import ASB, CATEGORIES
from geodata.harm import HarmWeights, harm_by_category
from geodata.period import Period
from geodata.profile import ForceCounts, crime_total

SHARE_DECIMALS = 1
"""Shares are shown as percentages with one decimal, rounded so each column shows 100.0 %."""


@dataclass(frozen=True, slots=True)
class Team:
    """A neighbourhood team: its name, the ward codes it covers and its staff in post.

    Staff are counted by head: each police constable (``pcs``) and each police community
    support officer (``pcsos``) in post counts as one, whatever their hours; sergeants,
    inspectors and vacant posts are not counted.
    """

    name: str
    ward_codes: tuple[str, ...]
    pcs: int
    pcsos: int

    @property
    def staff(self) -> int:
        """PCs and PCSOs in post, one each."""
        return self.pcs + self.pcsos


@dataclass(frozen=True, slots=True)
class Abstraction:
    """Hours a team's officers were taken from neighbourhood work to response work in a month."""

    team: str
    month: str
    """YYYY-MM."""
    hours: float


@dataclass(frozen=True, slots=True)
class WardFigures:
    """What one ward weighs in the table, for one period (see :func:`ward_figures`)."""

    code: str
    name: str
    residents: int | None
    """Usual residents as the ward pages use them; None when no population is stored."""
    crimes: int
    """police.uk crimes in the period, anti-social behaviour left out."""
    harm: float
    """The crimes weighted by the harm table, as the ward profile's harm total."""
    open_concerns: int
    """Concerns open or in progress now (not limited to the period)."""


@dataclass(frozen=True, slots=True)
class TeamRow:
    """One team's line of the table. Shares are percentages of the teams' total (see
    :func:`resourcing_table`); None when the column's total is 0."""

    name: str
    ward_codes: tuple[str, ...]
    pcs: int
    pcsos: int
    staff: int
    residents: int
    crimes: int
    harm: float
    open_concerns: int
    residents_share: float | None
    crimes_share: float | None
    harm_share: float | None
    concerns_share: float | None
    staff_share: float | None
    by_harm: int | None
    """Whole staff this team would have if the same total were shared out by harm."""
    by_blend: int | None
    """Whole staff by the blend of harm and residents."""
    abstraction_hours: float | None
    """Hours taken to response work over the months recorded in the period; None: none recorded."""
    months_recorded: int
    hours_available: float
    """Staff times the hours per officer per month times the months recorded."""
    abstraction_percent: float | None
    """Abstraction hours as a percentage of hours available; None when either is unknown."""


@dataclass(frozen=True, slots=True)
class Resourcing:
    """The table of every team, the wards in no team, and the settings it was made with."""

    period: Period
    teams: tuple[TeamRow, ...]
    unassigned: tuple[WardFigures, ...]
    """Wards of the boundaries that no team covers: outside every share, listed on their own."""
    unknown_codes: tuple[str, ...]
    """Ward codes a team names that the current boundaries do not hold (redrawn since)."""
    blend: float
    """Weight of harm in the blend; residents get ``1 - blend``."""
    hours_per_month: float
    pcs: int
    pcsos: int
    staff: int
    residents: int
    crimes: int
    harm: float
    open_concerns: int
    abstraction_hours: float | None
    hours_available: float
    abstraction_percent: float | None
    missing_residents: tuple[str, ...]
    """Codes of team wards with no population stored; they add no residents."""


def largest_remainder(weights: Sequence[float], total: int) -> list[int] | None:
    """Share the whole number ``total`` out in proportion to ``weights``, in whole units.

    Method (Hamilton's largest remainder): each item's exact quota is ``total * w / sum(w)``;
    each gets the whole part of its quota, and the units left over go one each to the items
    with the largest fractional parts (a tie to the item listed first). The parts always add
    up to ``total``, and each part is its quota rounded down or up. None when the weights add
    up to 0, since nothing says how to share. Weights must be finite and not negative.
    """
    if total < 0:
        raise ValueError(f"total: must be 0 or more, got {total}")
    if any(not math.isfinite(w) or w < 0 for w in weights):
        raise ValueError("weights: each must be a finite number of 0 or more")
    whole = math.fsum(weights)
    if whole <= 0:
        return None
    quotas = [total * w / whole for w in weights]
    parts = [math.floor(q) for q in quotas]
    left = total - sum(parts)
    order = sorted(range(len(quotas)), key=lambda i: (-(quotas[i] - parts[i]), i))
    for i in order[:left]:
        parts[i] += 1
    return parts


def percent_shares(
    values: Sequence[float], *, decimals: int = SHARE_DECIMALS
) -> list[float] | None:
    """Each value's share of their sum as a percentage rounded to ``decimals``, adding to 100.

    Rounding each share on its own can show 99.9 % or 100.1 % in total; instead the units of
    the last decimal (1,000 tenths of a per cent for one decimal) are shared out by
    :func:`largest_remainder`, so the shares shown always add up to exactly 100. None when
    the values add up to 0.
    """
    units = 100 * 10**decimals
    parts = largest_remainder(values, units)
    if parts is None:
        return None
    return [round(part / 10**decimals, decimals) for part in parts]


def ward_figures(
    force: ForceCounts,
    period: Period,
    *,
    names: Mapping[str, str],
    residents: Mapping[str, int],
    open_concerns: Mapping[str, int],
    weights: HarmWeights,
) -> dict[str, WardFigures]:
    """The residents, crimes, harm and open concerns of every ward in ``names``.

    Method: a ward's crimes are its police.uk records in the period apart from anti-social
    behaviour (:func:`geodata.profile.crime_total`); its harm is each category's count times
    its weight, added up (:func:`geodata.harm.harm_by_category`, the ward profile's harm
    total); residents are the ward's stored usual residents (None when not stored); open
    concerns are counted as given. A ward with no records has 0 crimes and 0 harm.
    """
    totals = force.by_category(period)
    at = {code: i for i, code in enumerate(force.wards)}
    figures: dict[str, WardFigures] = {}
    for code, name in names.items():
        counts = (
            dict(zip(CATEGORIES, totals[at[code]].tolist(), strict=True))
            if code in at
            else dict.fromkeys(CATEGORIES, 0)
        )
        harm = harm_by_category({c: n for c, n in counts.items() if c != ASB}, weights)
        figures[code] = WardFigures(
            code=code,
            name=name,
            residents=residents.get(code),
            crimes=crime_total(counts),
            harm=math.fsum(harm.values()),
            open_concerns=int(open_concerns.get(code, 0)),
        )
    return figures


def resourcing_table(
    teams: Sequence[Team],
    wards: Mapping[str, WardFigures],
    *,
    period: Period,
    abstraction: Sequence[Abstraction] = (),
    blend: float,
    hours_per_month: float,
) -> Resourcing:
    """Each team's share of residents, crimes, harm and open concerns against its share of staff.

    Method
    ------
    - A team's residents, crimes, harm and open concerns are the sums over the wards it
      covers (:class:`WardFigures`). Wards that no team covers are left out of every total
      and listed in ``unassigned``, so the shares are shares of what the teams cover.
    - Each share is the team's figure over the teams' total, as a percentage with one
      decimal, rounded by :func:`percent_shares` so each column adds up to 100.0 %.
    - Staff are PCs plus PCSOs in post, one each (:class:`Team`). ``by_harm`` shares the
      same staff total out in proportion to harm, in whole officers by largest remainder
      (:func:`largest_remainder`), so it adds up to the staff in post. ``by_blend`` does the
      same in proportion to ``blend`` times the team's share of harm plus ``1 - blend``
      times its share of residents (exact shares, not the rounded ones); blend 1 is all
      harm, 0 all residents. Without residents stored, only blend 1 can be worked out.
    - Abstraction: the hours recorded for the team in the months of the period, against
      the hours available in those same months, ``staff * hours_per_month * months``; a
      month with no record for the team is not counted on either side.
    """
    if not 0.0 <= blend <= 1.0 or not math.isfinite(blend):
        raise ValueError(f"blend: must be between 0 and 1, got {blend}")
    if not math.isfinite(hours_per_month) or hours_per_month <= 0:
        raise ValueError(f"hours_per_month: must be more than 0, got {hours_per_month}")
    months = set(period.months)
    covered = [[wards[c] for c in team.ward_codes if c in wards] for team in teams]
    unknown = sorted({c for team in teams for c in team.ward_codes if c not in wards})
    in_teams = {c for team in teams for c in team.ward_codes}
    residents = [sum(w.residents or 0 for w in ws) for ws in covered]
    crimes = [sum(w.crimes for w in ws) for ws in covered]
    harm = [math.fsum(w.harm for w in ws) for ws in covered]
    concerns = [sum(w.open_concerns for w in ws) for ws in covered]
    staff = [team.staff for team in teams]
    total_staff = sum(staff)
    by_harm = largest_remainder(harm, total_staff)
    need = _blend(harm, residents, blend)
    by_blend = largest_remainder(need, total_staff) if need is not None else None
    hours: dict[str, dict[str, float]] = {}
    for row in abstraction:
        if row.month in months:
            hours.setdefault(row.team, {})[row.month] = row.hours
    shares = {
        name: percent_shares(values)
        for name, values in (
            ("residents", residents),
            ("crimes", crimes),
            ("harm", harm),
            ("concerns", concerns),
            ("staff", staff),
        )
    }

    def share(name: str, i: int) -> float | None:
        column = shares[name]
        return None if column is None else column[i]

    rows = []
    for i, team in enumerate(teams):
        recorded = hours.get(team.name, {})
        taken = math.fsum(recorded.values()) if recorded else None
        available = team.staff * hours_per_month * len(recorded)
        rows.append(
            TeamRow(
                name=team.name,
                ward_codes=team.ward_codes,
                pcs=team.pcs,
                pcsos=team.pcsos,
                staff=team.staff,
                residents=residents[i],
                crimes=crimes[i],
                harm=harm[i],
                open_concerns=concerns[i],
                residents_share=share("residents", i),
                crimes_share=share("crimes", i),
                harm_share=share("harm", i),
                concerns_share=share("concerns", i),
                staff_share=share("staff", i),
                by_harm=None if by_harm is None else by_harm[i],
                by_blend=None if by_blend is None else by_blend[i],
                abstraction_hours=taken,
                months_recorded=len(recorded),
                hours_available=available,
                abstraction_percent=_percent(taken, available),
            )
        )
    taken_all = [r.abstraction_hours for r in rows if r.abstraction_hours is not None]
    total_taken = math.fsum(taken_all) if taken_all else None
    total_available = math.fsum(r.hours_available for r in rows)
    return Resourcing(
        period=period,
        teams=tuple(rows),
        unassigned=tuple(
            sorted((w for c, w in wards.items() if c not in in_teams), key=lambda w: w.name)
        ),
        unknown_codes=tuple(unknown),
        blend=blend,
        hours_per_month=hours_per_month,
        pcs=sum(team.pcs for team in teams),
        pcsos=sum(team.pcsos for team in teams),
        staff=total_staff,
        residents=sum(residents),
        crimes=sum(crimes),
        harm=math.fsum(harm),
        open_concerns=sum(concerns),
        abstraction_hours=total_taken,
        hours_available=total_available,
        abstraction_percent=_percent(total_taken, total_available),
        missing_residents=tuple(
            sorted(w.code for ws in covered for w in ws if w.residents is None)
        ),
    )


def _blend(harm: Sequence[float], residents: Sequence[int], blend: float) -> list[float] | None:
    """Each team's need: ``blend`` times its share of harm plus ``1 - blend`` times its share
    of residents; None when a part with weight above 0 has a total of 0."""
    harm_total, residents_total = math.fsum(harm), sum(residents)
    if (blend > 0 and harm_total <= 0) or (blend < 1 and residents_total <= 0):
        return None
    return [
        (blend * h / harm_total if blend > 0 else 0.0)
        + ((1 - blend) * r / residents_total if blend < 1 else 0.0)
        for h, r in zip(harm, residents, strict=True)
    ]


def _percent(part: float | None, whole: float) -> float | None:
    return None if part is None or whole <= 0 else 100 * part / whole


def method_notes(table: Resourcing) -> dict[str, str]:
    """How each part of the table is worked out, in plain words, for the page and the API."""
    harm_part = round(table.blend * 100)
    return {
        "teams": "Each team's figures are the sums over the wards it covers. Wards in no team "
        "are left out of every share and listed on their own, so the shares are shares of "
        "what the teams cover.",
        "staff": "Staff are police constables (PCs) and police community support officers "
        "(PCSOs) in post, counted by head: one each, whatever their hours. Sergeants, "
        "inspectors and vacant posts are not counted.",
        "residents": "Residents are the usual residents of the 2021 Census, as the ward "
        "pages use them.",
        "crimes": "Crimes are police.uk crimes in the period; anti-social behaviour is not "
        "counted.",
        "harm": "Harm weights each crime by the typical sentence its offence receives (the "
        "harm table of the ward pages), added up over the period.",
        "concerns": "Open concerns are those open or in progress today, whatever the period.",
        "shares": "Each share is the team's figure over all teams' total, shown to one "
        "decimal and rounded so that each column adds up to exactly 100 %.",
        "allocation": "'By harm' shares the same staff out in proportion to each team's "
        f"harm; 'by blend' in proportion to {harm_part} % of its share of harm plus "
        f"{100 - harm_part} % of its share of residents. Both are in whole officers: each "
        "team gets the whole part of its exact share, and the officers left over go to the "
        "largest remainders, so the total is the staff in post.",
        "abstraction": "Abstraction is the hours a team's officers were taken to response "
        "work in the months of the period that have a record for the team, against the "
        f"hours available in those months: staff times {table.hours_per_month:g} hours "
        "per officer per month.",
    }


def to_json(table: Resourcing) -> dict[str, Any]:
    """The table as the API serves it: every field, the period as its months, and the method."""
    body = asdict(table)
    body["period"] = {"from": table.period.first, "to": table.period.last}
    body["method"] = method_notes(table)
    return body
