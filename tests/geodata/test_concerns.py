"""Community concerns: the tag table, row checks, spreadsheet safety and the demo set."""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from geodata.concerns import (
    CHANNELS,
    CONCERN_COLUMNS,
    DEFAULT_TAGS_PATH,
    MAX_DESCRIPTION,
    STATUSES,
    Concern,
    ConcernTag,
    concern_problems,
    normalise_community,
)
from geodata.crime import CATEGORIES
from geodata.demo.concerns import demo_concerns
from geodata.demo.force import make_demo_force
from geodata.demo.wards import ASB_PARK, BURGLARY_RISING, TOWN_CENTRE
from geodata.errors import ConcernFileError, RowError
from geodata.io.concerns import (
    FORMULA_TRIGGERS,
    export_rows,
    from_spreadsheet,
    read_concern_tags,
    read_concerns_csv,
    spreadsheet_safe,
)

TODAY = date(2025, 6, 30)
WARDS = {"E05000001", "E05000002"}
TAGS = read_concern_tags(DEFAULT_TAGS_PATH)
EXPECTED_TAGS = [
    "asb",
    "drugs",
    "burglary",
    "violence",
    "vawg",
    "knife-crime",
    "robbery",
    "vehicle-crime",
    "shoplifting",
    "criminal-damage",
    "theft",
    "bicycle-theft",
    "public-order",
    "street-drinking",
    "speeding",
    "parking",
    "off-road-bikes",
    "fly-tipping",
    "noise",
    "exploitation",
    "other",
]


def row(**cells: str) -> dict[str, str]:
    """A good concern row; keyword arguments replace cells."""
    good = {
        "ward_code": "E05000001",
        "tag": "asb",
        "description": "Groups gathering by the play area in the evenings.",
        "raised_on": "2025-06-01",
        "channel": "community-meeting",
        "community": "older residents",
        "location": "Mill Lane park",
        "longitude": "-1.21",
        "latitude": "54.61",
        "status": "open",
        "recorded_by": "PCSO Example",
    }
    return good | cells


def csv_bytes(rows: Sequence[dict[str, str]], *, header: Sequence[str] = CONCERN_COLUMNS) -> bytes:
    stream = io.StringIO(newline="")
    writer = csv.writer(stream)
    writer.writerow(header)
    writer.writerows([r.get(column, "") for column in header] for r in rows)
    return stream.getvalue().encode()


def read(rows: Sequence[dict[str, str]]) -> tuple[list[Concern], list[RowError]]:
    return read_concerns_csv(
        csv_bytes(rows), source="concerns.csv", wards=WARDS, tags=TAGS, today=TODAY
    )


def problems_of(**cells: str) -> list[tuple[int, str, str]]:
    concerns, errors = read([row(), row(**cells)])
    assert len(concerns) == 1
    return [(e.line, e.column, e.problem) for e in errors]


# --- Tags ----------------------------------------------------------------------------------


def test_shipped_tags_are_the_documented_set_with_valid_categories() -> None:
    assert list(TAGS) == EXPECTED_TAGS
    assert TAGS["vawg"] == ConcernTag(
        "vawg", "Violence against women and girls", ("Violence and sexual offences", "Public order")
    )
    assert TAGS["burglary"].categories == ("Burglary",)
    for tag in ("speeding", "parking", "fly-tipping", "noise", "exploitation", "other"):
        assert TAGS[tag].categories == ()
    assert {c for t in TAGS.values() for c in t.categories} <= set(CATEGORIES)


