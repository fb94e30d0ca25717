"""The Jinja filters that put stored values into words."""

from __future__ import annotations

from flask import Flask, render_template_string

from geodata.period import Period
from service.wording import day, file_name, plural, when, without_folders


def test_counts_agree_with_their_noun() -> None:
    assert plural(1, "concern") == "1 concern"
    assert plural(0, "concern") == "0 concerns"
    assert plural(1204, "crime") == "1,204 crimes"
    assert plural(2, "category", "categories") == "2 categories"
    assert plural("<5", "concern") == "<5 concerns"


def test_server_folders_are_cut_to_the_file_name() -> None:
    assert without_folders(r"imported from C:\imports\plans.csv") == "imported from plans.csv"
    assert without_folders("imported from /srv/imports/plans.csv today") == (
        "imported from plans.csv today"
    )
    assert without_folders("status: active to closed") == "status: active to closed"
    assert without_folders("1/2 of the actions") == "1/2 of the actions"
    assert file_name("/work/data/crime.zip!2025-01/2025-01-x-street.csv") == (
        "crime.zip!2025-01-x-street.csv"
    )


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


def test_stored_dates_and_times_read_as_words() -> None:
    assert day("2025-07-01") == "1 July 2025"
    assert day("2025-12-31T23:59:00+00:00") == "31 December 2025"
    assert when("2026-12-07T04:22:16+00:00") == "7 December 2026, 04:22 UTC"
    assert when("2025-06-16 09:05") == "16 June 2025, 09:05 UTC"
    # Anything that is not a date is shown as it is rather than hidden.
    assert day("not recorded") == "not recorded" and when(None) == ""
