"""Prevention messages: the checks, the CSV reader and writer, and the alignment with
priorities on hand-built wards and themes whose answers can be seen."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest

from geodata.io.messages import export_rows, message_from_dict, read_messages_csv
from geodata.message_alignment import AlignmentSettings, align_messages, covers, message_wards
from geodata.messages import MESSAGE_COLUMNS, Message, message_problems, parse_area
from geodata.priorities import Priority, Theme

WARDS = {"E05000001": "E06000001", "E05000002": "E06000001", "E05000003": "E06000002"}
COUNCILS = {"E06000001", "E06000002"}
THEMES = {
    "asb": "Anti-social behaviour",
    "burglary": "Burglary",
    "parking": "Parking",
    "knife-crime": "Knife crime",
    "Serious violence": "Serious violence",
}
TODAY = date(2025, 12, 31)


def make_message(**fields: object) -> Message:
    values: dict[str, object] = {
        "sent_on": date(2025, 12, 1),
        "channel": "social-media",
        "area": "wards",
        "area_codes": ("E05000001",),
        "themes": ("burglary",),
        "audiences": ("residents",),
        "sent_by": "Neighbourhood team",
        "summary": "Lock sheds and garages.",
    }
    values.update(fields)
    return Message(**values)  # type: ignore[arg-type]


def problems(message: Message) -> list[tuple[str, str]]:
    return message_problems(message, wards=WARDS, councils=COUNCILS, themes=THEMES, today=TODAY)


def test_a_good_message_has_no_problem() -> None:
    assert problems(make_message()) == []


@pytest.mark.parametrize(
    ("fields", "column", "start"),
    [
        ({"sent_on": date(2026, 1, 1)}, "sent_on", "2026-01-01 is after today"),
        ({"channel": "fax"}, "channel", "unknown channel 'fax'"),
        ({"area_codes": ("E05999999",)}, "area", "unknown ward code 'E05999999'"),
        ({"area_codes": ()}, "area", "is blank"),
        ({"area": "council", "area_codes": ("E05000001",)}, "area", "'E05000001' is not a council"),
        ({"themes": ()}, "themes", "is blank"),
        ({"themes": ("litter",)}, "themes", "unknown theme 'litter'"),
        ({"audiences": ("pets",)}, "audiences", "unknown audience 'pets'"),
        ({"audiences": ("named-group",)}, "group", "is blank; name the group"),
        ({"group": "Mill Lane RA"}, "group", "names a group, but"),
        ({"reach": -1}, "reach", "-1 is not a whole number"),
        ({"sent_by": " "}, "sent_by", "is blank"),
        ({"summary": ""}, "summary", "is blank"),
        ({"reference": "javascript://alert(1)"}, "reference", "'javascript://alert(1)' is a link"),
    ],
)
def test_each_problem_names_its_column(fields: dict[str, object], column: str, start: str) -> None:
    found = problems(make_message(**fields))

    assert [c for c, _ in found] == [column]
    assert found[0][1].startswith(start), found


def test_the_area_cell_reads_force_wide_a_council_or_wards() -> None:
    assert parse_area("Force-wide", wards=WARDS, councils=COUNCILS) == ("force-wide", ())
    assert parse_area("E06000002", wards=WARDS, councils=COUNCILS) == ("council", ("E06000002",))
    assert parse_area("E05000001; E05000002;E05000001", wards=WARDS, councils=COUNCILS) == (
        "wards",
        ("E05000001", "E05000002"),
    )


def _csv(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(MESSAGE_COLUMNS))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def row(**cells: str) -> dict[str, str]:
    values = {
        "sent_on": "2025-12-01",
        "channel": "Social media",
        "area": "E05000001;E05000002",
        "themes": "Burglary; serious violence",
        "audiences": "residents;Older residents",
        "group": "",
        "reach": "1,200",
        "sent_by": "Neighbourhood team",
        "summary": "Lock sheds and garages.",
        "reference": "https://example.org/alert/1",
    }
    values.update(cells)
    return values


def read(data: bytes) -> tuple[list[Message], list[object]]:
    return read_messages_csv(  # type: ignore[return-value]
        data, source="m.csv", wards=WARDS, councils=COUNCILS, themes=THEMES, today=TODAY
    )


def test_a_row_reads_labels_and_lists_into_slugs() -> None:
    messages, errors = read(_csv([row()]))

    assert errors == []
    assert messages == [
        make_message(
            area_codes=("E05000001", "E05000002"),
            themes=("burglary", "Serious violence"),
            audiences=("residents", "older-residents"),
            reach=1200,
            reference="https://example.org/alert/1",
        )
    ]


def test_bad_rows_are_listed_by_line_and_column() -> None:
    data = _csv([row(), row(sent_on="2025-13-01", reach="many"), row(area="E05999999")])

    messages, errors = read(data)

    assert [str(e) for e in errors] == [
        "m.csv, line 3, column 'sent_on': '2025-13-01' is not a real date",
        "m.csv, line 3, column 'reach': 'many' is not a whole number",
        "m.csv, line 4, column 'area': unknown ward code 'E05999999': not a ward of the "
        "boundaries in use",
    ]
    assert len(messages) == 1


def test_the_export_is_formula_safe_and_reads_back_unchanged() -> None:
    risky = make_message(
        summary='=HYPERLINK("http://evil.example")',
        sent_by="+44 comms",
        group="@group",
        audiences=("named-group",),
        area="force-wide",
        area_codes=(),
    )
    rows = export_rows([risky, make_message(area="council", area_codes=("E06000002",))])
    text = io.StringIO()
    csv.writer(text).writerows(rows)

    assert rows[1][MESSAGE_COLUMNS.index("summary")] == '\'=HYPERLINK("http://evil.example")'
    assert rows[1][MESSAGE_COLUMNS.index("sent_by")] == "'+44 comms"
    assert rows[1][MESSAGE_COLUMNS.index("area")] == "force-wide"
    assert rows[2][MESSAGE_COLUMNS.index("area")] == "E06000002"
    back, errors = read(text.getvalue().encode())
    assert errors == []
    assert back == [risky, make_message(area="council", area_codes=("E06000002",))]


def test_a_json_body_is_checked_field_by_field() -> None:
    body = {
        "sent_on": "2025-12-01",
        "channel": "social-media",
        "area": "wards",
        "area_codes": ["E05000001"],
        "themes": ["burglary"],
        "audiences": ["residents"],
        "sent_by": "Neighbourhood team",
        "summary": "Lock sheds and garages.",
    }
    kwargs: dict[str, Any] = {
        "wards": WARDS,
        "councils": COUNCILS,
        "themes": THEMES,
        "today": TODAY,
    }

    assert message_from_dict(body, **kwargs) == (make_message(), [])
    message, found = message_from_dict(  # type: ignore[arg-type]
        {**body, "themes": "burglary", "reach": "10", "colour": "red"}, **kwargs
    )
    assert message is None
    assert found == [
        ("colour", "is not a field of a message"),
        ("themes", "'burglary' is not a list of texts"),
        ("reach", "'10' is not a whole number or null"),
    ]


# --- Alignment ----------------------------------------------------------------------------

VIOLENCE = Theme(
    "Serious violence", "high", 400.0, ("Violence and sexual offences",), ("knife-crime",)
)
BURGLARY = Theme("Burglary", "medium", 200.0, ("Burglary",), ("burglary",))
ASB = Theme("Anti-social behaviour", "low", 100.0, ("Anti-social behaviour",), ("asb",))
ALL_THEMES = [VIOLENCE, BURGLARY, ASB]


def ranked(*themes: Theme) -> list[Priority]:
    """Priorities in the order given, scores falling."""
    return [
        Priority(t.name, 50.0 - i, t.band, {}, None, False, 0, "") for i, t in enumerate(themes)
    ]


START, END = date(2025, 1, 1), date(2025, 12, 31)


def align(messages: list[Message], ranking: dict[str, list[Priority]], **settings: int) -> dict:
    return align_messages(
        messages,
        ranked=ranking,
        themes=ALL_THEMES,
        ward_councils=WARDS,
        start=START,
        end=END,
        settings=AlignmentSettings(**settings),
    )


def test_a_message_reaches_its_wards_its_council_or_every_ward() -> None:
    assert message_wards(make_message(), ward_councils=WARDS) == {"E05000001"}
    council = make_message(area="council", area_codes=("E06000001",))
    assert message_wards(council, ward_councils=WARDS) == {"E05000001", "E05000002"}
    force = make_message(area="force-wide", area_codes=())
    assert message_wards(force, ward_councils=WARDS) == set(WARDS)


def test_a_message_covers_a_theme_by_name_or_by_one_of_its_tags() -> None:
    assert covers(("Serious violence",), VIOLENCE)
    assert covers(("knife-crime",), VIOLENCE)
    assert not covers(("burglary",), VIOLENCE)


def test_gaps_are_high_priorities_and_top_priorities_unmessaged_in_the_window() -> None:
    ranking = {
        "E05000001": ranked(BURGLARY, VIOLENCE, ASB),  # top: Burglary; high: Serious violence
        "E05000002": ranked(VIOLENCE, ASB),  # top and high: Serious violence
        "E05000003": ranked(ASB, VIOLENCE),
    }
    messages = [
        # Nine weeks before the end: outside the 8-week window, so still a gap in ward 1.
        make_message(sent_on=END - timedelta(weeks=9), area_codes=("E05000001",)),
        # Inside the window: knife crime speaks to Serious violence in ward 2.
        make_message(
            sent_on=END - timedelta(weeks=1), area_codes=("E05000002",), themes=("knife-crime",)
        ),
        # Ward 3 hears of its top theme and of Serious violence.
        make_message(
            sent_on=END - timedelta(weeks=2),
            area_codes=("E05000003",),
            themes=("asb", "Serious violence"),
        ),
    ]

    found = align(messages, ranking)

    assert [(g.theme, g.reasons, g.last_sent) for g in found["E05000001"].gaps] == [
        ("Burglary", ("top priority",), END - timedelta(weeks=9)),
        ("Serious violence", ("high force priority",), None),
    ]
    assert found["E05000002"].gaps == []
    assert found["E05000003"].gaps == []
    assert [(t.theme, t.rank, t.messages) for t in found["E05000003"].themes] == [
        ("Anti-social behaviour", 1, 1),
        ("Serious violence", 2, 1),
    ]
    # A longer window closes the nine-week-old gap.
    assert [g.theme for g in align(messages, ranking, gap_weeks=10)["E05000001"].gaps] == [
        "Serious violence"
    ]


def test_noise_is_most_of_at_least_four_messages_on_themes_with_no_priority() -> None:
    ranking = {w: ranked(BURGLARY) for w in ("E05000001", "E05000002", "E05000003")}
    on = make_message(themes=("burglary",))
    off = make_message(themes=("parking",))
    messages = [
        *(replace(on, sent_on=date(2025, m, 1)) for m in (1, 2)),
        *(replace(off, sent_on=date(2025, m, 1)) for m in (3, 4, 5)),
        *(replace(off, area_codes=("E05000002",), sent_on=date(2025, m, 1)) for m in (3, 4)),
        replace(on, area_codes=("E05000002",), sent_on=date(2025, 5, 1)),
        *(replace(m, area_codes=("E05000003",)) for m in (on, on, off, off)),
    ]

    found = align(messages, ranking)

    noise = found["E05000001"].noise
    assert noise is not None
    assert (noise.messages, noise.unprioritised, dict(noise.themes)) == (5, 3, {"parking": 3})
    # Ward 2: two of three are off-priority, but three messages are too few to call noise.
    assert found["E05000002"].noise is None
    # Ward 3: exactly half is not most.
    assert found["E05000003"].noise is None


def test_fatigue_is_a_week_above_the_ceiling() -> None:
    ranking = {"E05000001": ranked(BURGLARY), "E05000003": ranked(BURGLARY)}
    monday = date(2025, 6, 16)
    week = [make_message(sent_on=monday + timedelta(days=n % 7)) for n in range(4)]
    force = make_message(sent_on=monday, area="force-wide", area_codes=())

    found = align([*week, force], ranking, weekly_ceiling=4)

    assert [(f.week, f.messages) for f in found["E05000001"].fatigue] == [(monday, 5)]
    assert found["E05000003"].fatigue == []
    assert align([*week, force], ranking, weekly_ceiling=5)["E05000001"].fatigue == []


def test_messages_after_the_end_do_not_count() -> None:
    ranking = {"E05000001": ranked(BURGLARY)}
    late = make_message(sent_on=date(2026, 1, 5))

    found = align([late], ranking)

    assert found["E05000001"].messages == 0
    assert [g.theme for g in found["E05000001"].gaps] == ["Burglary"]
