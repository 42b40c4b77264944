"""Every move outside the import job's table is refused and changes nothing.

The job is core's; the participants' importer drives it through
``import_job_move``, the one writer of a job's status. The task (``run_job``)
is idempotent: a job that is not queued is left as it is, without error.
"""

from __future__ import annotations

from typing import Any

import pytest

from jembatan.core.models import ChangeRecord, ImportJob
from jembatan.core.transitions import TransitionRefused, illegal_moves
from jembatan.core.workflows import IMPORT_WORKFLOW, ImportAction
from jembatan.participants.services.importing import import_job_move, run_job

pytestmark = pytest.mark.django_db


def _state(job: ImportJob) -> tuple[Any, ...]:
    fresh = ImportJob.objects.get(pk=job.pk)
    return fresh.status, fresh.phase, fresh.finished_at, ChangeRecord.objects.count()


@pytest.mark.parametrize(("status", "action"), list(illegal_moves(IMPORT_WORKFLOW)))
def test_an_import_move_the_table_does_not_allow_is_refused_and_changes_nothing(
    status: str, action: ImportAction
) -> None:
    job = ImportJob.objects.create(
        kind=ImportJob.Kind.PARTICIPANTS,
        status=status,
        created_by_label="cli",
        file_name="peserta.xlsx",
        sha256="0" * 64,
    )
    before = _state(job)

    with pytest.raises(TransitionRefused):
        import_job_move(job=job, action=action, phase=ImportJob.Phase.FINISHED)
    if action == ImportAction.START:
        assert run_job(job.pk).status == status

    assert _state(job) == before
