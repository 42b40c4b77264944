"""Who is old enough (and not too old) for the programme and for each scheme.

The ranges are sourced reference data (``core/data/scheme-age-ranges.csv`` and its
``.meta.json``), not code: the row ``registration`` is the programme's minimum
age, applied whenever a person is registered; the others are the schemes' windows
(IM Japan, TITP, ESD, SSW, EPS, other), which a job order's own age window must
stay within. Each refusal names the rule and its legal basis.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.translation import get_language
from django.utils.translation import gettext as _

DATA = Path(__file__).resolve().parent / "data" / "scheme-age-ranges.csv"
REGISTRATION = "registration"


@dataclass(frozen=True)
class AgeRange:
    """One scheme's age window, inclusive, with the rule it comes from."""

    scheme: str
    name: str
    name_id: str
    min_age: int
    max_age: int | None
    basis: str

    @property
    def label(self) -> str:
        """The scheme's name in the reader's language (Indonesian or English)."""
        return self.name_id if (get_language() or "").startswith("id") else self.name

    def describe(self) -> str:
        if self.max_age is None:
            return _("%(min)d or older") % {"min": self.min_age}
        return _("%(min)d to %(max)d") % {"min": self.min_age, "max": self.max_age}


@cache
def ranges() -> dict[str, AgeRange]:
    """Every scheme's range, by scheme code."""
    with DATA.open(encoding="utf-8", newline="") as handle:
        return {
            row["scheme"]: AgeRange(
                scheme=row["scheme"],
                name=row["name"],
                name_id=row["name_id"],
                min_age=int(row["min_age"]),
                max_age=int(row["max_age"]) if row["max_age"] else None,
                basis=row["basis"],
            )
            for row in csv.DictReader(handle)
        }


def age_on(birth_date: dt.date, day: dt.date) -> int:
    """Completed years on ``day``."""
    before_birthday = (day.month, day.day) < (birth_date.month, birth_date.day)
    return day.year - birth_date.year - before_birthday


def registration_problem(birth_date: dt.date, today: dt.date) -> str | None:
    """Why a person born on ``birth_date`` may not be registered today (None: they may)."""
    rule = ranges()[REGISTRATION]
    age = age_on(birth_date, today)
    if age >= rule.min_age:
        return None
    return _(
        "The person is %(age)d years old; overseas apprentices must be at least %(min)d "
        "(%(basis)s). Check the date of birth; someone younger may register once they "
        "turn %(min)d."
    ) % {"age": age, "min": rule.min_age, "basis": rule.basis}


def window_problem(scheme: str, min_age: int | None, max_age: int | None) -> str | None:
    """Why a job order's age window goes outside its scheme's range (None: it does not)."""
    rule = ranges().get(scheme)
    if rule is None:
        return None
    too_young = min_age is not None and min_age < rule.min_age
    too_old = rule.max_age is not None and max_age is not None and max_age > rule.max_age
    if not (too_young or too_old):
        return None
    return _(
        "%(scheme)s takes people aged %(range)s (%(basis)s); the job order's age window "
        "must stay within it."
    ) % {"scheme": rule.label, "range": rule.describe(), "basis": rule.basis}
