"""Hangul to jamo and to passport-style Revised Romanization (syllable by syllable, no sound changes).

Also the Korean surnames with the Latin spellings in use on passports and in the press, and a lossy
"skeleton" of a Latin spelling that maps the older McCune-Reischauer-like spellings (Minsoo, Young,
Chul, Kyung) onto the same key as their Revised Romanization (minsu, yeong, cheol, gyeong).
"""

from __future__ import annotations

import re
from functools import lru_cache

HANGUL_FIRST = 0xAC00
HANGUL_LAST = 0xD7A3

_INITIALS = ["g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p", "h"]
_MEDIALS = [
    "a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae",
    "oe", "yo", "u", "wo", "we", "wi", "yu", "eu", "ui", "i",
]  # fmt: skip
# Finals as written at the end of a syllable (RR: ㄱ k, ㄷ t, ㅂ p, ㄹ l; clusters by their sound).
_FINALS = [
    "", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l",
    "p", "l", "m", "p", "p", "t", "t", "ng", "t", "t", "k", "t", "p", "t",
]  # fmt: skip

# Hangul surname -> Latin spellings in use (the first is the Revised Romanization as on passports).
# 이/리, 유/류, 임/림, 노/로, 나/라, 양/량 are one surname written with or without the initial ㄹ.
SURNAME_SPELLINGS: dict[str, tuple[str, ...]] = {
    "김": ("gim", "kim", "ghim"),
    "이": ("i", "lee", "yi", "rhee", "rhie", "ri", "li", "lie", "yee", "rhe", "rey"),
    "박": ("bak", "park", "pak", "bahk", "pack", "bark"),
    "최": ("choe", "choi", "chey", "choy", "chwe"),
    "정": ("jeong", "jung", "chung", "joung", "cheong", "jong", "chong"),
    "윤": ("yun", "yoon", "youn"),
    "임": ("im", "lim", "yim", "rim", "lym"),
    "유": ("yu", "yoo", "ryu", "you", "rhyu", "ryoo", "yuh"),
    "강": ("gang", "kang", "kahng"),
    "신": ("sin", "shin", "sinn", "shinn"),
    "조": ("jo", "cho", "joe", "chough"),
    "장": ("jang", "chang"),
    "한": ("han", "hahn"),
    "오": ("o", "oh"),
    "서": ("seo", "suh", "sur", "seoh"),
    "권": ("gwon", "kwon", "kweon"),
    "황": ("hwang",),
    "안": ("an", "ahn"),
    "송": ("song",),
    "전": ("jeon", "jun", "chun", "chon", "jon"),
    "홍": ("hong",),
    "고": ("go", "ko", "koh"),
    "문": ("mun", "moon"),
    "손": ("son", "sohn"),
    "양": ("yang", "ryang"),
    "배": ("bae", "pae", "bai"),
    "백": ("baek", "paik", "paek", "baik", "back"),
    "허": ("heo", "hur", "huh", "her"),
    "남": ("nam",),
    "노": ("no", "noh", "roh", "ro"),
    "하": ("ha",),
    "곽": ("gwak", "kwak"),
    "성": ("seong", "sung"),
    "차": ("cha",),
    "주": ("ju", "joo", "chu"),
    "우": ("u", "woo"),
    "구": ("gu", "koo", "ku"),
    "민": ("min",),
    "나": ("na", "ra", "rah"),
    "진": ("jin", "chin"),
    "지": ("ji", "chi"),
    "엄": ("eom", "um", "uhm"),
    "채": ("chae", "chai"),
    "원": ("won",),
    "천": ("cheon", "chun"),
    "방": ("bang",),
    "공": ("gong", "kong"),
    "현": ("hyeon", "hyun"),
    "함": ("ham",),
    "변": ("byeon", "byun", "pyun"),
    "염": ("yeom", "yum"),
    "여": ("yeo", "yuh"),
    "추": ("chu", "choo"),
    "도": ("do", "doh", "to"),
    "소": ("so",),
    "석": ("seok", "suk"),
    "선": ("seon", "sun"),
    "설": ("seol", "sul"),
    "마": ("ma",),
    "길": ("gil", "kil"),
    "연": ("yeon",),
    "위": ("wi", "wee"),
    "표": ("pyo",),
    "명": ("myeong", "myung"),
    "기": ("gi", "ki"),
    "반": ("ban", "pan"),
    "왕": ("wang",),
    "금": ("geum", "keum", "kum"),
    "옥": ("ok",),
    "육": ("yuk", "yook"),
    "인": ("in",),
    "맹": ("maeng",),
    "제": ("je", "jeh"),
    "모": ("mo",),
    "탁": ("tak",),
    "국": ("guk", "kook"),
    "은": ("eun",),
    "편": ("pyeon",),
    "용": ("yong", "ryong"),
    "예": ("ye",),
    "경": ("gyeong", "kyung"),
    "봉": ("bong",),
    "부": ("bu", "boo"),
    "황보": ("hwangbo",),
    "남궁": ("namgung", "namkung"),
    "선우": ("seonu", "sunwoo", "seonwoo"),
    "제갈": ("jegal", "chegal"),
    "독고": ("dokgo", "tokko"),
    "사공": ("sagong",),
    "서문": ("seomun", "suhmoon"),
}

