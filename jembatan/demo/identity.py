"""Fast, deterministic demo identities that look like real Indonesians.

Faker's ``id_ID`` locale has no NIK, only the 34 provinces before the Papua
split, and names without regional traditions, so demo data built on it looks
wrong to anyone who works with Dukcapil records. This module builds people
whose NIK, birth date, sex, birth place, name, phone and e-mail agree with each
other and with the Kemendagri region codes.

Volume matters: the demo and load tests seed a million participants, so every
table (regions, birth dates, phone prefixes, weights) is built once in the
factory and each :meth:`IdentityFactory.person` call only draws random numbers
and indexes into them.

NIK uniqueness: the serial (last four digits) comes from a counter per
region + district + birth date + sex, started at a small offset derived from
that key so serials vary (0001-0016, as on real cards) while staying unique.
The counter dict holds one small int per key actually used (the process
peaks near 110 MB for a million people), a little less than a set of the NIK
strings would need, and it also yields the serials.

E-mail addresses and phone numbers look real but are not guaranteed unique.
"""

from __future__ import annotations

import csv
import random
from bisect import bisect
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from itertools import accumulate
from pathlib import Path
from typing import Generic, Literal, TypeVar

from jembatan.core.services.refdata import DATA_DIR, REGIONS_FILE
from jembatan.demo.names import (
    EMAIL_DOMAINS,
    PROVINCE_TRADITIONS,
    TRADITIONS,
    NamingTradition,
)

Sex = Literal["M", "F"]
# (regency_code '33.74', province_code '33') or with a name as third element:
# (regency_code, province_code, 'Semarang'); the name becomes birth_place.
Regency = tuple[str, str] | tuple[str, str, str]

REGIONS_CSV = DATA_DIR / REGIONS_FILE

# Population in millions (2020 census; Papua's 2022 split estimated from its
# regencies). Only the proportions matter.
PROVINCE_POPULATION: dict[str, float] = {
    "11": 5.27, "12": 14.80, "13": 5.53, "14": 6.39, "15": 3.55, "16": 8.47,
    "17": 2.01, "18": 9.01, "19": 1.46, "21": 2.06, "31": 10.56, "32": 48.27,
    "33": 36.52, "34": 3.67, "35": 40.67, "36": 11.90, "51": 4.32, "52": 5.32,
    "53": 5.33, "61": 5.41, "62": 2.67, "63": 4.07, "64": 3.77, "65": 0.70,
    "71": 2.62, "72": 2.99, "73": 9.07, "74": 2.62, "75": 1.17, "76": 1.42,
    "81": 1.85, "82": 1.28, "91": 1.03, "92": 0.56, "93": 0.52, "94": 1.43,
    "95": 1.41, "96": 0.60,
}  # fmt: skip

# Birth place for regencies given without a name: the province capital.
PROVINCE_CAPITALS: dict[str, str] = {
    "11": "Banda Aceh", "12": "Medan", "13": "Padang", "14": "Pekanbaru",
    "15": "Jambi", "16": "Palembang", "17": "Bengkulu", "18": "Bandar Lampung",
    "19": "Pangkalpinang", "21": "Tanjungpinang", "31": "Jakarta",
    "32": "Bandung", "33": "Semarang", "34": "Yogyakarta", "35": "Surabaya",
    "36": "Serang", "51": "Denpasar", "52": "Mataram", "53": "Kupang",
    "61": "Pontianak", "62": "Palangka Raya", "63": "Banjarmasin",
    "64": "Samarinda", "65": "Tanjung Selor", "71": "Manado", "72": "Palu",
    "73": "Makassar", "74": "Kendari", "75": "Gorontalo", "76": "Mamuju",
    "81": "Ambon", "82": "Ternate", "91": "Jayapura", "92": "Manokwari",
    "93": "Merauke", "94": "Nabire", "95": "Wamena", "96": "Sorong",
}  # fmt: skip

# Mobile prefixes by operator with rough market shares.
MOBILE_OPERATORS: tuple[tuple[str, float, tuple[str, ...]], ...] = (
    ("Telkomsel", 0.45, ("0811", "0812", "0813", "0821", "0822", "0823", "0851", "0852", "0853")),
    ("Indosat", 0.20, ("0814", "0815", "0816", "0855", "0856", "0857", "0858")),
    ("XL", 0.17, ("0817", "0818", "0819", "0859", "0877", "0878")),
    ("Axis", 0.05, ("0831", "0832", "0833", "0838")),
    ("Tri", 0.09, ("0895", "0896", "0897", "0898", "0899")),
    ("Smartfren", 0.04, tuple(f"088{d}" for d in range(1, 10))),
)
# Digits after the 4-digit prefix: most numbers today are 12 digits long.
_SUBSCRIBER_LENGTHS = ((7, 0.2), (8, 0.7), (9, 0.1))

