"""Charts as inline SVG: small, accessible, no JavaScript library, one string per chart.

A chart here is a picture of figures a page also shows as a table: the SVG carries
``role="img"``, a ``<title>`` naming it and a ``<desc>`` summing it up, so a screen reader
announces it as one image and the reader goes to the table for the numbers. Every text
that reaches the SVG is escaped; the picture scales with its container (``viewBox``,
width 100 %), so it never forces a phone to scroll sideways.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from geodata.period import month_words, period_words

if TYPE_CHECKING:
    from geodata.profile import MonthCount

WIDTH, HEIGHT = 360, 220
"""The drawing's own units (the viewBox); the page scales it to its width. A page's chart is
drawn at a phone's width, so on a 360 px screen (about 336 px for the chart) its 12-unit axis
text is about 11 px, and larger on a wider screen."""
TITLE_SPACE = 24
"""Room above the plot for a chart's visible title."""
LEFT, RIGHT, TOP, BOTTOM = 44, 20, 12, 40
"""Margins for the count axis (left), half the last month label (right) and the month
labels (bottom)."""
LINE = "#1d4f91"
MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _text(value: object) -> str:
    return html.escape(str(value), quote=True)


def nice_ticks(top: float, *, count: int = 4) -> list[int]:
    """Whole-number axis ticks from 0 to at least ``top``, about ``count`` steps of 1, 2 or 5
    times a power of ten (0, 5, 10, 15 rather than 0, 4.3, 8.6, 12.9)."""
    if top <= 0:
        return [0, 1]
    raw = top / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    step = max(1, int(step))
    return list(range(0, math.ceil(top / step) * step + 1, step))


def month_label(month: str) -> tuple[str, str]:
    """``2025-01`` as ("Jan", "2025"): the month name and its year."""
    year, number = month.split("-")
    return MONTH_NAMES[int(number) - 1], year


def trend_svg(monthly: Sequence[MonthCount], *, title: str, unit: str = "incidents") -> str:
    """A line chart of monthly counts as an inline SVG string.

    ``monthly`` is the counts in month order, as the profile's trends hold them. The count
    axis starts at zero (so a change is never drawn bigger than it is) and ends at a round
    number at or above the highest month (:func:`nice_ticks`); each month is a point joined
    by a line, labelled by its short name and, on the first month and every January, its
    year; with more than 12 months only every second, third, ... month is labelled.
    ``title`` names the chart and the description gives the months covered, the lowest and
    the highest month.
    """
    points = [(m.month, m.n) for m in monthly]
    line = _Line(name=title, colour=LINE, values=[n for _, n in points], width=2, radius=3)
    return _chart(
        [month for month, _ in points],
        [line],
        title=title,
        desc=_describe(points, unit),
        show_title=True,
    )


def lines_svg(
    months: Sequence[str],
    series: Mapping[str, Sequence[int | None]],
    *,
    colours: Mapping[str, str],
    title: str,
) -> str:
    """Several monthly lines on one zero-based axis as an inline SVG string.

    ``series`` maps each line's name to one count per month of ``months`` (``YYYY-MM``), in
    drawing order; the first line is the total, drawn thicker and with a point on each
    month (the others only where a month stands alone between gaps). A count of None is a
    gap in its line (a month not held, or a count a public report withholds). ``colours``
    gives each line's colour by name. The axes follow :func:`trend_svg`; the description
    names the lines and the first line's range.

    The key to the colours, and any note on the gaps, are the page's to print as text
    beside the chart: WeasyPrint lays out and draws SVG text one letter at a time, and a
    legend inside the drawing cost each PDF report about a twentieth of its layout.
    """
    lines = [
        _Line(
            name=name,
            colour=colours[name],
            values=list(values),
            width=2.5 if i == 0 else 1.5,
            radius=2.5 if i == 0 else 0,
        )
        for i, (name, values) in enumerate(series.items())
    ]
    first = [(m, n) for m, n in zip(months, lines[0].values, strict=True) if n is not None]
    desc = f"{', '.join(series)} per month" + (
        f"; {lines[0].name}, {_range(first)}." if first else "; no month held."
    )
    return _chart(months, lines, title=title, desc=desc, width=WIDE)


@dataclass(frozen=True)
class _Line:
    name: str
    colour: str
    values: list[int | None]
    width: float
    radius: float


