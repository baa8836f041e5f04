"""Time zones from the gazetteer: of a point, of a country, of a place named in text."""

import pytest
from django.contrib.gis.geos import Point

from safety.geo import timezones
from safety.geo.timezones import timezone_at, timezone_of_country, timezone_of_text


@pytest.mark.django_db
def test_timezone_at_nearest_place():
    assert timezone_at(point=Point(x=100.5018, y=13.7563, srid=4326)) == "Asia/Bangkok"
    assert timezone_at(point=Point(x=139.6917, y=35.6895, srid=4326)) == "Asia/Tokyo"


@pytest.mark.django_db
def test_timezone_of_country_most_populous_place():
    assert timezone_of_country(iso2="TH") == "Asia/Bangkok"
    assert timezone_of_country(iso2="QQ") is None


@pytest.mark.django_db
def test_timezone_of_text_finds_the_place():
    assert timezone_of_text(location_text="Osaka, Japan") == "Asia/Tokyo"
    assert timezone_of_text(location_text="방콕", country_iso2="TH") == "Asia/Bangkok"


@pytest.mark.django_db
def test_timezone_of_text_unknown_or_blank_is_none():
    assert timezone_of_text(location_text="   ") is None
    assert timezone_of_text(location_text="qqzzxxv nowhere at all") is None


@pytest.mark.django_db
def test_timezone_of_text_reuses_one_geocoder():
    timezones._offline_geocoder.cache_clear()
    timezone_of_text(location_text="Bangkok")
    timezone_of_text(location_text="Osaka")
    info = timezones._offline_geocoder.cache_info()
    assert info.misses == 1 and info.hits == 1