APPRENTICE_AGES = (18, 35)
STAFF_AGES = (36, 60)
_STAFF_SHARE = 0.08
_OLDEST_AGE = 75
# Districts are not in the reference data. Every city has at least two and
# every regency at least five, except Kepulauan Seribu with two.
_DEFAULT_DISTRICTS = {"regency": 5, "city": 2}
_FEWER_DISTRICTS = {"31.01": 2}
# Title words that do not go into an e-mail address.
_EMAIL_SKIP = frozenset({
    "i", "ni", "luh", "ida", "ayu", "anak", "agung", "gusti", "ngurah", "bagus",
    "wayan", "putu", "gede", "made", "kadek", "nyoman", "komang", "ketut", "moh",
    "muh", "abd", "ach", "st", "teuku", "cut", "nyak", "andi", "lalu", "baiq",
    "tengku", "wan", "raja", "haji", "antung", "da",
})  # fmt: skip


@dataclass(frozen=True, slots=True)
class Person:
    """One demo identity; every field agrees with the NIK."""

    nik: str
    full_name: str
    sex: Sex
    birth_place: str
    birth_date: date
    regency_code: str
    phone: str
    email: str


@dataclass(frozen=True, slots=True)
class _Place:
    """A regency ready for drawing: its NIK prefixes per district and its name."""

    index: int
    regency_code: str
    name: str
    nik_prefixes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Province:
    """A province's regencies and its weighted mix of naming traditions."""

    places: tuple[_Place, ...]
    names: _Weighted[NamingTradition]


T = TypeVar("T")


class _Weighted(Generic[T]):
    """Draw from fixed items by weight with one ``random()`` and a bisect."""

    def __init__(self, items: Sequence[tuple[T, float]]) -> None:
        self.items = tuple(item for item, _weight in items)
        self.cum = tuple(accumulate(weight for _item, weight in items))
        self.total = self.cum[-1]

    def draw(self, random_: float) -> T:
        """The item whose cumulative weight band holds ``random_`` (0 <= x < 1)."""
        return self.items[min(bisect(self.cum, random_ * self.total), len(self.items) - 1)]


class _BirthDates:
    """Every birth date a person aged 0-75 on ``today`` can have, with NIK parts.

    Dates are indexed by day number (0 = oldest); the DDMMYY strings for men
    and women (day + 40) are precomputed so drawing a date costs one index.
    """

    def __init__(self, today: date) -> None:
        self.today = today
        self.first = _years_before(today, _OLDEST_AGE + 1) + timedelta(days=1)
        span = (today - self.first).days + 1
        self.dates = tuple(self.first + timedelta(days=i) for i in range(span))
        self.male_ddmmyy = tuple(f"{d.day:02d}{d.month:02d}{d.year % 100:02d}" for d in self.dates)
        self.female_ddmmyy = tuple(
            f"{d.day + 40:02d}{d.month:02d}{d.year % 100:02d}" for d in self.dates
        )
        self.apprentice = self.bounds(*APPRENTICE_AGES)
        self.staff = self.bounds(*STAFF_AGES)

    @property
    def span(self) -> int:
        """Number of dates in the table."""
        return len(self.dates)

    def bounds(self, youngest: int, oldest: int) -> tuple[int, int]:
        """First and last day index of people aged ``youngest``..``oldest`` today."""
        if not 0 <= youngest <= oldest <= _OLDEST_AGE:
            raise ValueError(f"ages must satisfy 0 <= {youngest} <= {oldest} <= {_OLDEST_AGE}")
        earliest = _years_before(self.today, oldest + 1) + timedelta(days=1)
        latest = _years_before(self.today, youngest)
        return (earliest - self.first).days, (latest - self.first).days

    def draw(self, rng_random: float, bounds: tuple[int, int]) -> int:
        """A day index uniformly within ``bounds`` (inclusive)."""
        low, high = bounds
        return low + int(rng_random * (high - low + 1))