def test_tag_table_faults_are_all_listed_with_their_lines(tmp_path: Path) -> None:
    path = tmp_path / "tags.csv"
    path.write_text(
        "tag,label,categories\n"
        "asb,Anti-social behaviour,Anti-social behaviour\n"
        "Knife Crime,Knife crime,Possession of weapons\n"
        "asb,ASB again,\n"
        "noise,,\n"
        "theft,Theft,Other theft;Pickpocketing\n"
        "drugs,Drugs\n"
        "violence,Violence,violent-crime\n"
    )

    with pytest.raises(ConcernFileError) as raised:
        read_concern_tags(path)

    assert str(raised.value).splitlines() == [
        f"{path}, line 3, column 'tag': 'Knife Crime' is not a lower-case slug like 'knife-crime'",
        f"{path}, line 4, column 'tag': 'asb' is given twice",
        f"{path}, line 5, column 'label': is blank",
        f"{path}, line 6, column 'categories': 'Pickpocketing' is not a police.uk category; "
        f"one of {', '.join(CATEGORIES)}",
        f"{path}, line 7, column 'tag': has 2 fields, expected 3",
    ]


def test_tag_categories_accept_old_labels_under_their_current_name(tmp_path: Path) -> None:
    path = tmp_path / "tags.csv"
    path.write_text("tag,label,categories\nviolence,Violence,violent-crime; Violent crime\n")

    assert read_concern_tags(path) == {
        "violence": ConcernTag("violence", "Violence", ("Violence and sexual offences",))
    }


def test_tag_table_with_the_wrong_header_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "tags.csv"
    path.write_text("slug,label\nasb,ASB\n")

    with pytest.raises(ConcernFileError, match="expected 'tag,label,categories'"):
        read_concern_tags(path)


# --- Reading concerns ----------------------------------------------------------------------


def test_good_rows_become_concerns() -> None:
    concerns, errors = read(
        [
            row(),
            row(tag="In progress"),  # a status label, not a tag: rejected
            row(
                ward_code="E05000002",
                tag="Violence against women and girls",
                channel="Street briefing or door-knocking",
                community="  Mill   Lane\tResidents' Association ",
                location="",
                longitude="",
                latitude="",
                status="In progress",
            ),
        ]
    )

    assert errors == [
        RowError(
            "concerns.csv",
            3,
            "tag",
            f"unknown tag 'In progress'; one of {', '.join(EXPECTED_TAGS)}",
        )
    ]
    assert concerns == [
        Concern(
            ward_code="E05000001",
            tag="asb",
            description="Groups gathering by the play area in the evenings.",
            raised_on=date(2025, 6, 1),
            channel="community-meeting",
            recorded_by="PCSO Example",
            community="older residents",
            location_text="Mill Lane park",
            longitude=-1.21,
            latitude=54.61,
            status="open",
        ),
        Concern(
            ward_code="E05000002",
            tag="vawg",
            description="Groups gathering by the play area in the evenings.",
            raised_on=date(2025, 6, 1),
            channel="street-briefing",
            recorded_by="PCSO Example",
            community="Mill Lane Residents' Association",
            status="in-progress",
        ),
    ]


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (
            {"ward_code": "E05999999"},
            [
                (
                    3,
                    "ward_code",
                    "unknown ward code 'E05999999': not a ward of the boundaries in use",
                )
            ],
        ),
        ({"ward_code": ""}, [(3, "ward_code", "is blank; give the ward code (e.g. E05013038)")]),
        (
            {"tag": "litter"},
            [(3, "tag", f"unknown tag 'litter'; one of {', '.join(EXPECTED_TAGS)}")],
        ),
        (
            {"raised_on": "01/06/2025"},
            [(3, "raised_on", "'01/06/2025' is not a date written YYYY-MM-DD")],
        ),
        (
            {"raised_on": "20250601"},
            [(3, "raised_on", "'20250601' is not a date written YYYY-MM-DD")],
        ),
        ({"raised_on": "2025-02-30"}, [(3, "raised_on", "'2025-02-30' is not a real date")]),
        (
            {"raised_on": "2025-07-01"},
            [(3, "raised_on", "2025-07-01 is after today (2025-06-30)")],
        ),
        (
            {"channel": "carrier pigeon"},
            [(3, "channel", f"unknown channel 'carrier pigeon'; one of {', '.join(CHANNELS)}")],
        ),
        ({"channel": ""}, [(3, "channel", f"is blank; one of {', '.join(CHANNELS)}")]),
        (
            {"status": "pending"},
            [(3, "status", f"unknown status 'pending'; one of {', '.join(STATUSES)}")],
        ),
        ({"description": "   "}, [(3, "description", "is blank; say what was raised")]),
        (
            {"description": "x" * (MAX_DESCRIPTION + 1)},
            [(3, "description", "is 2,001 characters long; at most 2,000")],
        ),
        (
            {"latitude": ""},
            [(3, "latitude", "is blank but longitude is given; give both or neither")],
        ),
        (
            {"longitude": ""},
            [(3, "longitude", "is blank but latitude is given; give both or neither")],
        ),
        ({"longitude": "west"}, [(3, "longitude", "'west' is not a number")]),
        (
            {"longitude": "54.61", "latitude": "-1.21"},
            [(3, "longitude", "(54.61, -1.21) lies outside England and Wales")],
        ),
        (
            {"longitude": "0", "latitude": "0"},
            [(3, "longitude", "(0.0, 0.0) lies outside England and Wales")],
        ),
        ({"recorded_by": ""}, [(3, "recorded_by", "is blank; name who recorded the concern")]),
        ({"community": "y" * 201}, [(3, "community", "is 201 characters long; at most 200")]),
        (
            {"ward_code": "E05999999", "tag": "litter"},
            [
                (
                    3,
                    "ward_code",
                    "unknown ward code 'E05999999': not a ward of the boundaries in use",
                ),
                (3, "tag", f"unknown tag 'litter'; one of {', '.join(EXPECTED_TAGS)}"),
            ],
        ),
    ],
)
def test_each_bad_row_is_rejected_with_its_line_column_and_problem(
    cells: dict[str, str], expected: list[tuple[int, str, str]]
) -> None:
    assert problems_of(**cells) == expected


