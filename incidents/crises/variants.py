"""Generated Korean identities and their variants: the labelled pair set for matcher tests and the bench,
and the persons of the demo event.

Each true pair is one person written twice the way reports differ (Hangul and Latin script, spelling
variants, family name last, hyphen or space in the given name, a one-letter typo, a birth date with a
typo or day and month swapped, a missing birth date, the same passport); each false pair is two
different people who look alike (siblings, twins, namesakes, other passports).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from incidents.crises.matching import Identity
from incidents.crises.romanization import (
    HANGUL_FIRST,
    SURNAME_SPELLINGS,
    romanize,
    syllable_parts,
)

SURNAMES_BY_FREQUENCY = (
    ["김"] * 21 + ["이"] * 15 + ["박"] * 8 + ["최"] * 5 + ["정"] * 5 + ["강", "조", "윤", "장", "임"] * 2
    + ["한", "오", "서", "신", "권", "황", "안", "송", "류", "전", "홍", "고", "문", "양", "손", "배", "백"]
    + ["허", "남", "노", "하", "곽", "성", "차", "주", "우", "구", "민", "진", "지", "엄", "남궁", "황보", "선우"]
)  # fmt: skip
GIVEN_SYLLABLES = list("민수준영지현서윤우진하은도연재희성호태경동주혜정미선아유나예원승철상훈석종숙옥순")

# Older spellings of given-name syllables still found in passports and on the phone.
SYLLABLE_VARIANTS: dict[str, tuple[str, ...]] = {
    "su": ("soo",),
    "jun": ("joon",),
    "yeong": ("young", "yung"),
    "hyeon": ("hyun",),
    "seong": ("sung",),
    "jeong": ("jung",),
    "gyeong": ("kyung",),
    "cheol": ("chul",),
    "hui": ("hee",),
    "u": ("woo",),
    "yun": ("yoon",),
    "seo": ("suh",),
    "ju": ("joo",),
    "hun": ("hoon",),
    "seok": ("suk",),
    "jin": ("jin",),
    "sang": ("sang",),
    "sun": ("soon",),
    "ok": ("ok",),
}


@dataclass(frozen=True, slots=True)
class Person:
    family: str
    given: str
    dob: date
    passport: str
    sex: str

    @property
    def hangul(self) -> str:
        return self.family + self.given


@dataclass(frozen=True, slots=True)
class LabelledPair:
    kind: str
    same: bool
    a: Identity
    b: Identity


def person_random(rng: random.Random) -> Person:
    family = rng.choice(SURNAMES_BY_FREQUENCY)
    given = "".join(rng.sample(GIVEN_SYLLABLES, 2))
    dob = date(1950, 1, 1) + timedelta(days=rng.randrange(365 * 60))
    passport = rng.choice("MSR") + f"{rng.randrange(10**8):08d}"
    return Person(family=family, given=given, dob=dob, passport=passport, sex=rng.choice("MF"))


def latin_given(given: str, rng: random.Random, *, legacy: bool) -> str:
    parts = [romanize(ch) for ch in given]
    if legacy:
        parts = [rng.choice(SYLLABLE_VARIANTS.get(p, (p,))) for p in parts]
    joiner = rng.choice(["", "-", " "]) if len(parts) > 1 else ""
    text = joiner.join(parts)
    return text.capitalize() if joiner != " " else " ".join(p.capitalize() for p in parts)


def latin_family(family: str, rng: random.Random, *, legacy: bool) -> str:
    spellings = SURNAME_SPELLINGS.get(family) or SURNAME_SPELLINGS.get({"류": "유"}.get(family, family), ())
    if not spellings:
        return romanize(family).capitalize()
    return (rng.choice(spellings) if legacy else spellings[0]).capitalize()


def written_name(person: Person, rng: random.Random) -> str:
    """The person's name as one report might write it."""
    style = rng.random()
    if style < 0.3:
        return person.hangul if rng.random() < 0.8 else f"{person.family} {person.given}"
    legacy = style > 0.6
    family = latin_family(person.family, rng, legacy=legacy)
    given = latin_given(person.given, rng, legacy=legacy)
    if rng.random() < 0.5:
        return f"{family.upper()} {given.upper()}" if rng.random() < 0.5 else f"{family} {given}"
    return f"{given} {family}"


