"""The offline geocoder: a geopy `Geocoder` over the PostGIS gazetteer (exact, alternate and fuzzy names)."""

import json
import math
import re
import unicodedata
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from django.db import connection
from geopy.geocoders.base import Geocoder
from geopy.location import Location
from geopy.point import Point as GeopyPoint

from safety.geo.loaders import geonames_data_dir

SOURCE_OFFLINE = "offline"
MAX_CANDIDATES = 5
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

_SPLIT_PARTS = re.compile(r"[,;，、،/]+")
_FILLER_PHRASES_EN = (
    "in the vicinity of",
    "on the outskirts of",
    "outskirts of",
    "close to",
    "next to",
    "not far from",
    "downtown",
    "central",
    "near",
    "nearby",
    "around",
    "outside",
    "in",
    "at",
    "the",
    "of",
)
_FILLER_UNIT_EN = (
    "district",
    "province",
    "prefecture",
    "state",
    "region",
    "county",
    "municipality",
    "governorate",
    "oblast",
    "department",
    "territory",
    "area",
)
_FILLER_KO = ("부근", "근처", "인근", "일대", "주변", "지역", "시내", "외곽", "에서", "지방")
_SUFFIX_KO = ("특별시", "광역시", "지구", "시", "도", "성", "주", "현", "구", "군", "읍", "면")

_COUNTRY_ALIASES: dict[str, str] = {
    "usa": "US",
    "us": "US",
    "u s a": "US",
    "u s": "US",
    "america": "US",
    "united states of america": "US",
    "uk": "GB",
    "u k": "GB",
    "great britain": "GB",
    "britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "holland": "NL",
    "the netherlands": "NL",
    "czech republic": "CZ",
    "ivory coast": "CI",
    "cote d ivoire": "CI",
    "burma": "MM",
    "south korea": "KR",
    "korea": "KR",
    "republic of korea": "KR",
    "north korea": "KP",
    "uae": "AE",
    "emirates": "AE",
    "russia": "RU",
    "russian federation": "RU",
    "vietnam": "VN",
    "viet nam": "VN",
    "laos": "LA",
    "lao pdr": "LA",
    "turkey": "TR",
    "turkiye": "TR",
    "macau": "MO",
    "macao": "MO",
    "hong kong": "HK",
    "taiwan": "TW",
    "swaziland": "SZ",
    "east timor": "TL",
    "cape verde": "CV",
    "vatican": "VA",
    "palestine": "PS",
    "congo": "CG",
    "drc": "CD",
    "dr congo": "CD",
    "democratic republic of the congo": "CD",
    "bosnia": "BA",
    "mainland china": "CN",
    "prc": "CN",
    "미국": "US",
    "영국": "GB",
    "중국": "CN",
    "홍콩": "HK",
    "마카오": "MO",
    "대만": "TW",
    "타이완": "TW",
    "베트남": "VN",
    "월남": "VN",
    "라오스": "LA",
    "캄보디아": "KH",
    "태국": "TH",
    "타이": "TH",
    "일본": "JP",
    "필리핀": "PH",
    "러시아": "RU",
    "호주": "AU",
    "오스트레일리아": "AU",
    "뉴질랜드": "NZ",
    "캐나다": "CA",
    "독일": "DE",
    "프랑스": "FR",
    "스페인": "ES",
    "이탈리아": "IT",
    "튀르키예": "TR",
    "터키": "TR",
    "인도": "IN",
    "인도네시아": "ID",
    "말레이시아": "MY",
    "싱가포르": "SG",
    "몽골": "MN",
    "아랍에미리트": "AE",
    "사우디": "SA",
    "사우디아라비아": "SA",
    "브라질": "BR",
    "멕시코": "MX",
    "이집트": "EG",
    "남아공": "ZA",
    "남아프리카공화국": "ZA",
    "한국": "KR",
    "대한민국": "KR",
    "북한": "KP",
}