# The same surname with and without the initial ㄹ (two Hangul spellings, one family name).
SURNAME_SAME: dict[str, str] = {"리": "이", "류": "유", "림": "임", "로": "노", "라": "나", "량": "양"}

COMPOUND_SURNAMES = frozenset(s for s in SURNAME_SPELLINGS if len(s) == 2)


def _build_latin_index() -> dict[str, frozenset[str]]:
    index: dict[str, set[str]] = {}
    for hangul, spellings in SURNAME_SPELLINGS.items():
        for spelling in spellings:
            index.setdefault(spelling, set()).add(hangul)
    return {spelling: frozenset(surnames) for spelling, surnames in index.items()}


LATIN_SURNAMES: dict[str, frozenset[str]] = _build_latin_index()


def is_hangul(text: str) -> bool:
    return any(HANGUL_FIRST <= ord(ch) <= HANGUL_LAST for ch in text)


def syllable_parts(ch: str) -> tuple[int, int, int]:
    """The (initial, medial, final) indices of one precomposed Hangul syllable."""
    code = ord(ch) - HANGUL_FIRST
    return code // 588, (code % 588) // 28, code % 28


@lru_cache(maxsize=65536)
def jamo(text: str) -> tuple[str, ...]:
    """The jamo of the Hangul syllables in `text`, as tokens (finals marked apart from initials)."""
    out: list[str] = []
    for ch in text:
        if not HANGUL_FIRST <= ord(ch) <= HANGUL_LAST:
            continue
        initial, medial, final = syllable_parts(ch)
        out.append(f"i{initial}")
        out.append(f"m{medial}")
        if final:
            out.append(f"f{final}")
    return tuple(out)


@lru_cache(maxsize=65536)
def romanize(text: str) -> str:
    """Revised Romanization syllable by syllable, lower case, without sound changes (passport style)."""
    out: list[str] = []
    for ch in text:
        if HANGUL_FIRST <= ord(ch) <= HANGUL_LAST:
            initial, medial, final = syllable_parts(ch)
            out.append(_INITIALS[initial] + _MEDIALS[medial] + _FINALS[final])
        elif ch.isascii() and ch.isalpha():
            out.append(ch.lower())
    return "".join(out)


_SKELETON_STEPS: tuple[tuple[str, str], ...] = (
    ("oo", "u"),
    ("wu", "u"),
    ("eo", "u"),
    ("ou", "u"),
    ("eu", "u"),
    ("ae", "e"),
    ("ai", "e"),
    ("ee", "i"),
    ("ui", "i"),
    ("sh", "s"),
    ("ch", "j"),
    ("k", "g"),
    ("t", "d"),
    ("p", "b"),
    ("r", "l"),
)
_DOUBLE = re.compile(r"(.)\1+")


