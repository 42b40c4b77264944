"""Background work of matching (django-tasks): thin wrappers around executing and approving."""

from __future__ import annotations

from django_tasks import task

from jembatan.matching.services.approval import execute_approval
from jembatan.matching.services.execution import execute_run


@task()
def run_matching(run_id: int) -> str:
    """Execute one queued run; a run already started or finished is left alone (idempotent)."""
    return str(execute_run(run_id).status)


@task()
def approve_matching(run_id: int) -> str:
    """Create an approving run's placements; any other run is left alone (idempotent)."""
    return str(execute_approval(run_id).status)
