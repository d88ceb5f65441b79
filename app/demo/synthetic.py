"""Random but realistic pieces of synthetic petitions: people, identity numbers, phones,
hamlets and matters (vocabularies in app.demo.names). Every draw goes through the given
``random.Random``, so a seed reproduces the same data."""

from __future__ import annotations

import bisect
import itertools
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass

from app.demo import names
from app.petitions.identity import CCCD_PROVINCE_CODES

DONG_THAP_CCCD = "087"
# Old identity cards (CMND) issued in Đồng Tháp start with 34.
DONG_THAP_CMND = "34"
MOBILE_PREFIXES = (
    "090 091 093 094 096 097 098 086 088 089 032 033 034 035 036 037 038 039 070 076 077 "
    "078 079 081 082 083 084 085 056 058 059"
).split()
_DECISION = re.compile(r"Quyết định số \S+ năm \d{4}|Quyết định số \S+")
_OTHER_PROVINCES = sorted(CCCD_PROVINCE_CODES - {DONG_THAP_CCCD})


class Weighted:
    """Draws from (value, weight) pairs in O(log n)."""

    def __init__(self, pairs: Sequence[tuple[str, float]]):
        self.values = [value for value, _ in pairs]
        self.cumulative = list(itertools.accumulate(weight for _, weight in pairs))

    def draw(self, rng: random.Random) -> str:
        """One value, with the probability of its weight."""
        point = rng.random() * self.cumulative[-1]
        return self.values[bisect.bisect_right(self.cumulative, point)]


FAMILY = Weighted(names.FAMILY_NAMES)
MIDDLE = {"male": Weighted(names.MALE_MIDDLE_NAMES), "female": Weighted(names.FEMALE_MIDDLE_NAMES)}
GIVEN = {"male": Weighted(names.MALE_GIVEN_NAMES), "female": Weighted(names.FEMALE_GIVEN_NAMES)}


@dataclass(frozen=True)
class Person:
    """A synthetic citizen (address: hamlet or street text; the commune is chosen apart)."""

    full_name: str
    sex: str
    birth_year: int
    id_number: str | None
    id_kind: str | None
    phone: str | None
    hamlet: str
    ethnicity: str


def full_name(rng: random.Random, sex: str) -> str:
    """Family, middle and given names; a few four-part and two-part names."""
    family, given = FAMILY.draw(rng), GIVEN[sex].draw(rng)
    shape = rng.random()
    if shape < 0.03:
        return f"{family} {given}"
    middle = MIDDLE[sex].draw(rng)
    if shape < 0.18:
        second = rng.choice(names.SECOND_MIDDLE_NAMES)
        if second not in (middle, given):
            return f"{family} {middle} {second} {given}"
    return f"{family} {middle} {given}"


def cccd_number(rng: random.Random, sex: str, birth_year: int) -> str:
    """A CCCD valid by app.petitions.identity: province, sex-and-century digit, year."""
    province = DONG_THAP_CCCD if rng.random() < 0.88 else rng.choice(_OTHER_PROVINCES)
    century_digit = (0 if birth_year < 2000 else 2) + (1 if sex == "female" else 0)
    return f"{province}{century_digit}{birth_year % 100:02d}{rng.randrange(1_000_000):06d}"


def phone_number(rng: random.Random) -> str:
    """A Vietnamese mobile number (10 digits)."""
    return f"{rng.choice(MOBILE_PREFIXES)}{rng.randrange(10_000_000):07d}"


def hamlet(rng: random.Random, urban: bool) -> str:
    """The part of the address below the commune: "Ấp 3", "Ấp Tân Lợi", "Khóm 2", or a
    street address in town."""
    if urban:
        if rng.random() < 0.35:
            street = rng.choice(names.STREET_NAMES)
            return f"Số {rng.randint(1, 350)}, đường {street}, Khóm {rng.randint(1, 6)}"
        return f"Khóm {rng.randint(1, 6)}"
    if rng.random() < 0.6:
        return f"Ấp {rng.randint(1, 7)}"
    return f"Ấp {rng.choice(names.HAMLET_NAMES)}"


def person(rng: random.Random, urban: bool, taken_ids: set[str]) -> Person:
    """A citizen: most carry a CCCD, some an old CMND, some no number; most a phone."""
    sex = "male" if rng.random() < 0.58 else "female"
    birth_year = rng.randint(1940, 2006)
    id_number, id_kind = None, None
    draw = rng.random()
    if draw < 0.8:
        id_number, id_kind = cccd_number(rng, sex, birth_year), "cccd"
    elif draw < 0.9:
        id_number, id_kind = f"{DONG_THAP_CMND}{rng.randrange(10_000_000):07d}", "cmnd"
    if id_number in taken_ids:
        id_number, id_kind = None, None
    elif id_number:
        taken_ids.add(id_number)
    ethnicity = "Kinh" if rng.random() < 0.97 else rng.choice(("Khmer", "Hoa"))
    return Person(
        full_name=full_name(rng, sex),
        sex=sex,
        birth_year=birth_year,
        id_number=id_number,
        id_kind=id_kind,
        phone=phone_number(rng) if rng.random() < 0.75 else None,
        hamlet=hamlet(rng, urban),
        ethnicity=ethnicity,
    )


@dataclass(frozen=True)
class Matter:
    """A matter's summary, and for complaints the decision complained about."""

    summary: str
    contested_act: str | None


def matter(rng: random.Random, kind: str, place: str, year: int) -> Matter:
    """A matter of ``kind`` about ``place`` (hamlet and commune), with distinctive slots."""
    template = rng.choice(names.MATTERS[kind])
    slots = {
        "plot": rng.randint(1, 1800),
        "sheet": rng.randint(1, 60),
        "area": rng.choice((45, 60, 80, 120, 150, 200, 250, 320, 480, 650, 1200, 2500)),
        "decision": rng.randint(100, 4999),
        "year": rng.randint(year - 12, year),
        "month": rng.randint(1, 12),
        "project": rng.choice(names.PROJECTS),
        "canal": rng.choice(names.CANALS),
        "business": rng.choice(names.BUSINESSES),
        "post": rng.choice(names.POSTS),
        "person": full_name(rng, rng.choice(("male", "female"))),
        "hamlet": place,
        "money": f"{rng.randint(2, 950) * 1_000_000:,}".replace(",", "."),
        "street": rng.choice(names.STREET_NAMES),
        "length": rng.choice((150, 300, 500, 800, 1200)),
        "age": rng.randint(70, 95),
        "count": rng.randint(2, 7),
    }
    summary = template.format(**slots)[:500]
    decision_named = _DECISION.search(summary) if kind == "complaint" else None
    return Matter(summary, decision_named.group(0) if decision_named else None)
