"""The offline geocoder (search and ranking): a geopy `Geocoder` over the PostGIS gazetteer.

Parsing lives in `safety.geo.parsing`, the result type in `safety.geo.results`.
"""

import math
import re
from dataclasses import dataclass, replace
from difflib import get_close_matches
from functools import lru_cache
from typing import Any

from django.db import connection
from geopy.geocoders.base import Geocoder
from geopy.location import Location
from geopy.point import Point as GeopyPoint

from safety.geo import destinations
from safety.geo.destinations import LEVEL_CONFIDENCE, DestinationHit, describe, level_of, strip_kind_words
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

_HANGUL = re.compile(r"[\uac00-\ud7a3]")
# Two answers closer than this, in the same country, are one place (candidates are merged).
DUPLICATE_KM = 1.5

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
        """The best match (place or destination) with up to five ranked candidates, or not found.

        Incident words and kind words ("airport", "해변") are taken out; the most specific part found
        wins; when the query names a country, the answer lies in it (at worst the country itself)."""
        described = describe(query)
        text = described.text or query.strip()
        place_text = strip_kind_words(text) or text
        places = self._lookup_places(place_text, country_hint=country_hint)
        countries = _named_countries(text, country_hint)
        korean = bool(_HANGUL.search(query))
        hits = destinations.search(text, kind=described.kind, countries=countries, korean=korean)
        if described.kind == "airport" and not any(h.kind == "airport" for h in hits) and places.found:
            # "인천 공항", "Phnom Penh airport": the main airport near the place named.
            assert places.lat is not None and places.lon is not None and places.country is not None
            airport = destinations.nearest_airport(
                lat=places.lat,
                lon=places.lon,
                country=places.country,
                name=places.display_name.split(",")[0],
                korean=korean,
            )
            hits = [airport, *hits] if airport else hits
        chosen: GeocodeResult
        if hits and _destination_wins(hits[0], places, described.kind):
            chosen = _destination_result(query, hits, places)
        elif places.found:
            chosen = replace(
                places,
                query=query,
                candidates=tuple(replace(c, query=query) for c in places.candidates),
            )
        else:
            chosen = GeocodeResult.not_found(query, source=SOURCE_OFFLINE)
        named = _named_countries(text, None)
        if named and (not chosen.found or chosen.country not in named):
            first = _country_of_parts(text, None) or sorted(named)[0]
            chosen = _country_result(query, first)
        return replace(chosen, unmatched=_unmatched(text, chosen, hits))

    def _lookup_places(self, query: str, *, country_hint: str | None = None) -> GeocodeResult:
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
        # The airport signal ranks among countries; with the caller's country it would only outweigh it.
        ranked = self._rank(readings, hinted=country_hint is not None)
        if whole_country and (not ranked or ranked[0].country != whole_country):
            return _country_result(query, whole_country)
        if not ranked:
            return GeocodeResult.not_found(query, source=SOURCE_OFFLINE)
        return _result(query, ranked)

    def _rank(self, readings: list[_Reading], *, hinted: bool = False) -> list[_Candidate]:
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
                score = self._score(candidate, reading, regions, airport_signal=not hinted) - (
                    REGION_STANDS_IN_PENALTY if candidate.coarse else 0
                )
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
    def _score(
        candidate: _Candidate, reading: _Reading, regions: set[tuple[str, str]], *, airport_signal: bool = True
    ) -> float:
        popularity = math.log10(candidate.population + 10) / 7.0
        score = 0.65 * candidate.quality**2 + 0.25 * min(popularity, 1.0)
        if reading.regions:
            matched = (candidate.country, candidate.admin1) in regions or (candidate.country, "*") in regions
            score += 0.25 if matched else (-0.15 if regions else -0.05)
        if reading.country and candidate.country == reading.country:
            score += 0.1
        # A city with an international airport is the one travellers mean (Queenstown NZ, not ZA).
        if airport_signal:
            score += 0.15 * destinations.airport_cities().get((candidate.country, normalize(candidate.name)), 0.0)
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
        kind="place",
        level="place",
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
        confidence=LEVEL_CONFIDENCE["country"],
        source=SOURCE_OFFLINE,
        kind="country",
        level="country",
    )
    return replace(result, candidates=(result,))


