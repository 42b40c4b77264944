"""An import whose worker died mid-run is queued again and completes, writing no row twice."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django_tasks.base import TaskResultStatus

from jembatan.core.models import ChangeRecord, ImportJob
from jembatan.core.services.tasks import recover_stale
from jembatan.core.tests.dead_workers import running_task, worker
from jembatan.participants.models import Participant
from jembatan.participants.services import importing
from jembatan.participants.tasks import run_participant_import
from jembatan.participants.tests.test_import_helpers import (  # noqa: F401 - fixtures
    as_lists,
    english,
    media,
    row,
    write_csv,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media", "english", "lpk_a")]


def _queued_job(tmp_path: Path) -> ImportJob:
    path = write_csv(tmp_path / "p.csv", as_lists([row(1), row(2)]))
    return importing.import_create(  # queued: the on-commit enqueue is never run here
        acting_user=None,
        chunks=importing.file_chunks(path),
        file_name=path.name,
        authority="signed_forms",
    )


def _frozen_at_writing(job: ImportJob) -> ImportJob:
    """The job as its dead worker left it: running, at "writing 99%"."""
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.RUNNING,
        phase=ImportJob.Phase.WRITING,
        rows_total=2,
        rows_checked=2,
    )
    return job


def test_an_import_whose_worker_died_is_queued_again_and_completes(
    tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    job = _frozen_at_writing(_queued_job(tmp_path))
    worker("dead", seen_seconds_ago=660)
    task = running_task(run_participant_import, job.pk)

    with django_capture_on_commit_callbacks(execute=True):
        done = recover_stale()

    assert done == {str(task.pk): f"Import #{job.pk} queued again."}
    job.refresh_from_db()
    assert (job.status, job.outcome, job.rows_created) == ("done", "written", 2)
    assert Participant.objects.count() == 2
    task.refresh_from_db()
    assert task.status == TaskResultStatus.FAILED
    requeued = ChangeRecord.objects.get(operation="participants.import_requeue")
    assert requeued.changes == {"status": {"before": "running", "after": "queued"}}


def test_an_import_that_died_after_writing_writes_no_row_twice(
    tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    job = _queued_job(tmp_path)
    importing.run_job(job.pk)  # the rows are written; then the worker "dies" before finishing
    assert Participant.objects.count() == 2
    _frozen_at_writing(job)
    worker("dead", seen_seconds_ago=660)
    running_task(run_participant_import, job.pk)

    with django_capture_on_commit_callbacks(execute=True):
        recover_stale()

    job.refresh_from_db()
    assert job.status == "done" and job.rows_created == 0
    assert Participant.objects.count() == 2


def test_a_finished_import_is_left_alone(
    tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    job = _queued_job(tmp_path)
    importing.run_job(job.pk)
    worker("dead", seen_seconds_ago=660)
    running_task(run_participant_import, job.pk)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        done = recover_stale()

    assert list(done.values()) == ["Nothing to do: the import had finished."]
    assert callbacks == []
    assert not ChangeRecord.objects.filter(operation="participants.import_requeue").exists()
