"""The destination gazetteer: kinds in Korean and English, the degradation ladder, countries named,
ambiguity, misspellings, incident words, merged candidates, the API's bad input, reverse on islands."""

import pytest

from safety.geo.destinations import describe
from safety.geo.geocoding import OfflineGeocoder, _km
from safety.geo.loaders import destinations_load
from safety.geo.models import Destination, DestinationName, ReferenceDataset
from safety.geo.reverse import reverse_lookup


def lookup(query: str, **kwargs):  # type: ignore[no-untyped-def]
    return OfflineGeocoder().lookup(query, **kwargs)


def near(result, lat: float, lon: float, km: float = 5.0) -> bool:  # type: ignore[no-untyped-def]
    return result.found and _km(result.lat, result.lon, lat, lon) <= km


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "kind", "country", "lat", "lon"),
    [
        ("Boracay", "island", "PH", 11.967, 121.925),
        ("보라카이", "island", "PH", 11.967, 121.925),
        ("Nusa Penida", "island", "ID", -8.73, 115.54),
        ("누사페니다", "island", "ID", -8.73, 115.54),
        ("Mount Rinjani", "peak", "ID", -8.411, 116.457),
        ("린자니산", "peak", "ID", -8.411, 116.457),
        ("Ngurah Rai airport", "airport", "ID", -8.748, 115.167),
        ("DPS", "airport", "ID", -8.748, 115.167),
        ("인천공항", "airport", "KR", 37.46, 126.44),
        ("Eiffel Tower", "landmark", "FR", 48.8584, 2.2945),
        ("에펠탑", "landmark", "FR", 48.8584, 2.2945),
        ("My Khe beach, Da Nang", "beach", "VN", 16.0544, 108.2478),
        ("미케 해변", "beach", "VN", 16.0544, 108.2478),
        ("Annapurna Base Camp", "trek", "NP", 28.5306, 83.878),
        ("안나푸르나 베이스캠프", "trek", "NP", 28.5306, 83.878),
        ("Deurali", "trek", "NP", 28.497, 83.871),
        ("Taba border crossing", "border_crossing", "EG", 29.4925, 34.9047),
        ("타바 국경검문소", "border_crossing", "EG", 29.4925, 34.9047),
        ("Universal Studios Japan", "theme_park", "JP", 34.6654, 135.4323),
        ("유니버설 스튜디오 재팬", "theme_park", "JP", 34.6654, 135.4323),
        ("Angkor Wat", "heritage", "KH", 13.4125, 103.867),
        ("앙코르와트", "heritage", "KH", 13.4125, 103.867),
        ("Ubud Monkey Forest", "park", "ID", -8.5188, 115.2585),
        ("우붓 몽키 포레스트", "park", "ID", -8.5188, 115.2585),
        ("Salar de Uyuni", "desert", "BO", -20.1338, -67.4891),
        ("우유니 소금사막", "desert", "BO", -20.1338, -67.4891),
        ("보코산", "landmark", "KH", 10.628, 104.026),
    ],
)
def test_geocode_finds_each_kind_of_destination_in_korean_and_english(query, kind, country, lat, lon):
    result = lookup(query)
    assert (result.kind, result.country) == (kind, country), result
    assert near(result, lat, lon, km=10.0)
    assert result.level in ("landmark", "island")


@pytest.mark.django_db
def test_geocode_natural_earth_islands_and_ranges_are_found():
    sumatra = lookup("Sumatra")
    assert (sumatra.kind, sumatra.country) == ("island", "ID")
    himalayas = lookup("Himalayas")
    assert himalayas.kind == "range" and himalayas.level == "island"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "country"),
    [("Bali", "ID"), ("Queenstown", "NZ"), ("Cancun", "MX"), ("발리", "ID")],
)
def test_geocode_ranks_the_place_travellers_mean(query, country):
    assert lookup(query).country == country


