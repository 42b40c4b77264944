"""A worker that died mid-task, for the recovery tests (this module holds no tests itself)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django_tasks.base import Task, TaskResultStatus
from django_tasks_db.models import DBTaskResult

from jembatan.core.models import TaskWorker


def worker(worker_id: str, *, seen_seconds_ago: float) -> TaskWorker:
    """A worker row that last beat ``seen_seconds_ago`` seconds ago."""
    seen = timezone.now() - dt.timedelta(seconds=seen_seconds_ago)
    return TaskWorker.objects.create(
        worker_id=worker_id, host="worker-1", pid=4242, started_at=seen, last_seen_at=seen
    )


def running_task(task: Task[Any, Any], *args: Any, worker_id: str = "dead") -> DBTaskResult:
    """``task`` claimed by ``worker_id`` and left running, as a killed worker leaves it."""
    now = timezone.now()
    return DBTaskResult.objects.create(
        status=TaskResultStatus.RUNNING,
        task_path=task.module_path,
        args_kwargs={"args": list(args), "kwargs": {}},
        backend_name="default",
        run_after=now,
        started_at=now - dt.timedelta(minutes=11),
        worker_ids=[worker_id],
    )
