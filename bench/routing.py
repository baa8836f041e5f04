"""Routing benchmark: subdivided pieces (GiST) against ST_Covers on the whole country polygons, same run.

Run: DATABASE_URL=... .venv/bin/python bench/routing.py [--random 100000] [--border 10000]
     [--baseline-sample 2000] [--file-points 20000] [--smoke]
Prints `manage.py route --file` throughput over mixed land and sea points including start-up,
single-lookup p50/p99 (country lookup on pieces, and the full route()), batch throughput,
the ratio of pieces against unsplit ST_Covers per lookup, and their agreement on every point.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safety.settings.local")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from bench.baselines import country_covering_plain  # noqa: E402
from missions.routing import route_points  # noqa: E402
from safety.geo.sql import fetchall_prepared  # noqa: E402

PIECES_SQL = (
    "SELECT c.iso2 FROM geo_countrypiece p JOIN geo_country c ON c.id = p.country_id "
    "WHERE ST_Intersects(p.geom, ST_SetSRID(ST_MakePoint(%s, %s), 4326)) ORDER BY c.iso2 LIMIT 1"
)
PLAIN_SQL = (
    "SELECT iso2 FROM geo_country WHERE boundary IS NOT NULL "
    "AND ST_Covers(boundary, ST_SetSRID(ST_MakePoint(%s, %s), 4326)) ORDER BY iso2 LIMIT 1"
)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


def random_points(n: int, rng: random.Random) -> list[tuple[float, float]]:
    """Uniform on the sphere between 60°S and 75°N (where people are): land and sea alike."""
    points = []
    import math

    low, high = math.sin(math.radians(-60)), math.sin(math.radians(75))
    for _ in range(n):
        lat = math.degrees(math.asin(rng.uniform(low, high)))
        points.append((rng.uniform(-180, 180), lat))
    return points


def border_points(n: int, rng: random.Random) -> list[tuple[float, float]]:
    """Points within ~200 m of a land border: along edges shared by pieces of two countries, jittered."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(%s)", [rng.random()])
        cursor.execute(
            """
            WITH shared AS (
                SELECT (ST_Dump(ST_CollectionExtract(
                    ST_Intersection(ST_Boundary(a.geom), ST_Boundary(b.geom)), 2))).geom AS line
                FROM geo_countrypiece a JOIN geo_countrypiece b
                  ON a.country_id < b.country_id AND a.geom && b.geom AND ST_Intersects(a.geom, b.geom)
            )
            SELECT ST_X(pt), ST_Y(pt) FROM (
                SELECT ST_LineInterpolatePoint(line, random()) AS pt FROM shared, generate_series(1, 8)
            ) s ORDER BY random() LIMIT %s
            """,
            [n],
        )
        rows = cursor.fetchall()
    jitter = 0.002
    return [(x + rng.uniform(-jitter, jitter), y + rng.uniform(-jitter, jitter)) for x, y in rows]


def time_each(fn, points) -> tuple[list[float], list[object]]:  # type: ignore[no-untyped-def]
    times, answers = [], []
    for lon, lat in points:
        started = time.perf_counter()
        answers.append(fn(lon, lat))
        times.append((time.perf_counter() - started) * 1000)
    return times, answers


def pieces_country(lon: float, lat: float) -> str | None:
    rows = fetchall_prepared(PIECES_SQL, [lon, lat])
    return rows[0][0] if rows else None


def plain_country(lon: float, lat: float) -> str | None:
    rows = fetchall_prepared(PLAIN_SQL, [lon, lat])
    return rows[0][0] if rows else None


