"""Disclosure: which figures a report's audience may see, and the marking the report carries.

The most sensitive decisions of a report are made here and nowhere else, so that they can be
read, and tested at their boundaries, in one place:

- **Suppression.** A public report shows every count below a threshold (the
  ``PUBLIC_SUPPRESS_BELOW`` setting, 5 by default) as ``<5``, zero included, and withholds
  every figure derived from such a count (a rate, a share, a harm score, a rank, a plan's
  before-and-after verdict), since the figure and its base together would reveal the count.
  A count at or above the threshold is shown as it is. An internal report shows everything.
- **Marking.** A report that lists the text of community concerns is marked
  ``OFFICIAL-SENSITIVE``; any other report carries the configured protective marking. Only an
  internal report lists concern text, and it lists the open concerns of its wards, so an
  internal report of wards with an open concern is sensitive, and a public one never is.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

AUDIENCES = ("internal", "public")
NONE = "\u2013"
"""An en dash: the figure does not exist (no population, no comparison)."""
WITHHELD = "withheld"
"""What a public report shows in place of a figure that would reveal a suppressed count."""
SENSITIVE_MARKING = "OFFICIAL-SENSITIVE"
"""The marking of a report that holds the text of community concerns."""


@dataclass(frozen=True)
class Shown:
    """How counts are written: all of them (``below`` None), or those below ``below`` as
    ``<below`` with the figures derived from them withheld."""

    below: int | None

    @classmethod
    def for_audience(cls, audience: str, *, suppress_below: int) -> Shown:
        """The rule of ``audience``: public reports suppress counts below ``suppress_below``."""
        if audience not in AUDIENCES:
            raise ValueError(f"audience: {audience!r} is not one of {', '.join(AUDIENCES)}")
        return cls(suppress_below if audience == "public" else None)

    def hidden(self, n: int | float | None) -> bool:
        """Whether count ``n`` is suppressed: below the threshold (zero too). No count (None)
        has nothing to hide."""
        return self.below is not None and n is not None and n < self.below

    def any_hidden(self, counts: Iterable[int | float | None]) -> bool:
        """Whether a figure resting on all of ``counts`` (a before-and-after comparison)
        must be withheld: it would reveal any one of them that is suppressed."""
        return any(self.hidden(n) for n in counts)

    def count(self, n: int | float | None) -> str:
        """Count ``n`` as shown: ``<5`` when suppressed, else rounded with thousands commas."""
        if n is None:
            return NONE
        return f"<{self.below}" if self.hidden(n) else f"{round(n):,}"

    def value(self, value: float | None, n: int | float | None, *, digits: int = 1) -> str:
        """A figure derived from count ``n`` (a rate, a harm): withheld with the count."""
        if self.hidden(n):
            return WITHHELD
        return NONE if value is None else f"{value:,.{digits}f}"


def report_marking(*, audience: str, open_concerns: bool, default: str) -> str:
    """The marking of a report (or a combined PDF) for ``audience`` whose wards have
    ``open_concerns`` or not: sensitive when it is internal and lists some, else ``default``."""
    if audience not in AUDIENCES:
        raise ValueError(f"audience: {audience!r} is not one of {', '.join(AUDIENCES)}")
    return SENSITIVE_MARKING if audience == "internal" and open_concerns else default
