"""Background work of matching (django-tasks): thin wrappers around executing and approving."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise
from django_tasks import task

from jembatan.core.logs import traced
from jembatan.core.task_recovery import TaskKind, register
from jembatan.matching.models import MatchingRun
from jembatan.matching.services.approval import execute_approval
from jembatan.matching.services.execution import execute_run
from jembatan.matching.services.runs import run_recover


@task()
@traced
def run_matching(run_id: int) -> str:
    """Execute one queued run; a run already started or finished is left alone (idempotent)."""
    return str(execute_run(run_id).status)


@task()
@traced
def approve_matching(run_id: int) -> str:
    """Create an approving run's placements; any other run is left alone (idempotent)."""
    return str(execute_approval(run_id).status)


def _run_id(args: list[Any], kwargs: dict[str, Any]) -> int:
    return int(args[0] if args else kwargs["run_id"])


def _kind(label: StrOrPromise) -> TaskKind:
    return TaskKind(
        label=label,
        describe=lambda args, kwargs: f"run #{_run_id(args, kwargs)}",
        resume=lambda args, kwargs, *, acting_user: run_recover(
            run_id=_run_id(args, kwargs), acting_user=acting_user
        ),
        progress=lambda args, kwargs: _progress(_run_id(args, kwargs)),
    )


def _progress(run_id: int) -> int | None:
    return MatchingRun.objects.filter(pk=run_id).values_list("progress", flat=True).first()


register(run_matching, _kind(_("matching run")))
register(approve_matching, _kind(_("matching approval")))
