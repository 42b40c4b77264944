"""Background work of the registry: participant imports run here, not in the request."""

from __future__ import annotations

from django_tasks import task

from jembatan.participants.services.importing import run_job


@task()
def run_participant_import(job_id: int) -> None:
    """Run one queued import; a job that already ran is left alone (idempotent)."""
    run_job(job_id)
