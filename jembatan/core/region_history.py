"""What the region part of a NIK meant when the NIK was issued, from the code history.

A NIK is given once, with the family card (from birth) or at the latest with the
first identity card at 17, and is never reissued: not when the person moves, not
when their province is split. So a NIK keeps codes that Kemendagri has since
retired (before the 2022 split, ``91.04`` was Kabupaten Nabire in Papua; today
Nabire is ``94.01`` in Papua Tengah). ``core/data/region-code-history.csv`` keeps
those codes with the day they stopped; this module reads it, and the current
regions, straight from the files (no database), so ``jembatan nik`` works before
``migrate``.

The reasoning, stated to the reader in every note: the NIK was issued between the
birth date and the 17th birthday. If that whole window lies before the code was
retired, the old meaning is certain; if the window straddles the day, it is the
likely meaning (the NIK came with the family card before the split); if the person
was born after it, the code cannot be theirs.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from django.utils.translation import gettext as _

DATA_DIR = Path(__file__).resolve().parent / "data"
HISTORY_FILE = "region-code-history.csv"
REGIONS_FILE = "regions-kemendagri-2025.csv"
ISSUED_BY_AGE = 17  # the first identity card (KTP-el), UU 24/2013 art. 63

Certainty = Literal["certain", "likely", "impossible"]


@dataclass(frozen=True)
class RetiredCode:
    """One region code that once meant a place and no longer does."""

    code: str
    name: str
    valid_to: dt.date
    successors: tuple[str, ...]
    basis: str


@dataclass(frozen=True)
class IssuedRegion:
    """Which regency a NIK's code meant when it could have been issued, and how sure that is."""

    code: str
    name: str
    province_code: str
    province_name: str
    retired_on: dt.date
    successors: tuple[str, ...]
    certainty: Certainty
    note: str


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@cache
def current_names() -> dict[str, str]:
    """Today's provinces, regencies and cities by code, from the shipped regions file."""
    return {row["code"]: row["name"] for row in _rows(REGIONS_FILE)}


@cache
def retired_codes() -> dict[str, RetiredCode]:
    """Codes a NIK may carry that no longer name a region, by code."""
    return {
        row["code"]: RetiredCode(
            code=row["code"],
            name=row["name"],
            valid_to=dt.date.fromisoformat(row["valid_to"]),
            successors=tuple(c for c in row["successor_codes"].split() if c),
            basis=row["basis"],
        )
        for row in _rows(HISTORY_FILE)
        if row["valid_to"]
    }


def known(code: str) -> bool:
    """Whether ``code`` names a region today or once did (a district: its regency)."""
    parts = code.split(".")
    if len(parts) == 3:
        return parts[2] != "00" and known(f"{parts[0]}.{parts[1]}")
    return code in current_names() or code in retired_codes()


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def issued_region(regency_code: str, birth_date: dt.date) -> IssuedRegion | None:
    """What ``regency_code`` meant when a NIK of someone born on ``birth_date`` was issued.

    ``None`` when the code was never retired: it means today what it meant then.
    """
    retired = retired_codes().get(regency_code)
    if retired is None:
        return None
    latest_issue = _add_years(birth_date, ISSUED_BY_AGE)
    certainty: Certainty
    if latest_issue < retired.valid_to:
        certainty = "certain"
    elif birth_date < retired.valid_to:
        certainty = "likely"
    else:
        certainty = "impossible"
    province = regency_code.split(".")[0]
    return IssuedRegion(
        code=regency_code,
        name=retired.name,
        province_code=province,
        province_name=current_names().get(province, province),
        retired_on=retired.valid_to,
        successors=retired.successors,
        certainty=certainty,
        note=_note(retired, province, birth_date, certainty),
    )


def _today(successors: tuple[str, ...]) -> str:
    names = current_names()
    return ", ".join(
        f"{names.get(code, code)} ({code}, {names.get(code.split('.')[0], '')})"
        for code in successors
    )


def _note(retired: RetiredCode, province: str, birth_date: dt.date, certainty: Certainty) -> str:
    params: dict[str, object] = {
        "code": retired.code,
        "name": retired.name,
        "province": current_names().get(province, province),
        "until": retired.valid_to.isoformat(),
        "today": _today(retired.successors),
        "born": birth_date.isoformat(),
        "age": ISSUED_BY_AGE,
        "basis": retired.basis,
    }
    if certainty == "certain":
        template = _(
            "Region code %(code)s was %(name)s (%(province)s) until %(until)s; today it is "
            "%(today)s (%(basis)s). The holder, born %(born)s, had the NIK by age %(age)s at the "
            "latest, before the change, and a NIK is never reissued: it means %(name)s."
        )
    elif certainty == "likely":
        template = _(
            "Region code %(code)s was %(name)s (%(province)s) until %(until)s; today it is "
            "%(today)s (%(basis)s). The holder, born %(born)s, was a child before the change: "
            "the NIK most likely came with the family card then and means %(name)s."
        )
    else:
        template = _(
            "Region code %(code)s was %(name)s (%(province)s) only until %(until)s, before the "
            "holder was born (%(born)s); a NIK issued later would carry %(today)s. Check the NIK "
            "against the card."
        )
    return template % params
