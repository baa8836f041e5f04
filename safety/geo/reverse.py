"""Reverse geocoding: the country from the polygons, the admin-1 and name of the nearest gazetteer place."""

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection

# A point off every polygon (at sea, on a coast Natural Earth simplifies) takes the nearest country within this.
NEAREST_COUNTRY_MAX_KM = 200.0
# A pin this close to an airport, park or landmark point is on it.
DESTINATION_POINT_KM = 2.5
_POINT_KINDS = ("airport", "seaport", "park", "theme_park", "landmark", "heritage", "beach", "trek", "border_crossing")


def destination_at(*, lat: float, lon: float) -> tuple[str, str] | None:
    """The nearest point destination (airport, park…) within `DESTINATION_POINT_KM`, else the smallest
    island or island group whose polygon covers the point: (name, kind)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name_en, kind FROM geo_destination WHERE kind = ANY(%s) AND extent IS NULL"
            " AND ST_DWithin(point::geography, ST_SetSRID(ST_MakePoint(%s, %s), 4326)::geography, %s)"
            " ORDER BY point <-> ST_SetSRID(ST_MakePoint(%s, %s), 4326) LIMIT 1",
            [list(_POINT_KINDS), lon, lat, DESTINATION_POINT_KM * 1000, lon, lat],
        )
        row = cursor.fetchone()
        if row is None:
            cursor.execute(
                "SELECT name_en, kind FROM geo_destination WHERE kind IN ('island', 'island_group')"
                " AND extent IS NOT NULL AND ST_Intersects(extent, ST_SetSRID(ST_MakePoint(%s, %s), 4326))"
                " ORDER BY ST_Area(extent) LIMIT 1",
                [lon, lat],
            )
            row = cursor.fetchone()
    return (str(row[0]), str(row[1])) if row else None


@dataclass(frozen=True)
class ReverseResult:
    country: str | None
    admin1: str
    place_name: str
    place_km: float | None
    on_land: bool
    # The island, park or airport the pin is on ("" when none): a polygon that covers it, else a
    # point destination of those kinds within `DESTINATION_POINT_KM`.
    destination: str = ""
    destination_kind: str = ""


def country_at(*, lat: float, lon: float) -> str | None:
    """The country whose subdivided boundary covers the point.

    `ST_Intersects` on the pieces (not `ST_Contains`): a point on a border or on a cut line of
    `ST_Subdivide` is covered by some piece and is never dropped. On a shared border the
    alphabetically first country is answered, so the answer is stable.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.iso2 FROM geo_countrypiece p JOIN geo_country c ON c.id = p.country_id "
            "WHERE ST_Intersects(p.geom, ST_SetSRID(ST_MakePoint(%s, %s), 4326)) ORDER BY c.iso2 LIMIT 1",
            [lon, lat],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def nearest_country(*, lat: float, lon: float, max_km: float = NEAREST_COUNTRY_MAX_KM) -> tuple[str, float] | None:
    """The nearest country boundary within `max_km` of the point, with its distance in km."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.iso2, ST_Distance(p.geom::geography, ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326)::geography)
                   / 1000.0 AS km
            FROM geo_countrypiece p JOIN geo_country c ON c.id = p.country_id
            WHERE p.geom && ST_Expand(ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326), %(deg)s)
              AND ST_DWithin(p.geom::geography, ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326)::geography, %(m)s)
            ORDER BY km, c.iso2 LIMIT 1
            """,
            {"lon": lon, "lat": lat, "deg": _degrees_for(max_km, lat), "m": max_km * 1000.0},
        )
        row = cursor.fetchone()
    return (row[0], float(row[1])) if row else None


def nearest_countries(
    points: Sequence[tuple[float, float]], *, max_km: float = NEAREST_COUNTRY_MAX_KM
) -> list[tuple[str, float] | None]:
    """nearest_country for many (lon, lat) points in one statement (a LATERAL search per point, no round trips)."""
    if not points:
        return []
    lons = [float(lon) for lon, _ in points]
    lats = [float(lat) for _, lat in points]
    degrees = [_degrees_for(max_km, lat) for lat in lats]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT n.iso2, n.km
            FROM unnest(%s::float8[], %s::float8[], %s::float8[]) WITH ORDINALITY AS q(lon, lat, deg, i)
            LEFT JOIN LATERAL (
                SELECT c.iso2, ST_Distance(p.geom::geography, ST_SetSRID(ST_MakePoint(q.lon, q.lat), 4326)::geography)
                       / 1000.0 AS km
                FROM geo_countrypiece p JOIN geo_country c ON c.id = p.country_id
                WHERE p.geom && ST_Expand(ST_SetSRID(ST_MakePoint(q.lon, q.lat), 4326), q.deg)
                  AND ST_DWithin(p.geom::geography, ST_SetSRID(ST_MakePoint(q.lon, q.lat), 4326)::geography, %s)
                ORDER BY km, c.iso2 LIMIT 1
            ) n ON true
            ORDER BY q.i
            """,
            [lons, lats, degrees, max_km * 1000.0],
        )
        rows = cursor.fetchall()
    return [(str(iso2), float(km)) if iso2 is not None else None for iso2, km in rows]


def _degrees_for(km: float, lat: float) -> float:
    """A box half-width in degrees that surely holds every point within `km` (for the GiST prefilter)."""
    shrink = max(math.cos(math.radians(min(abs(lat) + km / 111.0, 89.9))), 0.01)
    return min(km / (111.0 * shrink) + 0.01, 360.0)


def admin1_at(*, lat: float, lon: float, country_iso2: str) -> str:
    """The admin-1 code of the nearest gazetteer place in that country that has one ('' if none).

    Places without an admin-1 code (Chongming, Abu Musa, Thổ Châu…) are skipped, so their
    neighbourhood takes the admin-1 of the next place.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT admin1_code FROM geo_place WHERE country_code = %s AND admin1_code <> '' "
            "ORDER BY location <-> ST_SetSRID(ST_MakePoint(%s, %s), 4326) LIMIT 1",
            [country_iso2, lon, lat],
        )
        row = cursor.fetchone()
    return row[0] if row else ""


def nearest_place(*, lat: float, lon: float, country_iso2: str | None = None) -> tuple[str, float] | None:
    """Name and distance (km) of the nearest gazetteer place, in that country when given."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, ST_Distance(location::geography, pt::geography) / 1000.0 FROM geo_place, "
            "ST_SetSRID(ST_MakePoint(%s, %s), 4326) AS pt "
            "WHERE (%s::text IS NULL OR country_code = %s::text) ORDER BY location <-> pt LIMIT 1",
            [lon, lat, country_iso2, country_iso2],
        )
        row = cursor.fetchone()
    return (row[0], float(row[1])) if row else None


def reverse_lookup(*, lat: float, lon: float, max_km: float = NEAREST_COUNTRY_MAX_KM) -> ReverseResult:
    """Country from the polygons (nearest within `max_km` when at sea), admin-1 and name of the nearest place."""
    country = country_at(lat=lat, lon=lon)
    on_land = country is not None
    if country is None:
        nearest = nearest_country(lat=lat, lon=lon, max_km=max_km)
        country = nearest[0] if nearest else None
    if country is None:
        return ReverseResult(None, "", "", None, False)
    place = nearest_place(lat=lat, lon=lon, country_iso2=country)
    on = destination_at(lat=lat, lon=lon)
    return ReverseResult(
        country,
        admin1_at(lat=lat, lon=lon, country_iso2=country),
        place[0] if place else "",
        round(place[1], 1) if place else None,
        on_land,
        on[0] if on else "",
        on[1] if on else "",
    )
