"""The retention schedule: how long each kind of record is kept, why, and what then happens.

Sourced reference data (``core/data/retention-schedule.csv`` and its
``.meta.json``), read like the deadlines table: a new period is a new version
of the file, never code. Each run of the retention service records the
version and checksum of the schedule it applied.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from jembatan.deployment.months import add_months

DATA = Path(__file__).resolve().parents[1] / "core" / "data" / "retention-schedule.csv"
META = DATA.with_suffix(".meta.json")
ACTIONS = ("anonymise", "delete_file", "keep")


@dataclass(frozen=True)
class RetentionPeriod:
    """One row of the schedule: a kind of record, its period, basis and end."""

    key: str
    record_en: str
    record_id: str
    months: int | None
    counted_from: str
    action: str
    applied_by_run: bool
    policy: bool
    basis: str
    note_en: str
    note_id: str

    def record(self, language: str) -> str:
        """The kind of record in ``language`` (Indonesian unless English)."""
        return self.record_en if language.startswith("en") else self.record_id

    def note(self, language: str) -> str:
        """What happens at the end, in ``language``."""
        return self.note_en if language.startswith("en") else self.note_id

    def cutoff(self, now: dt.datetime) -> dt.datetime:
        """Records whose period started before this moment have passed their time.

        Calendar months, as the schedule says: ten years back from 4 December 2026
        is 4 December 2016, whatever the leap days between.
        """
        if self.months is None:
            raise ValueError(f"{self.key} is kept: it has no period")
        day = add_months(now.date(), -self.months)
        return now.replace(year=day.year, month=day.month, day=day.day)


def _row(row: dict[str, str]) -> RetentionPeriod:
    if row["action"] not in ACTIONS:
        raise ValueError(f"retention schedule: unknown action {row['action']!r}")
    return RetentionPeriod(
        key=row["key"],
        record_en=row["record_en"],
        record_id=row["record_id"],
        months=int(row["months"]) if row["months"] else None,
        counted_from=row["counted_from"],
        action=row["action"],
        applied_by_run=row["applied_by_run"] == "yes",
        policy=row["policy"] == "yes",
        basis=row["basis"],
        note_en=row["note_en"],
        note_id=row["note_id"],
    )


@cache
def schedule() -> dict[str, RetentionPeriod]:
    """Every row of the schedule, by key, in the file's order."""
    with DATA.open(encoding="utf-8", newline="") as handle:
        return {row["key"]: _row(row) for row in csv.DictReader(handle)}


def period(key: str) -> RetentionPeriod:
    """One row; a missing row is a bug in the file."""
    return schedule()[key]


@cache
def schedule_version() -> str:
    """The version in force (its ``.meta.json``)."""
    return str(json.loads(META.read_text(encoding="utf-8"))["version"])


@cache
def schedule_checksum() -> str:
    """SHA-256 of the file applied, kept on each run."""
    return hashlib.sha256(DATA.read_bytes()).hexdigest()
