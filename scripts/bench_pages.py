"""Page benchmark: server time and weight of the busiest ward's profile and briefing pages.

Usage: WARDPROFILES_TEST_DATA=../shared/data python scripts/bench_pages.py [--repeat 20]
Imports the Cleveland wards, crime, population and the example threat assessment into a
temporary database, signs in, and times each page warm (after one request has built the
cached figures), then reports its weight raw and as sent gzip-compressed.
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scripts.cleveland import cleveland_app, signed_in_client


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app = cleveland_app(folder)
        client = signed_in_client(app)
        features = client.get("/api/wards.geojson").json["features"]
        busiest = max(
            features, key=lambda f: f["properties"]["crime_total"] + f["properties"]["asb_total"]
        )
        code = busiest["properties"]["code"]
        for label, url in (
            ("home", "/"),
            ("ward profile", f"/wards/{code}"),
            ("briefing", f"/wards/{code}/briefing"),
            ("planning", "/planning"),
        ):
            first = client.get(url)
            if first.status_code != 200:
                print(f"{label:13} {url}: HTTP {first.status_code}")
                continue
            timings = []
            for _ in range(options.repeat):
                start = time.perf_counter()
                response = client.get(url)
                timings.append(time.perf_counter() - start)
            raw = len(response.data)
            sent = client.get(url, headers={"Accept-Encoding": "gzip"})
            zipped = (
                len(sent.data)
                if sent.headers.get("Content-Encoding") == "gzip"
                else len(gzip.compress(response.data))
            )
            print(
                f"{label:13} {busiest['properties']['name'] if 'wards' in url else '':10} "
                f"warm best {min(timings) * 1e3:6.1f} ms, "
                f"median {statistics.median(timings) * 1e3:6.1f} ms; "
                f"{raw / 1024:7.1f} KB raw, {zipped / 1024:6.1f} KB gzipped"
            )


if __name__ == "__main__":
    main()
