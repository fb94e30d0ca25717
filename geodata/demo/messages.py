"""SYNTHETIC demo prevention messages for the demo force, with planted gaps, noise and fatigue.

SYNTHETIC DATA - NOT REAL POLICE MESSAGES. The messages are invented for the wards of
``geodata/demo/force.py``. They are written against the demo's ranked priorities so that
the alignment view (``geodata/message_alignment.py``) has exactly three kinds of finding
to show, each planted on purpose and returned with the messages so a test can check that
the view finds them and nothing else.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from geodata.demo.wards import ASB_PARK, BURGLARY_RISING, TOWN_CENTRE, VEHICLE_FALLING
from geodata.message_alignment import AlignmentSettings, covers, week_start
from geodata.messages import CHANNELS, FORCE_WIDE, Message
from geodata.priorities import Priority, Theme

_SENDERS = (
    "Neighbourhood team (synthetic)",
    "Corporate communications (synthetic)",
    "Community safety partnership (synthetic)",
    "PCSO Demo 1 (synthetic)",
)
_AUDIENCES = (("residents",), ("residents", "businesses"), ("young-people",), ("older-residents",))
_UNPRIORITISED = ("fly-tipping", "parking", "speeding", "other", "bicycle-theft", "noise")
"""Tags the noisy ward is messaged about, the first that rank nowhere in it being used."""


@dataclass
class DemoMessages:
    """The synthetic messages and the findings planted in them.

    ``gaps`` are (ward code, theme) pairs, ``noise`` ward codes and ``fatigue`` (ward code,
    Monday of the week) pairs: exactly what :func:`geodata.message_alignment.align_messages`
    should find with the settings the messages were made for.
    """

    messages: list[Message] = field(default_factory=list)
    gaps: set[tuple[str, str]] = field(default_factory=set)
    noise: set[str] = field(default_factory=set)
    fatigue: set[tuple[str, date]] = field(default_factory=set)


def demo_messages(
    *,
    ranked: Mapping[str, Sequence[Priority]],
    themes: Sequence[Theme],
    names: Mapping[str, str],
    start: date,
    end: date,
    seed: int,
    settings: AlignmentSettings | None = None,
) -> DemoMessages:
    """SYNTHETIC messages for the demo period ``start`` to ``end``, with planted findings.

    Method. ``ranked`` holds each ward's ranked priorities for the period, ``themes`` the
    themes ranked and ``names`` the demo's ward names → codes. The messages:

    - every month from ``start`` to three months before ``end``, a force-wide message on a
      threat theme in turn (each ranks everywhere: every band scores);
    - in the last ``gap_weeks`` weeks, a force-wide message on each high-band theme but the
      last; that last one (Violence against women and girls in the example assessment) goes
      to every ward but :data:`~geodata.demo.wards.TOWN_CENTRE`, which last heard of it
      twelve weeks before ``end``: **planted gap** (town centre, that theme);
    - in the same weeks, each ward's top-ranked theme, unless already covered, to that ward
      alone; one ward whose top theme is not high-band (Hollin Green when it qualifies)
      instead heard of it ten weeks before ``end``: **planted gap** (that ward, its top);
    - :data:`~geodata.demo.wards.VEHICLE_FALLING` gets, spread over the period, messages on a
      tag ranked nowhere in it, two more than its prioritised messages: **planted noise**;
    - :data:`~geodata.demo.wards.ASB_PARK` gets ``weekly_ceiling + 2`` anti-social behaviour
      messages in one week in June: **planted fatigue**.

    Channels, audiences, reach and senders come from ``random.Random(seed)``.
    """
    settings = settings or AlignmentSettings()
    rng = random.Random(seed)
    made = DemoMessages()
    by_name = {theme.name: theme for theme in themes}
    high = [theme.name for theme in themes if theme.band == "high"]
    codes = sorted(ranked)
    if not codes or not high:
        return made

    def send(day: date, area: str, where: Sequence[str], tags: Sequence[str], what: str) -> None:
        made.messages.append(
            Message(
                sent_on=day,
                channel=rng.choice(list(CHANNELS)[:-1]),
                area=area,
                area_codes=tuple(where),
                themes=tuple(tags),
                audiences=rng.choice(_AUDIENCES),
                reach=rng.choice((None, rng.randrange(200, 20_000))),
                sent_by=rng.choice(_SENDERS),
                summary=f"SYNTHETIC: {what}",
                reference=f"DEMO-{len(made.messages) + 1:04d}",
            )
        )

    rotation = [theme.name for theme in themes if theme.band is not None]
    month, turn = date(start.year, start.month, 10), 0
    while month <= end - timedelta(days=92):
        theme = rotation[turn % len(rotation)]
        send(month, FORCE_WIDE, (), (theme,), f"{theme.lower()}: advice for everyone")
        month = date(month.year + month.month // 12, month.month % 12 + 1, 10)
        turn += 1

    *covered, planted = high
    for i, theme in enumerate(covered):
        send(end - timedelta(days=5 + 7 * i), FORCE_WIDE, (), (theme,), f"{theme.lower()}: now")
    town = names.get(TOWN_CENTRE, codes[0])
    send(end - timedelta(weeks=12), FORCE_WIDE, (), (planted,), f"{planted.lower()}: campaign")
    others = [code for code in codes if code != town]
    send(end - timedelta(days=26), "wards", others, (planted,), f"{planted.lower()}: reminder")
    made.gaps.add((town, planted))

    top_gap = next(
        (
            code
            for code in [names.get(BURGLARY_RISING, ""), *codes]
            if code in ranked and code != town and ranked[code] and ranked[code][0].band != "high"
        ),
        None,
    )
    for code in codes:
        if not ranked[code]:
            continue
        top = by_name[ranked[code][0].theme]
        tag = top.name if top.band is not None else top.concern_tags[0]
        if code == top_gap:
            send(end - timedelta(weeks=10), "wards", (code,), (tag,), f"{tag}: local advice")
            made.gaps.add((code, top.name))
        elif top.band != "high":
            send(end - timedelta(days=33), "wards", (code,), (tag,), f"{tag}: local advice")

    noisy = names.get(VEHICLE_FALLING)
    if noisy is not None and noisy in ranked:
        ward_themes = [by_name[p.theme] for p in ranked[noisy]]
        off = next(
            (tag for tag in _UNPRIORITISED if not any(covers((tag,), t) for t in ward_themes)),
            None,
        )
        if off is not None:
            heard = sum(
                1
                for m in made.messages
                if m.sent_on >= start and (m.area == FORCE_WIDE or noisy in m.area_codes)
            )
            step = max(1, (end - start).days // (heard + 3))
            for n in range(heard + 2):
                day = start + timedelta(days=2 + step * n)
                send(day, "wards", (noisy,), (off,), f"{off}: report it")
            made.noise.add(noisy)

    busy = names.get(ASB_PARK)
    asb = next((t.name for t in themes if "asb" in t.concern_tags), "asb")
    if busy is not None and busy in ranked:
        monday = week_start(date(end.year, 6, 18))
        for n in range(settings.weekly_ceiling + 2):
            day = monday + timedelta(days=n % 7)
            send(day, "wards", (busy,), (asb,), "anti-social behaviour: summer holidays")
        made.fatigue.add((busy, monday))
    made.messages.sort(key=lambda m: m.sent_on)
    return made