@lru_cache(maxsize=65536)
def skeleton(latin: str) -> str:
    """A lossy key under which common spellings of one Korean name agree (Minsoo/minsu, Young/yeong)."""
    text = "".join(ch for ch in latin.lower() if ch.isascii() and ch.isalpha())
    for old, new in _SKELETON_STEPS:
        text = text.replace(old, new)
    return _DOUBLE.sub(r"\1", text)


# Older spellings of Revised Romanization pieces still written in passports issued before 2000 and
# on the phone: vowels (eo as u or o, u as oo, i as ee) and initials (g as k, d as t, b as p, j as ch).
_VOWEL_SPELLINGS: dict[str, tuple[str, ...]] = {
    "eo": ("u", "o"),
    "yeo": ("you", "yo"),
    "u": ("oo",),
    "i": ("ee",),
    "ui": ("ee", "i"),
    "eu": ("u",),
    "ae": ("ai",),
    "wo": ("weo",),
    "yu": ("yoo",),
}
_INITIAL_SPELLINGS: dict[str, tuple[str, ...]] = {"g": ("k",), "d": ("t",), "b": ("p",), "j": ("ch",), "s": ("sh",)}


@lru_cache(maxsize=65536)
def syllable_spellings(ch: str) -> frozenset[str]:
    """The Revised Romanization of one syllable and its older spellings (영: yeong, young, yung, yong)."""
    initial, medial, final = syllable_parts(ch)
    initials = (_INITIALS[initial], *_INITIAL_SPELLINGS.get(_INITIALS[initial], ()))
    medials = (_MEDIALS[medial], *_VOWEL_SPELLINGS.get(_MEDIALS[medial], ()))
    spellings = {i + m + _FINALS[final] for i in initials for m in medials}
    if _MEDIALS[medial] == "yeo" and initial != 11:
        spellings |= {i + "yu" + _FINALS[final] for i in initials}  # 현 hyun, 경 kyung; 영 "yung" is 융
    if _MEDIALS[medial] == "u" and initial == 11:
        spellings.add("woo" + _FINALS[final])  # 우 woo
    return frozenset(spellings)


@lru_cache(maxsize=65536)
def given_spellings(hangul: str) -> frozenset[str]:
    """Every spelling of a Hangul given name built syllable by syllable from `syllable_spellings`."""
    spellings = {""}
    for ch in hangul:
        if HANGUL_FIRST <= ord(ch) <= HANGUL_LAST:
            spellings = {s + part for s in spellings for part in syllable_spellings(ch)}
    return frozenset(spellings)


def _build_rr_syllables() -> dict[str, str]:
    table: dict[str, str] = {}
    for code in range(HANGUL_FIRST, HANGUL_LAST + 1):
        table.setdefault(romanize(chr(code)), chr(code))
    return table


_RR_SYLLABLES: dict[str, str] = {}


@lru_cache(maxsize=65536)
def from_romanization(latin: str) -> frozenset[str]:
    """The Hangul readings of a Revised Romanization written syllable by syllable (at most 3 syllables)."""
    if not _RR_SYLLABLES:
        _RR_SYLLABLES.update(_build_rr_syllables())
    text = latin.lower()
    readings: set[str] = set()

    def walk(start: int, built: str) -> None:
        if start == len(text):
            readings.add(built)
            return
        if len(built) >= 3 or len(readings) >= 8:
            return
        for end in range(start + 1, min(len(text), start + 7) + 1):
            syllable = _RR_SYLLABLES.get(text[start:end])
            if syllable is not None:
                walk(end, built + syllable)

    walk(0, "")
    return frozenset(readings)


def surname_canonical(hangul: str) -> str:
    return SURNAME_SAME.get(hangul, hangul)


def surnames_for_latin(latin: str) -> frozenset[str]:
    """The Hangul surnames a Latin family name may stand for (empty when it is not a known spelling)."""
    return LATIN_SURNAMES.get(latin.lower(), frozenset())