def _named_countries(text: str, hint: str | None) -> set[str]:
    """Every country the query names: by a part, a word, or the caller's hint."""
    found: set[str] = {hint.upper()} if hint else set()
    for part in re.split(r"[,;]+", text):
        part = part.strip()
        if (iso2 := _country_of(part) or _country_of(_strip_fillers(part))) is not None:
            found.add(iso2)
        words = part.split()
        for size in (3, 2, 1):
            for start in range(len(words) - size + 1):
                chunk = " ".join(words[start : start + size])
                if (size > 1 or len(chunk) >= 4 or _HANGUL.search(chunk)) and (iso2 := _country_of(chunk)):
                    found.add(iso2)
    return found


def _country_of_parts(text: str, hint: str | None) -> str | None:
    for part in reversed(re.split(r"[,;]+", text)):
        if (iso2 := _country_of(part.strip())) is not None:
            return iso2
    named = _named_countries(text, None)
    if named:
        return sorted(named)[0]
    return hint.upper() if hint else None


def _destination_wins(hit: DestinationHit, places: GeocodeResult, kind: str | None) -> bool:
    if not places.found or places.level == "country":
        return True
    if kind and hit.kind == kind:
        return True
    if hit.fuzzy:
        return places.confidence < 0.5 or (hit.words >= 2 and hit.quality >= 0.6)
    if hit.words >= 2:
        return True
    if places.country != hit.country:
        return hit.importance >= 0.7 or places.confidence < 0.9
    if hit.importance >= 0.6 and hit.matched not in normalize(places.display_name):
        # The place was found by another of its names ("보라카이" → Balabag): the destination is what was said.
        return True
    return places.confidence < 0.9


def _destination_result(query: str, hits: list[DestinationHit], places: GeocodeResult) -> GeocodeResult:
    best = hits[0]
    results: list[GeocodeResult] = []
    for index, hit in enumerate(hits[:MAX_CANDIDATES]):
        level = level_of(hit.kind)
        confidence = (0.8 if hit.fuzzy else 1.0) * LEVEL_CONFIDENCE[level]
        if index == 0 and any(
            o.score >= best.score - 0.1 and _km(best.lat, best.lon, o.lat, o.lon) > SAME_PLACE_KM for o in hits[1:]
        ):
            confidence *= 0.5
        if index > 0:
            confidence *= min(1.0, hit.score / best.score)
        results.append(
            GeocodeResult(
                query=query,
                found=True,
                lat=round(hit.lat, 6),
                lon=round(hit.lon, 6),
                country=hit.country,
                admin1=hit.admin1,
                display_name=f"{hit.name}, {_country_name(hit.country)}",
                confidence=round(max(0.0, min(1.0, confidence)), 2),
                source=SOURCE_OFFLINE,
                kind=hit.kind,
                level=level,
            )
        )
    results += [replace(c, query=query) for c in places.candidates]
    merged: list[GeocodeResult] = []
    for candidate in results:
        if any(_same(candidate, m) for m in merged):
            continue
        merged.append(candidate)
    return replace(merged[0], candidates=tuple(merged[:MAX_CANDIDATES]))


def _same(a: GeocodeResult, b: GeocodeResult) -> bool:
    if a.country != b.country or a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return False
    return _km(a.lat, a.lon, b.lat, b.lon) <= DUPLICATE_KM


def _unmatched(text: str, result: GeocodeResult, hits: list[DestinationHit]) -> tuple[str, ...]:
    """The words of the query that no answer, candidate, country or kind word accounts for."""
    known: set[str] = set()
    for c in (result, *result.candidates):
        known.update(re.split(r"[\s,;]+", normalize(c.display_name)))
        known.update(re.split(r"[\s,;]+", normalize(c.admin1)))
    for hit in hits:
        known.update(hit.matched.split())
    for word in destinations.KIND_WORDS:
        known.update(normalize(word).split())
    words = []
    for raw in re.split(r"[\s,;]+", _strip_fillers(strip_kind_words(text) or text)):
        norm = normalize(raw)
        if not norm or norm in known or _country_of(raw) or all(w in known for w in norm.split()):
            continue
        if any(norm.startswith(k) for k in known if _HANGUL.search(k) and len(k) >= 2):
            continue
        if get_close_matches(norm, list(known), n=1, cutoff=0.75):
            continue
        words.append(raw)
    return tuple(words)


__all__ = [
    "MAX_CANDIDATES",
    "SOURCE_OFFLINE",
    "GeocodeResult",
    "OfflineGeocoder",
    "countries_cache_clear",
    "normalize",
    "parse",
]
