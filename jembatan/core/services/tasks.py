"""Writers of the task machinery: workers' heartbeats and the recovery of stale tasks.

A ``jembatan worker`` beats every few seconds (``worker_beat``). A task left
*running* by a worker that stopped beating for longer than the lease
(``JEMBATAN_TASK_LEASE_SECONDS``) is stale: ``task_resume`` marks its result
failed (the library's row, changed only here) and resumes the work the way its
app declared (``core/task_recovery.py``), recorded in the change history.
"""

from __future__ import annotations

import traceback
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from jembatan.core.access import role_of
from jembatan.core.audit import record_change
from jembatan.core.errors import CoreErrorCode
from jembatan.core.locks import lock_task_result
from jembatan.core.models import TaskWorker
from jembatan.core.roles import Role
from jembatan.core.task_recovery import (
    WorkerLost,
    is_stale,
    kind_of,
    live_worker_ids,
    stale_task_ids,
)
from jembatan.core.transitions import SYSTEM_ACTOR

# Heartbeats are not recorded in the change history: one row per worker, rewritten
# every few seconds, says all there is to say.


def worker_beat(*, worker_id: str, host: str, pid: int) -> TaskWorker:
    """Say that worker ``worker_id`` is alive now (its row is created on the first beat)."""
    now = timezone.now()
    worker, _created = TaskWorker.objects.update_or_create(
        worker_id=worker_id,
        defaults={"host": host, "pid": pid, "last_seen_at": now, "stopped_at": None},
        create_defaults={
            "host": host,
            "pid": pid,
            "started_at": now,
            "last_seen_at": now,
        },
    )
    return worker


def worker_start(*, worker_id: str, host: str, pid: int) -> dict[str, str]:
    """A worker (re)starts: whatever its id still shows running, a previous process left.

    A unit restarted after a crash keeps its ``--worker-id``; its old process is
    first marked stopped so that its tasks are stale at once and resumed here,
    before the new process claims anything. Returns what was resumed, per task id.
    """
    worker_stop(worker_id=worker_id)
    recovered = recover_stale()
    now = timezone.now()
    TaskWorker.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "host": host,
            "pid": pid,
            "started_at": now,
            "last_seen_at": now,
            "stopped_at": None,
        },
    )
    return recovered


def worker_stop(*, worker_id: str) -> None:
    """Say that worker ``worker_id`` stopped cleanly (it runs nothing any more)."""
    TaskWorker.objects.filter(worker_id=worker_id).update(stopped_at=timezone.now())


@transaction.atomic
def task_resume(*, task_id: str, acting_user: Any) -> str:
    """Resume the stale task ``task_id`` by hand; refused if it is not stale.

    A person doing it must be a national administrator (the console and the scheduler
    act as themselves, ``system:cli`` and ``system:scheduler``).
    """
    if not isinstance(acting_user, str) and role_of(acting_user) != Role.NATIONAL_ADMIN:
        raise PermissionDenied
    result = lock_task_result(task_id)
    if result is None or not is_stale(result, live_worker_ids()):
        raise ValidationError(
            _("Only a running task whose worker stopped can be resumed."),
            code=CoreErrorCode.TASK_NOT_STALE,
        )
    return _resume(result, acting_user=acting_user)


def recover_stale(*, acting_user: Any = SYSTEM_ACTOR) -> dict[str, str]:
    """Resume every stale task (each worker's beat calls this); what was done per task id.

    Each task is locked with ``skip_locked`` in its own transaction and checked
    again once locked, so two workers recovering at once never resume one twice.
    """
    done: dict[str, str] = {}
    for task_id in stale_task_ids():
        with transaction.atomic():
            result = lock_task_result(task_id, skip_locked=True)
            if result is not None and is_stale(result, live_worker_ids()):
                done[task_id] = _resume(result, acting_user=acting_user)
    return done


def _resume(result: DBTaskResult, *, acting_user: Any) -> str:
    kind = kind_of(result.task_path)
    args, kwargs = result.args_kwargs["args"], result.args_kwargs["kwargs"]
    if kind is None:
        outcome = _("No way to resume this task is declared; it is marked failed.")
    else:
        outcome = kind.resume(args, kwargs, acting_user=acting_user)
    lost = WorkerLost(_("Worker %(worker)s stopped while running this task.") % _worker(result))
    DBTaskResult.objects.filter(pk=result.pk).update(
        status=TaskResultStatus.FAILED,
        finished_at=timezone.now(),
        exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
        traceback="".join(traceback.format_exception_only(lost)),
        return_value=None,
    )
    record_change(
        acting_user=acting_user,
        operation="core.task_resume",
        instance=result,
        action="transition",
        changes={"status": {"before": result.status, "after": TaskResultStatus.FAILED}},
        summary=f"{result.task_path}: {outcome}",
    )
    return outcome


def _worker(result: DBTaskResult) -> dict[str, str]:
    return {"worker": result.worker_ids[-1] if result.worker_ids else "?"}
