"""Time zones from the gazetteer: of a point, of a country, of a place named in text (offline only)."""

from functools import cache

from django.contrib.gis.geos import Point
from django.db import connection

from safety.geo.geocoding import OfflineGeocoder
from safety.geo.models import Place


@cache
def _offline_geocoder() -> OfflineGeocoder:
    """The one offline geocoder of this process (it holds no per-call state; the gazetteer is in PostGIS)."""
    return OfflineGeocoder()


def timezone_at(*, point: Point) -> str | None:
    """The time zone of the gazetteer place nearest to the point (KNN on the GiST index), if any."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT timezone FROM geo_place WHERE timezone <> '' ORDER BY location <-> ST_GeomFromEWKB(%s) LIMIT 1",
            [bytes(point.ewkb)],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def timezone_of_country(*, iso2: str) -> str | None:
    """The time zone of the country's most populous gazetteer place (its capital, mostly)."""
    return (
        Place.objects.filter(country_code=iso2)
        .exclude(timezone="")
        .order_by("-population")
        .values_list("timezone", flat=True)
        .first()
    )


def timezone_of_text(*, location_text: str, country_iso2: str | None = None) -> str | None:
    """The time zone of the place the offline gazetteer finds for the text (no online provider is asked)."""
    if not location_text.strip():
        return None
    result = _offline_geocoder().lookup(location_text, country_hint=country_iso2)
    if not result.found or result.lat is None or result.lon is None:
        return None
    return timezone_at(point=Point(x=result.lon, y=result.lat, srid=4326))
