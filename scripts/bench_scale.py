"""Scale benchmark: a synthetic region of about 5 million rows on SQLite and on PostgreSQL.

Usage: WARDPROFILES_TEST_DATA=../shared/data python scripts/bench_scale.py
       [--forces 10] [--years 5] [--database-url postgresql+psycopg://...] [--wrk-seconds 15]

The region is built from the real Cleveland rows (12 months, 89,391 rows, 83 wards):

- space: ``--forces`` copies of Cleveland's wards and rows, copy k moved west by
  (k mod 5) x 0.8 degrees and north by (k div 5) x 0.5 degrees (Cleveland is 0.66 by 0.25
  degrees wide, so copies never overlap, and west and north keep every copy inside the
  reader's British bounds, so no row is rejected); copy k is the force "Synthetic Force k", its ward
  codes are Cleveland's with the first three characters replaced by ``Xkk`` and its ward
  names end in "(k)". Snap points move with their rows, so each copy has its own places.
- time: ``--years`` copies of the twelve months, copy y moved y years back.

So the region has forces x 83 wards and forces x years x 89,391 rows (10 x 5: 830 wards,
4,469,550 rows, 600 street files, 60 months). The files are written as police.uk CSV and
imported by the real ``import-crime`` path (parse, validate, join, store), timed end to
end, with the CPU seconds per million rows it took in this process and, for the throwaway
cluster, in PostgreSQL's processes (a shared machine changes rows/s, much less CPU).
Then each force's latest month is imported again, revised (its last row left out), as
police.uk republishes months: the replacement of those partitions, timed and costed the
same way. Then the force-wide figures are built and kept in the database, as
``import-crime`` does once it has stored rows (``keep_figures_seconds``). Then, for the
busiest ward: the profile JSON and the ward page, cold in a new app (the shared force
figures read from the database and the profile built), cold again with only the profile's
cache cleared, and warm (cached); with ``wrk`` installed, warm ward pages per second from
gunicorn with 2 workers at 32 connections. PostgreSQL runs in a throwaway cluster
(``tests/postgres.py``) unless ``--database-url`` names a server.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import geopandas as gpd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import sqlalchemy as sa
from shapely import affinity

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scripts.cleveland import BENCH_PASSWORD, data_folder, sign_in
from service import create_app
from service.importing import import_crime_paths, import_ward_files
from service.readmodels.cache import data_cache
from service.readmodels.ward_priorities import keep_force_figures
from service.readmodels.ward_profiles import CACHED
from service.store.db import get_engine, init_db, make_engine
from service.store.incidents import count_incidents_by_ward
from service.store.users import create_user

DX, DY = -0.8, 0.5


def build_region(data: Path, folder: Path, *, forces: int, years: int) -> tuple[list[str], int]:
    """Write the synthetic region's ward files and street files; return ward paths and rows."""
    wards = gpd.pd.concat(
        gpd.read_file(p) for p in sorted((data / "boundaries/wards_wd25").glob("*.geojson"))
    )
    ward_paths = []
    for k in range(forces):
        copy = wards.copy()
        xoff, yoff = (k % 5) * DX, (k // 5) * DY
        copy["geometry"] = copy.geometry.apply(affinity.translate, xoff=xoff, yoff=yoff)
        copy["WD25CD"] = f"X{k:02d}" + copy["WD25CD"].str[3:]
        copy["WD25NM"] = copy["WD25NM"] + f" ({k})"
        copy["LAD25NM"] = copy["LAD25NM"] + f" ({k})"
        path = folder / f"wards-{k:02d}.geojson"
        copy.to_file(path, driver="GeoJSON", engine="pyogrio")
        ward_paths.append(str(path))
    rows = 0
    text = pa_csv.ConvertOptions(column_types={}, strings_can_be_null=False)
    for source in sorted((data / "police_uk/cleveland").glob("*-street.csv")):
        table = pa_csv.read_csv(source, convert_options=text)
        table = table.cast(pa.schema([(name, pa.string()) for name in table.column_names]))
        year, month = source.name[:4], source.name[5:7]
        for k in range(forces):
            moved = _moved(
                table, xoff=(k % 5) * DX, yoff=(k // 5) * DY, force=f"Synthetic Force {k}"
            )
            for y in range(years):
                when = f"{int(year) - y}-{month}"
                out = moved.set_column(
                    moved.schema.get_field_index("Month"),
                    "Month",
                    pa.array([when] * moved.num_rows, pa.string()),
                )
                path = (
                    folder / "crime" / f"force-{k:02d}" / when / f"{when}-force-{k:02d}-street.csv"
                )
                path.parent.mkdir(parents=True, exist_ok=True)
                pa_csv.write_csv(
                    out, path, write_options=pa_csv.WriteOptions(quoting_style="needed")
                )
                rows += out.num_rows
    return ward_paths, rows


def _moved(table: pa.Table, *, xoff: float, yoff: float, force: str) -> pa.Table:
    """The rows with the force renamed and located rows moved (missing stays missing)."""
    for name, offset in (("Longitude", xoff), ("Latitude", yoff)):
        column = table[name]
        number = pc.cast(pc.if_else(pc.equal(column, ""), None, column), pa.float64())
        shifted = pc.round(pc.add(number, offset), 6)
        as_text = pc.fill_null(pc.cast(shifted, pa.string()), "")
        table = table.set_column(table.schema.get_field_index(name), name, as_text)
    for name in ("Reported by", "Falls within"):
        table = table.set_column(
            table.schema.get_field_index(name), name, pa.array([force] * table.num_rows)
        )
    return table


def revise_latest_month(crime: Path, folder: Path) -> tuple[Path, int]:
    """Each force's file of the latest month, revised as police.uk revises a month (here its
    last row left out), in ``folder``; return the folder and the rows of the revised files."""
    latest = max(p.name for p in crime.glob("force-*/*"))
    rows = 0
    for source in sorted(crime.glob(f"force-*/{latest}/*-street.csv")):
        lines = source.read_bytes().splitlines(keepends=True)[:-1]
        target = folder / source.relative_to(crime)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(b"".join(lines))
        rows += len(lines) - 1
    return folder, rows


def measure_import(
    engine: sa.Engine, path: Path, server: Path | None
) -> tuple[dict[str, Any], float, dict[str, float]]:
    """Import ``path``: its summary, wall seconds and CPU seconds per million rows stored."""
    client_before, server_before = cpu_seconds(server)
    start = time.perf_counter()
    summary = import_crime_paths(engine, [path]).to_json()
    seconds = time.perf_counter() - start
    client_after, server_after = cpu_seconds(server)
    per_million = 1e6 / max(summary["rows_stored"], 1)
    cpu = {
        "client": round((client_after - client_before) * per_million, 2),
        "server": round((server_after - server_before) * per_million, 2),
    }
    return summary, seconds, cpu


def database_size(engine: sa.Engine) -> int:
    if engine.dialect.name == "sqlite":
        base = Path(str(engine.url.database))
        return sum(p.stat().st_size for p in base.parent.glob(base.name + "*"))
    with engine.connect() as connection:
        return int(connection.scalar(sa.text("SELECT pg_database_size(current_database())")))


def timed(call: Callable[[], object]) -> float:
    start = time.perf_counter()
    call()
    return 1000 * (time.perf_counter() - start)


def cpu_seconds(server: Path | None) -> tuple[float, float]:
    """CPU seconds used so far by this process and by the PostgreSQL cluster whose data
    folder is ``server`` (its postmaster, its exited backends and its live ones), so an
    import's cost can be given per row: steadier than rows/s on a shared machine."""
    mine = resource.getrusage(resource.RUSAGE_SELF)
    client = mine.ru_utime + mine.ru_stime
    if server is None:
        return client, 0.0

    def times(pid: str) -> list[int]:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return [int(value) for value in fields[11:15]]

    postmaster = (server / "postmaster.pid").read_text().split()[0]
    ticks = sum(times(postmaster))
    for task in Path(f"/proc/{postmaster}/task").iterdir():
        for child in (task / "children").read_text().split():
            with contextlib.suppress(FileNotFoundError):
                ticks += sum(times(child)[:2])
    return client, ticks / os.sysconf("SC_CLK_TCK")


def measure_store(
    url: str, ward_paths: list[str], crime: Path, *, wrk_seconds: int, server: Path | None = None
) -> dict[str, object]:
    engine = make_engine(url)
    init_db(engine)
    import_ward_files(engine, ward_paths)
    summary, seconds, cpu = measure_import(engine, crime, server)
    revised, _ = revise_latest_month(crime, crime.parent / f"revised-{engine.dialect.name}")
    revision, revision_seconds, revision_cpu = measure_import(engine, revised, server)
    counts = count_incidents_by_ward(engine, vintage="2025")
    busiest = max((c for c in counts if c), key=lambda c: counts[c])
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(sa.text("ANALYZE"))
    size = database_size(engine)
    user_id = create_user(engine, username="bench", password=BENCH_PASSWORD, role="viewer")
    engine.dispose()
    # What import-crime does once it has stored rows: build the force-wide figures and keep
    # them in the database, so no process's first page builds them.
    keeper = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "REQUEST_LOG": False})
    start = time.perf_counter()
    with keeper.app_context():
        keep_force_figures(keeper, get_engine())
        get_engine().dispose()
    figures_seconds = time.perf_counter() - start
    result: dict[str, object] = {
        "rows_stored": summary["rows_stored"],
        "rows_rejected": summary["rows_rejected"],
        "import_seconds": round(seconds, 1),
        "import_rows_per_second": round(summary["rows_stored"] / seconds),
        "import_load_average": round(os.getloadavg()[0], 1),
        "import_cpu_seconds_per_million_rows": cpu,
        "revised_month_rows": revision["rows_written"],
        "revised_month_seconds": round(revision_seconds, 2),
        "revised_month_cpu_seconds_per_million_rows": revision_cpu,
        "database_mb": round(size / 1e6),
        "keep_figures_seconds": round(figures_seconds, 2),
        "busiest_ward": busiest,
        "busiest_ward_rows": counts[busiest],
    }
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "REQUEST_LOG": False})
    client = sign_in(app.test_client(), user_id)
    profile, page = f"/api/wards/{busiest}/profile", f"/wards/{busiest}"
    result["profile_cold_new_app_ms"] = round(timed(lambda: client.get(profile)), 1)
    result["page_cold_ms"] = round(timed(lambda: client.get(page)), 1)
    cold, warm, page_warm = [], [], []
    for _ in range(10):
        data_cache(app, "profiles", size=CACHED).clear()
        cold.append(timed(lambda: client.get(profile)))
        warm.append(timed(lambda: client.get(profile)))
        page_warm.append(timed(lambda: client.get(page)))
    assert client.get(profile).status_code == 200 and client.get(page).status_code == 200
    result["profile_cold_ms_median"] = round(statistics.median(cold), 1)
    result["profile_warm_ms_median"] = round(statistics.median(warm), 1)
    result["page_warm_ms_median"] = round(statistics.median(page_warm), 1)
    cookie = client.get_cookie("session")
    if shutil.which("wrk") and cookie is not None and wrk_seconds:
        result |= serve_and_load(url, page, cookie.value, seconds=wrk_seconds, database=server)
    return result


