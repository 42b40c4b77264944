"""The time limits of UU PDP, per kind of request and for a breach notice.

They are sourced reference data (``core/data/pdp-deadlines.csv`` and its
``.meta.json``), not code: each row gives the hours, whether the Law itself
sets them, and the articles. A request keeps the basis and the table version
it was given, so a later version of the table never moves an old deadline.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "core" / "data" / "pdp-deadlines.csv"
META = DATA.with_suffix(".meta.json")
BREACH = "breach"


@dataclass(frozen=True)
class Deadline:
    """How long the controller has to act on one kind of request (or a breach)."""

    key: str
    hours: int
    statutory: bool
    basis: str
    note: str

    def due(self, start: dt.datetime) -> dt.datetime:
        """The moment the time limit runs out, counted from ``start``."""
        return start + dt.timedelta(hours=self.hours)


@cache
def deadlines() -> dict[str, Deadline]:
    """Every row of the table, by key."""
    with DATA.open(encoding="utf-8", newline="") as handle:
        return {
            row["key"]: Deadline(
                key=row["key"],
                hours=int(row["hours"]),
                statutory=row["statutory"] == "yes",
                basis=row["basis"],
                note=row["note"],
            )
            for row in csv.DictReader(handle)
        }


@cache
def table_version() -> str:
    """The version of the table in force (its ``.meta.json``)."""
    return str(json.loads(META.read_text(encoding="utf-8"))["version"])


def deadline_for(key: str) -> Deadline:
    """The row for a request kind, or ``"breach"``; a missing row is a bug in the table."""
    return deadlines()[key]
