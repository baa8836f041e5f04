"""Builds and reads the cached map shapes (maps.MapShape) and the region centroids.

Countries: Natural Earth boundaries simplified for a world map (tiny islands kept at a finer tolerance).
Admin-1 regions: there are no admin-1 polygons in the reference data, so a region is approximated by the
Voronoi cells of its gazetteer places, clipped to the country. Districts of split countries are unions of
those regions per mission. Building is idempotent; `map_shapes_ensure` builds only what is missing.
"""

import json
from functools import lru_cache

from django.db import connection, transaction

from maps.models import MapShape, ShapeKind

COUNTRY_TOLERANCE_DEG = 0.1
SMALL_COUNTRY_TOLERANCE_DEG = 0.01
REGION_TOLERANCE_DEG = 0.05
DISTRICT_TOLERANCE_DEG = 0.2
DECIMALS = 2
PLACES_PER_REGION = 40


def _countries_build() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT iso2, ST_AsGeoJSON(COALESCE(
                NULLIF(ST_Simplify(boundary, %s), 'GEOMETRYCOLLECTION EMPTY'::geometry),
                ST_SimplifyPreserveTopology(boundary, %s)), %s)
            FROM geo_country WHERE boundary IS NOT NULL
            """,
            [COUNTRY_TOLERANCE_DEG, SMALL_COUNTRY_TOLERANCE_DEG, DECIMALS],
        )
        rows = [(iso2, geom) for iso2, geom in cursor.fetchall() if geom and '"coordinates":[]' not in geom]
    MapShape.objects.filter(kind=ShapeKind.COUNTRY).delete()
    MapShape.objects.bulk_create([MapShape(kind=ShapeKind.COUNTRY, key=iso2, geometry=geom) for iso2, geom in rows])
    return len(rows)


def _admin1_build(country_iso2: str) -> int:
    """Voronoi cells of the most populous places of each admin-1, dissolved per admin-1, clipped to the country."""
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS maps_tmp_pts, maps_tmp_cells")
        cursor.execute(
            """
            CREATE TEMP TABLE maps_tmp_pts AS SELECT admin1_code, location FROM (
                SELECT admin1_code, location,
                       row_number() OVER (PARTITION BY admin1_code ORDER BY population DESC, geonameid) AS rn
                FROM geo_place WHERE country_code = %s AND admin1_code <> '') q
            WHERE rn <= %s
            """,
            [country_iso2, PLACES_PER_REGION],
        )
        cursor.execute("CREATE INDEX ON maps_tmp_pts USING gist (location)")
        cursor.execute(
            """
            CREATE TEMP TABLE maps_tmp_cells AS
            SELECT DISTINCT ON (v.n) p.admin1_code, v.cell FROM (
                SELECT row_number() OVER () AS n, d.geom AS cell
                FROM (SELECT (ST_Dump(ST_VoronoiPolygons(ST_Collect(location)))).geom FROM maps_tmp_pts) d
            ) v JOIN maps_tmp_pts p ON ST_Intersects(v.cell, p.location)
            ORDER BY v.n, p.admin1_code
            """
        )
        cursor.execute(
            """
            SELECT admin1_code, ST_AsGeoJSON(ST_SimplifyPreserveTopology(ST_CollectionExtract(ST_Intersection(
                ST_Union(cell),
                (SELECT ST_MakeValid(ST_SimplifyPreserveTopology(boundary, %s)) FROM geo_country WHERE iso2 = %s)
            ), 3), %s), %s)
            FROM maps_tmp_cells GROUP BY admin1_code
            """,
            [REGION_TOLERANCE_DEG, country_iso2, REGION_TOLERANCE_DEG, DECIMALS],
        )
        rows = cursor.fetchall()
        cursor.execute("DROP TABLE IF EXISTS maps_tmp_pts, maps_tmp_cells")
    MapShape.objects.filter(kind=ShapeKind.ADMIN1, key__startswith=f"{country_iso2}/").delete()
    MapShape.objects.bulk_create(
        [MapShape(kind=ShapeKind.ADMIN1, key=f"{country_iso2}/{code}", geometry=geom) for code, geom in rows if geom]
    )
    return len(rows)


def split_countries() -> list[str]:
    """Countries divided between several missions by admin-1."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT c.iso2 FROM missions_jurisdiction j JOIN geo_country c ON c.id = j.country_id "
            "WHERE j.admin1_code <> '' ORDER BY 1"
        )
        return [row[0] for row in cursor.fetchall()]