def serve_and_load(
    url: str, page: str, cookie: str, *, seconds: int, database: Path | None = None
) -> dict[str, object]:
    """Warm ward pages per second from gunicorn (2 workers, ``gunicorn.conf.py``) under wrk,
    32 connections, with the CPU each page cost the workers, wrk and, for the throwaway
    cluster, PostgreSQL: on 2 cores, 300 pages a second leaves 6.7 ms for all three."""
    port = 8900 + os.getpid() % 90
    environment = os.environ | {
        "WARDPROFILES_DATABASE_URL": url,
        "WARDPROFILES_SECRET_KEY": "bench",
        "WARDPROFILES_REQUEST_LOG": "false",
    }
    gunicorn = Path(sys.executable).parent / "gunicorn"
    server = subprocess.Popen(
        # A long timeout: each worker's first page builds the region's shared figures, which
        # takes more than gunicorn's default 30 s on a machine busy with other work.
        [
            str(gunicorn),
            *("--workers", "2", "--timeout", "600", "--bind", f"127.0.0.1:{port}"),
            "service:create_app()",
        ],
        env=environment,
        cwd=Path(__file__).resolve().parents[1],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        target = f"http://127.0.0.1:{port}{page}"
        for _ in range(120):
            time.sleep(0.5)
            check = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}",
                                    "-H", f"Cookie: session={cookie}", target],
                                   capture_output=True, text=True, check=False)  # fmt: skip
            if check.stdout == "200":
                break
        for _ in range(4):  # warm both workers' caches
            subprocess.run(["curl", "-s", "-o", "/dev/null", "-H", f"Cookie: session={cookie}",
                            target], check=False)  # fmt: skip
        workers = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
        before, database_before = _cpu_ms(workers), cpu_seconds(database)[1]
        children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        load = subprocess.run(
            ["wrk", "-t2", "-c32", f"-d{seconds}s", "--latency",
             "-H", f"Cookie: session={cookie}", target],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        cpu_ms = _cpu_ms(workers) - before
        database_ms = 1000 * (cpu_seconds(database)[1] - database_before)
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        wrk_ms = 1000 * sum(
            getattr(children, f) - getattr(children_before, f) for f in ("ru_utime", "ru_stime")
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
    result = parse_wrk(load.stdout)
    requests = re.search(r"(\d+) requests in", load.stdout)
    if requests:
        pages = int(requests.group(1))
        result["worker_cpu_ms_per_page"] = round(cpu_ms / pages, 2)
        result["wrk_cpu_ms_per_page"] = round(wrk_ms / pages, 2)
        if database is not None:
            result["postgresql_cpu_ms_per_page"] = round(database_ms / pages, 2)
    return {"wrk": result}


def _cpu_ms(pids: list[str]) -> float:
    """User and system CPU milliseconds the processes ``pids`` have used (Linux ``/proc``):
    steadier than pages per second on a machine shared with other work."""
    ticks = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])
    return 1000 * ticks / os.sysconf("SC_CLK_TCK")


