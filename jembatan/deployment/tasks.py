"""Background work of deployment (django-tasks): thin wrappers around the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django_tasks import task

from jembatan.core.logs import traced
from jembatan.deployment.services.monitoring import monitoring_run_daily


@task()
@traced
def monitoring_daily(today: str | None = None) -> dict[str, Any]:
    """The daily monitoring run (raise, escalate); idempotent, safe to run twice a day.

    ``today`` is an ISO date for reruns of a missed day; it defaults to today in Jakarta.
    """
    day = dt.date.fromisoformat(today) if today else timezone.localdate()
    return monitoring_run_daily(today=day).as_dict()
