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
from collections.abc import Mapping, Sequence
from typing import Any

WIDTH, HEIGHT = 640, 220
"""The drawing's own units (the viewBox); the page scales it to its width."""
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 12, 40
"""Margins for the count axis (left) and the month labels (bottom)."""
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


def trend_svg(monthly: Sequence[Mapping[str, Any]], *, title: str, unit: str = "incidents") -> str:
    """A line chart of monthly counts as an inline SVG string.

    ``monthly`` is a list of ``{"month": "YYYY-MM", "n": count}`` in month order, as the
    profile's trends hold them. The count axis starts at zero (so a change is never drawn
    bigger than it is) and ends at a round number at or above the highest month
    (:func:`nice_ticks`); each month is a point joined by a line, labelled by its short name
    and, on the first month and every January, its year; with more than 12 months only
    every second, third, ... month is labelled. ``title`` names the chart and the
    description gives the months covered, the lowest and the highest month.
    """
    points = [(str(m["month"]), int(m["n"])) for m in monthly]
    desc = _describe(points, unit)
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        'width="100%" role="img" class="chart" preserveAspectRatio="xMidYMid meet">'
        f"<title>{_text(title)}</title><desc>{_text(desc)}</desc>"
    )
    if not points:
        return (
            f'{head}<text x="{WIDTH / 2:.0f}" y="{HEIGHT / 2:.0f}" text-anchor="middle" '
            f'font-size="14">No months to show</text></svg>'
        )
    ticks = nice_ticks(max(n for _, n in points))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(points) - 1, 1)

    def x(i: int) -> float:
        return LEFT + (i * step if len(points) > 1 else plot_w / 2)

    def y(n: float) -> float:
        return TOP + plot_h * (1 - n / ticks[-1])

    parts = [head, '<g font-size="12" fill="#555">']
    for tick in ticks:
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" '
            'stroke="#ddd"/>'
            f'<text x="{LEFT - 6}" y="{y(tick) + 4:.1f}" text-anchor="end">{tick:,}</text>'
        )
    every = math.ceil(len(points) / 12)
    for i, (month, _) in enumerate(points):
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
    line = " ".join(f"{x(i):.1f},{y(n):.1f}" for i, (_, n) in enumerate(points))
    parts.append(f'<polyline points="{line}" fill="none" stroke="{LINE}" stroke-width="2"/>')
    parts.extend(
        f'<circle cx="{x(i):.1f}" cy="{y(n):.1f}" r="3" fill="{LINE}"/>'
        for i, (_, n) in enumerate(points)
    )
    parts.append("</svg>")
    return "".join(parts)


def _describe(points: Sequence[tuple[str, int]], unit: str) -> str:
    if not points:
        return "No months to show."
    low = min(points, key=lambda p: (p[1], p[0]))
    high = max(points, key=lambda p: (p[1], p[0]))
    span = points[0][0] if len(points) == 1 else f"{points[0][0]} to {points[-1][0]}"
    return (
        f"Monthly {unit}, {span}: lowest {low[1]:,} in {low[0]}, highest {high[1]:,} in "
        f"{high[0]}. The table below gives every month."
    )
