"""Background work on licences (django-tasks): thin wrappers around the services."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import task

from jembatan.organisations.services.expiry import licences_run_daily


@task()
def expire_licences(today: str | None = None) -> dict[str, list[str]]:
    """The daily licence run (activate, expire, remind); idempotent, safe to run twice.

    ``today`` is an ISO date for reruns of a missed day; it defaults to today in Jakarta.
    """
    day = dt.date.fromisoformat(today) if today else timezone.localdate()
    return licences_run_daily(today=day).as_dict()
