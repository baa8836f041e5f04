"""The "same person?" matcher: names in Hangul or Latin script, birth dates and passport numbers.

Pure Python, no database. `match(a, b)` gives a score in [0, 1], a verdict and the reasons:
`same` at or above `UPPER`, `review` from `LOWER` up to `UPPER`, `different` below `LOWER`.
A different birth date or passport number vetoes `same` (the score is held below `UPPER`); an equal
passport number is decisive unless the birth dates differ. The inquiry proposals, `person_match` and
`bench/crisis.py` all call this one function.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import lru_cache

from incidents.crises.romanization import (
    COMPOUND_SURNAMES,
    SURNAME_SPELLINGS,
    from_romanization,
    given_spellings,
    is_hangul,
    jamo,
    romanize,
    skeleton,
    surname_canonical,
    surnames_for_latin,
)

UPPER = 0.9
LOWER = 0.45

NAME_WEIGHT = 0.6
FAMILY_WEIGHT = 0.4
GIVEN_WEIGHT = 0.6
DOB_EQUAL_POINTS = 0.4
DOB_NEAR_POINTS = 0.2
DOB_DIFFERENT_POINTS = -0.3
PASSPORT_DECISIVE_SCORE = 0.97

PASSPORT_FORM = re.compile(r"^[A-Z]{1,2}[0-9]{7,8}$|^[A-Z][0-9]{3}[A-Z][0-9]{4}$")


class Verdict(StrEnum):
    SAME = "same"
    REVIEW = "review"
    DIFFERENT = "different"


class Reason(StrEnum):
    NAME_EQUAL = "name_equal"
    NAME_ROMANIZED = "name_romanized"
    NAME_SPELLING_VARIANT = "name_spelling_variant"
    NAME_ORDER_SWAPPED = "name_order_swapped"
    NAME_TYPO = "name_typo"
    FAMILY_VARIANT = "family_name_variant"
    FAMILY_TYPO = "family_name_typo"
    FAMILY_ONLY = "family_name_only"
    NAME_DIFFERENT = "name_different"
    DOB_EQUAL = "dob_equal"
    DOB_TYPO = "dob_typo"
    DOB_SWAPPED = "dob_day_month_swapped"
    DOB_MISSING = "dob_missing"
    DOB_DIFFERENT = "dob_different"
    PASSPORT_EQUAL = "passport_equal"
    PASSPORT_DIFFERENT = "passport_different"
    PASSPORT_MISSING = "passport_missing"


@dataclass(frozen=True, slots=True)
class NameReading:
    """One way to read a written name: which part is the family name and which the given name."""

    family_keys: frozenset[str]
    family_text: str
    given_rr: str
    given_skeleton: str
    given_jamo: tuple[str, ...] | None
    given_text: str
    hangul: bool
    swapped: bool


@dataclass(frozen=True, slots=True)
class Identity:
    name: str
    dob: date | None = None
    passport: str = ""


@dataclass(frozen=True, slots=True)
class MatchResult:
    score: float
    verdict: Verdict
    reasons: tuple[Reason, ...]


def passport_normalize(value: str) -> str:
    return "".join(ch for ch in value.upper() if ch.isalnum())


def passport_is_valid(value: str) -> bool:
    """A Korean passport number: letter(s) and 7-8 digits, or the 2021 form (M123A4567)."""
    return bool(PASSPORT_FORM.match(passport_normalize(value)))


def _family_keys_hangul(family: str) -> frozenset[str]:
    canonical = surname_canonical(family)
    return frozenset({canonical, "~" + skeleton(romanize(canonical))})


def _family_keys_latin(family: str) -> frozenset[str]:
    known = {surname_canonical(s) for s in surnames_for_latin(family)}
    return frozenset(known | {"~" + skeleton(family)})


def _reading_hangul(family: str, given: str, swapped: bool = False) -> NameReading:
    rr = romanize(given)
    return NameReading(
        family_keys=_family_keys_hangul(family),
        family_text=surname_canonical(family),
        given_rr=rr,
        given_skeleton=skeleton(rr),
        given_jamo=jamo(given),
        given_text=given,
        hangul=True,
        swapped=swapped,
    )


def _reading_latin(family: str, given: str, swapped: bool = False) -> NameReading:
    rr = "".join(ch for ch in given.lower() if ch.isascii() and ch.isalpha())
    return NameReading(
        family_keys=_family_keys_latin(family),
        family_text=family.lower(),
        given_rr=rr,
        given_skeleton=skeleton(rr),
        given_jamo=None,
        given_text=rr,
        hangul=False,
        swapped=swapped,
    )


_LATIN_SURNAMES_LONGEST_FIRST = sorted(
    {spelling for spellings in SURNAME_SPELLINGS.values() for spelling in spellings if len(spelling) > 1},
    key=len,
    reverse=True,
)


@lru_cache(maxsize=131072)
def name_readings(name: str) -> tuple[NameReading, ...]:
    """Every plausible (family, given) reading of a written name, in Hangul or Latin script."""
    text = " ".join(name.replace(",", " , ").split())
    if not text:
        return ()
    if is_hangul(text):
        tokens = [t for t in text.replace(",", " ").split() if t]
        joined = "".join(tokens)
        readings = [_reading_hangul(joined[:1], joined[1:])]
        if joined[:2] in COMPOUND_SURNAMES and len(joined) >= 3:
            readings.append(_reading_hangul(joined[:2], joined[2:]))
        if len(tokens) >= 2 and tokens[-1] in SURNAME_SPELLINGS or len(tokens) >= 2 and len(tokens[-1]) == 1:
            readings.append(_reading_hangul(tokens[-1], "".join(tokens[:-1]), swapped=True))
        return tuple(readings)
    if "," in text:
        family, _, given = text.partition(",")
        family_tokens = family.replace("-", "").split()
        if family_tokens:
            return (_reading_latin("".join(family_tokens), given.replace("-", "")),)
    tokens = [t.replace("-", "").replace(".", "") for t in text.replace(",", " ").split()]
    tokens = [t for t in tokens if t]
    if len(tokens) == 1:
        word = tokens[0].lower()
        readings_one = []
        for spelling in _LATIN_SURNAMES_LONGEST_FIRST:
            if len(word) - len(spelling) >= 2 and word.startswith(spelling):
                readings_one.append(_reading_latin(spelling, word[len(spelling) :]))
                break
        for spelling in _LATIN_SURNAMES_LONGEST_FIRST:
            if len(word) - len(spelling) >= 2 and word.endswith(spelling):
                readings_one.append(_reading_latin(spelling, word[: -len(spelling)], swapped=True))
                break
        return tuple(readings_one) or (_reading_latin(word, ""),)
    return (
        _reading_latin(tokens[0], "".join(tokens[1:])),
        _reading_latin(tokens[-1], "".join(tokens[:-1]), swapped=True),
    )


def family_keys(name: str) -> frozenset[str]:
    """The blocking keys of a name: every family-name key of every reading (for candidate lookup)."""
    keys: set[str] = set()
    for reading in name_readings(name):
        keys |= reading.family_keys
    return frozenset(keys)


def within_one_edit(a: str | tuple[str, ...], b: str | tuple[str, ...]) -> bool:
    """True when `a` and `b` differ by at most one insertion, deletion, substitution or transposition."""
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la == lb:
        diffs = [i for i in range(la) if a[i] != b[i]]
        if len(diffs) <= 1:
            return True
        if len(diffs) == 2 and diffs[1] == diffs[0] + 1:
            i, j = diffs
            return a[i] == b[j] and a[j] == b[i]
        return False
    if la > lb:
        a, b = b, a
        la, lb = lb, la
    i = 0
    while i < la and a[i] == b[i]:
        i += 1
    return a[i:] == b[i + 1 :]


def edit_distance(a: str, b: str, *, limit: int) -> int:
    """The Levenshtein distance of `a` and `b`, or `limit + 1` as soon as it must exceed `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def _family_similarity(x: NameReading, y: NameReading) -> tuple[float, Reason | None]:
    if x.family_keys & y.family_keys:
        if x.family_text == y.family_text:
            return 1.0, None
        return 1.0, Reason.FAMILY_VARIANT
    if x.hangul and y.hangul:
        if within_one_edit(jamo(x.family_text), jamo(y.family_text)):
            return 0.5, Reason.FAMILY_TYPO
        return 0.0, None
    xs = x.family_text if not x.hangul else romanize(x.family_text)
    ys = y.family_text if not y.hangul else romanize(y.family_text)
    if within_one_edit(xs, ys) or within_one_edit(skeleton(xs), skeleton(ys)):
        return 0.5, Reason.FAMILY_TYPO
    return 0.0, None


def _given_similarity(x: NameReading, y: NameReading) -> tuple[float, Reason]:
    if not x.given_rr or not y.given_rr:
        return 0.3, Reason.FAMILY_ONLY
    if x.given_jamo is not None and y.given_jamo is not None:
        if x.given_jamo == y.given_jamo:
            return 1.0, Reason.NAME_EQUAL
        if within_one_edit(x.given_jamo, y.given_jamo):
            return 0.7, Reason.NAME_TYPO
        return 0.0, Reason.NAME_DIFFERENT
    if x.given_rr == y.given_rr:
        return 1.0, Reason.NAME_ROMANIZED if x.hangul != y.hangul else Reason.NAME_EQUAL
    if x.hangul != y.hangul:
        hangul, latin = (x, y) if x.hangul else (y, x)
        if latin.given_rr in given_spellings(hangul.given_text):
            return 0.95, Reason.NAME_SPELLING_VARIANT
    else:
        for one, other in ((x, y), (y, x)):
            if any(other.given_rr in given_spellings(h) for h in from_romanization(one.given_rr)):
                return 0.95, Reason.NAME_SPELLING_VARIANT
    # Equal skeletons alone leave a doubt (Jungsoo is 정수 or 정서): enough to propose, not to decide.
    if x.given_skeleton == y.given_skeleton:
        return 0.7, Reason.NAME_SPELLING_VARIANT
    if within_one_edit(x.given_rr, y.given_rr) or within_one_edit(x.given_skeleton, y.given_skeleton):
        return 0.7, Reason.NAME_TYPO
    # One mistyped jamo changes up to two letters of the romanization of its syllable.
    if x.hangul != y.hangul and min(len(x.given_rr), len(y.given_rr)) >= 5:
        if edit_distance(x.given_skeleton, y.given_skeleton, limit=2) <= 2:
            return 0.6, Reason.NAME_TYPO
    return 0.0, Reason.NAME_DIFFERENT


def name_similarity(a: str, b: str) -> tuple[float, tuple[Reason, ...]]:
    """The best name score over the readings of both names, with the reasons of that reading."""
    best = 0.0
    best_reasons: tuple[Reason, ...] = (Reason.NAME_DIFFERENT,)
    for x in name_readings(a):
        for y in name_readings(b):
            family, family_reason = _family_similarity(x, y)
            given, given_reason = _given_similarity(x, y)
            score = FAMILY_WEIGHT * family + GIVEN_WEIGHT * given
            if score > best:
                reasons = [given_reason]
                if family_reason is not None:
                    reasons.append(family_reason)
                if x.swapped != y.swapped:
                    reasons.append(Reason.NAME_ORDER_SWAPPED)
                best, best_reasons = score, tuple(reasons)
                if best >= 1.0:
                    return best, best_reasons
    return best, best_reasons


def dob_compare(a: date | None, b: date | None) -> tuple[float, Reason]:
    if a is None or b is None:
        return 0.0, Reason.DOB_MISSING
    if a == b:
        return DOB_EQUAL_POINTS, Reason.DOB_EQUAL
    if a.year == b.year and a.month == b.day and a.day == b.month:
        return DOB_NEAR_POINTS, Reason.DOB_SWAPPED
    if within_one_edit(a.isoformat(), b.isoformat()):
        return DOB_NEAR_POINTS, Reason.DOB_TYPO
    return DOB_DIFFERENT_POINTS, Reason.DOB_DIFFERENT


def _verdict(score: float) -> Verdict:
    if score >= UPPER:
        return Verdict.SAME
    if score >= LOWER:
        return Verdict.REVIEW
    return Verdict.DIFFERENT


def match(a: Identity, b: Identity) -> MatchResult:
    """Compare two identities; the contract is in the module docstring."""
    name_score, name_reasons = name_similarity(a.name, b.name)
    dob_points, dob_reason = dob_compare(a.dob, b.dob)
    reasons = [*name_reasons, dob_reason]
    score = NAME_WEIGHT * name_score + dob_points
    pa, pb = passport_normalize(a.passport), passport_normalize(b.passport)
    vetoed = dob_reason is Reason.DOB_DIFFERENT
    if pa and pb:
        if pa == pb:
            reasons.append(Reason.PASSPORT_EQUAL)
            if not vetoed:
                score = max(score, PASSPORT_DECISIVE_SCORE)
            else:
                score = max(score, LOWER)
        else:
            reasons.append(Reason.PASSPORT_DIFFERENT)
            vetoed = True
    else:
        reasons.append(Reason.PASSPORT_MISSING)
    score = min(max(score, 0.0), 1.0)
    if vetoed and score >= UPPER:
        score = UPPER - 0.01
    return MatchResult(score=round(score, 3), verdict=_verdict(score), reasons=tuple(reasons))