@pytest.mark.django_db
def test_geocode_ladder_answers_the_most_specific_part_with_its_level():
    beach = lookup("Kuta Beach, Bali, Indonesia")
    assert (beach.kind, beach.level, beach.country) == ("beach", "landmark", "ID")
    island = lookup("Bali, Indonesia")
    assert (island.kind, island.level) == ("island", "island")
    country = lookup("Qwxzv, Indonesia")
    assert (country.kind, country.level, country.country) == ("country", "country", "ID")
    assert country.unmatched == ("Qwxzv",)
    assert beach.confidence > island.confidence > country.confidence


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "country"),
    [
        ("Marina, Thailand", "TH"),
        ("Eiffel Tower, Japan", "JP"),
        ("Sentosa 싱가포르", "SG"),
        ("Nowhereville, 태국", "TH"),
        ("guesthouse fire, Laos", "LA"),
    ],
)
def test_geocode_names_a_country_and_gets_at_least_that_country(query, country):
    result = lookup(query)
    assert result.found and result.country == country


@pytest.mark.django_db
def test_geocode_country_hint_keeps_the_answer_in_that_country():
    assert lookup("Paris", country_hint="US").country == "US"
    assert lookup("Nusa Penida", country_hint="ID").kind == "island"


@pytest.mark.django_db
def test_geocode_incident_and_description_words_are_ignored():
    for query in (
        "pickpocket near Eiffel Tower",
        "에펠탑 인근 소매치기",
        "drowning at Nusa Penida",
        "Nusa Penida 익사",
    ):
        result = lookup(query)
        assert result.kind in ("landmark", "island") and result.unmatched == (), (query, result)
    assert describe("guesthouse fire in Pokhara").dropped == ("guesthouse fire",)
    between = lookup("between Pokhara and Annapurna Base Camp")
    assert between.country == "NP"


@pytest.mark.django_db
def test_geocode_misspelt_destination_is_found_with_less_confidence():
    exact = lookup("Marina Bay Sands")
    typo = lookup("Marina Bay Sandz")
    assert typo.kind == "landmark" and typo.country == "SG"
    assert typo.confidence < exact.confidence
    assert lookup("Eifel tower").country == "FR"


@pytest.mark.django_db
def test_geocode_city_name_stays_the_city_not_its_airport():
    assert lookup("Chiang Mai").kind == "place"
    assert lookup("Chiang Mai airport").kind == "airport"


@pytest.mark.django_db
def test_geocode_candidates_carry_kind_and_are_never_duplicates():
    result = lookup("Boracay")
    kinds = {c.kind for c in result.candidates}
    assert "island" in kinds
    for i, a in enumerate(result.candidates):
        for b in result.candidates[i + 1 :]:
            assert a.country != b.country or _km(a.lat, a.lon, b.lat, b.lon) > 1.5


@pytest.mark.django_db
def test_geocode_ambiguous_destination_name_lowers_confidence():
    # "Disneyland" is in California and, by alias, several parks share the word: the best is offered
    # with alternatives in other places.
    result = lookup("White Beach")
    assert result.found and len(result.candidates) >= 1
    assert result.confidence <= lookup("Boracay White Beach").confidence


@pytest.mark.django_db
def test_destinations_load_is_idempotent_and_recorded():
    before = Destination.objects.count()
    again = destinations_load()
    assert again.skipped and Destination.objects.count() == before
    assert before > 5000 and DestinationName.objects.count() > before
    assert ReferenceDataset.objects.get(name="destinations").rows == before
    kinds = set(Destination.objects.values_list("kind", flat=True).distinct())
    assert {"island", "airport", "landmark", "beach", "trek", "border_crossing", "theme_park", "peak"} <= kinds


@pytest.mark.django_db
def test_reverse_reports_the_island_and_the_airport_under_the_pin():
    on_bali = reverse_lookup(lat=-8.5, lon=115.2)
    assert on_bali.country == "ID" and on_bali.destination == "Bali"
    at_airport = reverse_lookup(lat=-8.7482, lon=115.1670)
    assert "Ngurah Rai" in at_airport.destination


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "field"),
    [({"q": ""}, "q"), ({"q": "x" * 301}, "q"), ({"q": "Bali\x00"}, "q"), ({"q": "Bali", "country": "QQ"}, "country")],
)
def test_geocode_api_rejects_bad_input_with_field_and_reason(api, operator, params, field):
    response = api(operator).get("/api/geocode/", params)
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"code", "message", "fields"} and field in body["fields"]


@pytest.mark.django_db
def test_geocode_api_answers_kind_level_and_unmatched(api, operator):
    body = api(operator).get("/api/geocode/", {"q": "Taba border crossing"}).json()
    assert (body["kind"], body["level"], body["unmatched"]) == ("border_crossing", "landmark", [])
    assert all("kind" in c for c in body["candidates"])
