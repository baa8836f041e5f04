"""Search of the destination gazetteer (islands, airports, landmarks, treks…) and the words people
wrap around a place ("X airport", "near X", "X 인근", "between A and B", incident words)."""

import re
from dataclasses import dataclass
from functools import lru_cache

from django.db import connection

from safety.geo.parsing import normalize

# The answer's level: how specific the place found is. Confidence is scaled by it.
LEVEL_CONFIDENCE = {"landmark": 1.0, "place": 1.0, "island": 0.85, "admin2": 0.75, "admin1": 0.65, "country": 0.5}
_ISLAND_LEVEL = {"island", "island_group", "peninsula", "range", "desert"}
_ADMIN_LEVEL = {"admin1": "admin1", "admin2": "admin2"}
# Fuzzy (pg_trgm) destination matches below this similarity are not offered.
FUZZY_MIN_SIMILARITY = 0.55
MAX_NGRAM_WORDS = 6

# Words that say what kind of place is meant; they narrow the search and are not names themselves.
KIND_WORDS: dict[str, str] = {
    "airport": "airport",
    "international airport": "airport",
    "공항": "airport",
    "국제공항": "airport",
    "beach": "beach",
    "해변": "beach",
    "해수욕장": "beach",
    "비치": "beach",
    "trek": "trek",
    "trekking": "trek",
    "trail": "trek",
    "트레킹": "trek",
    "등산로": "trek",
    "island": "island",
    "섬": "island",
    "port": "seaport",
    "항구": "seaport",
    "border crossing": "border_crossing",
    "border": "border_crossing",
    "국경": "border_crossing",
    "검문소": "border_crossing",
}
# Words of incident reports that name no place; they are dropped before the search.
INCIDENT_WORDS = (
    "drowning",
    "drowned",
    "pickpocket",
    "pickpocketing",
    "pickpocketed",
    "robbery",
    "robbed",
    "theft",
    "stolen",
    "assault",
    "assaulted",
    "accident",
    "car accident",
    "traffic accident",
    "guesthouse fire",
    "hotel fire",
    "fire",
    "missing",
    "arrested",
    "arrest",
    "detained",
    "injured",
    "death",
    "died",
    "scam",
    "fraud",
    "kidnapping",
    "kidnapped",
    "avalanche",
    "flood",
    "earthquake",
    "소매치기",
    "익사",
    "강도",
    "절도",
    "도난",
    "폭행",
    "교통사고",
    "사고",
    "화재",
    "게스트하우스 화재",
    "실종",
    "체포",
    "구금",
    "부상",
    "사망",
    "사기",
    "납치",
    "눈사태",
    "홍수",
    "지진",
)
_BETWEEN_EN = re.compile(r"\bbetween\s+(.+?)\s+and\s+(.+)$", re.IGNORECASE)
_BETWEEN_KO = re.compile(r"(\S+)\s*(?:와|과|에서)\s+(\S+)\s*(?:사이|까지)")


@dataclass(frozen=True)
class Described:
    """A query with the kind words and incident words taken out."""

    text: str
    kind: str | None
    dropped: tuple[str, ...]


def describe(query: str) -> Described:
    text = query.strip()
    dropped: list[str] = []
    match = _BETWEEN_EN.search(text)
    if match:
        # "between Pokhara and Jomsom": the first end names the area; the rest of the query stays.
        text = (text[: match.start()] + " " + match.group(1) + "," + match.group(2)).strip()
    match_ko = _BETWEEN_KO.search(text)
    if match_ko:
        text = (text[: match_ko.start()] + " " + match_ko.group(1) + "," + match_ko.group(2)).strip()
    for word in sorted(INCIDENT_WORDS, key=len, reverse=True):
        pattern = re.compile(rf"(?<![\w]){re.escape(word)}(?![\w])", re.IGNORECASE)
        if pattern.search(text):
            dropped.append(word)
            text = pattern.sub(" ", text)
    kind = None
    for word, word_kind in sorted(KIND_WORDS.items(), key=lambda kv: len(kv[0]), reverse=True):
        glued = r"(?<![\w])" if word.isascii() else ""
        pattern = re.compile(rf"{glued}{re.escape(word)}(?![\w])", re.IGNORECASE)
        if pattern.search(text):
            kind = kind or word_kind
    text = re.sub(r"\s+", " ", text).strip(" ,;")
    text = re.sub(r"\s*,\s*(,\s*)*", ", ", text)
    return Described(text=text, kind=kind, dropped=tuple(dropped))


