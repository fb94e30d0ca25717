"""Profile benchmark: milliseconds for the busiest ward's 12-month profile JSON.

Usage: WARDPROFILES_TEST_DATA=../shared/data python scripts/bench_profile.py [--repeat 30]
Imports the Cleveland wards, crime and population into a temporary database, then times
GET /api/wards/<busiest>/profile: cold (the first request for each ward of a data
version, which builds the profile) and warm (the same request again, served from the
per-version cache).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scripts.cleveland import cleveland_app, signed_in_client
from service.readmodels.cache import data_cache
from service.readmodels.ward_profiles import CACHED


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app = cleveland_app(folder, threat=False)
        client = signed_in_client(app)
        features = client.get("/api/wards.geojson").json["features"]
        busiest = max(
            features, key=lambda f: f["properties"]["crime_total"] + f["properties"]["asb_total"]
        )
        url = f"/api/wards/{busiest['properties']['code']}/profile"
        client.get(url)
        cold, warm = [], []
        for _ in range(options.repeat):
            data_cache(app, "profiles", size=CACHED).clear()
            start = time.perf_counter()
            client.get(url)
            cold.append(time.perf_counter() - start)
            start = time.perf_counter()
            response = client.get(url)
            warm.append(time.perf_counter() - start)
        assert response.status_code == 200
        name = busiest["properties"]["name"]
        for label, timings in (("cold (built)", cold), ("warm (cached)", warm)):
            print(
                f"{name} profile, {label:14} best {min(timings) * 1e3:6.1f} ms, "
                f"median {statistics.median(timings) * 1e3:6.1f} ms"
            )


if __name__ == "__main__":
    main()
