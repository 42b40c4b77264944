"""Reads of core's own records that a page shows: the background tasks (``/tugas/``).

A task's row is django-tasks-db's ``DBTaskResult``; what it works on, its label
and its progress come from the kind its app declared (``core/task_recovery.py``),
how long ago its worker beat from ``core.TaskWorker``. The list pages by keyset on
(enqueued, id), newest first, never by ``OFFSET`` or ``COUNT(*)``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from jembatan.core.models import TaskWorker
from jembatan.core.task_recovery import is_stale, kind_of, live_worker_ids

PAGE_SIZE = 50
# Which tasks the page lists, by the filter's value.
FILTERS: dict[str, tuple[StrOrPromise, list[str]]] = {
    "open": (_("Queued or running"), [TaskResultStatus.READY, TaskResultStatus.RUNNING]),
    "failed": (_("Failed"), [TaskResultStatus.FAILED]),
    "done": (_("Finished"), [TaskResultStatus.SUCCESSFUL]),
}
# What each state is called on the page and the colour of its badge (core/tones.py's words).
STATES: dict[str, tuple[StrOrPromise, str]] = {
    "queued": (_("queued"), "neutral"),
    "running": (_("running"), "success"),
    "stale": (_("stale: its worker stopped"), "danger"),
    "failed": (_("failed"), "danger"),
    "done": (_("finished"), "success"),
}


@dataclass(frozen=True)
class TaskRow:
    """One background task as the tasks page shows it."""

    id: str
    state: str
    label: StrOrPromise
    record: str
    progress: int | None
    enqueued_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    worker: str
    heartbeat_seconds: int | None  # how long ago its worker beat; None: no worker yet

    @property
    def stale(self) -> bool:
        return self.state == "stale"

    @property
    def state_label(self) -> StrOrPromise:
        return STATES[self.state][0]

    @property
    def tone(self) -> str:
        return f"tone-{STATES[self.state][1]}"


@dataclass(frozen=True)
class TaskPage:
    """One page of tasks and the cursor of the next one."""

    items: list[TaskRow]
    next_cursor: str | None


def parse_task_cursor(raw: Any) -> tuple[dt.datetime, uuid.UUID] | None:
    """``<enqueued ISO time>_<task id>`` from the query string; anything else is page one."""
    when, _sep, pk = str(raw or "").rpartition("_")
    moment = parse_datetime(when) if when else None
    try:
        return (moment, uuid.UUID(pk)) if moment else None
    except ValueError:
        return None


def tasks_page(
    *, status: str, after: tuple[dt.datetime, uuid.UUID] | None, size: int = PAGE_SIZE
) -> TaskPage:
    """The tasks in ``status`` (a key of ``FILTERS``), newest first, after the cursor."""
    rows = DBTaskResult.objects.filter(status__in=FILTERS[status][1])
    if after is not None:
        moment, pk = after
        rows = rows.filter(Q(enqueued_at__lt=moment) | Q(enqueued_at=moment, id__lt=pk))
    found = list(rows.order_by("-enqueued_at", "-id")[: size + 1])
    live, beats = live_worker_ids(), _heartbeats(found)
    items = [_row(result, live, beats) for result in found[:size]]
    last = found[size - 1] if len(found) > size else None
    cursor = f"{last.enqueued_at.isoformat()}_{last.pk}" if last else None
    return TaskPage(items, cursor)


def _heartbeats(results: list[DBTaskResult]) -> dict[str, dt.datetime]:
    ids = {r.worker_ids[-1] for r in results if r.worker_ids}
    rows = TaskWorker.objects.filter(worker_id__in=ids).values_list("worker_id", "last_seen_at")
    return dict(rows)


def _state(result: DBTaskResult, live: set[str]) -> str:
    if result.status == TaskResultStatus.READY:
        return "queued"
    if result.status == TaskResultStatus.RUNNING:
        return "stale" if is_stale(result, live) else "running"
    return "done" if result.status == TaskResultStatus.SUCCESSFUL else "failed"


def _row(result: DBTaskResult, live: set[str], beats: dict[str, dt.datetime]) -> TaskRow:
    kind = kind_of(result.task_path)
    args, kwargs = result.args_kwargs.get("args", []), result.args_kwargs.get("kwargs", {})
    worker = result.worker_ids[-1] if result.worker_ids else ""
    seen = beats.get(worker)
    progress = None
    if kind is not None and kind.progress is not None:
        progress = kind.progress(args, kwargs)
    return TaskRow(
        id=str(result.pk),
        state=_state(result, live),
        label=kind.label if kind else result.task_path.rsplit(".", 1)[-1],
        record=kind.describe(args, kwargs) if kind else "",
        progress=progress,
        enqueued_at=result.enqueued_at,
        started_at=result.started_at,
        finished_at=result.finished_at,
        worker=worker,
        heartbeat_seconds=int((timezone.now() - seen).total_seconds()) if seen else None,
    )
