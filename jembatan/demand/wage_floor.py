"""The legal floor under a job order's wage: Japan's regional minimum wage, by prefecture.

The rates are versioned reference data (``core/data/minimum-wage-jp-<year>.csv``
with its ``.meta.json``: source, legal basis, effective dates). Each row applies
from its own effective date; on a given day the latest row in force for the
prefecture is the floor. A monthly wage is compared with the hourly rate times
the order's average monthly working hours (weekly hours × 52 / 12).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "core" / "data"
FILES = ("minimum-wage-jp-2025.csv",)
WEEKS_PER_MONTH = Decimal(52) / Decimal(12)
# How many hours one wage amount covers, per period, given the weekly hours.
DAYS_PER_WEEK = 5


@dataclass(frozen=True)
class MinimumWage:
    """One prefecture's hourly minimum wage from one date, and where it comes from."""

    code: str
    name_en: str
    name_ja: str
    hourly: int
    effective_from: dt.date
    version: str
    source: str


@cache
def _rates() -> tuple[MinimumWage, ...]:
    rows: list[MinimumWage] = []
    for name in FILES:
        meta = json.loads((DATA / name.replace(".csv", ".meta.json")).read_text("utf-8"))
        with (DATA / name).open(encoding="utf-8", newline="") as handle:
            rows.extend(
                MinimumWage(
                    code=row["code"],
                    name_en=row["name_en"],
                    name_ja=row["name_ja"],
                    hourly=int(row["hourly_jpy"]),
                    effective_from=dt.date.fromisoformat(row["effective_from"]),
                    version=meta["version"],
                    source="MHLW",
                )
                for row in csv.DictReader(handle)
            )
    return tuple(sorted(rows, key=lambda r: (r.code, r.effective_from)))


def _key(text: str) -> str:
    """A prefecture name without case, spaces, hyphens or its suffix (to, fu, ken, 都府県)."""
    key = text.strip().lower().replace(" ", "").replace("-", "")
    for suffix in ("prefecture", "ken", "fu", "to", "都", "道", "府", "県"):
        if key.endswith(suffix) and len(key) > len(suffix) + 1:
            key = key.removesuffix(suffix)
            break
    return key


@cache
def _names() -> dict[str, str]:
    names: dict[str, str] = {}
    for rate in _rates():
        names[rate.code] = rate.code
        names[_key(rate.name_en)] = rate.code
        names[_key(rate.name_ja)] = rate.code
        names[rate.name_ja] = rate.code
    return names


def prefecture_code(text: str) -> str | None:
    """The JIS code of the Japanese prefecture ``text`` names (Aichi, aichi-ken, 愛知県, 23)."""
    names = _names()
    return names.get(text.strip()) or names.get(_key(text))


def prefecture_names() -> list[str]:
    """The 47 prefectures' English names, in JIS order (for forms and messages)."""
    seen: dict[str, str] = {}
    for rate in _rates():
        seen.setdefault(rate.code, rate.name_en)
    return list(seen.values())


def floor_on(code: str, on: dt.date) -> MinimumWage | None:
    """The minimum wage in force in prefecture ``code`` on ``on`` (None before the data)."""
    in_force = [r for r in _rates() if r.code == code and r.effective_from <= on]
    return in_force[-1] if in_force else None


def hours_per_period(period: str, weekly_hours: int) -> Decimal | None:
    """The working hours one wage amount covers (None: a period the floor cannot judge)."""
    weekly = Decimal(weekly_hours)
    return {
        "hour": Decimal(1),
        "day": weekly / DAYS_PER_WEEK,
        "month": weekly * WEEKS_PER_MONTH,
        "year": weekly * 52,
    }.get(period)


@dataclass(frozen=True)
class FloorCheck:
    """A wage compared with the floor: the amount needed and the rate it comes from."""

    rate: MinimumWage
    hours: Decimal
    needed: int

    def met_by(self, amount: Decimal) -> bool:
        return amount >= self.needed


def floor_check(code: str, period: str, weekly_hours: int, on: dt.date) -> FloorCheck | None:
    """What the wage for ``period`` must reach in prefecture ``code`` on ``on``."""
    rate = floor_on(code, on)
    hours = hours_per_period(period, weekly_hours)
    if rate is None or hours is None:
        return None
    return FloorCheck(rate, hours, math.ceil(rate.hourly * hours))
