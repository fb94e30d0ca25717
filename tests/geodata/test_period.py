"""Months and periods in words, as every page and report writes them."""

from __future__ import annotations

from geodata.period import Period, month_words, period_words


def test_a_month_is_written_as_its_name_and_year() -> None:
    assert month_words("2025-12") == "December 2025"
    assert month_words("2024-01") == "January 2024"
    assert month_words("not a month") == "not a month"  # a stored oddity still shows


def test_a_period_says_its_months_in_as_few_words_as_needed() -> None:
    assert period_words("2025-12", "2025-12") == "December 2025"
    assert period_words("2023-01", "2023-12") == "January-December 2023"
    assert period_words("2025-01", "2026-03") == "January 2025 to March 2026"
    assert Period.parse("2024-02", "2025-01").words() == "February 2024 to January 2025"