def test_a_row_starts_where_its_first_line_is() -> None:
    data = csv_bytes(
        [row(description="first line\nsecond line\nthird line"), row(tag="litter"), row()]
    )
    data = data.replace(b"\r\n" + b"E05000001,litter", b"\r\n\r\nE05000001,litter")

    concerns, errors = read_concerns_csv(data, source="c.csv", wards=WARDS, tags=TAGS, today=TODAY)

    # The header is line 1, the first row lines 2-4, a blank line 5, the bad row line 6.
    assert concerns[0].description == "first line\nsecond line\nthird line"
    assert [(e.line, e.column) for e in errors] == [(6, "tag")]
    assert len(concerns) == 2


def test_a_row_with_the_wrong_number_of_fields_is_rejected() -> None:
    data = csv_bytes([row()]) + b"E05000001,asb,too short\r\n"

    concerns, errors = read_concerns_csv(data, source="c.csv", wards=WARDS, tags=TAGS, today=TODAY)

    assert len(concerns) == 1
    assert errors == [RowError("c.csv", 3, "", "has 3 fields, expected 11")]


def test_columns_may_come_in_any_order_with_extra_columns_ignored() -> None:
    header = ["id", *reversed(CONCERN_COLUMNS), "updated_on"]
    data = csv_bytes([row() | {"id": "7", "updated_on": "2025-06-02"}], header=header)

    concerns, errors = read_concerns_csv(data, source="c.csv", wards=WARDS, tags=TAGS, today=TODAY)

    assert errors == []
    assert concerns == read([row()])[0]


def test_a_header_lacking_columns_is_refused_naming_the_file_and_columns() -> None:
    data = csv_bytes([row()], header=[c for c in CONCERN_COLUMNS if c not in ("tag", "status")])

    with pytest.raises(ConcernFileError) as raised:
        read_concerns_csv(data, source="bad.csv", wards=WARDS, tags=TAGS, today=TODAY)

    assert str(raised.value) == (
        "bad.csv: the header lacks the columns ['tag', 'status']; expected the columns "
        f"{', '.join(CONCERN_COLUMNS)} (any order; other columns are ignored)"
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "concerns.csv: is empty; expected a header row"),
        (b"\xff\xfe\x00w", "concerns.csv: is not UTF-8 text"),
    ],
)
def test_unreadable_files_are_refused(data: bytes, message: str) -> None:
    with pytest.raises(ConcernFileError, match=message):
        read_concerns_csv(data, source="concerns.csv", wards=WARDS, tags=TAGS, today=TODAY)


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConcernFileError, match="no such file"):
        read_concerns_csv(tmp_path / "nope.csv", source="nope.csv", wards=WARDS, tags=TAGS)