_KO_KIND_SUFFIXES = ("국제공항", "공항", "해수욕장", "해변", "비치", "트레킹", "국경검문소", "검문소", "항구")


def strip_kind_words(text: str) -> str:
    for word in sorted(KIND_WORDS, key=len, reverse=True):
        text = re.sub(rf"(?<![\w]){re.escape(word)}(?![\w])", " ", text, flags=re.IGNORECASE)
    for suffix in _KO_KIND_SUFFIXES:
        # "인천공항", "꾸따해변": the kind word glued to the name.
        text = re.sub(rf"(\w{{2,}}?){suffix}(?![\w])", r"\1 ", text)
    return re.sub(r"\s+", " ", text).strip(" ,;")


@dataclass(frozen=True)
class DestinationHit:
    destination_id: int
    name: str
    kind: str
    lat: float
    lon: float
    country: str
    admin1: str
    importance: float
    matched: str
    words: int
    fuzzy: bool
    quality: float
    score: float


def level_of(kind: str) -> str:
    if kind in _ISLAND_LEVEL:
        return "island"
    if kind in _ADMIN_LEVEL:
        return _ADMIN_LEVEL[kind]
    if kind in ("place", "country"):
        return kind
    return "landmark"


def _ngrams(text: str) -> list[str]:
    grams: list[str] = []
    for part in re.split(r"[,;，、/]+", text):
        words = part.split()
        for size in range(min(len(words), MAX_NGRAM_WORDS), 0, -1):
            for start in range(len(words) - size + 1):
                grams.append(" ".join(words[start : start + size]))
    return list(dict.fromkeys(g for g in grams if g))


_SELECT = """
    SELECT d.id, d.name_en, d.name_ko, d.kind, ST_Y(d.point), ST_X(d.point), d.country_code, d.admin1_name,
           d.importance, n.name
    FROM geo_destinationname n JOIN geo_destination d ON d.id = n.destination_id
"""


