"""Reading a place description: normalisation, country names and aliases, fillers, and the readings of a query."""

import csv
import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.db import connection

from safety.geo.loaders import geonames_data_dir

# Country names people write that are not the ISO or GeoNames names ("uk", "burma", "캄보디아"): alias,ISO2.
COUNTRY_ALIASES_CSV = Path(__file__).resolve().parent / "data" / "country_aliases.csv"

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


def _load_aliases() -> dict[str, str]:
    with COUNTRY_ALIASES_CSV.open(encoding="utf-8", newline="") as handle:
        return {row["alias"]: row["country"] for row in csv.DictReader(handle)}


_COUNTRY_ALIASES: dict[str, str] = _load_aliases()


def normalize(text: str) -> str:
    """Python side of `osc_norm`: NFKC, lower case, no accents, punctuation and runs of spaces as one space."""
    text = unicodedata.normalize("NFKC", text).lower()
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    text = unicodedata.normalize("NFC", stripped).replace("đ", "d").replace("ø", "o").replace("ł", "l")
    text = re.sub(r"[\s\-_.'’`\"()\[\]{}!?:+*&#@]+", " ", text)
    return text.strip()


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


def countries_cache_clear() -> None:
    """Forget the cached country names (called by `countries_load` after the countries were reloaded)."""
    _countries.cache_clear()