def test_concern_built_in_code_gets_the_same_checks() -> None:
    concern = Concern(
        ward_code="E05000009",
        tag="litter",
        description="",
        raised_on=date(2025, 7, 1),
        channel="pigeon",
        recorded_by=" ",
        longitude=-1.2,
        status="done",
    )

    assert concern_problems(concern, wards=WARDS, tags=TAGS, today=TODAY) == [
        ("ward_code", "unknown ward code 'E05000009': not a ward of the boundaries in use"),
        ("tag", f"unknown tag 'litter'; one of {', '.join(EXPECTED_TAGS)}"),
        ("description", "is blank; say what was raised"),
        ("raised_on", "2025-07-01 is after today (2025-06-30)"),
        ("channel", f"unknown channel 'pigeon'; one of {', '.join(CHANNELS)}"),
        ("status", f"unknown status 'done'; one of {', '.join(STATUSES)}"),
        ("recorded_by", "is blank; name who recorded the concern"),
        ("latitude", "is blank but longitude is given; give both or neither"),
    ]


def test_community_text_is_tidied_but_keeps_its_case() -> None:
    assert normalise_community("  Mill  Lane\n Residents' Association ") == (
        "Mill Lane Residents' Association"
    )
    assert normalise_community("   ") is None
    assert normalise_community(None) is None


# --- Spreadsheet safety --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ("=SUM(A1:A2)", "'=SUM(A1:A2)"),
        ("+44 1234", "'+44 1234"),
        ("-1", "'-1"),
        ("@cmd", "'@cmd"),
        ("\tindented", "'\tindented"),
        ("\rreturn", "'\rreturn"),
        ("'=already", "''=already"),
        ("'tis the season", "'tis the season"),
        ("a = b", "a = b"),
        ("", ""),
    ],
)
def test_formula_cells_get_one_apostrophe_that_comes_off_again(text: str, safe: str) -> None:
    assert spreadsheet_safe(text) == safe
    assert from_spreadsheet(safe) == text


def could_be_a_formula(cell: str) -> bool:
    return cell[:1] in FORMULA_TRIGGERS


@given(st.text())
def test_any_text_round_trips_through_a_spreadsheet_safe_csv(text: str) -> None:
    stream = io.StringIO(newline="")
    csv.writer(stream).writerow([spreadsheet_safe(text), "next"])

    cells = next(csv.reader(io.StringIO(stream.getvalue(), newline="")))

    assert not could_be_a_formula(cells[0])
    assert from_spreadsheet(cells[0]) == text


@given(st.text())
def test_every_exported_text_cell_is_safe(text: str) -> None:
    concern = Concern(
        ward_code=text,
        tag=text,
        description=text,
        raised_on=TODAY,
        channel=text,
        recorded_by=text,
        community=text,
        location_text=text,
        longitude=-1.5,
        latitude=54.6,
        status=text,
    )

    header, cells = export_rows([concern])

    assert header == list(CONCERN_COLUMNS)
    text_cells = [c for name, c in zip(header, cells, strict=True) if name not in _NUMBERS]
    assert not any(could_be_a_formula(cell) for cell in text_cells)
    assert {from_spreadsheet(cell) for cell in text_cells} == {text}
    assert (cells[3], cells[7], cells[8]) == ("2025-06-30", "-1.5", "54.6")


_NUMBERS = ("raised_on", "longitude", "latitude")

_DESCRIPTIONS = st.text(min_size=1, max_size=MAX_DESCRIPTION).map(str.strip).filter(bool)