def _districts_build(country_iso2: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT m.code, ST_AsGeoJSON(ST_Simplify(
                ST_Union(ST_CollectionExtract(ST_MakeValid(ST_GeomFromGeoJSON(s.geometry)), 3)), %s), %s)
            FROM missions_jurisdiction j
            JOIN missions_mission m ON m.id = j.mission_id
            JOIN geo_country c ON c.id = j.country_id
            JOIN maps_mapshape s ON s.kind = 'admin1' AND s.key = c.iso2 || '/' || j.admin1_code
            WHERE c.iso2 = %s AND j.admin1_code <> ''
            GROUP BY m.code
            """,
            [DISTRICT_TOLERANCE_DEG, DECIMALS, country_iso2],
        )
        rows = cursor.fetchall()
    MapShape.objects.filter(kind=ShapeKind.DISTRICT, key__endswith=f"/{country_iso2}").delete()
    MapShape.objects.bulk_create(
        [MapShape(kind=ShapeKind.DISTRICT, key=f"{code}/{country_iso2}", geometry=geom) for code, geom in rows if geom]
    )
    return len(rows)


@transaction.atomic
def map_shapes_build(*, admin1_countries: list[str] | None = None) -> dict[str, int]:
    """(Re)build every shape: countries, admin-1 regions of the split countries (and those given), districts."""
    counts = {"country": _countries_build(), "admin1": 0, "district": 0}
    split = split_countries()
    for iso2 in sorted(set(split) | set(admin1_countries or [])):
        counts["admin1"] += _admin1_build(iso2)
    for iso2 in split:
        counts["district"] += _districts_build(iso2)
    shapes_cached.cache_clear()
    return counts


def map_shapes_ensure(*, admin1_countries: list[str] | None = None) -> None:
    """Build the shapes if none exist yet, and admin-1 regions of the countries given if missing."""
    if not MapShape.objects.filter(kind=ShapeKind.COUNTRY).exists():
        map_shapes_build(admin1_countries=admin1_countries)
        return
    have = {key.split("/")[0] for key in MapShape.objects.filter(kind=ShapeKind.ADMIN1).values_list("key", flat=True)}
    missing = sorted(set(admin1_countries or []) - have)
    if missing:
        with transaction.atomic():
            for iso2 in missing:
                _admin1_build(iso2)
        shapes_cached.cache_clear()


@lru_cache(maxsize=1)
def shapes_cached() -> dict[str, dict[str, str]]:
    """Every shape as {kind: {key: geometry GeoJSON text}}; cached per process (rebuilds clear it)."""
    result: dict[str, dict[str, str]] = {kind.value: {} for kind in ShapeKind}
    for kind, key, geometry in MapShape.objects.values_list("kind", "key", "geometry"):
        result[kind][key] = geometry
    return result


@lru_cache(maxsize=1)
def region_centroids() -> dict[str, tuple[float, float]]:
    """A representative point (lat, lon) per country `KR` and admin-1 `KR/11`: its most populous place.

    A real town, so a region marker never lands at sea or in a neighbouring country.
    """
    result: dict[str, tuple[float, float]] = {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT ON (country_code, admin1_code) country_code, admin1_code, ST_Y(location), ST_X(location) "
            "FROM geo_place ORDER BY country_code, admin1_code, population DESC, geonameid"
        )
        for iso2, admin1, lat, lon in cursor.fetchall():
            if admin1:
                result[f"{iso2}/{admin1}"] = (round(lat, 2), round(lon, 2))
        cursor.execute(
            "SELECT DISTINCT ON (country_code) country_code, ST_Y(location), ST_X(location) "
            "FROM geo_place ORDER BY country_code, population DESC, geonameid"
        )
        for iso2, lat, lon in cursor.fetchall():
            result[iso2] = (round(lat, 2), round(lon, 2))
    return result


def features_json(shapes: dict[str, str], properties: dict[str, dict[str, object]] | None = None) -> str:
    """A FeatureCollection text from {id: geometry text} without re-parsing the geometries."""
    parts = []
    for key, geometry in shapes.items():
        props = json.dumps((properties or {}).get(key, {}), ensure_ascii=False, separators=(",", ":"))
        parts.append(f'{{"type":"Feature","id":{json.dumps(key)},"properties":{props},"geometry":{geometry}}}')
    return '{"type":"FeatureCollection","features":[' + ",".join(parts) + "]}"