def normalize(text: str) -> str:
    """Python side of `osc_norm`: NFKC, lower case, no accents, punctuation and runs of spaces as one space."""
    text = unicodedata.normalize("NFKC", text).lower()
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    text = unicodedata.normalize("NFC", stripped).replace("đ", "d").replace("ø", "o").replace("ł", "l")
    text = re.sub(r"[\s\-_.'’`\"()\[\]{}!?:+*&#@]+", " ", text)
    return text.strip()


@dataclass(frozen=True)
class GeocodeResult:
    """One answer of a geocoder, in the shape of the API and the `geocode` command."""

    query: str
    found: bool
    lat: float | None = None
    lon: float | None = None
    country: str | None = None
    admin1: str = ""
    display_name: str = ""
    confidence: float = 0.0
    source: str = ""
    candidates: tuple["GeocodeResult", ...] = field(default=())

    def as_dict(self, *, with_candidates: bool = True) -> dict[str, Any]:
        body: dict[str, Any] = {
            "query": self.query,
            "found": self.found,
            "lat": self.lat,
            "lon": self.lon,
            "country": self.country,
            "admin1": self.admin1,
            "display_name": self.display_name,
            "confidence": self.confidence,
            "source": self.source,
        }
        if with_candidates:
            body["candidates"] = [c.as_dict(with_candidates=False) for c in self.candidates[:MAX_CANDIDATES]]
        return body

    @classmethod
    def not_found(cls, query: str, *, source: str = "") -> "GeocodeResult":
        return cls(query=query, found=False, source=source)

    @classmethod
    def from_location(cls, query: str, location: Location) -> "GeocodeResult":
        raw = location.raw if isinstance(location.raw, dict) else {}
        return cls(
            query=query,
            found=True,
            lat=location.latitude,
            lon=location.longitude,
            country=raw.get("country"),
            admin1=raw.get("admin1", ""),
            display_name=location.address,
            confidence=float(raw.get("confidence", 0.0)),
            source=raw.get("source", SOURCE_OFFLINE),
        )


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


@dataclass(frozen=True)
class _Reading:
    """One way to read the query: the place, the regions that narrow it, the country."""

    place: str
    regions: tuple[str, ...]
    country: str | None
    # 0 for the reading the word order suggests first; the others are penalised by this much.
    penalty: float = 0.0


@lru_cache(maxsize=1)
def _countries() -> tuple[dict[str, str], dict[str, tuple[str, float, float]]]:
    """Names → ISO2 (English, Korean, ISO codes, aliases), and ISO2 → (English name, lat, lon of a point inside)."""
    names: dict[str, str] = {}
    info: dict[str, tuple[str, float, float]] = {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT iso2, iso3, name_en, name_ko, ST_Y(ST_PointOnSurface(boundary)), ST_X(ST_PointOnSurface(boundary)) "
            "FROM geo_country"
        )
        rows = cursor.fetchall()
    for iso2, iso3, name_en, name_ko, lat, lon in rows:
        info[iso2] = (name_en, lat, lon)
        for name in (iso2, iso3, name_en, name_ko, re.sub(r"\(.*\)", "", name_ko or "")):
            if name:
                names.setdefault(normalize(name), iso2)
    for alias, iso2 in _COUNTRY_ALIASES.items():
        names[normalize(alias)] = iso2
    # Two-letter codes as words are risky ("in", "at", "de"): keep only upper-case use, checked in _country_of.
    return names, info


@lru_cache(maxsize=1)
def _place_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT country_code, count(*) FROM geo_place GROUP BY country_code")
        return dict(cursor.fetchall())


@lru_cache(maxsize=1)
def _us_states() -> dict[str, str]:
    with (geonames_data_dir() / "us_states.json").open(encoding="utf-8") as handle:
        states = json.load(handle)
    return {normalize(s["name"]): s["code"] for s in states.values()}