WIDE = 800
"""The drawing width of a chart of several lines: wider, so its labels print smaller."""


def _chart(
    months: Sequence[str],
    lines: Sequence[_Line],
    *,
    title: str,
    desc: str,
    width: int = WIDTH,
    show_title: bool = False,
) -> str:
    """The one drawing behind both charts: axes, month labels and lines with a point on
    each month; with ``show_title`` the title is also written above the plot, so a reader
    sees which chart is which without hovering (a report prints its captions instead)."""
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {HEIGHT}" '
        'width="100%" role="img" class="chart" preserveAspectRatio="xMidYMid meet">'
        f"<title>{_text(title)}</title><desc>{_text(desc)}</desc>"
    )
    counts = [n for line in lines for n in line.values if n is not None]
    if not months:
        return (
            f'{head}<text x="{width / 2:.0f}" y="{HEIGHT / 2:.0f}" text-anchor="middle" '
            f'font-size="14">No months to show</text></svg>'
        )
    ticks = nice_ticks(max(counts, default=0))
    right = width - RIGHT
    top = TOP + (TITLE_SPACE if show_title else 0)
    plot_w, plot_h = right - LEFT, HEIGHT - top - BOTTOM
    step = plot_w / max(len(months) - 1, 1)

    def x(i: int) -> float:
        return LEFT + (i * step if len(months) > 1 else plot_w / 2)

    def y(n: float) -> float:
        return top + plot_h * (1 - n / ticks[-1])

    parts = [head]
    if show_title:
        parts.append(
            f'<text x="0" y="16" font-size="14" font-weight="600" fill="#1b1b1b">'
            f"{_text(title)}</text>"
        )
    parts.append('<g font-size="12" fill="#555">')
    for tick in ticks:
        parts.append(
            f'<line x1="{LEFT}" x2="{right}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" '
            'stroke="#ddd"/>'
            f'<text x="{LEFT - 6}" y="{y(tick) + 4:.1f}" text-anchor="end">{tick:,}</text>'
        )
    every = math.ceil(len(months) / 12)
    for i, month in enumerate(months):
        if i % every:
            continue
        name, year = month_label(month)
        parts.append(
            f'<text x="{x(i):.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle">'
            f"{_text(name)}</text>"
        )
        if i == 0 or name == MONTH_NAMES[0]:
            parts.append(
                f'<text x="{x(i):.1f}" y="{HEIGHT - BOTTOM + 31}" text-anchor="middle">'
                f"{_text(year)}</text>"
            )
    parts.append("</g>")
    for line in reversed(lines):
        parts.extend(_draw(line, x, y))
    parts.append("</svg>")
    return "".join(parts)


def _draw(line: _Line, x: Callable[[int], float], y: Callable[[float], float]) -> list[str]:
    """A line's runs of consecutive months as polylines (a None breaks the line), with a
    point on each month when the line has points (``radius``) and always on a month that
    stands alone between gaps, which would otherwise not show."""
    runs: list[list[tuple[float, float]]] = [[]]
    for i, n in enumerate(line.values):
        if n is None:
            runs.append([])
        else:
            runs[-1].append((x(i), y(n)))
    parts = []
    for run in runs:
        if len(run) > 1:
            points = " ".join(f"{px:.1f},{py:.1f}" for px, py in run)
            parts.append(
                f'<polyline points="{points}" fill="none" stroke="{line.colour}" '
                f'stroke-width="{line.width:g}"/>'
            )
        if line.radius or len(run) == 1:
            parts.extend(
                f'<circle cx="{px:.1f}" cy="{py:.1f}" r="{line.radius or line.width:g}" '
                f'fill="{line.colour}"/>'
                for px, py in run
            )
    return parts


def _describe(points: Sequence[tuple[str, int]], unit: str) -> str:
    if not points:
        return "No months to show."
    return f"Monthly {unit}, {_range(points)}. The table below gives every month."


def _range(points: Sequence[tuple[str, int]]) -> str:
    """The months covered and the lowest and highest of them, as a clause."""
    low = min(points, key=lambda p: (p[1], p[0]))
    high = max(points, key=lambda p: (p[1], p[0]))
    span = period_words(points[0][0], points[-1][0])
    return (
        f"{span}: lowest {low[1]:,} in {month_words(low[0])}, "
        f"highest {high[1]:,} in {month_words(high[0])}"
    )
