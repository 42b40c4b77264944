"""Test and demo helpers: a case written directly, in any status (not through the services)."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.utils import timezone

from jembatan.protection.deadlines import deadline_for, table_version
from jembatan.protection.models import (
    Case,
    CaseCategory,
    CaseLevel,
    CaseStatus,
    Outcome,
    ReporterKind,
    Severity,
)

_numbers = itertools.count(900_001)


def case_row(
    *,
    reported_at: dt.datetime | None = None,
    category: str = CaseCategory.UNPAID_WAGES,
    severity: str = Severity.MEDIUM,
    **fields: Any,
) -> Case:
    """An unsaved case reported at ``reported_at`` with the table's deadlines (for bulk inserts)."""
    at = reported_at or timezone.now()
    row = deadline_for(category, severity)
    status = fields.get("status", CaseStatus.REPORTED)
    values: dict[str, Any] = {
        "code": f"PK-{at.year}-{next(_numbers):06d}",
        "reporter_kind": ReporterKind.APPRENTICE,
        "category": category,
        "severity": severity,
        "description": "The host company has not paid the overtime for two months.",
        "status": status,
        "status_changed_at": at,
        "level": CaseLevel.PROVINCIAL
        if fields.get("province_id") or fields.get("province")
        else CaseLevel.NATIONAL,
        "reported_at": at,
        "first_response_due": row.first_response_due(at),
        "resolution_due": row.resolution_due(at),
        "deadlines_version": table_version(),
    }
    if status in (CaseStatus.CLOSED, CaseStatus.WITHDRAWN):
        values["outcome"] = Outcome.WITHDRAWN if status == CaseStatus.WITHDRAWN else Outcome.PARTLY
        values["action_taken"] = "Wages paid after the partner intervened."
        values["closed_at"] = at
    return Case(**(values | fields))


def make_case(**fields: Any) -> Case:
    """A case saved directly in the database (see :func:`case_row`)."""
    case = case_row(**fields)
    case.save()
    return case
