"""Import benchmark: rows/s for whole imports and points/s for the ward assignment alone.

Usage: python scripts/bench_import.py [--rows 1000000] [--repeat 5] [--json]
The Cleveland figures need WARDPROFILES_TEST_DATA (the shared data/ folder); without it
only the synthetic figures are measured. Each figure is the best of --repeat runs.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from geodata.demo.force import make_demo_force
from geodata.io.police_uk import find_street_files, read_street_file
from geodata.join import assign_wards
from service.importing import import_crime_paths, import_ward_files
from service.store.db import init_db, make_engine


def best_of(repeat: int, run: Callable[[], object]) -> float:
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        timings.append(time.perf_counter() - start)
    return min(timings)


def whole_import(ward_paths: list[str], crime_paths: list[str], repeat: int) -> tuple[int, float]:
    """Seconds for import-crime (parse, validate, assign, store) into a fresh database."""
    rows = 0
    timings = []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as folder:
            engine = make_engine(f"sqlite:///{folder}/bench.sqlite")
            init_db(engine)
            import_ward_files(engine, ward_paths)
            start = time.perf_counter()
            summary = import_crime_paths(engine, crime_paths).to_json()
            timings.append(time.perf_counter() - start)
            rows = summary["rows_stored"]
            engine.dispose()
    return rows, min(timings)


def synthetic_files(folder: Path, rows: int) -> tuple[str, str]:
    """A police.uk street file of ``rows`` synthetic rows for one force-month, and its wards."""
    force = make_demo_force(months=1, incidents_per_month=rows)
    (frame,) = force.months.values()
    csv_path = folder / "synthetic-street.csv"
    frame.to_csv(csv_path, index=False)
    wards_path = folder / "synthetic-wards.geojson"
    force.wards.to_file(wards_path, driver="GeoJSON", engine="pyogrio")
    return str(wards_path), str(csv_path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    options = parser.parse_args()
    results: dict[str, dict[str, float]] = {}

    data = os.environ.get("WARDPROFILES_TEST_DATA")
    if data:
        ward_paths = sorted(glob.glob(f"{data}/boundaries/wards_wd25/*.geojson"))
        crime_folder = f"{data}/police_uk/cleveland"
        rows, seconds = whole_import(ward_paths, [crime_folder], options.repeat)
        results["cleveland_import"] = {
            "rows": rows,
            "seconds": seconds,
            "rows_per_s": rows / seconds,
        }
        sources = find_street_files([crime_folder])
        seconds = best_of(options.repeat, lambda: [read_street_file(s) for s in sources])
        results["cleveland_parse_validate"] = {
            "rows": rows,
            "seconds": seconds,
            "rows_per_s": rows / seconds,
        }
        wards = pd.concat(gpd.read_file(p) for p in ward_paths).rename(columns={"WD25CD": "code"})
        crime = pd.concat(pd.read_csv(p) for p in sorted(glob.glob(f"{crime_folder}/*.csv")))
        x, y = crime["Longitude"].to_numpy(), crime["Latitude"].to_numpy()
        seconds = best_of(max(options.repeat, 20), lambda: assign_wards(x, y, wards))
        results["cleveland_assignment"] = {
            "points": len(x),
            "seconds": seconds,
            "points_per_s": len(x) / seconds,
        }
    else:
        print("WARDPROFILES_TEST_DATA is not set: Cleveland figures skipped", file=sys.stderr)

    with tempfile.TemporaryDirectory() as folder:
        ward_path, csv_path = synthetic_files(Path(folder), options.rows)
        rows, seconds = whole_import([ward_path], [csv_path], max(1, options.repeat // 2))
        results["synthetic_import"] = {
            "rows": rows,
            "seconds": seconds,
            "rows_per_s": rows / seconds,
        }

    if options.json:
        json.dump(results, sys.stdout, indent=2)
        print()
        return
    for name, figures in results.items():
        rate = next(v for k, v in figures.items() if k.endswith("_per_s"))
        count = figures.get("rows", figures.get("points"))
        print(f"{name:28} {count:>10,.0f} in {figures['seconds']:.3f} s = {rate / 1e6:.2f} M/s")


if __name__ == "__main__":
    main()
