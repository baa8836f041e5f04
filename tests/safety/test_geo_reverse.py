"""Reverse geocoding: the country from the polygons (right across a border), admin-1 and place from the gazetteer."""

import pytest

from safety.geo.reverse import country_at, reverse_lookup


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
