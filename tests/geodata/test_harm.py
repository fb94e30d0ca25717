"""Harm weights: the shipped ONS table, the checks on a swapped-in table, and harm totals."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest

from geodata.crime import ASB, CATEGORIES
from geodata.errors import GeodataError, HarmWeightsError
from geodata.harm import (
    DEFAULT_WEIGHTS_PATH,
    WEIGHTED_CATEGORIES,
    HarmWeights,
    harm_by_category,
    harm_total,
    plain_note,
)
from geodata.io.harm import read_harm_weights

NOTES = "# source: Test force harm table, 2024\n# caveat: for tests only\n"
HEADER = "category,weight,basis\n"


def create_rows(**overrides: float | str) -> str:
    """One ``category,weight,basis`` row per weighted category, weight 1 unless overridden.

    Keys are category names with spaces as underscores (``Vehicle_crime=2``).
    """
    weights = {c: 1.0 for c in WEIGHTED_CATEGORIES}
    for key, value in overrides.items():
        weights[key.replace("_", " ")] = value  # type: ignore[assignment]
    return "".join(f"{c},{w},test\n" for c, w in weights.items())


def write_table(tmp_path: Path, text: str, *, name: str = "weights.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def fault_lines(error: pytest.ExceptionInfo[HarmWeightsError]) -> list[str]:
    """The fault lines of a HarmWeightsError, without the heading line."""
    return [line.strip() for line in str(error.value).splitlines()[1:]]


def tiny_weights() -> HarmWeights:
    """Weights with answers you can see: 10 for Burglary, 2 for Violence, 1 elsewhere."""
    weights = {c: 1.0 for c in WEIGHTED_CATEGORIES}
    weights["Burglary"] = 10.0
    weights["Violence and sexual offences"] = 2.0
    return HarmWeights(weights=weights, source="hand-made", caveat="none")


# --- the shipped table ------------------------------------------------------------------


def test_shipped_table_weights_every_crime_category_and_not_asb() -> None:
    weights = read_harm_weights(DEFAULT_WEIGHTS_PATH)
    assert list(weights.weights) == [c for c in CATEGORIES if c != ASB]
    assert len(weights.weights) == 13
    assert ASB not in weights.weights
    assert all(math.isfinite(w) and w > 0 for w in weights.weights.values())


def test_shipped_table_states_its_source_and_caveat() -> None:
    weights = read_harm_weights(DEFAULT_WEIGHTS_PATH)
    assert "Crime Severity Score" in weights.source
    assert "ons.gov.uk" in weights.source
    assert "broad" in weights.caveat
    assert "Violence and sexual offences" in weights.caveat


def test_shipped_table_values_are_the_documented_ones() -> None:
    weights = read_harm_weights(DEFAULT_WEIGHTS_PATH).weights
    assert weights["Robbery"] == 799.63
    assert weights["Burglary"] == 381.54
    assert weights["Shoplifting"] == 11.86
    assert weights["Bicycle theft"] == 15.18
    assert weights["Theft from the person"] == 80.41
    assert weights["Violence and sexual offences"] == 248.04
    assert weights["Drugs"] == 99.03


def test_shipped_table_says_which_weights_are_volume_weighted() -> None:
    text = DEFAULT_WEIGHTS_PATH.read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if line and not line.startswith("#")][1:]
    single = [row.split(",")[0] for row in rows if "the category's only offence" in row]
    weighted = [row.split(",")[0] for row in rows if ',"volume-weighted mean of' in row]
    assert len(rows) == 13
    assert single == ["Bicycle theft", "Shoplifting", "Theft from the person"]
    assert len(weighted) == 10


def test_shipped_table_gives_each_weight_a_plausible_range() -> None:
    weights = read_harm_weights(DEFAULT_WEIGHTS_PATH)
    assert list(weights.ranges) == list(weights.weights)
    assert weights.ranges["Violence and sexual offences"] == (101.17, 601.90)
    assert weights.ranges["Robbery"] == (799.63, 799.63)
    assert all(low <= weights.weights[c] <= high for c, (low, high) in weights.ranges.items())


def test_weights_cannot_be_changed_after_reading() -> None:
    weights = read_harm_weights(DEFAULT_WEIGHTS_PATH)
    with pytest.raises(TypeError):
        weights.weights["Robbery"] = 0.0  # type: ignore[index]


# --- harm totals ------------------------------------------------------------------------


def test_harm_total_is_count_times_weight_summed() -> None:
    counts = {"Burglary": 3, "Violence and sexual offences": 4, "Shoplifting": 5}
    # 3 * 10 + 4 * 2 + 5 * 1
    assert harm_total(counts, tiny_weights()) == 43.0


def test_harm_total_with_the_shipped_weights() -> None:
    weights = read_harm_weights(DEFAULT_WEIGHTS_PATH)
    counts = {"Burglary": 2, "Robbery": 1, "Shoplifting": 10, ASB: 40}
    # 2 * 381.54 + 1 * 799.63 + 10 * 11.86; the 40 ASB incidents add nothing
    assert harm_total(counts, weights) == pytest.approx(1681.31, abs=1e-9)


def test_harm_by_category_lists_every_weighted_category_in_order() -> None:
    harm = harm_by_category({"Burglary": 3, "Shoplifting": 5}, tiny_weights())
    assert list(harm) == list(WEIGHTED_CATEGORIES)
    assert harm["Burglary"] == 30.0
    assert harm["Shoplifting"] == 5.0
    assert harm["Robbery"] == 0.0
    assert sum(harm.values()) == 35.0


def test_asb_contributes_nothing() -> None:
    assert harm_total({ASB: 1000}, tiny_weights()) == 0.0
    assert ASB not in harm_by_category({ASB: 1000}, tiny_weights())


def test_aliases_are_added_to_their_category() -> None:
    counts = {"Violence and sexual offences": 1, "violent-crime": 2, "Violent crime": 3}
    assert harm_by_category(counts, tiny_weights())["Violence and sexual offences"] == 12.0


def test_no_counts_no_harm() -> None:
    assert harm_total({}, tiny_weights()) == 0.0


def test_unknown_category_raises() -> None:
    with pytest.raises(ValueError, match=r"'Fraud' is not a police\.uk category"):
        harm_total({"Fraud": 1}, tiny_weights())


@pytest.mark.parametrize("count", [-1, 1.5, float("nan"), "3"])
def test_counts_must_be_whole_numbers(count: object) -> None:
    with pytest.raises(ValueError, match="whole numbers"):
        harm_total({"Burglary": count}, tiny_weights())  # type: ignore[dict-item]


def test_weights_missing_a_category_raise() -> None:
    partial = HarmWeights(weights={"Burglary": 1.0}, source="partial", caveat="")
    with pytest.raises(ValueError, match="no weight for 'Bicycle theft'"):
        harm_total({"Burglary": 1}, partial)


# --- a swapped-in table -----------------------------------------------------------------


def test_custom_table_is_used(tmp_path: Path) -> None:
    path = write_table(tmp_path, NOTES + HEADER + create_rows(Burglary=100, Robbery=50))
    weights = read_harm_weights(path)
    assert weights.source == "Test force harm table, 2024"
    assert weights.caveat == "for tests only"
    assert harm_total({"Burglary": 2, "Robbery": 1, "Drugs": 3}, weights) == 253.0


def test_custom_table_without_basis_and_with_aliases(tmp_path: Path) -> None:
    rows = "".join(
        f"{'violent-crime' if c == 'Violence and sexual offences' else c},{i}\n"
        for i, c in enumerate(WEIGHTED_CATEGORIES)
    )
    weights = read_harm_weights(write_table(tmp_path, NOTES + "category,weight\n" + rows))
    assert weights.weights["Violence and sexual offences"] == 12.0
    assert weights.weights["Bicycle theft"] == 0.0


def test_notes_on_several_lines_are_joined(tmp_path: Path) -> None:
    notes = "# source: part one\n#  source: part two\n# caveat: careful\n# licence: OGL\n"
    weights = read_harm_weights(write_table(tmp_path, notes + HEADER + create_rows()))
    assert weights.source == "part one part two"


def test_blank_lines_and_a_byte_order_mark_are_ignored(tmp_path: Path) -> None:
    path = tmp_path / "weights.csv"
    path.write_text("\ufeff" + NOTES + "\n" + HEADER + "\n" + create_rows(), encoding="utf-8")
    assert len(read_harm_weights(path).weights) == 13


# --- every fault names the file and the line --------------------------------------------


def test_unknown_category_names_file_and_line(tmp_path: Path) -> None:
    path = write_table(tmp_path, NOTES + HEADER + create_rows() + "Fraud,5,test\n")
    with pytest.raises(HarmWeightsError) as error:
        read_harm_weights(path)
    assert fault_lines(error) == [
        f"{path}, line 17, column 'category': 'Fraud' is not a police.uk category; "
        f"allowed: {', '.join(WEIGHTED_CATEGORIES)}"
    ]


def test_asb_row_is_refused(tmp_path: Path) -> None:
    path = write_table(tmp_path, NOTES + HEADER + f"{ASB},1,test\n" + create_rows())
    with pytest.raises(HarmWeightsError) as error:
        read_harm_weights(path)
    (fault,) = fault_lines(error)
    assert fault.startswith(f"{path}, line 4, column 'category': 'Anti-social behaviour'")
    assert "not a notifiable crime" in fault


def test_asb_slug_is_refused_too(tmp_path: Path) -> None:
    path = write_table(tmp_path, NOTES + HEADER + create_rows() + "anti-social-behaviour,0,x\n")
    with pytest.raises(HarmWeightsError, match=r"line 17, column 'category'.*notifiable"):
        read_harm_weights(path)


@pytest.mark.parametrize(
    ("weight", "problem"),
    [
        ("lots", "'lots' is not a number"),
        ("", "'' is not a number"),
        ("nan", "'nan' is not a finite number"),
        ("inf", "'inf' is not a finite number"),
        ("-1", "'-1' is negative; weights are 0 or more"),
    ],
)
def test_bad_weight_names_file_line_and_problem(tmp_path: Path, weight: str, problem: str) -> None:
    path = write_table(tmp_path, NOTES + HEADER + create_rows(Shoplifting=weight))
    with pytest.raises(HarmWeightsError) as error:
        read_harm_weights(path)
    # Shoplifting is the tenth weighted category: line 3 is the header, so line 13.
    assert fault_lines(error) == [f"{path}, line 13, column 'weight': {problem}"]


def test_zero_weight_is_allowed(tmp_path: Path) -> None:
    path = write_table(tmp_path, NOTES + HEADER + create_rows(Shoplifting=0))
    assert read_harm_weights(path).weights["Shoplifting"] == 0.0


def test_duplicate_names_both_lines(tmp_path: Path) -> None:
    path = write_table(tmp_path, NOTES + HEADER + create_rows() + "Burglary,5,again\n")
    with pytest.raises(HarmWeightsError) as error:
        read_harm_weights(path)
    assert fault_lines(error) == [
        f"{path}, line 17, column 'category': 'Burglary' repeats 'Burglary', "
        "already weighted on line 5"
    ]


def test_duplicate_through_an_alias_is_caught(tmp_path: Path) -> None:
    path = write_table(tmp_path, NOTES + HEADER + create_rows() + "violent-crime,5,again\n")
    with pytest.raises(HarmWeightsError, match=r"line 17.*'violent-crime' repeats"):
        read_harm_weights(path)


def test_missing_category_is_reported_at_end_of_file(tmp_path: Path) -> None:
    rows = "".join(line + "\n" for line in create_rows().splitlines() if "Robbery" not in line)
    path = write_table(tmp_path, NOTES + HEADER + rows)
    with pytest.raises(HarmWeightsError) as error:
        read_harm_weights(path)
    assert fault_lines(error) == [
        f"{path}, line 15, column 'category': end of file: no row for Robbery"
    ]


def test_wrong_number_of_fields(tmp_path: Path) -> None:
    path = write_table(tmp_path, NOTES + HEADER + create_rows() + "Burglary\n")
    with pytest.raises(HarmWeightsError, match=r"line 17, column 'category': has 1 fields"):
        read_harm_weights(path)


def test_every_fault_is_listed_at_once(tmp_path: Path) -> None:
    rows = create_rows(Drugs="-3").replace("Robbery,", "Robbry,")
    path = write_table(tmp_path, NOTES + HEADER + rows)
    with pytest.raises(HarmWeightsError) as error:
        read_harm_weights(path)
    faults = fault_lines(error)
    assert [re.sub(r", column.*", "", f) for f in faults] == [
        f"{path}, line 7",
        f"{path}, line 12",
        f"{path}, line 16",
    ]
    assert "'Robbry' is not a police.uk category" in faults[1]
    assert faults[2].endswith("end of file: no row for Robbery")


def test_missing_source_and_caveat(tmp_path: Path) -> None:
    path = write_table(tmp_path, "# licence: OGL\n" + HEADER + create_rows())
    with pytest.raises(HarmWeightsError) as error:
        read_harm_weights(path)
    assert fault_lines(error) == [
        f"{path}, line 1, column '#': no '# source: ...' line; every table must state its source",
        f"{path}, line 1, column '#': no '# caveat: ...' line; every table must state its caveat",
    ]


def test_wrong_header(tmp_path: Path) -> None:
    path = write_table(tmp_path, NOTES + "crime,days\n" + create_rows())
    with pytest.raises(HarmWeightsError) as error:
        read_harm_weights(path)
    (fault,) = fault_lines(error)
    assert fault.startswith(f"{path}, line 3, column 'header': header is 'crime,days'")


def test_empty_table(tmp_path: Path) -> None:
    path = write_table(tmp_path, NOTES)
    with pytest.raises(HarmWeightsError) as error:
        read_harm_weights(path)
    assert fault_lines(error) == [f"{path}, line 2, column 'category': no header and no rows"]


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.csv"
    with pytest.raises(HarmWeightsError, match=f"^{re.escape(str(path))}: no such file$"):
        read_harm_weights(path)


def test_error_heading_names_the_file(tmp_path: Path) -> None:
    path = write_table(tmp_path, NOTES + HEADER + create_rows(Drugs="x"))
    with pytest.raises(HarmWeightsError) as error:
        read_harm_weights(path)
    assert str(error.value).splitlines()[0] == f"{path}: harm weights cannot be used:"


def test_error_class_is_a_geodata_value_error() -> None:
    assert issubclass(HarmWeightsError, GeodataError)
    assert issubclass(HarmWeightsError, ValueError)


# --- a table with plausible ranges --------------------------------------------------------

RANGE_HEADER = "category,weight,low,high,basis\n"


def create_range_rows(**overrides: str) -> str:
    """``category,weight,low,high,basis`` rows: weight 2, range 1 to 3 unless overridden."""
    rows = {c: "2,1,3" for c in WEIGHTED_CATEGORIES}
    for key, value in overrides.items():
        rows[key.replace("_", " ")] = value
    return "".join(f"{c},{v},test\n" for c, v in rows.items())


def test_a_table_with_ranges_is_read(tmp_path: Path) -> None:
    path = write_table(tmp_path, NOTES + RANGE_HEADER + create_range_rows(Robbery="5,4,9"))
    weights = read_harm_weights(path)
    assert weights.weights["Robbery"] == 5.0
    assert weights.ranges["Robbery"] == (4.0, 9.0)
    assert weights.ranges["Burglary"] == (1.0, 3.0)


def test_a_table_without_ranges_has_none(tmp_path: Path) -> None:
    path = write_table(tmp_path, NOTES + HEADER + create_rows())
    assert dict(read_harm_weights(path).ranges) == {}


@pytest.mark.parametrize(
    ("row", "fault"),
    [
        ("5,6,9", "column 'low': the range 6 to 9 does not hold the weight 5"),
        ("5,4,x", "column 'high': 'x' is not a number"),
        ("5,-1,9", "column 'low': '-1' is negative; weights are 0 or more"),
    ],
)
def test_a_bad_range_names_file_line_and_column(tmp_path: Path, row: str, fault: str) -> None:
    path = write_table(tmp_path, NOTES + RANGE_HEADER + create_range_rows(Robbery=row))
    with pytest.raises(HarmWeightsError) as error:
        read_harm_weights(path)
    # Robbery is the ninth weighted category: line 3 is the header, so line 12.
    assert fault_lines(error) == [f"{path}, line 12, {fault}"]


def test_a_plain_note_has_no_links_paths_or_commits() -> None:
    weights = read_harm_weights(DEFAULT_WEIGHTS_PATH)

    source, caveat = plain_note(weights.source), plain_note(weights.caveat)

    assert source == (
        "ONS Crime Severity Score weights, 2019-20 edition, averaged over each police.uk "
        "category by the Home Office's police recorded crime volumes for England and Wales, "
        "2019-20."
    )
    assert caveat.startswith("Police.uk categories are broad, so a category weight is an average")
    assert caveat.endswith("compare places with them, never single crimes.")
    for text in (source, caveat):
        assert not re.search(r"https?:|github|/|\b[0-9a-f]{12,40}\b|\(", text), text


def test_a_plain_note_keeps_a_note_without_links_as_written() -> None:
    assert plain_note("local weights agreed in 2024") == "Local weights agreed in 2024."
    assert plain_note("") == ""