@given(_DESCRIPTIONS, st.sampled_from([None, '=HYPERLINK("x")', "-young people", "@home"]))
def test_an_exported_file_reads_back_as_it_was(description: str, community: str | None) -> None:
    concern = Concern(
        ward_code="E05000001",
        tag="asb",
        description=description,
        raised_on=date(2025, 1, 2),
        channel="online-form",
        recorded_by="+PCSO",
        community=community,
        location_text="-",
        longitude=-1.21,
        latitude=54.61,
    )
    stream = io.StringIO(newline="")
    csv.writer(stream).writerows(export_rows([concern]))

    concerns, errors = read_concerns_csv(
        stream.getvalue().encode("utf-8"), source="x.csv", wards=WARDS, tags=TAGS, today=TODAY
    )

    assert errors == []
    assert concerns == [concern]


# --- Demo ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_wards() -> dict[str, str]:
    wards = make_demo_force(months=1, incidents_per_month=len(CATEGORIES)).wards
    return dict(zip(wards["WD25NM"], wards["WD25CD"], strict=True))


def test_demo_concerns_are_seeded(demo_wards: dict[str, str]) -> None:
    codes = list(demo_wards.values())

    first = demo_concerns(codes, seed=7, today=TODAY, names=demo_wards)
    again = demo_concerns(list(reversed(codes)), seed=7, today=TODAY, names=demo_wards)
    other = demo_concerns(codes, seed=8, today=TODAY, names=demo_wards)

    assert first == again
    assert first != other


def test_demo_concerns_are_valid_and_recent(demo_wards: dict[str, str]) -> None:
    made = demo_concerns(list(demo_wards.values()), seed=1, today=TODAY, names=demo_wards)

    assert len(made) == 60
    for concern, updates in made:
        assert not concern_problems(
            concern, wards=set(demo_wards.values()), tags=TAGS, today=TODAY
        ), concern
        assert TODAY - timedelta(days=365) < concern.raised_on <= TODAY
        assert "(synthetic)" in concern.recorded_by
        days = [concern.raised_on, *(u.on for u in updates)]
        assert days == sorted(days) and days[-1] <= TODAY
        assert all(u.status in STATUSES and u.note and "(synthetic)" in u.by for u in updates)
    finals = Counter(updates[-1].status if updates else "open" for _, updates in made)
    assert set(finals) == set(STATUSES)
    assert len({c.channel for c, _ in made}) >= 6
    assert len({c.community for c, _ in made}) >= 5


def test_demo_leaves_some_wards_silent_and_some_heard_only_through_councillors(
    demo_wards: dict[str, str],
) -> None:
    for seed in (1, 2, 3):
        made = demo_concerns(list(demo_wards.values()), seed=seed, today=TODAY, names=demo_wards)
        channels: dict[str, set[str]] = {}
        for concern, _ in made:
            channels.setdefault(concern.ward_code, set()).add(concern.channel)

        silent = set(demo_wards.values()) - set(channels)
        councillor_only = {code for code, seen in channels.items() if seen == {"ward-councillor"}}
        assert len(silent) == 3
        assert len(councillor_only) == 3
        named = {demo_wards[name] for name in (ASB_PARK, BURGLARY_RISING, TOWN_CENTRE)}
        assert not named & (silent | councillor_only)


def test_demo_concerns_cluster_where_the_demo_force_plants_them(
    demo_wards: dict[str, str],
) -> None:
    made = demo_concerns(list(demo_wards.values()), seed=1, today=TODAY, names=demo_wards)
    by_tag: dict[str, Counter[str]] = {}
    for concern, _ in made:
        by_tag.setdefault(concern.tag, Counter())[concern.ward_code] += 1

    assert by_tag["asb"].most_common(1)[0][0] == demo_wards[ASB_PARK]
    assert by_tag["burglary"].most_common(1)[0][0] == demo_wards[BURGLARY_RISING]
    assert by_tag["shoplifting"].most_common(1)[0][0] == demo_wards[TOWN_CENTRE]


def test_demo_refuses_names_of_wards_it_was_not_given() -> None:
    with pytest.raises(ValueError, match="not in ward_codes"):
        demo_concerns(["X05000001"], seed=1, today=TODAY, names={ASB_PARK: "X05000099"})
    assert demo_concerns([], seed=1, today=TODAY) == []
