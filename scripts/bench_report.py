"""Report benchmark: seconds for `report --all --format pdf` over the 83 Cleveland wards.

Usage: WARDPROFILES_TEST_DATA=../shared/data python scripts/bench_report.py [--wards-only]
Imports the Cleveland wards, crime, population and the example threat assessment into a
temporary database, then runs `flask --app service report --all --format pdf` as a user
would (a fresh process, one worker per core) and reports the wall time, the CPU time of the
command and its workers, the pages and the size of what it wrote. --wards-only names every
ward with --ward instead of --all, which leaves out all-wards.pdf (the index and every report
joined in one file), to show what the combined PDF costs.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scripts.cleveland import ROOT, cleveland_app
from service.store.db import get_engine
from service.store.wards import latest_vintage, list_wards


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wards-only", action="store_true", help="No combined PDF.")
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
        environment = os.environ | {
            "WARDPROFILES_DATABASE_URL": url,
            "WARDPROFILES_SECRET_KEY": "bench",
        }
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        run = subprocess.run(
            command, cwd=ROOT, env=environ_with_path(environment), capture_output=True, text=True
        )
        seconds = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if run.returncode:
            sys.exit(run.stderr)
        summary = json.loads(run.stdout)
        figures = {
            "wards": summary["wards"],
            "combined_pdf": not options.wards_only,
            "cores": os.cpu_count(),
            "wall_s": round(seconds, 1),
            "command_s": summary["seconds"],
            "cpu_s": round(
                (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), 1
            ),
            "pages": summary["pages"],
            "megabytes": round(sum(p.stat().st_size for p in out.iterdir()) / 1e6, 1),
        }
    if options.json:
        print(json.dumps(figures, indent=2))
        return
    print(
        f"report {'--ward x' + str(len(codes)) if options.wards_only else '--all'} --format pdf: "
        f"{figures['wards']} wards, {figures['pages']} ward pages, {figures['megabytes']} MB "
        f"in {figures['wall_s']} s wall ({figures['command_s']} s in the command) on "
        f"{figures['cores']} cores, {figures['cpu_s']} s of CPU"
    )


def environ_with_path(environment: dict[str, str]) -> dict[str, str]:
    """The environment with the repository on PYTHONPATH, so `-m flask` finds `service`."""
    paths = [str(ROOT), *filter(None, [environment.get("PYTHONPATH")])]
    return environment | {"PYTHONPATH": os.pathsep.join(paths)}


if __name__ == "__main__":
    main()
