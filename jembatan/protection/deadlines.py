"""The deadlines of a protection case, per category and severity.

Sourced reference data (``core/data/protection-deadlines.csv`` and its
``.meta.json``), not code: the programme's policy, versioned. Each row gives the
hours to the first response, the days to resolution, and the days the next level
has after an escalation. A case keeps the table version it was opened under.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parents[1] / "core" / "data" / "protection-deadlines.csv"
META = DATA.with_suffix(".meta.json")


@dataclass(frozen=True)
class CaseDeadline:
    """How long each level has for one category at one severity."""

    category: str
    severity: str
    first_response_hours: int
    resolution_days: int
    escalated_days: int
    note: str

    def first_response_due(self, start: dt.datetime) -> dt.datetime:
        """When the first response (triage) is due, counted from ``start``."""
        return start + dt.timedelta(hours=self.first_response_hours)

    def resolution_due(self, start: dt.datetime) -> dt.datetime:
        """When resolution is due, counted from the report at ``start``."""
        return start + dt.timedelta(days=self.resolution_days)

    def after_escalation(self, start: dt.datetime) -> dt.datetime:
        """When the next level must have resolved the case, counted from the escalation."""
        return start + dt.timedelta(days=self.escalated_days)


@cache
def deadlines() -> dict[tuple[str, str], CaseDeadline]:
    """Every row of the table, by (category, severity)."""
    with DATA.open(encoding="utf-8", newline="") as handle:
        return {
            (row["category"], row["severity"]): CaseDeadline(
                category=row["category"],
                severity=row["severity"],
                first_response_hours=int(row["first_response_hours"]),
                resolution_days=int(row["resolution_days"]),
                escalated_days=int(row["escalated_days"]),
                note=row["note"],
            )
            for row in csv.DictReader(handle)
        }


@cache
def meta() -> dict[str, Any]:
    """The table's ``.meta.json``: name, version, source, validity."""
    loaded: dict[str, Any] = json.loads(META.read_text(encoding="utf-8"))
    return loaded


def table_version() -> str:
    """The version of the table in force."""
    return str(meta()["version"])


def deadline_for(category: str, severity: str) -> CaseDeadline:
    """The row for ``category`` at ``severity``; a missing row is a bug in the table."""
    return deadlines()[(category, severity)]
