"""Derive the shipped harm-weights table from ONS CSS weights and national offence volumes.

Reads the three inputs under ``geodata/data/harm/`` (see ``geodata/data/README.md`` for their
sources), computes each police.uk category's volume-weighted weight and plausible range with
:func:`geodata.harm_derivation.volume_weighted`, and writes the table that
``geodata.harm.read_harm_weights`` reads.

    python scripts/harm_weights.py --check              # is the shipped table up to date?
    python scripts/harm_weights.py --overwrite          # regenerate it
    python scripts/harm_weights.py --output other.csv   # write elsewhere
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from geodata.harm import DEFAULT_WEIGHTS_PATH
from geodata.harm_derivation import LOCAL_MIX, CategoryWeight, volume_weighted

INPUTS = DEFAULT_WEIGHTS_PATH.parent / "harm"

NOTES = (
    # ``source`` is what pages and reports print beside a harm figure, so it is a plain
    # citation; ``provenance`` (addresses, commits, file names) is for the reader of the file.
    (
        "source",
        "ONS Crime Severity Score weights, 2019-20 edition (https://www.ons.gov.uk/"
        "peoplepopulationandcommunity/crimeandjustice/datasets/crimeseverityscoredatatool), "
        "averaged over each police.uk category by the Home Office's police recorded crime "
        "volumes for England and Wales, 2019-20",
    ),
    (
        "provenance",
        'ONS Crime Severity Score (CSS) data tool, sheet "List of weights" '
        "(https://www.ons.gov.uk/peoplepopulationandcommunity/crimeandjustice/datasets/"
        "crimeseverityscoredatatool), edition current in 2019-20, via github.com/M-O-P-D/"
        "Police-Supply-Demand data/DEPRECATED-severity_codes.csv (commit "
        "38420a1fbf0c6b4301053f9228f2285a24d8f239); weighted by Home Office police recorded "
        "crime volumes for England and Wales 2019-20 (prc-pfa-mar2013-onwards-tables.ods, "
        "October 2020 release, via the same repository's data/detailed-offence-counts.csv at "
        "commit 37d5a18834de5a27d1e8f613eefb2d3c5461fd82) and its police.uk category mapping "
        "(data/policeuk-ons-code-join.csv); derived by scripts/harm_weights.py from the copies "
        "in geodata/data/harm/",
    ),
    (
        "unit",
        "days of custody, or the custody-equivalent of a non-custodial sentence, that "
        "the offence receives on average when sentenced",
    ),
    (
        "method",
        "weight = sum(national volume x CSS weight) / sum(national volume) over the "
        "category's offences; low and high = the weight if each offence's share of the category "
        f"were anywhere between 1/{LOCAL_MIX:g} and {LOCAL_MIX:g} times its national share",
    ),
    ("licence", "Open Government Licence v3.0 (ONS and Home Office data)"),
    (
        "caveat",
        "police.uk categories are broad, so a category weight is an average over very "
        'different offences ("Violence and sexual offences" mixes assault without injury, '
        "13.51, with rape, about 2,950, and homicide, 7,973), weighted by the national mix of "
        "2019-20, which a place's own mix can differ from (see low and high); compare places "
        "with them, never single crimes",
    ),
)


def read_inputs(folder: Path) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The CSS weights, the offence volumes and the category mapping, codes as text."""
    text = {"offence_code": str, "css_offence_code": str}
    return (
        pd.read_csv(folder / "ons_css_weights.csv", dtype=text),
        pd.read_csv(folder / "recorded_crime_volumes_2019-20.csv", dtype=text),
        pd.read_csv(folder / "policeuk_category_offences.csv", dtype=text),
    )


def render(categories: list[CategoryWeight]) -> str:
    """The table as ``read_harm_weights`` reads it: notes, header, one row per category."""
    out = io.StringIO()
    for key, value in NOTES:
        out.write(f"# {key}: {value}\n")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["category", "weight", "low", "high", "basis"])
    for c in categories:
        writer.writerow([c.category, f"{c.weight:.2f}", f"{c.low:.2f}", f"{c.high:.2f}", c.basis])
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=Path, default=INPUTS, help="folder of the three inputs")
    parser.add_argument("--output", type=Path, default=DEFAULT_WEIGHTS_PATH)
    parser.add_argument("--overwrite", action="store_true", help="replace an existing output")
    parser.add_argument(
        "--check", action="store_true", help="exit 1 if the output differs from the derivation"
    )
    args = parser.parse_args(argv)
    table = render(volume_weighted(*read_inputs(args.inputs)))
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        if current != table:
            print(f"{args.output} is not what {args.inputs} derive; run with --overwrite")
            return 1
        print(f"{args.output} is up to date")
        return 0
    if args.output.exists() and not args.overwrite:
        parser.error(f"{args.output} exists; pass --overwrite to replace it")
    args.output.write_text(table, encoding="utf-8")
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
