"""All-forces archive benchmark: import-crime on a police.uk-style archive of every force.

Usage: WARDPROFILES_TEST_DATA=../shared/data python scripts/bench_archive.py
       [--months 1] [--forces 45] [--force cleveland ...] [--json]

The archive is built from the real Cleveland month 2025-10 (about 8,000 rows): each of the
45 police.uk forces gets a copy of its rows under its own name and file name, moved north
and west by a few hundredths of a degree per force so that every force has its own snap
points (most rows then fall outside Cleveland's 83 wards, as another force's would), with
an outcomes and a stop-and-search member beside each street file, as police.uk publishes.
``--months`` repeats the month (2025-10, 2025-09, ...). The import runs as ``flask --app
service import-crime ARCHIVE --json`` in a fresh process on a fresh SQLite database with the
Cleveland wards; wall seconds and the child's peak RSS are reported, and the summary's
per-force conservation (read = stored + rejected) is checked.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from geodata.crime import STREET_COLUMNS
from geodata.forces import FORCES


def build_archive(path: Path, data: Path, *, months: int, forces: int) -> int:
    """Write the archive; return the street rows written."""
    source = data / "police_uk" / "cleveland" / "2025-10-cleveland-street.csv"
    with source.open(newline="", encoding="utf-8-sig") as stream:
        rows = list(csv.reader(stream))[1:]
    written = 0
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for back in range(months):
            month = f"2025-{10 - back:02d}"
            for index, force in enumerate(FORCES[:forces]):
                shift = 0.0 if force.slug == "cleveland" else 0.02 * (index + 1)
                out = io.StringIO()
                writer = csv.writer(out, lineterminator="\n")
                writer.writerow(STREET_COLUMNS)
                for row in rows:
                    moved = list(row)
                    moved[1], moved[2], moved[3] = month, force.name, force.name
                    if moved[4]:
                        moved[4] = f"{float(moved[4]) - shift:.6f}"
                        moved[5] = f"{float(moved[5]) + shift / 2:.6f}"
                    writer.writerow(moved)
                written += len(rows)
                folder = f"{month}/{month}-{force.slug}"
                archive.writestr(f"{folder}-street.csv", out.getvalue())
                archive.writestr(f"{folder}-outcomes.csv", "Crime ID,Month,Outcome type\n")
                archive.writestr(f"{folder}-stop-and-search.csv", "Type,Date,Outcome\n")
    return written


def flask(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "service", *args],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--months", type=int, default=1)
    parser.add_argument("--forces", type=int, default=len(FORCES))
    parser.add_argument("--force", action="append", default=[], help="passed to import-crime")
    parser.add_argument("--json", action="store_true")
    options = parser.parse_args()
    data = Path(os.environ.get("WARDPROFILES_TEST_DATA", ""))
    if not (data / "police_uk" / "cleveland").is_dir():
        raise SystemExit("set WARDPROFILES_TEST_DATA to the shared data/ folder")
    with tempfile.TemporaryDirectory() as folder:
        archive = Path(folder) / "2025-10.zip"
        written = build_archive(archive, data, months=options.months, forces=options.forces)
        zipped_mb = archive.stat().st_size / 1e6
        env = os.environ | {"WARDPROFILES_DATABASE_URL": f"sqlite:///{folder}/bench.sqlite"}
        flask("init-db", env=env)
        flask("import-wards", str(data / "boundaries" / "cleveland_wards_wd25.geojson"), env=env)
        chosen = [arg for name in options.force for arg in ("--force", name)]
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        start = time.perf_counter()
        done = flask("import-crime", str(archive), *chosen, "--json", env=env)
        seconds = time.perf_counter() - start
        peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        summary = json.loads(done.stdout)
    conserved = all(
        f["rows_read"] == f["rows_stored"] + f["rows_rejected"] for f in summary["by_force"]
    )
    result = {
        "archive_mb": round(zipped_mb, 1),
        "street_rows_in_archive": written,
        "files": summary["files"],
        "forces": len(summary["by_force"]),
        "rows_read": summary["rows_read"],
        "rows_stored": summary["rows_stored"],
        "seconds": round(seconds, 2),
        "rows_per_second": round(summary["rows_read"] / seconds),
        "peak_rss_mb": round(peak_kb / 1024) if peak_kb > before else None,
        "conserved_per_force": conserved,
        "note": summary["note"],
        "load": os.getloadavg(),
    }
    if options.json:
        json.dump(result, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        for name, value in result.items():
            print(f"{name}: {value}")


if __name__ == "__main__":
    main()
