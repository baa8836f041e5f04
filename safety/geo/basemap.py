"""A world base map drawn from the country polygons, for maps that must work without tiles."""

import json
from functools import lru_cache

from django.db import connection

BASEMAP_TOLERANCE_DEG = 0.05
BASEMAP_DECIMALS = 3


@lru_cache(maxsize=4)
def basemap_geojson(*, tolerance_deg: float = BASEMAP_TOLERANCE_DEG) -> str:
    """Simplified country boundaries as a GeoJSON FeatureCollection string (iso2 and names only).

    Cached per process: the boundaries change only when reference data is reloaded.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT json_build_object(
                'type', 'FeatureCollection',
                'features', coalesce(json_agg(json_build_object(
                    'type', 'Feature',
                    'id', iso2,
                    'properties', json_build_object('iso2', iso2, 'name_en', name_en, 'name_ko', name_ko),
                    'geometry', ST_AsGeoJSON(ST_SimplifyPreserveTopology(boundary, %s), %s)::json
                ) ORDER BY iso2), '[]'::json)
            )::text
            FROM geo_country WHERE boundary IS NOT NULL
            """,
            [tolerance_deg, BASEMAP_DECIMALS],
        )
        (body,) = cursor.fetchone()
    json.loads(body)  # fail here, not in a browser, if PostGIS ever returns something odd
    return str(body)
