"""Geocoding benchmark: accuracy (within 25 km and the right country) and time per query, offline chain.

Run: DATABASE_URL=... .venv/bin/python bench/geocode.py [--misses]
Queries: bench/data/cities.csv (each city alone and as "city, country") and bench/data/extra_queries.csv.
"""

import argparse
import csv
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safety.settings.local")

import django  # noqa: E402

django.setup()

from safety.geo.chain import geocode  # noqa: E402
from safety.geo.geocoding import _km  # noqa: E402
from safety.geo.models import Country  # noqa: E402

WITHIN_KM = 25.0
DATA = ROOT / "bench" / "data"


def queries() -> list[tuple[str, str, float, float, str]]:
    names = dict(Country.objects.values_list("iso2", "name_en"))
    rows: list[tuple[str, str, float, float, str]] = []
    with (DATA / "cities.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            lat, lon = float(row["lat"]), float(row["lon"])
            rows.append((row["name"], row["country"], lat, lon, "city"))
            rows.append((f"{row['name']}, {names[row['country']]}", row["country"], lat, lon, "city, country"))
    with (DATA / "extra_queries.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            rows.append((row["query"], row["country"], float(row["lat"]), float(row["lon"]), row["kind"]))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--misses", action="store_true", help="list every miss")
    args = parser.parse_args()
    rows = queries()
    geocode("warm-up Bangkok")
    times_ms: list[float] = []
    hits: dict[str, list[bool]] = {}
    misses = []
    for query, country, lat, lon, kind in rows:
        started = time.perf_counter()
        result = geocode(query).result
        times_ms.append((time.perf_counter() - started) * 1000)
        ok = (
            result.found
            and result.country == country
            and result.lat is not None
            and result.lon is not None
            and _km(result.lat, result.lon, lat, lon) <= WITHIN_KM
        )
        hits.setdefault(kind, []).append(ok)
        if not ok:
            got = f"{result.display_name} ({result.country}) {result.lat},{result.lon}" if result.found else "not found"
            misses.append(f"  {kind:14} {query!r}: expected {country} {lat},{lon}; got {got}")
    total = [ok for values in hits.values() for ok in values]
    times_ms.sort()
    print(f"geocode benchmark: {len(rows)} queries (offline chain)")
    print(
        f"accuracy within {WITHIN_KM:.0f} km and right country: "
        f"{sum(total) / len(total):.1%} ({sum(total)}/{len(total)})"
    )
    for kind, values in sorted(hits.items()):
        print(f"  {kind:14} {sum(values) / len(values):6.1%} ({sum(values)}/{len(values)})")
    print(
        f"time per query: p50 {statistics.median(times_ms):.2f} ms, "
        f"p95 {times_ms[int(len(times_ms) * 0.95) - 1]:.2f} ms, max {times_ms[-1]:.2f} ms"
    )
    print(f"misses: {len(misses)}")
    for line in misses if args.misses else misses[:15]:
        print(line)


if __name__ == "__main__":
    main()
