"""Background work on licences (django-tasks): thin wrappers around the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from jembatan.core.logs import enqueue, traced
from jembatan.core.task_recovery import TaskKind, register
from jembatan.organisations.services.expiry import licences_run_daily


@task()
@traced
def expire_licences(today: str | None = None) -> dict[str, list[str]]:
    """The daily licence run (activate, expire, remind); idempotent, safe to run twice.

    ``today`` is an ISO date for reruns of a missed day; it defaults to today in Jakarta.
    """
    day = dt.date.fromisoformat(today) if today else timezone.localdate()
    return licences_run_daily(today=day).as_dict()


def _enqueue_again(args: list[Any], kwargs: dict[str, Any], *, acting_user: Any) -> str:
    # The run is idempotent: running a day again changes only what is still due.
    transaction.on_commit(lambda: enqueue(expire_licences, *args, **kwargs))
    return _("The licence run is queued again.")


register(
    expire_licences,
    TaskKind(
        label=gettext_lazy("daily licence run"),
        describe=lambda args, kwargs: str((args or [kwargs.get("today")])[0] or ""),
        resume=_enqueue_again,
    ),
)