def _years_before(day: date, years: int) -> date:
    """The same calendar day ``years`` earlier; 29 February becomes the 28th."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def _phone_prefixes() -> _Weighted[str]:
    """E.164 starts (``+62812``) weighted by operator share, split evenly per prefix."""
    return _Weighted(
        [
            ("+62" + prefix[1:], share / len(prefixes))
            for _operator, share, prefixes in MOBILE_OPERATORS
            for prefix in prefixes
        ]
    )


def _name_words(full_name: str) -> list[str]:
    """Lower-case ASCII words of a name, without titles like I/Ni or Andi."""
    words = full_name.lower().replace(".", "").replace("'", "").split()
    return [w for w in words if w not in _EMAIL_SKIP] or words


def regency_display_name(name: str) -> str:
    """``Kabupaten Bandung`` and ``Kota Bandung`` are both born-in ``Bandung``."""
    for prefix in ("Kabupaten Administrasi ", "Kabupaten ", "Kota Administrasi ", "Kota "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def load_regencies(path: Path = REGIONS_CSV) -> list[tuple[str, str, str]]:
    """Regencies and cities from the Kemendagri CSV as (code, province, name)."""
    return list(_read_regencies(path))


@cache
def _read_regencies(path: Path) -> tuple[tuple[str, str, str], ...]:
    """Parse the regions file once per process; it does not change while running."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return tuple(
            (row["code"], row["parent_code"], regency_display_name(row["name"]))
            for row in csv.DictReader(handle)
            if row["level"] in ("regency", "city")
        )


class IdentityFactory:
    """Draws :class:`Person` records; one factory guarantees unique NIKs.

    ``regencies`` are ``(regency_code, province_code)`` or
    ``(regency_code, province_code, name)`` tuples (see :func:`load_regencies`);
    the name, without Kabupaten/Kota, becomes the birth place, otherwise the
    province capital does. Provinces are drawn by population, regencies
    uniformly within a province. ``district_counts`` maps a regency code to its
    number of districts when real district data is at hand.
    """

    def __init__(
        self,
        rng: random.Random,
        regencies: Sequence[Regency],
        today: date,
        *,
        district_counts: Mapping[str, int] | None = None,
    ) -> None:
        if not regencies:
            raise ValueError("IdentityFactory needs at least one regency")
        self._rng = rng
        self._provinces = _build_provinces(regencies, district_counts or {})
        self._province_mix = _Weighted(
            [(p, PROVINCE_POPULATION.get(code, 1.0)) for code, p in self._provinces.items()]
        )
        self._dates = _BirthDates(today)
        self._age_bounds: dict[tuple[int, int], tuple[int, int]] = {}
        self._phone_prefixes = _phone_prefixes()
        self._subscriber_lengths = _Weighted(_SUBSCRIBER_LENGTHS)
        self._email_domains = _Weighted(EMAIL_DOMAINS)
        self._serials: dict[int, int] = {}

    def person(
        self,
        *,
        province_code: str | None = None,
        sex: Sex | None = None,
        ages: tuple[int, int] | None = None,
    ) -> Person:
        """A new person; ``ages`` (youngest, oldest) defaults to mostly 18-35.

        Without ``ages``, 8% are drawn aged 36-60, like the staff of training
        centres and agencies.
        """
        draw = self._rng.random
        province = self._province(province_code)
        place = province.places[int(draw() * len(province.places))]
        person_sex: Sex = sex or ("F" if draw() < 0.5 else "M")
        day = self._dates.draw(draw(), self._bounds(ages))
        full_name = province.names.draw(draw()).full_name(person_sex, self._rng)
        birth_date = self._dates.dates[day]
        return Person(
            nik=self._nik(place, day, person_sex),
            full_name=full_name,
            sex=person_sex,
            birth_place=place.name,
            birth_date=birth_date,
            regency_code=place.regency_code,
            phone=self._phone(),
            email=self._email(full_name, birth_date),
        )

    def people(self, n: int, *, province_code: str | None = None) -> Iterator[Person]:
        """Stream ``n`` people without holding them in memory."""
        for _ in range(n):
            yield self.person(province_code=province_code)

    def _province(self, code: str | None) -> _Province:
        """The requested province, or one drawn by population."""
        if code is None:
            return self._province_mix.draw(self._rng.random())
        try:
            return self._provinces[code]
        except KeyError:
            raise ValueError(f"no regencies given for province {code!r}") from None

    def _bounds(self, ages: tuple[int, int] | None) -> tuple[int, int]:
        """Day-index bounds for an age range; apprentices or staff by default."""
        if ages is None:
            staff = self._rng.random() < _STAFF_SHARE
            return self._dates.staff if staff else self._dates.apprentice
        if ages not in self._age_bounds:
            self._age_bounds[ages] = self._dates.bounds(*ages)
        return self._age_bounds[ages]

    def _nik(self, place: _Place, day: int, sex: Sex) -> str:
        """A NIK whose serial is unique for its region, district, date and sex."""
        district = int(self._rng.random() * len(place.nik_prefixes))
        female = sex == "F"
        key = ((place.index * 100 + district) * self._dates.span + day) * 2 + female
        count = self._serials.get(key, 0)
        # A small per-key offset makes serials vary like real ones (0001-0016).
        serial = 1 + ((key * 2654435761) >> 13) % 16 + count
        if serial > 9999:
            raise RuntimeError(f"NIK serials exhausted for {place.regency_code} on day {day}")
        self._serials[key] = count + 1
        ddmmyy = self._dates.female_ddmmyy[day] if female else self._dates.male_ddmmyy[day]
        return f"{place.nik_prefixes[district]}{ddmmyy}{serial:04d}"

    def _phone(self) -> str:
        """An E.164 mobile number on a real operator prefix."""
        draw = self._rng.random
        length = self._subscriber_lengths.draw(draw())
        return f"{self._phone_prefixes.draw(draw())}{int(draw() * 10**length):0{length}d}"

    def _email(self, full_name: str, birth_date: date) -> str:
        """An address people really make from their name, at a common domain."""
        draw = self._rng.random
        words = _name_words(full_name)
        first, last = words[0], words[-1]
        choice = draw()
        if first == last:
            local = f"{first}{birth_date.year}" if choice < 0.5 else f"{first}{int(draw() * 1000)}"
        elif choice < 0.35:
            local = f"{first}.{last}"
        elif choice < 0.6:
            local = f"{first}{last}{birth_date.year % 100:02d}"
        elif choice < 0.75:
            local = f"{first}_{last}"
        elif choice < 0.9:
            local = f"{first}{birth_date.year}"
        else:
            local = f"{last}.{first}{int(draw() * 100)}"
        return f"{local}@{self._email_domains.draw(draw())}"