def _country_of(raw: str) -> str | None:
    norm = normalize(raw)
    if not norm:
        return None
    names, _ = _countries()
    ascii_word = norm.isascii()
    if ascii_word and len(norm) == 2 and not raw.strip().isupper():
        return None
    if ascii_word and len(norm) == 3 and not raw.strip().isupper() and norm not in _COUNTRY_ALIASES:
        return None
    return names.get(norm)


def _strip_fillers(text: str) -> str:
    words = text.split()
    lowered = [w.lower() for w in words]
    for phrase in sorted(_FILLER_PHRASES_EN, key=len, reverse=True):
        parts = phrase.split()
        if lowered[: len(parts)] == parts and len(words) > len(parts):
            words, lowered = words[len(parts) :], lowered[len(parts) :]
    kept = [w for w, lw in zip(words, lowered, strict=True) if lw not in _FILLER_UNIT_EN and w not in _FILLER_KO]
    cleaned = []
    for word in kept:
        for filler in _FILLER_KO:
            if word.endswith(filler) and len(word) > len(filler) + 1:
                word = word[: -len(filler)]
        cleaned.append(word)
    return " ".join(cleaned) if cleaned else text


def _korean_variants(name: str) -> list[str]:
    """ "시부야구" → "시부야": Korean administrative suffixes glued to a name."""
    out = []
    if re.search(r"[\uac00-\ud7a3]", name):
        for suffix in _SUFFIX_KO:
            if name.endswith(suffix) and len(name) - len(suffix) >= 2:
                out.append(name[: -len(suffix)])
    return out


def parse(query: str) -> list[_Reading]:
    """The readings of a query: "place, region, country" (English order) or "country region place" (Korean order)."""
    text = unicodedata.normalize("NFKC", query).strip()
    parts = [_strip_fillers(p.strip()) for p in _SPLIT_PARTS.split(text) if p.strip()]
    parts = [p for p in parts if p]
    if not parts:
        return []
    readings: list[_Reading] = []
    if len(parts) > 1:
        if (iso2 := _country_of(parts[-1])) is not None:
            rest = parts[:-1]
            readings.append(_Reading(rest[0], tuple(rest[1:]), iso2))
        elif (iso2 := _country_of(parts[0])) is not None:
            rest = parts[1:]
            readings.append(_Reading(rest[-1], tuple(reversed(rest[:-1])), iso2))
        else:
            readings.append(_Reading(parts[0], tuple(parts[1:]), None))
            readings.append(_Reading(parts[-1], tuple(reversed(parts[:-1])), None, 0.15))
        return readings
    words = parts[0].split()
    readings.append(_Reading(parts[0], (), None))
    if len(words) == 1:
        return readings
    for k in range(min(4, len(words) - 1), 0, -1):
        if (iso2 := _country_of(" ".join(words[:k]))) is not None:
            rest = words[k:]
            readings.append(_Reading(" ".join(rest), (), iso2))
            if len(rest) > 1:
                readings.append(_Reading(rest[-1], tuple(reversed(rest[:-1])), iso2, 0.05))
            return readings
        if (iso2 := _country_of(" ".join(words[-k:]))) is not None:
            rest = words[:-k]
            readings.append(_Reading(" ".join(rest), (), iso2))
            if len(rest) > 1:
                readings.append(_Reading(rest[0], tuple(rest[1:]), iso2, 0.05))
            return readings
    korean = bool(re.search(r"[\uac00-\ud7a3]", parts[0]))
    readings.append(_Reading(words[-1], tuple(reversed(words[:-1])), None, 0.1 if korean else 0.2))
    readings.append(_Reading(words[0], tuple(words[1:]), None, 0.2 if korean else 0.1))
    return readings


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


def countries_cache_clear() -> None:
    """Forget the cached country names (after the countries were reloaded)."""
    _countries.cache_clear()


__all__ = ["OfflineGeocoder", "GeocodeResult", "normalize", "parse", "countries_cache_clear"]
