"""Stored values in words on every page: months, periods, counts, concern themes and channels.

The pages store and link with slugs and ``YYYY-MM`` months; people read "December 2025",
"1 concern" and "Anti-social behaviour". Each is one Jinja filter here, so a template never
formats a month or a plural by hand and never shows an internal code:

- ``month``: "December 2025" (:func:`geodata.period.month_words`);
- ``period``: a :class:`~geodata.period.Period` or ``(first, last)`` in words;
- ``plural``: ``n|plural("concern")`` is "1 concern", "2 concerns" (``plural("ward", "wards")``
  for an irregular plural), with thousands separated;
- ``theme`` and ``channel``: a concern's tag or channel by its label;
- ``file_name``: an imported file's name without the server's folders; ``without_folders``:
  the same for every path inside a sentence;
- ``day``: a stored ``YYYY-MM-DD`` date as "1 July 2025"; ``when``: a stored UTC time as
  "7 December 2026, 04:22 UTC".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import PurePath

from flask import Flask

from geodata.concerns import CHANNELS
from geodata.period import Period, month_words, period_words
from service.store.concerns import concern_tags


def plural(count: int | str, singular: str, plural_form: str | None = None) -> str:
    """``count`` and the noun agreeing with it: "1 concern", "2 concerns", "1,204 crimes".

    A count already written as text (a public report's "<5") takes the plural.
    """
    noun = singular if count == 1 else (plural_form or f"{singular}s")
    return f"{count:,} {noun}" if isinstance(count, int) else f"{count} {noun}"


def period(value: Period | Sequence[str]) -> str:
    """A period (or a first and last month) in words: "January-December 2023"."""
    if isinstance(value, Period):
        return value.words()
    first, last = value
    return period_words(first, last)


def theme(tag: str) -> str:
    """A concern's theme tag by its label ("asb" is "Anti-social behaviour")."""
    item = concern_tags().get(tag)
    return item.label if item is not None else tag


def channel(slug: str) -> str:
    """How a concern reached the police, by its label."""
    return CHANNELS.get(slug, slug)


def file_name(path: str) -> str:
    """Where an import came from, without the server's folders: the file's own name (and the
    member of a zip, after ``!``)."""
    outer, bang, member = (path or "").partition("!")
    return PurePath(outer).name + (bang + PurePath(member).name if bang else "")


_FOLDERS = re.compile(r"(?<![\w.])(?:[A-Za-z]:)?(?:[/\\][^\s/\\]+)*[/\\]([^\s/\\]+)")


def without_folders(text: str) -> str:
    """``text`` with each file path in it cut to the file's name: a plan's history says
    "imported from plans.csv", never the server folder it was read from."""
    return _FOLDERS.sub(r"\1", text or "")


def day(value: date | str | None) -> str:
    """A date in words, "1 July 2025" (GOV.UK style); text that is not a date is kept."""
    try:
        found = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
    except ValueError:
        return "" if value is None else str(value)
    return f"{found.day} {found:%B %Y}"


def when(value: datetime | str | None) -> str:
    """A stored UTC time in words, "7 December 2026, 04:22 UTC"; other text is kept."""
    try:
        found = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    except ValueError:
        return "" if value is None else str(value)
    return f"{day(found.date())}, {found:%H:%M} UTC"


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(
        month=month_words,
        period=period,
        plural=plural,
        theme=theme,
        channel=channel,
        file_name=file_name,
        without_folders=without_folders,
        day=day,
        when=when,
    )
