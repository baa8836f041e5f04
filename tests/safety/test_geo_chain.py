"""The geocoder chain: offline first, then an online provider (a loopback server), cached; a provider that hangs."""

import logging

import pytest

from safety.geo.chain import geocode
from safety.geo.models import GeocodeCacheEntry
from tests.safety.geo_servers import nominatim_server, silent_server

ONLY_ONLINE = "Zzyzx Road rest area 7"


@pytest.mark.django_db
def test_default_chain_is_offline_only(settings):
    assert settings.GEOCODER_CHAIN == ["offline"]
    found = geocode(ONLY_ONLINE)
    assert not found.result.found and not found.provider_failed
    assert GeocodeCacheEntry.objects.count() == 0


@pytest.mark.django_db
def test_provider_that_never_answers_is_logged_and_skipped(online_chain, caplog):
    with silent_server() as (domain, held):
        online_chain(domain)
        with caplog.at_level(logging.WARNING, logger="safety.geo.chain"):
            found = geocode(ONLY_ONLINE)
        assert held, "the geocoder did connect to the loopback server"
    assert not found.result.found
    assert found.failed_providers == ("nominatim",)
    assert any("nominatim is down" in r.getMessage() and "timed out" in r.getMessage().lower() for r in caplog.records)
    assert GeocodeCacheEntry.objects.count() == 0
    # A confident offline answer never asks the provider.
    with silent_server() as (domain, held):
        online_chain(domain)
        assert geocode("Pattaya, Thailand").result.source == "offline"
        assert held == []


@pytest.mark.django_db
def test_provider_answer_is_used_reverse_geocoded_and_cached(online_chain):
    places = {ONLY_ONLINE: {"lat": "35.1419", "lon": "-116.1039", "display_name": "Zzyzx Rd, San Bernardino County"}}
    with nominatim_server(places) as (domain, requests):
        online_chain(domain)
        first = geocode(ONLY_ONLINE).result
        second = geocode(ONLY_ONLINE).result
        missing = geocode("qxqxqzzv nowhere")
        geocode("qxqxqzzv nowhere")
    assert first.found and first.source == "nominatim"
    assert first.country == "US" and first.admin1 == "CA"
    assert second.as_dict() == first.as_dict()
    assert requests == [ONLY_ONLINE, "qxqxqzzv nowhere"], "each query reached the provider once"
    assert not missing.result.found
    assert GeocodeCacheEntry.objects.filter(provider="nominatim").count() == 2
