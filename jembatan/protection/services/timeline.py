"""The one writer of a case's timeline: each line is appended once, never changed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from jembatan.core.audit import actor_label
from jembatan.protection.models import Case, CaseEvent
from jembatan.protection.rules import ensure_not_anonymised
from jembatan.protection.workflows import ANONYMOUS_REPORTER


def person(acting_user: Any) -> Any:
    """The user behind ``acting_user``, or None for the system or the anonymous reporter."""
    return acting_user if getattr(acting_user, "is_authenticated", False) else None


def label_of(acting_user: Any) -> str:
    """Who did it, as the timeline shows it (the anonymous reporter is only "reporter")."""
    if acting_user == ANONYMOUS_REPORTER:
        return "reporter"
    return actor_label(person(acting_user) or acting_user)[:150]


def event_build(
    *, case: Case, kind: str, acting_user: Any, at: dt.datetime | None = None, **fields: Any
) -> CaseEvent:
    """A timeline line, not yet saved (for :func:`event_add` or a bulk insert).

    Refused on an anonymised case: every move writes a line, so none reaches it.
    """
    ensure_not_anonymised(case)
    return CaseEvent(
        case=case,
        kind=kind,
        at=at or timezone.now(),
        by=person(acting_user),
        by_label=label_of(acting_user),
        **fields,
    )


def event_add(*, case: Case, kind: str, acting_user: Any, **fields: Any) -> CaseEvent:
    """Append one line to ``case``'s timeline (inside the caller's transaction)."""
    event = event_build(case=case, kind=kind, acting_user=acting_user, **fields)
    event.save()
    return event
