"""The offline geocoder (search and ranking): a geopy `Geocoder` over the PostGIS gazetteer.

Parsing lives in `safety.geo.parsing`, the result type in `safety.geo.results`.
"""

import math
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from django.db import connection
from geopy.geocoders.base import Geocoder
from geopy.location import Location
from geopy.point import Point as GeopyPoint

from safety.geo.parsing import (
    _countries,
    _country_of,
    _korean_variants,
    _Reading,
    _strip_fillers,
    _us_states,
    countries_cache_clear,
    normalize,
    parse,
)
from safety.geo.results import MAX_CANDIDATES, SOURCE_OFFLINE, GeocodeResult

# Fuzzy (pg_trgm) matches below this similarity are not offered at all.
FUZZY_MIN_SIMILARITY = 0.45
FUZZY_MIN_SIMILARITY_IN_COUNTRY = 0.3
# An exact match this small (no hint) is checked against fuzzy matches of bigger places.
SMALL_PLACE_POPULATION = 5_000
# A region standing in for the place ranks below any real match of the place in that region.
REGION_STANDS_IN_PENALTY = 0.4
# Fuzzy search inside a country with fewer places compares all its names instead of using the trigram index.
SMALL_COUNTRY_PLACES = 3_000
# Two candidates farther apart than this are different places (ambiguity).
SAME_PLACE_KM = 25.0


@dataclass
class _Candidate:
    place_id: int
    name: str
    lat: float
    lon: float
    country: str
    admin1: str
    population: int
    quality: float
    fuzzy: bool
    score: float = 0.0
    # The region of the query stands in for a place the gazetteer lacks ("Namba, Osaka" → Osaka).
    coarse: bool = False


@lru_cache(maxsize=1)
def _place_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT country_code, count(*) FROM geo_place GROUP BY country_code")
        return dict(cursor.fetchall())


_EXACT_SQL = """
SELECT q.i, m.place_id, m.kind, m.country_code, m.admin1_code, m.population, p.name,
       ST_Y(p.location), ST_X(p.location), 1.0
FROM unnest(%s::text[], %s::text[], %s::int[]) AS q(name, cc, i)
CROSS JOIN LATERAL (
    SELECT pn.place_id, pn.kind, pn.country_code, pn.admin1_code, pn.population
    FROM geo_placename pn
    WHERE pn.name = osc_norm(q.name) AND (q.cc IS NULL OR pn.country_code = q.cc)
    ORDER BY pn.population DESC, pn.kind LIMIT 60
) m
JOIN geo_place p ON p.id = m.place_id
"""

# Within one country: every name of that country is compared (the country index), no trigram index needed.
_FUZZY_IN_COUNTRY_SQL = """
SELECT 0, m.place_id, m.kind, m.country_code, m.admin1_code, m.population, p.name,
       ST_Y(p.location), ST_X(p.location), m.sim
FROM (
    SELECT pn.place_id, pn.kind, pn.country_code, pn.admin1_code, pn.population,
           similarity(pn.name, osc_norm(%(q)s)) AS sim
    FROM geo_placename pn
    WHERE pn.country_code = %(cc)s AND pn.name %% osc_norm(%(q)s)
    ORDER BY sim DESC, pn.population DESC LIMIT 40
) m
JOIN geo_place p ON p.id = m.place_id
"""

_FUZZY_SQL = """
SELECT 0, m.place_id, m.kind, m.country_code, m.admin1_code, m.population, p.name,
       ST_Y(p.location), ST_X(p.location), m.sim
FROM (
    SELECT pn.place_id, pn.kind, pn.country_code, pn.admin1_code, pn.population,
           similarity(pn.name, osc_norm(%(q)s)) AS sim
    FROM geo_placename pn
    WHERE pn.name %% osc_norm(%(q)s) AND (pn.kind < 2 OR pn.name ~ '^[ -~]+$')
      AND (%(cc)s::text IS NULL OR pn.country_code = %(cc)s::text)
    ORDER BY sim DESC, pn.population DESC LIMIT 40
) m
JOIN geo_place p ON p.id = m.place_id
"""


