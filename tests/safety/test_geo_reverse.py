"""Reverse geocoding: the country from the polygons (right across a border), admin-1 and place from the gazetteer."""

import pytest
from django.db import connection

from safety.geo.reverse import country_at, nearest_countries, reverse_lookup


@pytest.mark.django_db
def test_reverse_takes_the_country_from_the_polygon_not_the_nearest_city():
    # Kehl (DE) is 3 km from central Strasbourg (FR) across the Rhine.
    kehl = reverse_lookup(lat=48.5722, lon=7.8155)
    assert kehl.country == "DE" and kehl.on_land
    assert reverse_lookup(lat=48.5830, lon=7.7458).country == "FR"
    # Ciudad Juárez (MX) and El Paso (US).
    assert country_at(lat=31.7200, lon=-106.4600) == "MX"
    assert country_at(lat=31.7700, lon=-106.4400) == "US"


@pytest.mark.django_db
def test_reverse_gives_admin1_and_the_nearest_place():
    shibuya = reverse_lookup(lat=35.6595, lon=139.7005)
    assert (shibuya.country, shibuya.admin1) == ("JP", "40")
    assert shibuya.place_name and shibuya.place_km is not None and shibuya.place_km < 5


@pytest.mark.django_db
def test_reverse_at_sea_takes_the_nearest_country_within_reach_else_nothing():
    off_pattaya = reverse_lookup(lat=12.90, lon=100.70)
    assert off_pattaya.country == "TH" and not off_pattaya.on_land
    mid_pacific = reverse_lookup(lat=0.0, lon=-140.0)
    assert mid_pacific.country is None and mid_pacific.admin1 == ""


EVERY_PIECE_SQL = """
    SELECT c.iso2, ST_Distance(p.geom::geography, pt::geography) / 1000.0 AS km
    FROM geo_countrypiece p JOIN geo_country c ON c.id = p.country_id, ST_SetSRID(ST_MakePoint(%s, %s), 4326) AS pt
    WHERE ST_DWithin(p.geom::geography, pt::geography, %s) ORDER BY km, c.iso2 LIMIT 1
"""


@pytest.mark.django_db
def test_nearest_countries_prunes_no_piece_that_the_geodesic_search_over_every_piece_would_pick():
    # Straits, archipelagos, long straight borders, high latitudes and open sea: the pruned batch search must
    # give exactly the country and distance of a geodesic search over every piece.
    points = [
        (lon + dx, lat + dy)
        for lon, lat in [
            (129.5, 34.5),
            (124.0, 37.8),
            (5.0, 54.5),
            (-5.6, 35.95),
            (120.0, 11.0),
            (99.2, 41.76),
            (-86.28, 31.38),
            (-20.0, 64.0),
            (26.0, 71.5),
            (-150.0, -30.0),
            (178.5, -17.5),
        ]
        for dx in (-0.7, 0.0, 0.45)
        for dy in (-0.6, 0.0, 0.35)
    ]
    got = nearest_countries(points, max_km=200.0)
    with connection.cursor() as cursor:
        for (lon, lat), answer in zip(points, got, strict=True):
            cursor.execute(EVERY_PIECE_SQL, [lon, lat, 200_000.0])
            row = cursor.fetchone()
            assert answer == ((row[0], row[1]) if row else None), (lon, lat)
    assert sum(answer is not None for answer in got) > len(points) // 2
