"""Checks across rows: the same NIK twice in a file, and NIKs already in the registry."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.utils.translation import gettext as _

from jembatan.core import spreadsheet
from jembatan.participants.fields import IMPORTED, attnames
from jembatan.participants.import_checks.columns import COLUMN_BY_FIELD, LICENCE
from jembatan.participants.import_checks.problems import Issue, Problem, fix_for
from jembatan.participants.import_checks.rows import CheckedRow, RowChecker
from jembatan.participants.models import Participant

BATCH_SIZE = 5000
# Compared to decide whether a NIK already in the registry is "the same person, same data":
# everything a row carries besides the NIK it is found by.
COMPARED_FIELDS = (
    *attnames(name for name in IMPORTED if name != "nik"),
    "sending_organisation_id",
)


def mark_duplicates_in_file(rows: list[CheckedRow], checker: RowChecker) -> None:
    by_nik: dict[str, list[CheckedRow]] = defaultdict(list)
    for row in rows:
        if row.values.get("nik"):
            by_nik[row.values["nik"]].append(row)
    for same in by_nik.values():
        if len(same) < 2:
            continue
        for row in same:
            others = ", ".join(str(r.row) for r in same if r is not row)
            message = _("The same NIK is also on row(s) %(rows)s.") % {"rows": others}
            issue = Issue("duplicate_in_file", message, field="nik")
            row.problems.append(_problem_for(checker, row, issue))


def _problem_for(checker: RowChecker, row: CheckedRow, issue: Issue) -> Problem:
    column, heading = checker.headings[issue.field]
    value = row.values.get(issue.field) or ""
    return Problem(
        row=row.row,
        field=issue.field,
        heading=heading,
        cell=spreadsheet.cell_ref(row.row - 1, column),
        value=str(value),
        severity=issue.severity,
        code=issue.code,
        message=issue.message,
        fix=fix_for(issue.code),
    )


def compare_with_registry(rows: list[CheckedRow], checker: RowChecker) -> None:
    """Rows whose NIK is registered: identical data is fine, anything else an error."""
    candidates = {r.values["nik"]: r for r in rows if r.ok and r.values.get("nik")}
    niks = list(candidates)
    for start in range(0, len(niks), BATCH_SIZE):
        chunk = niks[start : start + BATCH_SIZE]
        found = Participant.objects.filter(nik__in=chunk).values("nik", *COMPARED_FIELDS)
        for existing in found:
            _judge_existing(candidates[existing["nik"]], existing, checker)


def _judge_existing(row: CheckedRow, existing: dict[str, Any], checker: RowChecker) -> None:
    differing = [f for f in COMPARED_FIELDS if (row.values.get(f) or "") != (existing[f] or "")]
    if not differing:
        row.existing = True
        message = _("Already registered with the same data; nothing changed.")
        row.problems.append(
            _problem_for(checker, row, Issue("already_registered", message, "info", "nik"))
        )
        return
    own = existing["sending_organisation_id"] == row.values.get("sending_organisation_id")
    message = _("A participant with this NIK is already registered with different data.")
    if own:
        labels = ", ".join(COLUMN_BY_FIELD[_column_of(f)].heading_en for f in differing)
        message += " " + _("Different: %(fields)s.") % {"fields": labels}
    issue = Issue("registered_differently", message, field="nik")
    row.problems.append(_problem_for(checker, row, issue))


def _column_of(model_field: str) -> str:
    return {"regency_id": "regency_code", "sending_organisation_id": LICENCE}.get(
        model_field, model_field
    )