def _km(a_lat: float, a_lon: float, b_lat: float, b_lon: float) -> float:
    p1, p2 = math.radians(a_lat), math.radians(b_lat)
    dp, dl = p2 - p1, math.radians(b_lon - a_lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def _rows_to_candidates(rows: list[tuple[Any, ...]]) -> dict[int, list[_Candidate]]:
    by_index: dict[int, dict[int, _Candidate]] = {}
    for i, place_id, kind, cc, admin1, pop, name, lat, lon, sim in rows:
        quality = (1.0 if kind < 2 else 0.97) if sim >= 1.0 else float(sim)
        bucket = by_index.setdefault(i, {})
        known = bucket.get(place_id)
        if known is None or known.quality < quality:
            bucket[place_id] = _Candidate(place_id, name, lat, lon, cc, admin1, pop, quality, sim < 1.0)
    return {i: list(bucket.values()) for i, bucket in by_index.items()}


class OfflineGeocoder(Geocoder):
    """geopy geocoder backed by the gazetteer in PostGIS; never touches the network.

    `geocode(query, exactly_one=False)` returns ranked `Location`s; each `raw` holds
    `country`, `admin1`, `confidence` (0..1), `source` and `place_id`.
    """

    def __init__(self, *, country_bias: str | None = None) -> None:
        super().__init__(user_agent="osc-offline")
        self.country_bias = country_bias

    def geocode(
        self,
        query: str,
        *,
        exactly_one: bool = True,
        timeout: float | None = None,
        country_codes: str | list[str] | None = None,
        limit: int = MAX_CANDIDATES,
    ) -> Location | list[Location] | None:
        hint = country_codes[0] if isinstance(country_codes, list) and country_codes else country_codes
        # A non-empty list gave its first code; an empty one is falsy and yields country_bias: never a list.
        result = self.lookup(query, country_hint=(hint or self.country_bias))  # type: ignore[arg-type]
        if not result.found:
            return None
        locations = [_to_location(c) for c in (result.candidates or (result,))][:limit]
        return locations[0] if exactly_one else locations

    def reverse(self, query: Any, *, exactly_one: bool = True, timeout: float | None = None) -> Any:
        from safety.geo.reverse import reverse_lookup

        point = GeopyPoint(query)
        found = reverse_lookup(lat=point.latitude, lon=point.longitude)
        if found.country is None:
            return None
        raw = {
            "country": found.country,
            "admin1": found.admin1,
            "place": found.place_name,
            "place_km": found.place_km,
            "source": SOURCE_OFFLINE,
        }
        address = ", ".join(x for x in (found.place_name, _country_name(found.country)) if x)
        location = Location(address, (point.latitude, point.longitude), raw)
        return location if exactly_one else [location]

    def lookup(self, query: str, *, country_hint: str | None = None) -> GeocodeResult:
        """The best match with up to five ranked candidates (the best first), or not found."""
        readings = parse(query)
        whole_country = _country_of(query.strip()) or _country_of(_strip_fillers(query.strip()))
        if whole_country:
            # "Laos", "태국": the country itself, unless a place of that name lies in it ("Singapore", "Kuwait").
            readings = [_Reading(query.strip(), (), whole_country)]
        if country_hint:
            readings = [r if r.country else replace(r, country=country_hint.upper()) for r in readings] + readings
        readings = list(dict.fromkeys(readings))
        if not readings:
            return GeocodeResult.not_found(query, source=SOURCE_OFFLINE)
        ranked = self._rank(readings)
        if whole_country and (not ranked or ranked[0].country != whole_country):
            return _country_result(query, whole_country)
        if not ranked:
            return GeocodeResult.not_found(query, source=SOURCE_OFFLINE)
        return _result(query, ranked)

    def _rank(self, readings: list[_Reading]) -> list[_Candidate]:
        names: list[str] = []
        codes: list[str | None] = []
        owners: list[tuple[int, str]] = []  # (reading index, "place" | "region")
        for r_index, reading in enumerate(readings):
            for variant in [reading.place, *_korean_variants(reading.place)]:
                names.append(variant)
                codes.append(reading.country)
                owners.append((r_index, "place"))
            for region in reading.regions:
                names.append(region)
                codes.append(reading.country)
                owners.append((r_index, "region"))
        with connection.cursor() as cursor:
            cursor.execute(_EXACT_SQL, [names, codes, list(range(len(names)))])
            found = _rows_to_candidates(cursor.fetchall())
        per_reading: list[tuple[_Reading, list[_Candidate], set[tuple[str, str]]]] = []
        for r_index, reading in enumerate(readings):
            places = [
                c for i, (ri, role) in enumerate(owners) if ri == r_index and role == "place" for c in found.get(i, [])
            ]
            per_reading.append((reading, places, self._regions(reading, owners, found, r_index)))
        exact = [c for _, places, _ in per_reading for c in places]
        if not exact or max(c.population for c in exact) < SMALL_PLACE_POPULATION:
            for reading, places, _ in per_reading:
                if reading.penalty == 0 and len(normalize(reading.place)) >= 4:
                    places += self._fuzzy(reading.place, reading.country)
        for r_index, (reading, places, _) in enumerate(per_reading):
            if reading.penalty == 0 and reading.regions:
                first_region = next(i for i, (ri, role) in enumerate(owners) if ri == r_index and role == "region")
                top = sorted(found.get(first_region, []), key=lambda c: -c.population)[:1]
                places += [replace(c, coarse=True) for c in top]
        best: dict[int, _Candidate] = {}
        for reading, places, regions in per_reading:
            for candidate in places:
                score = self._score(candidate, reading, regions) - (REGION_STANDS_IN_PENALTY if candidate.coarse else 0)
                known = best.get(candidate.place_id)
                if known is None or known.score < score:
                    best[candidate.place_id] = replace(candidate, score=score)
        return sorted(best.values(), key=lambda c: (-c.score, -c.population, c.place_id))

    def _regions(
        self,
        reading: _Reading,
        owners: list[tuple[int, str]],
        found: dict[int, list[_Candidate]],
        r_index: int,
    ) -> set[tuple[str, str]]:
        areas: set[tuple[str, str]] = set()
        states = _us_states()
        for region in reading.regions:
            code = states.get(normalize(region))
            if code and reading.country in (None, "US"):
                areas.add(("US", code))
            if (iso2 := _country_of(region)) is not None:
                areas.add((iso2, "*"))
        if areas:
            return areas
        for i, (ri, role) in enumerate(owners):
            if ri == r_index and role == "region":
                named = sorted(found.get(i, []), key=lambda c: -c.population)[:5]
                top = named[0].population if named else 0
                for c in named:
                    if c.admin1 and c.population >= top * 0.1:
                        areas.add((c.country, c.admin1))
        return areas

    def _fuzzy(self, name: str, country: str | None) -> list[_Candidate]:
        # Within a country a looser threshold is affordable (fewer rows) and finds transliterations.
        threshold = FUZZY_MIN_SIMILARITY if country is None else FUZZY_MIN_SIMILARITY_IN_COUNTRY
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('pg_trgm.similarity_threshold', %s, false)", [str(threshold)])
            small = country is not None and _place_counts().get(country, 0) < SMALL_COUNTRY_PLACES
            cursor.execute(_FUZZY_IN_COUNTRY_SQL if small else _FUZZY_SQL, {"q": name, "cc": country})
            rows = [r for r in cursor.fetchall() if r[-1] >= threshold]
        return _rows_to_candidates(rows).get(0, [])

    @staticmethod
    def _score(candidate: _Candidate, reading: _Reading, regions: set[tuple[str, str]]) -> float:
        popularity = math.log10(candidate.population + 10) / 7.0
        score = 0.65 * candidate.quality**2 + 0.25 * min(popularity, 1.0)
        if reading.regions:
            matched = (candidate.country, candidate.admin1) in regions or (candidate.country, "*") in regions
            score += 0.25 if matched else (-0.15 if regions else -0.05)
        if reading.country and candidate.country == reading.country:
            score += 0.1
        return score - reading.penalty


def _country_name(iso2: str) -> str:
    _, info = _countries()
    return info.get(iso2, (iso2, 0.0, 0.0))[0]


def _to_location(result: GeocodeResult) -> Location:
    raw = {"country": result.country, "admin1": result.admin1, "confidence": result.confidence, "source": result.source}
    return Location(result.display_name, (result.lat, result.lon), raw)


def _candidate_result(query: str, c: _Candidate, confidence: float) -> GeocodeResult:
    return GeocodeResult(
        query=query,
        found=True,
        lat=round(c.lat, 6),
        lon=round(c.lon, 6),
        country=c.country,
        admin1=c.admin1,
        display_name=f"{c.name}, {_country_name(c.country)}",
        confidence=round(max(0.0, min(1.0, confidence)), 2),
        source=SOURCE_OFFLINE,
    )


def _confidence(best: _Candidate, others: list[_Candidate]) -> float:
    confidence = best.quality if not best.fuzzy else best.quality * 0.85
    if best.coarse:
        confidence *= 0.5
    rivals = [
        o
        for o in others
        if _km(best.lat, best.lon, o.lat, o.lon) > SAME_PLACE_KM
        and o.score >= best.score - 0.05
        and o.population >= best.population * 0.3
    ]
    if rivals:
        confidence *= 0.5
    if best.population < 1_000:
        confidence *= 0.85
    return confidence


def _result(query: str, ranked: list[_Candidate]) -> GeocodeResult:
    best = ranked[0]
    confidence = _confidence(best, ranked[1:])
    candidates = [_candidate_result(query, best, confidence)]
    for other in ranked[1:MAX_CANDIDATES]:
        candidates.append(
            _candidate_result(query, other, _confidence(other, [best]) * min(1.0, other.score / best.score))
        )
    return replace(candidates[0], candidates=tuple(candidates))


def _country_result(query: str, iso2: str) -> GeocodeResult:
    _, info = _countries()
    name, lat, lon = info.get(iso2, (iso2, None, None))
    if lat is None or lon is None:
        return GeocodeResult.not_found(query, source=SOURCE_OFFLINE)
    result = GeocodeResult(
        query=query,
        found=True,
        lat=round(lat, 6),
        lon=round(lon, 6),
        country=iso2,
        admin1="",
        display_name=name,
        confidence=0.5,
        source=SOURCE_OFFLINE,
    )
    return replace(result, candidates=(result,))


__all__ = [
    "MAX_CANDIDATES",
    "SOURCE_OFFLINE",
    "GeocodeResult",
    "OfflineGeocoder",
    "countries_cache_clear",
    "normalize",
    "parse",
]