def search(text: str, *, kind: str | None, countries: set[str], korean: bool) -> list[DestinationHit]:
    """Destinations named by any run of words of `text` (exact), by an IATA/ICAO code written in
    capitals, or by a whole part (fuzzy), best first."""
    grams = _ngrams(text) + _ngrams(strip_kind_words(text))
    grams = list(dict.fromkeys(grams))
    codes = re.findall(r"\b[A-Z]{3,4}\b", text)
    if not grams:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            _SELECT + " WHERE ((n.name = ANY(SELECT osc_norm(g) FROM unnest(%s::text[]) g)"  # noqa: S608 (constant SQL, values are parameters)
            "   AND NOT n.name = ANY(SELECT lower(c) FROM unnest(d.codes) c))"
            " OR (n.name = ANY(SELECT lower(c) FROM unnest(%s::text[]) c)"
            "   AND n.name = ANY(SELECT lower(c) FROM unnest(d.codes) c)))"
            " AND (cardinality(%s::text[]) = 0 OR n.country_code = ANY(%s::text[]))",
            [grams, codes, sorted(countries), sorted(countries)],
        )
        rows = [(*r, False, 1.0) for r in cursor.fetchall()]
        covered = max((len(r[9].split()) for r in rows if not kind or r[3] == kind), default=0)
        parts = [p for p in (strip_kind_words(x) for x in re.split(r"[,;]+", text)) if len(normalize(p)) >= 5]
        for part in parts:
            if len(part.split()) > covered:
                cursor.execute(
                    "SELECT set_config('pg_trgm.similarity_threshold', %s, false)", [str(FUZZY_MIN_SIMILARITY)]
                )
                cursor.execute(
                    _SELECT.replace("n.name\n", "n.name, similarity(n.name, osc_norm(%(q)s))\n")
                    + " WHERE n.name %% osc_norm(%(q)s)"
                    " AND (cardinality(%(cc)s::text[]) = 0 OR n.country_code = ANY(%(cc)s::text[]))"
                    " AND (%(kind)s::text IS NULL OR d.kind = %(kind)s::text)"
                    " ORDER BY similarity(n.name, osc_norm(%(q)s)) DESC LIMIT 10",
                    {"q": part, "cc": sorted(countries), "kind": kind},
                )
                rows += [(*r[:10], True, float(r[10])) for r in cursor.fetchall()]
    hits: dict[int, DestinationHit] = {}
    upper_codes = {c.lower() for c in codes}
    for did, name_en, name_ko, d_kind, lat, lon, country, admin1, importance, matched, fuzzy, quality in rows:
        if d_kind == "airport" and kind != "airport" and matched not in upper_codes:
            # "Chiang Mai" is the city; its airport only when the query says airport (or gives the code).
            continue
        words = len(matched.split())
        score = quality * (1.0 + 0.3 * min(words, 4)) + 0.6 * importance
        if kind and d_kind == kind:
            score += 0.8
        if fuzzy:
            score -= 0.5
        hit = DestinationHit(
            destination_id=did,
            name=name_ko if korean and name_ko else name_en,
            kind=d_kind,
            lat=lat,
            lon=lon,
            country=country,
            admin1=admin1,
            importance=importance,
            matched=matched,
            words=words,
            fuzzy=fuzzy,
            quality=quality,
            score=score,
        )
        if did not in hits or hits[did].score < score:
            hits[did] = hit
    return sorted(hits.values(), key=lambda h: (-h.score, h.destination_id))


@lru_cache(maxsize=1)
def airport_cities() -> dict[tuple[str, str], float]:
    """(country, normalised city) → importance of its best airport: a ranking signal for places."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT n.country_code, left(n.name, length(n.name) - 8), max(n.importance) FROM geo_destinationname n "
            "JOIN geo_destination d ON d.id = n.destination_id WHERE d.kind = 'airport' AND n.name LIKE '%% airport' "
            "GROUP BY 1, 2"
        )
        return {(cc, city): float(imp) for cc, city, imp in cursor.fetchall()}


def nearest_airport(
    *, lat: float, lon: float, country: str, name: str, korean: bool, max_km: float = 60.0
) -> DestinationHit | None:
    """The most important airport within `max_km` of a point in the country ("인천 공항" → ICN)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, name_en, name_ko, kind, ST_Y(point), ST_X(point), country_code, admin1_name, importance,"
            " lower(name_en) FROM geo_destination WHERE kind = 'airport' AND country_code = %s"
            " AND ST_DWithin(point::geography, ST_SetSRID(ST_MakePoint(%s, %s), 4326)::geography, %s)"
            " ORDER BY osc_norm(name_en) LIKE '%%' || osc_norm(%s) || '%%' DESC, importance DESC,"
            " point <-> ST_SetSRID(ST_MakePoint(%s, %s), 4326) LIMIT 1",
            [country, lon, lat, max_km * 1000, name, lon, lat],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    did, name_en, name_ko, d_kind, p_lat, p_lon, cc, admin1, importance, matched = row
    return DestinationHit(
        destination_id=did,
        name=name_ko if korean and name_ko else name_en,
        kind=d_kind,
        lat=p_lat,
        lon=p_lon,
        country=cc,
        admin1=admin1,
        importance=importance,
        matched=matched,
        words=1,
        fuzzy=False,
        quality=0.9,
        score=1.0,
    )


def airport_cities_clear() -> None:
    airport_cities.cache_clear()
