"""Background work of protection (django-tasks): thin wrappers around the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django_tasks import task

from jembatan.protection.services.escalation import escalate_overdue


@task()
def escalate_cases(now: str | None = None) -> dict[str, Any]:
    """The escalation run; idempotent, safe to run as often as wanted (hourly by the timer).

    ``now`` is an ISO date-time for a rerun as of a moment; it defaults to now.
    """
    moment = dt.datetime.fromisoformat(now) if now else None
    return escalate_overdue(now=moment).as_dict()
