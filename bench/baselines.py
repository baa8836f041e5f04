"""Baselines the benchmarks measure the product against, in the same run (never used by the product)."""

from django.db import connection


def country_covering_plain(*, lat: float, lon: float) -> str | None:
    """Baseline for the benchmark: `ST_Covers` on the whole (unsplit) country boundaries."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT iso2 FROM geo_country WHERE boundary IS NOT NULL "
            "AND ST_Covers(boundary, ST_SetSRID(ST_MakePoint(%s, %s), 4326)) ORDER BY iso2 LIMIT 1",
            [lon, lat],
        )
        row = cursor.fetchone()
    return row[0] if row else None
