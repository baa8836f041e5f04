"""The offline geocoder: names in Korean and English, misspellings, word orders, hints, ambiguity; command and API."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from geopy.location import Location

from safety.geo.geocoding import OfflineGeocoder, parse

KEYS = [
    "query",
    "found",
    "lat",
    "lon",
    "country",
    "admin1",
    "display_name",
    "confidence",
    "source",
    "kind",
    "level",
    "unmatched",
    "candidates",
]


def lookup(query: str, **kwargs):  # type: ignore[no-untyped-def]
    return OfflineGeocoder().lookup(query, **kwargs)


def near(result, lat: float, lon: float, km: float = 25.0) -> bool:  # type: ignore[no-untyped-def]
    from safety.geo.geocoding import _km

    return result.found and _km(result.lat, result.lon, lat, lon) <= km


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "country", "lat", "lon"),
    [
        ("Pattaya, Thailand", "TH", 12.93, 100.88),
        ("파타야", "TH", 12.93, 100.88),
        ("태국 파타야", "TH", 12.93, 100.88),
        ("Pataya", "TH", 12.93, 100.88),
        ("Danang", "VN", 16.07, 108.22),
        ("다낭", "VN", 16.07, 108.22),
        ("오사카", "JP", 34.69, 135.50),  # from the shipped Korean exonyms (GeoNames lacks it)
        ("일본 후쿠오카", "JP", 33.59, 130.40),
        ("Đà Nẵng", "VN", 16.07, 108.22),
        ("Shibuya, Tokyo", "JP", 35.66, 139.70),
        ("near Sihanoukville", "KH", 10.61, 103.53),
        ("Sihanoukvile", "KH", 10.61, 103.53),
        ("Sanamxay district, Attapeu province, Laos", "LA", 14.8, 106.95),
        ("Munchen", "DE", 48.14, 11.58),
        ("Kuala Lumpur Malaysia", "MY", 3.14, 101.69),
        ("Springfield, Illinois", "US", 39.80, -89.64),
        ("San Jose, Costa Rica", "CR", 9.93, -84.08),
        ("San Jose, California", "US", 37.34, -121.89),
    ],
)
def test_geocode_finds_the_place_in_the_right_country(query, country, lat, lon):
    result = lookup(query)
    assert result.found, query
    assert result.country == country, result
    assert near(result, lat, lon, km=40), result
    assert 0.0 < result.confidence <= 1.0
    assert result.source == "offline"


@pytest.mark.django_db
def test_geocode_misspelling_is_found_with_less_confidence_than_the_exact_name():
    exact, fuzzy = lookup("Sihanoukville"), lookup("Sihanoukvile")
    assert exact.display_name == fuzzy.display_name
    assert fuzzy.confidence < exact.confidence


@pytest.mark.django_db
def test_geocode_ambiguous_name_returns_ranked_candidates_with_lower_confidence():
    result = lookup("Springfield")
    assert result.found and result.country == "US"
    assert len(result.candidates) >= 3
    assert result.candidates[0].as_dict(with_candidates=False) == result.as_dict(with_candidates=False)
    assert result.confidence < 0.9
    assert len({(c.lat, c.lon) for c in result.candidates}) == len(result.candidates)


@pytest.mark.django_db
def test_geocode_country_hint_narrows_the_search():
    assert lookup("Paris").country == "FR"
    hinted = lookup("Paris", country_hint="US")
    assert hinted.country == "US"


@pytest.mark.django_db
def test_geocode_country_alone_and_nonsense():
    laos = lookup("Laos")
    assert laos.found and laos.country == "LA" and laos.admin1 == ""
    assert lookup("태국").country == "TH"
    nothing = lookup("qxqxqzzv")
    assert not nothing.found and nothing.candidates == ()


@pytest.mark.django_db
def test_parse_reads_english_and_korean_word_orders():
    english = parse("near Shibuya, Tokyo, Japan")[0]
    assert (english.place, english.regions, english.country) == ("Shibuya", ("Tokyo",), "JP")
    korean = [(r.place, r.regions, r.country) for r in parse("일본 도쿄 시부야 부근")]
    assert ("시부야", ("도쿄",), "JP") in korean
    filler = parse("Sanamxay district, Attapeu province, Laos")[0]
    assert (filler.place, filler.regions, filler.country) == ("Sanamxay", ("Attapeu",), "LA")


@pytest.mark.django_db
def test_offline_geocoder_is_a_geopy_geocoder():
    geocoder = OfflineGeocoder()
    locations = geocoder.geocode("Springfield", exactly_one=False)
    assert isinstance(locations, list) and all(isinstance(loc, Location) for loc in locations)
    assert locations[0].raw["country"] == "US" and 0 <= locations[0].raw["confidence"] <= 1
    one = geocoder.geocode("Pattaya, Thailand")
    assert isinstance(one, Location) and round(one.latitude, 1) == 12.9
    assert geocoder.geocode("qxqxqzzv") is None
    back = geocoder.reverse("13.7563, 100.5018")
    assert back.raw["country"] == "TH" and "Bangkok" in back.address


@pytest.mark.django_db
def test_geocode_command_prints_one_object_per_query_in_order(tmp_path):
    path = tmp_path / "queries.txt"
    path.write_text("파타야\nqxqxqzzv\n", encoding="utf-8")
    out = StringIO()
    call_command("geocode", "Danang", "--json", "--file", str(path), stdout=out)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [r["query"] for r in rows] == ["Danang", "파타야", "qxqxqzzv"]
    assert all(list(r) == KEYS for r in rows)
    assert rows[0]["country"] == "VN" and rows[1]["country"] == "TH"
    assert rows[2]["found"] is False and rows[2]["candidates"] == []
    assert len(rows[0]["candidates"]) <= 5


@pytest.mark.django_db
def test_geocode_api_returns_the_same_object(api, operator, presenter):
    response = api(operator).get("/api/geocode/", {"q": "Shibuya, Tokyo"})
    assert response.status_code == 200
    body = response.json()
    assert list(body) == KEYS and body["query"] == "Shibuya, Tokyo"
    assert body["country"] == "JP" and body["admin1"] == "40"
    assert api(operator).get("/api/geocode/", {"q": " "}).json()["code"] == "invalid_input"
    assert "country" in api(operator).get("/api/geocode/", {"q": "Paris", "country": "QQ"}).json()["fields"]
    assert api(None).get("/api/geocode/", {"q": "Paris"}).status_code in (401, 403)