def agreement_all(points: list[tuple[float, float]]) -> tuple[int, int, list[tuple[float, float, str, str]]]:
    """Both methods over every point in one statement each (points sorted spatially for PostGIS's caches)."""
    ordered = sorted(points, key=lambda p: (round(p[1]), p[0]))
    lons, lats = [p[0] for p in ordered], [p[1] for p in ordered]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT q.lon, q.lat,
                   (SELECT c.iso2 FROM geo_countrypiece p JOIN geo_country c ON c.id = p.country_id
                    WHERE ST_Intersects(p.geom, ST_SetSRID(ST_MakePoint(q.lon, q.lat), 4326)) ORDER BY c.iso2 LIMIT 1),
                   (SELECT c.iso2 FROM geo_country c WHERE c.boundary IS NOT NULL
                    AND ST_Covers(c.boundary, ST_SetSRID(ST_MakePoint(q.lon, q.lat), 4326)) ORDER BY c.iso2 LIMIT 1)
            FROM unnest(%s::float8[], %s::float8[]) WITH ORDINALITY AS q(lon, lat, i) ORDER BY q.i
            """,
            [lons, lats],
        )
        rows = cursor.fetchall()
    differ = [(lon, lat, a, b) for lon, lat, a, b in rows if a != b]
    return len(rows) - len(differ), len(rows), differ


def server_side(points: list[tuple[float, float]]) -> tuple[float, float]:
    """ms per point of each method inside one statement (no client round trip), same points, same order."""
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    results = []
    for inner in (
        "SELECT c.iso2 FROM geo_countrypiece p JOIN geo_country c ON c.id = p.country_id "
        "WHERE ST_Intersects(p.geom, ST_SetSRID(ST_MakePoint(q.lon, q.lat), 4326)) ORDER BY c.iso2 LIMIT 1",
        "SELECT c.iso2 FROM geo_country c WHERE c.boundary IS NOT NULL "
        "AND ST_Covers(c.boundary, ST_SetSRID(ST_MakePoint(q.lon, q.lat), 4326)) ORDER BY c.iso2 LIMIT 1",
    ):
        with connection.cursor() as cursor:
            started = time.perf_counter()
            cursor.execute(
                f"SELECT count(({inner})) FROM unnest(%s::float8[], %s::float8[]) AS q(lon, lat)",  # noqa: S608
                [lons, lats],
            )
            cursor.fetchall()
            results.append((time.perf_counter() - started) * 1000 / len(points))
    return results[0], results[1]


def route_file(n: int, rng: random.Random) -> None:
    """`manage.py route --file` on n mixed points (random over the globe: mostly sea), start-up included."""
    import subprocess
    import tempfile

    points = random_points(n, rng)
    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as handle:
        handle.write("lat,lon\n")
        handle.writelines(f"{lat:.6f},{lon:.6f}\n" for lon, lat in points)
        path = handle.name
    try:
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), "route", "--file", path],
            check=True,
            capture_output=True,
            text=True,
        )
        seconds = time.perf_counter() - started
    finally:
        os.unlink(path)
    lines = done.stdout.count("\n")
    assert lines == n, (lines, n)
    sea = sum(1 for lon, lat in points if pieces_country(lon, lat) is None)
    print(
        f"route --file, {n:,} points ({sea:,} off every polygon), start-up included: {seconds:.2f} s, "
        f"{n / seconds:,.0f} points/s (goal ≥ 10,000)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--random", type=int, default=100_000)
    parser.add_argument("--border", type=int, default=10_000)
    parser.add_argument("--baseline-sample", type=int, default=2_000, help="points timed one by one on both")
    parser.add_argument("--seed", type=int, default=20261201)
    parser.add_argument("--file-points", type=int, default=20_000, help="mixed points for route --file")
    parser.add_argument("--smoke", action="store_true", help="tiny sizes (seconds), for the test suite")
    args = parser.parse_args()
    if args.smoke:
        args.random, args.border, args.baseline_sample, args.file_points = 300, 100, 40, 300
    print(f"load average: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")
    route_file(args.file_points, random.Random(args.seed + 1))
    rng = random.Random(args.seed)
    rand = random_points(args.random, rng)
    border = border_points(args.border, rng)
    print(f"routing benchmark: {len(rand):,} random points, {len(border):,} points near land borders")

    for _ in range(20 if args.smoke else 200):  # warm the statements and the caches
        pieces_country(100.5, 13.7)
        route_points([(100.5, 13.7)])

    for label, points in (("random", rand), ("border", border)):
        sample = points[: min(len(points), 20_000)]
        times, _ = time_each(pieces_country, sample)
        print(
            f"[{label}] country on pieces, single lookup ({len(sample):,}): "
            f"p50 {statistics.median(times):.3f} ms, p99 {pct(times, 0.99):.3f} ms"
        )
        land = [p for p in sample if pieces_country(*p) is not None][:5_000]
        times, _ = time_each(lambda lon, lat: route_points([(lon, lat)]), land)
        print(
            f"[{label}] full route() on land, single ({len(land):,}): "
            f"p50 {statistics.median(times):.3f} ms, p99 {pct(times, 0.99):.3f} ms"
        )

    batch = [p for p in rand if pieces_country(*p) is not None][:20_000] + border
    started = time.perf_counter()
    for i in range(0, len(batch), 1000):
        route_points(batch[i : i + 1000])
    seconds = time.perf_counter() - started
    print(f"batch route_points (1000 per statement, {len(batch):,} points): {len(batch) / seconds:,.0f} points/s")

    sample = rng.sample(rand, min(args.baseline_sample // 2, len(rand))) + rng.sample(
        border, min(args.baseline_sample // 2, len(border))
    )
    # Interleaved, point by point, so both see the same machine load.
    pieces_times, pieces_answers, plain_times, plain_answers = [], [], [], []
    for lon, lat in sample:
        for fn, times, answers in (
            (pieces_country, pieces_times, pieces_answers),
            (plain_country, plain_times, plain_answers),
        ):
            started = time.perf_counter()
            answers.append(fn(lon, lat))
            times.append((time.perf_counter() - started) * 1000)
    assert country_covering_plain(lat=13.7, lon=100.5) == "TH"
    ratio_mean = statistics.mean(plain_times) / statistics.mean(pieces_times)
    ratio_p50 = statistics.median(plain_times) / statistics.median(pieces_times)
    print(
        f"single lookup, same {len(sample):,} points: pieces mean {statistics.mean(pieces_times):.3f} ms, "
        f"unsplit ST_Covers mean {statistics.mean(plain_times):.3f} ms (p50 {statistics.median(plain_times):.3f}, "
        f"p99 {pct(plain_times, 0.99):.3f})"
    )
    print(f"ratio unsplit/pieces: {ratio_mean:.1f}x by mean, {ratio_p50:.1f}x by median")
    same = sum(1 for a, b in zip(pieces_answers, plain_answers, strict=True) if a == b)
    print(f"agreement on the timed sample: {same / len(sample):.3%}")
    set_pieces, set_plain = server_side(sample * 5)
    print(
        f"server side, one statement over {len(sample) * 5:,} points in random order: "
        f"pieces {set_pieces:.3f} ms/point, "
        f"unsplit ST_Covers {set_plain:.3f} ms/point, ratio {set_plain / set_pieces:.1f}x"
    )
    started = time.perf_counter()
    agree, total, differ = agreement_all(rand + border)
    print(
        f"agreement on all {total:,} points: {agree / total:.4%} ({total - agree} differ; "
        f"{time.perf_counter() - started:.0f} s)"
    )
    for lon, lat, a, b in differ[:10]:
        print(f"  differ at {lat:.6f},{lon:.6f}: pieces {a}, unsplit {b}")


if __name__ == "__main__":
    main()
