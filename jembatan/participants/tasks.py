"""Background work of the registry: participant imports run here, not in the request."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from django_tasks import task

from jembatan.core.logs import traced
from jembatan.core.models import ImportJob
from jembatan.core.task_recovery import TaskKind, register
from jembatan.participants.services.importing import import_requeue, run_job


@task()
@traced
def run_participant_import(job_id: int) -> None:
    """Run one queued import; a job that already ran is left alone (idempotent)."""
    run_job(job_id)


def _job_id(args: list[Any], kwargs: dict[str, Any]) -> int:
    return int(args[0] if args else kwargs["job_id"])


def _percent(job_id: int) -> int | None:
    job = ImportJob.objects.filter(pk=job_id).first()
    return job.percent if job is not None else None


register(
    run_participant_import,
    TaskKind(
        label=_("participant import"),
        describe=lambda args, kwargs: f"import #{_job_id(args, kwargs)}",
        resume=lambda args, kwargs, *, acting_user: import_requeue(
            job_id=_job_id(args, kwargs), acting_user=acting_user
        ),
        progress=lambda args, kwargs: _percent(_job_id(args, kwargs)),
    ),
)
