"""Report benchmark: seconds for `report --all --format pdf` over the 83 Cleveland wards.

Usage: WARDPROFILES_TEST_DATA=../shared/data python scripts/bench_report.py [--wards-only]
Imports the Cleveland wards, crime, population and the example threat assessment into a
temporary database, then runs `flask --app service report --all --format pdf` as a user
would (a fresh process, one worker per core), --runs times (default 3), and reports the best
and median wall time and, for each run, the CPU time of the command and its workers and the
time of a fixed reference workload (a shared machine's speed drifts), then the pages and the
size of what it wrote. --wards-only names every
ward with --ward instead of --all, which leaves out all-wards.pdf (the index and every report
joined in one file), to show what the combined PDF costs.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scripts.cleveland import ROOT, cleveland_app
from service.store.db import get_engine
from service.store.wards import latest_vintage, list_wards


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wards-only", action="store_true", help="No combined PDF.")
    parser.add_argument("--runs", type=int, default=3, help="Runs to time (default 3).")
    parser.add_argument("--json", action="store_true", help="Print the figures as JSON.")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.sqlite"
        app = cleveland_app(folder)
        with app.app_context():
            engine = get_engine()
            codes = [w["code"] for w in list_wards(engine, vintage=latest_vintage(engine) or "")]
        chosen = [arg for code in codes for arg in ("--ward", code)] if options.wards_only else []
        out = Path(folder, "reports")
        command = [
            sys.executable, "-m", "flask", "--app", "service", "report",
            *(chosen or ["--all"]), "--format", "pdf", "--out", str(out), "--json",
        ]  # fmt: skip
        environment = environ_with_path(
            os.environ | {"WARDPROFILES_DATABASE_URL": url, "WARDPROFILES_SECRET_KEY": "bench"}
        )
        runs = []
        for _ in range(options.runs):
            shutil.rmtree(out, ignore_errors=True)
            runs.append(timed(command, environment) | {"reference_s": reference()})
        summary = json.loads(runs[-1].pop("summary"))
        megabytes = round(sum(p.stat().st_size for p in out.iterdir()) / 1e6, 1)
    for run in runs:
        run.pop("summary", None)
    walls = sorted(run["wall_s"] for run in runs)
    figures = {
        "wards": summary["wards"],
        "combined_pdf": not options.wards_only,
        "cores": os.cpu_count(),
        "pages": summary["pages"],
        "megabytes": megabytes,
        "wall_s_best": walls[0],
        "wall_s_median": walls[len(walls) // 2],
        "runs": runs,
    }
    if options.json:
        print(json.dumps(figures, indent=2))
        return
    print(
        f"report {'--ward x' + str(len(codes)) if options.wards_only else '--all'} --format pdf: "
        f"{figures['wards']} wards, {figures['pages']} ward pages, {megabytes} MB on "
        f"{figures['cores']} cores; wall {walls[0]} s best, {figures['wall_s_median']} s median"
    )
    for run in runs:
        print(
            f"  {run['wall_s']} s wall ({run['command_s']} s in the command, {run['cpu_s']} s "
            f"of CPU); reference workload {run['reference_s']} s"
        )


def timed(command: list[str], environment: dict[str, str]) -> dict[str, Any]:
    """One run of ``command``: wall time, time inside the command, CPU of it and its workers."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    run = subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if run.returncode:
        sys.exit(run.stderr)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {
        "wall_s": round(seconds, 1),
        "command_s": json.loads(run.stdout)["seconds"],
        "cpu_s": round(cpu, 1),
        "summary": run.stdout,
    }


def reference() -> float:
    """Seconds of a fixed pure-Python workload, timed beside each run: the speed of a shared
    virtual machine drifts (twice as slow at times here), and this says which phase a run
    met. Best of three."""
    best = math.inf
    for _ in range(3):
        started = time.process_time()
        total = 0
        for i in range(3_000_000):
            total += i % 7
        best = min(best, time.process_time() - started)
    return round(best, 3)


def environ_with_path(environment: dict[str, str]) -> dict[str, str]:
    """The environment with the repository on PYTHONPATH, so `-m flask` finds `service`."""
    paths = [str(ROOT), *filter(None, [environment.get("PYTHONPATH")])]
    return environment | {"PYTHONPATH": os.pathsep.join(paths)}


if __name__ == "__main__":
    main()