def people(
    n: int,
    *,
    seed: int = 0,
    regencies: Sequence[Regency] | None = None,
    today: date | None = None,
    province_code: str | None = None,
) -> Iterator[Person]:
    """Stream ``n`` people; the same seed, regencies and ``today`` give the same people.

    Regencies default to the shipped Kemendagri list; ``today`` defaults to
    the current date (pass it to get the same birth dates on another day).
    """
    factory = IdentityFactory(
        random.Random(seed),
        regencies if regencies is not None else load_regencies(),
        today or date.today(),
    )
    return factory.people(n, province_code=province_code)


# Shares used where a province has no entry in PROVINCE_TRADITIONS.
_FALLBACK_TRADITIONS = (("muslim_arabic", 0.5), ("javanese", 0.5))


def _build_provinces(
    regencies: Sequence[Regency], district_counts: Mapping[str, int]
) -> dict[str, _Province]:
    """Group regencies by province and attach each province's naming mix."""
    grouped: dict[str, list[_Place]] = {}
    for index, regency in enumerate(regencies):
        code, province = regency[0], regency[1]
        name = regency[2] if len(regency) > 2 else PROVINCE_CAPITALS.get(province, code)
        grouped.setdefault(province, []).append(
            _place(index, code, name, district_counts.get(code))
        )
    return {code: _province(code, places) for code, places in grouped.items()}


def _place(index: int, code: str, name: str, districts: int | None) -> _Place:
    """Precompute the six-digit NIK prefix of each district of a regency."""
    digits = code.replace(".", "")
    if len(digits) != 4 or not digits.isdigit():
        raise ValueError(f"regency code must look like '33.74', got {code!r}")
    if districts is None:
        kind = "city" if int(digits[2:]) >= 71 else "regency"
        districts = _FEWER_DISTRICTS.get(code, _DEFAULT_DISTRICTS[kind])
    prefixes = tuple(f"{digits}{d:02d}" for d in range(1, districts + 1))
    return _Place(index=index, regency_code=code, name=name, nik_prefixes=prefixes)


def _province(code: str, places: list[_Place]) -> _Province:
    """A province's regencies with its weighted naming traditions."""
    mix = PROVINCE_TRADITIONS.get(code, _FALLBACK_TRADITIONS)
    names = _Weighted([(TRADITIONS[key], weight) for key, weight in mix])
    return _Province(places=tuple(places), names=names)
