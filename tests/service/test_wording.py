"""The Jinja filters that put stored values into words."""

from __future__ import annotations

from flask import Flask, render_template_string

from geodata.period import Period
from service.wording import plural


def test_counts_agree_with_their_noun() -> None:
    assert plural(1, "concern") == "1 concern"
    assert plural(0, "concern") == "0 concerns"
    assert plural(1204, "crime") == "1,204 crimes"
    assert plural(2, "category", "categories") == "2 categories"


def test_the_filters_write_months_themes_and_channels_in_words(app: Flask) -> None:
    with app.test_request_context():
        text = render_template_string(
            "{{ '2025-12'|month }} | {{ p|period }} | {{ 'asb'|theme }} | "
            "{{ 'ward-councillor'|channel }} | {{ 1|plural('ward') }}",
            p=Period("2023-01", "2023-12"),
        )

    assert text == (
        "December 2025 | January-December 2023 | Anti-social behaviour | Ward councillor | 1 ward"
    )
