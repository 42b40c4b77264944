"""How each kind of background task is resumed after its worker died (issue 14).

Each app declares, next to its task in ``<app>/tasks.py``, what resuming it means
for its own records (``register``): an import goes back to *queued* and is run
again, a matching run is resumed, the licence run is simply enqueued again. Core
finds stale tasks and calls the declared resumer (``core/services/tasks.py``);
it never imports the apps above it: ``kinds()`` imports every app's ``tasks``
module, which registers its kinds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django_stubs_ext import StrOrPromise
from django_tasks.base import Task, TaskResultStatus
from django_tasks_db.models import DBTaskResult

from jembatan.core.models import TaskWorker


@dataclass(frozen=True)
class TaskKind:
    """One task's label for people, its domain record, and how to resume it."""

    label: StrOrPromise
    # What the task works on, for people: "import #12", "MR-00012".
    describe: Callable[[list[Any], dict[str, Any]], str]
    # Resume the work inside the caller's transaction: (args, kwargs, acting_user=...) -> what
    # was done, in words. Enqueue with transaction.on_commit, like every task.
    resume: Callable[..., str]
    # How far the work is, 0-100, read from its record (None: the task does not say).
    progress: Callable[[list[Any], dict[str, Any]], int | None] | None = None


_KINDS: dict[str, TaskKind] = {}


def register(task: Task[Any, Any], kind: TaskKind) -> None:
    """Declare how ``task`` is resumed (called at import of the app's ``tasks.py``)."""
    _KINDS[task.module_path] = kind


def kinds() -> dict[str, TaskKind]:
    """Every declared kind by task path, once each app's ``tasks`` module is imported."""
    autodiscover_modules("tasks")
    return _KINDS


def kind_of(task_path: str) -> TaskKind | None:
    """The declared kind of the task at ``task_path``, if any app declared one."""
    return kinds().get(task_path)


class WorkerLost(Exception):
    """What a task marked failed by the recovery died of: its worker stopped beating."""


def lease_cutoff() -> dt.datetime:
    """Workers not seen since this moment are taken for dead."""
    return timezone.now() - dt.timedelta(seconds=settings.JEMBATAN_TASK_LEASE_SECONDS)


def live_worker_ids() -> set[str]:
    """The ids of workers that beat within the lease and did not stop."""
    rows = TaskWorker.objects.filter(stopped_at__isnull=True, last_seen_at__gte=lease_cutoff())
    return set(rows.values_list("worker_id", flat=True))


def is_stale(result: DBTaskResult, live: set[str]) -> bool:
    """A running task whose (last) worker is not among the live ones."""
    claimed_by = result.worker_ids[-1] if result.worker_ids else ""
    return result.status == TaskResultStatus.RUNNING and claimed_by not in live


def stale_task_ids() -> list[str]:
    """The running tasks whose worker is dead, oldest first."""
    live = live_worker_ids()
    running = DBTaskResult.objects.running().order_by("started_at")
    return [str(r.pk) for r in running.only("pk", "status", "worker_ids") if is_stale(r, live)]


@dataclass(frozen=True)
class TaskLine:
    """One queued or running task as ``jembatan tasks`` and the tasks page show it."""

    id: str
    state: str  # queued, running or stale
    label: StrOrPromise
    record: str
    since: dt.datetime
    worker: str


def open_tasks(limit: int = 200) -> list[TaskLine]:
    """Queued and running tasks, the stale first, then by age (at most ``limit``)."""
    live = live_worker_ids()
    rows = DBTaskResult.objects.filter(
        status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]
    ).order_by("enqueued_at")[:limit]
    lines = [_line(r, live) for r in rows]
    return sorted(lines, key=lambda line: (line.state != "stale", line.since))


def _line(result: DBTaskResult, live: set[str]) -> TaskLine:
    kind = kind_of(result.task_path)
    args, kwargs = result.args_kwargs["args"], result.args_kwargs["kwargs"]
    if result.status == TaskResultStatus.READY:
        state = "queued"
    else:
        state = "stale" if is_stale(result, live) else "running"
    return TaskLine(
        id=str(result.pk),
        state=state,
        label=kind.label if kind else result.task_path.rsplit(".", 1)[-1],
        record=kind.describe(args, kwargs) if kind else "",
        since=result.started_at or result.enqueued_at,
        worker=result.worker_ids[-1] if result.worker_ids else "",
    )


def stale_task_of(task: Task[Any, Any], first_argument: Any) -> str | None:
    """The id of a stale run of ``task`` whose first argument is ``first_argument``, if any."""
    live = live_worker_ids()
    running = DBTaskResult.objects.running().filter(task_path=task.module_path)
    for result in running.only("pk", "status", "worker_ids", "args_kwargs"):
        args = result.args_kwargs.get("args") or []
        if args and args[0] == first_argument and is_stale(result, live):
            return str(result.pk)
    return None
