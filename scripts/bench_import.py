"""Import benchmark: rows/s and peak memory of whole crime imports, with DuckDB alongside.

Usage: python scripts/bench_import.py [--rows 1000000 5000000 20000000] [--repeat 5]
       [--memory-mb 512] [--json]

The Cleveland figures need WARDPROFILES_TEST_DATA (the shared data/ folder); without it
only the synthetic figures are measured, on rows of the demo force. Each in-process figure
is the best of --repeat runs.

Each ``--rows N`` builds one police.uk street file of N rows from the real Cleveland rows
(the twelve months' 89,391 rows repeated in file order, so the file holds twelve (force,
month) partitions with Cleveland's snap points) and imports it once into a new SQLite
database in a child process run under ``/usr/bin/time -v``: rows/s is rows stored over the
seconds of ``import_crime_paths`` (parse, check, assign, store, commit), peak RSS is the
child's "Maximum resident set size" (the whole process: Python, libraries, wards); the
import's CPU seconds over all its threads (steadier than the wall clock on a busy machine)
and the database's size (with its WAL) once the import is committed, per million rows. DuckDB
is measured the same way on the same file as the reference: ``read_csv`` into a table of a
new database file. DuckDB's spatial extension is fetched from the internet on first use;
when it cannot be (offline), the ward join is left out of DuckDB's figure and the report
says so.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv

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


def cleveland_file(data: Path, folder: Path, rows: int) -> tuple[list[str], str]:
    """One street file of ``rows`` rows repeating the real Cleveland rows, and the wards."""
    sources = sorted((data / "police_uk/cleveland").glob("*-street.csv"))
    options = pa_csv.ConvertOptions(column_types=dict.fromkeys(_columns(sources[0]), pa.string()))
    table = pa.concat_tables(pa_csv.read_csv(s, convert_options=options) for s in sources)
    path = folder / f"cleveland-{rows}-street.csv"
    with pa_csv.CSVWriter(path, table.schema) as writer:
        left = rows
        while left > 0:
            part = table.slice(0, min(left, table.num_rows))
            writer.write_table(part)
            left -= part.num_rows
    wards = sorted(glob.glob(f"{data}/boundaries/wards_wd25/*.geojson"))
    return wards, str(path)


def _columns(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig") as stream:
        return stream.readline().strip().split(",")


def demo_file(folder: Path, rows: int) -> tuple[list[str], str]:
    """A police.uk street file of ``rows`` rows of the demo force for one month, and its
    wards (when the real data is not at hand)."""
    force = make_demo_force(months=1, incidents_per_month=rows)
    (frame,) = force.months.values()
    csv_path = folder / "synthetic-street.csv"
    frame.to_csv(csv_path, index=False)
    wards_path = folder / "synthetic-wards.geojson"
    force.wards.to_file(wards_path, driver="GeoJSON", engine="pyogrio")
    return [str(wards_path)], str(csv_path)


def in_child(arguments: list[str]) -> dict[str, Any]:
    """Run this script with ``arguments`` under ``/usr/bin/time -v``: its JSON and peak RSS."""
    command = ["/usr/bin/time", "-v", sys.executable, __file__, *arguments]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode:
        raise RuntimeError(f"{' '.join(arguments)} failed:\n{done.stderr[-3000:]}")
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    result["peak_rss_mb"] = int(peak.group(1)) / 1024 if peak else None
    return result


def child_import(wards: list[str], csv: str, memory_mb: int) -> dict[str, Any]:
    """Import ``csv`` into a new SQLite database (the child side of :func:`in_child`)."""
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{folder}/bench.sqlite")
        init_db(engine)
        import_ward_files(engine, wards)
        start, cpu = time.perf_counter(), time.process_time()
        summary = import_crime_paths(engine, [csv], memory_mb=memory_mb).to_json()
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        engine.dispose()
        size = sum(p.stat().st_size for p in Path(folder).glob("bench.sqlite*"))
    return {
        "rows": summary["rows_stored"],
        "seconds": seconds,
        "cpu_seconds": cpu,
        "database_mb": size / 1e6,
    }


def child_duckdb(wards: list[str], csv: str) -> dict[str, Any]:
    """DuckDB's ``read_csv`` of ``csv`` into a table, with the ward join when its spatial
    extension loads (the child side of :func:`in_child`)."""
    import duckdb

    with tempfile.TemporaryDirectory() as folder:
        connection = duckdb.connect(f"{folder}/bench.duckdb")
        try:
            connection.execute("INSTALL spatial; LOAD spatial")
            spatial = True
        except duckdb.Error:
            spatial = False
        if spatial:
            paths = ", ".join(f"'{w}'" for w in wards)
            connection.execute(f"CREATE TABLE wards AS SELECT * FROM ST_Read([{paths}])")
        start = time.perf_counter()
        source = f"read_csv('{csv}', header = true)"
        if spatial:
            connection.execute(
                f"CREATE TABLE incidents AS SELECT c.*, w.WD25CD FROM {source} c "
                "LEFT JOIN wards w ON ST_Within(ST_Point(c.Longitude, c.Latitude), w.geom)"
            )
        else:
            connection.execute(f"CREATE TABLE incidents AS SELECT * FROM {source}")
        connection.commit()
        rows = connection.execute("SELECT count(*) FROM incidents").fetchone()
        seconds = time.perf_counter() - start
        connection.close()
    return {"rows": rows[0] if rows else 0, "seconds": seconds, "ward_join": spatial}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--memory-mb", type=int, default=512)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        kind, csv, *wards = options.child
        result = (
            child_import(wards, csv, options.memory_mb)
            if kind == "import"
            else child_duckdb(wards, csv)
        )
        print(json.dumps(result))
        return
    results: dict[str, dict[str, Any]] = {}

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
        print("WARDPROFILES_TEST_DATA is not set: demo rows, Cleveland skipped", file=sys.stderr)

    for count in options.rows:
        with tempfile.TemporaryDirectory() as folder:
            if data:
                ward_files, csv_path = cleveland_file(Path(data), Path(folder), count)
            else:
                ward_files, csv_path = demo_file(Path(folder), count)
            memory = ["--memory-mb", str(options.memory_mb)]
            for name, arguments in (
                ("import", ["--child", "import", csv_path, *ward_files, *memory]),
                ("duckdb", ["--child", "duckdb", csv_path, *ward_files]),
            ):
                figures = in_child(arguments)
                figures["rows_per_s"] = figures["rows"] / figures["seconds"]
                results[f"file_{count}_{name}"] = figures

    results["machine"] = {"load_average": list(os.getloadavg()), "cpus": os.cpu_count() or 0}
    if options.json:
        json.dump(results, sys.stdout, indent=2)
        print()
        return
    for name, figures in results.items():
        if name == "machine":
            print(f"load average {figures['load_average']} on {figures['cpus']} CPUs")
            continue
        rate = next(v for k, v in figures.items() if k.endswith("_per_s"))
        count = figures.get("rows", figures.get("points"))
        line = f"{name:28} {count:>11,.0f} in {figures['seconds']:7.3f} s = {rate / 1e6:.2f} M/s"
        if figures.get("peak_rss_mb"):
            line += f", peak RSS {figures['peak_rss_mb']:,.0f} MB"
        if figures.get("cpu_seconds"):
            line += f", CPU {figures['cpu_seconds']:.2f} s (all threads)"
        if figures.get("database_mb"):
            per_million = figures["database_mb"] / figures["rows"] * 1e6
            line += f", database {per_million:,.1f} MB per million rows"
        if figures.get("ward_join") is False:
            line += " (no ward join: DuckDB's spatial extension could not be fetched offline)"
        print(line)


if __name__ == "__main__":
    main()