def parse_wrk(output: str) -> dict[str, object]:
    def latency(label: str) -> str | None:
        found = re.search(rf"^\s+{label}\s+(\S+)", output, re.MULTILINE)
        return found.group(1) if found else None

    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(r"Socket errors: (.*)", output)
    return {
        "pages_per_second": float(rate.group(1)) if rate else None,
        "p50": latency("50%"),
        "p99": latency("99%"),
        "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
        "socket_errors": errors.group(1) if errors else "none",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--forces", type=int, default=10)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--database-url", help="a PostgreSQL database to use (emptied first)")
    parser.add_argument("--wrk-seconds", type=int, default=15)
    parser.add_argument("--stores", default="sqlite,postgresql")
    options = parser.parse_args()
    results: dict[str, object] = {}
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as name:
        folder = Path(name)
        start = time.perf_counter()
        ward_paths, rows = build_region(
            data_folder(), folder, forces=options.forces, years=options.years
        )
        results["region"] = {
            "forces": options.forces,
            "years": options.years,
            "rows": rows,
            "build_seconds": round(time.perf_counter() - start, 1),
        }
        print(json.dumps(results["region"]), flush=True)
        stores = options.stores.split(",")
        if "sqlite" in stores:
            url = f"sqlite:///{folder}/scale.sqlite"
            results["sqlite"] = measure_store(
                url, ward_paths, folder / "crime", wrk_seconds=options.wrk_seconds
            )
            print(json.dumps({"sqlite": results["sqlite"]}), flush=True)
        if "postgresql" in stores:
            cluster = None
            url = options.database_url
            if url is None:
                from tests.postgres import Cluster

                cluster = Cluster()
                url = cluster.url(cluster.create_database())
            try:
                results["postgresql"] = measure_store(
                    url,
                    ward_paths,
                    folder / "crime",
                    wrk_seconds=options.wrk_seconds,
                    server=cluster.data if cluster else None,
                )
                print(json.dumps({"postgresql": results["postgresql"]}), flush=True)
            finally:
                if cluster is not None:
                    cluster.stop()
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
