"""The stay's reference data: stages per programme, reporting rhythms, the missions to call.

Read from versioned files in ``core/data/`` (each with its ``.meta.json``):
``stay-plans.csv``, ``monitoring-rhythms.csv`` and ``embassies.csv``. Stage names
and rhythms change with the programmes' rules (Japan replaces technical intern
training in April 2027), so they are data, not code. A programme without rows
of its own uses the rows of ``other``.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from jembatan.deployment.months import add_months

DATA = Path(__file__).resolve().parent.parent / "core" / "data"
FALLBACK = "other"
END = "end"


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@dataclass(frozen=True)
class PlannedStage:
    """One stage of a programme's stay: when it is due after arrival, and for which stays."""

    scheme: str
    sequence: int
    code: str
    name_en: str
    name_id: str
    due_month: int | None  # None: at the end of the planned stay
    from_stay_months: int
    basis: str

    def due_on(self, arrived_on: dt.date, planned_months: int) -> dt.date:
        """The date the stage is due for a stay that began on ``arrived_on``."""
        months = planned_months if self.due_month is None else self.due_month
        return add_months(arrived_on, months)


@cache
def _plans() -> dict[str, tuple[PlannedStage, ...]]:
    plans: dict[str, list[PlannedStage]] = {}
    for row in _rows("stay-plans.csv"):
        stage = PlannedStage(
            scheme=row["scheme"],
            sequence=int(row["sequence"]),
            code=row["code"],
            name_en=row["name_en"],
            name_id=row["name_id"],
            due_month=None if row["due_month"] == END else int(row["due_month"]),
            from_stay_months=int(row["from_stay_months"]),
            basis=row["basis"],
        )
        plans.setdefault(stage.scheme, []).append(stage)
    return {scheme: tuple(sorted(rows, key=lambda s: s.sequence)) for scheme, rows in plans.items()}


def stay_plan(scheme: str, planned_months: int) -> tuple[PlannedStage, ...]:
    """The stages of ``scheme`` that a stay of ``planned_months`` months goes through."""
    plans = _plans()
    stages = plans.get(scheme) or plans[FALLBACK]
    return tuple(s for s in stages if planned_months >= s.from_stay_months)


@cache
def _rhythms() -> dict[str, dict[str, int]]:
    found: dict[str, dict[str, int]] = {}
    for row in _rows("monitoring-rhythms.csv"):
        found.setdefault(row["scheme"], {})[row["kind"]] = int(row["months"])
    return found


def rhythms(scheme: str) -> dict[str, int]:
    """Months between two reports, by report kind (sender, partner, check_in), for ``scheme``."""
    found = _rhythms()
    return dict(found.get(scheme) or found[FALLBACK])


@dataclass(frozen=True)
class Mission:
    """An Indonesian embassy or consulate an apprentice abroad can call."""

    country: str
    name_en: str
    name_id: str
    address: str
    phone: str
    hotline: str
    email: str
    website: str

    def name(self, language: str) -> str:
        """The mission's name in ``language`` (Indonesian unless English is asked for)."""
        return self.name_en if language.startswith("en") else self.name_id


@cache
def _missions() -> dict[str, Mission]:
    return {
        row["country"]: Mission(
            country=row["country"],
            name_en=row["mission_en"],
            name_id=row["mission_id"],
            address=row["address"],
            phone=row["phone"],
            hotline=row["hotline"],
            email=row["email"],
            website=row["website"],
        )
        for row in _rows("embassies.csv")
    }


def mission_in(country_code: str) -> Mission | None:
    """Indonesia's mission in ``country_code`` (ISO alpha-2), if the data has one."""
    return _missions().get(country_code.upper())