def _typo(text: str, rng: random.Random) -> str:
    if any(HANGUL_FIRST <= ord(ch) <= HANGUL_FIRST + 11171 for ch in text):
        chars = list(text)
        positions = [i for i, ch in enumerate(chars) if HANGUL_FIRST <= ord(ch) <= HANGUL_FIRST + 11171]
        i = rng.choice(positions[1:] or positions)
        initial, medial, final = syllable_parts(chars[i])
        medial = (medial + rng.randrange(1, 21)) % 21
        chars[i] = chr(HANGUL_FIRST + (initial * 21 + medial) * 28 + final)
        return "".join(chars)
    letters = [i for i, ch in enumerate(text) if ch.isalpha()]
    i = rng.choice(letters[len(letters) // 2 :])
    replacement = rng.choice([c for c in "aeioumnghsjk" if c != text[i].lower()])
    return text[:i] + replacement + text[i + 1 :]


def _dob_typo(dob: date, rng: random.Random) -> date:
    while True:
        text = dob.isoformat()
        i = rng.choice([2, 3, 6, 8, 9])
        candidate = text[:i] + str(rng.randrange(10)) + text[i + 1 :]
        try:
            result = date.fromisoformat(candidate)
        except ValueError:
            continue
        if result != dob:
            return result


def true_pair(person: Person, rng: random.Random) -> LabelledPair:
    a_name, b_name = written_name(person, rng), written_name(person, rng)
    kinds = ["script/spelling/order"]
    if rng.random() < 0.12:
        b_name = _typo(b_name, rng)
        kinds.append("name typo")
    roll = rng.random()
    b_dob: date | None = person.dob
    if roll < 0.08:
        b_dob = _dob_typo(person.dob, rng)
        kinds.append("dob typo")
    elif roll < 0.13 and person.dob.day <= 12 and person.dob.day != person.dob.month:
        b_dob = person.dob.replace(month=person.dob.day, day=person.dob.month)
        kinds.append("dob swapped")
    elif roll < 0.25:
        b_dob = None
        kinds.append("dob missing")
    passports = rng.random() < 0.3
    return LabelledPair(
        kind=", ".join(kinds),
        same=True,
        a=Identity(name=a_name, dob=person.dob, passport=person.passport if passports else ""),
        b=Identity(name=b_name, dob=b_dob, passport=person.passport if passports else ""),
    )


def false_pair(person: Person, rng: random.Random) -> LabelledPair:
    roll = rng.random()
    other = person_random(rng)
    second = rng.choice([s for s in GIVEN_SYLLABLES if s not in person.given])
    other = Person(other.family, other.given[0] + second, other.dob, other.passport, other.sex)
    if roll < 0.3:
        kind = "sibling"
        other = Person(person.family, person.given[0] + other.given[1], other.dob, other.passport, other.sex)
    elif roll < 0.4:
        kind = "twin"
        other = Person(person.family, person.given[0] + other.given[1], person.dob, other.passport, other.sex)
    elif roll < 0.7:
        kind = "namesake"
        other = Person(person.family, person.given, other.dob, other.passport, other.sex)
    elif roll < 0.8:
        kind = "namesake, same birth date, other passport"
        other = Person(person.family, person.given, person.dob, other.passport, other.sex)
        return LabelledPair(
            kind=kind,
            same=False,
            a=Identity(written_name(person, rng), person.dob, person.passport),
            b=Identity(written_name(other, rng), other.dob, other.passport),
        )
    else:
        kind = "stranger"
    b_dob = other.dob if rng.random() > 0.15 else None
    return LabelledPair(
        kind=kind,
        same=False,
        a=Identity(written_name(person, rng), person.dob),
        b=Identity(written_name(other, rng), b_dob),
    )


def labelled_pairs(*, count: int, seed: int = 15) -> list[LabelledPair]:
    """`count` pairs, half the same person written twice and half two look-alike people."""
    rng = random.Random(seed)
    pairs = []
    for i in range(count):
        person = person_random(rng)
        pairs.append(true_pair(person, rng) if i % 2 == 0 else false_pair(person, rng))
    return pairs
