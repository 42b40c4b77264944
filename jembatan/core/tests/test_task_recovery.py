"""A task whose worker died is found stale and resumed as its app declares (issue 14)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client, override_settings
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from jembatan.accounts.factories import UserFactory
from jembatan.core import health
from jembatan.core.models import AccessLog, ChangeRecord, TaskWorker
from jembatan.core.services import tasks as task_services
from jembatan.core.task_recovery import open_tasks, stale_task_ids
from jembatan.core.tests.dead_workers import running_task, worker
from jembatan.core.transitions import SYSTEM_ACTOR
from jembatan.matching.models import MatchingRun, Method, RunStatus
from jembatan.matching.tasks import run_matching
from jembatan.organisations.tasks import expire_licences

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(settings: Any) -> None:
    settings.LANGUAGE_CODE = "en"
    from django.utils import translation

    translation.activate("en")


def _run(status: str) -> MatchingRun:
    from django.utils import timezone

    return MatchingRun.objects.create(
        name="Gelombang 1",
        method=Method.STABLE,
        status=status,
        progress=60,
        created_by=UserFactory(),
        created_at=timezone.now(),
    )


def test_a_task_is_stale_only_once_its_worker_is_older_than_the_lease(settings: Any) -> None:
    settings.JEMBATAN_TASK_LEASE_SECONDS = 120
    worker("alive", seen_seconds_ago=60)
    worker("dead", seen_seconds_ago=121)
    on_live = running_task(expire_licences, worker_id="alive")
    on_dead = running_task(expire_licences, worker_id="dead")
    on_unknown = running_task(expire_licences, worker_id="never-beat")

    assert set(stale_task_ids()) == {str(on_dead.pk), str(on_unknown.pk)}
    assert str(on_live.pk) not in stale_task_ids()


def test_a_worker_that_stopped_cleanly_leaves_its_task_stale() -> None:
    worker("stopped", seen_seconds_ago=1)
    task_services.worker_stop(worker_id="stopped")
    task = running_task(expire_licences, worker_id="stopped")

    assert stale_task_ids() == [str(task.pk)]


def test_a_beat_creates_then_refreshes_the_worker_row() -> None:
    first = task_services.worker_beat(worker_id="w1", host="h", pid=1)
    again = task_services.worker_beat(worker_id="w1", host="h", pid=1)

    assert TaskWorker.objects.count() == 1
    assert again.started_at == first.started_at and again.last_seen_at > first.last_seen_at


def test_a_stale_matching_run_is_resumed_and_recorded_as_the_system(
    django_capture_on_commit_callbacks: Any,
) -> None:
    run = _run(RunStatus.RUNNING)
    worker("dead", seen_seconds_ago=600)
    task = running_task(run_matching, run.pk)

    with django_capture_on_commit_callbacks(execute=True):
        done = task_services.recover_stale()

    assert done == {str(task.pk): f"{run.reference} resumed."}
    run.refresh_from_db()
    assert run.status == RunStatus.DONE  # queued again; the test backend runs it at once
    task.refresh_from_db()
    assert task.status == TaskResultStatus.FAILED
    assert task.exception_class_path == "jembatan.core.task_recovery.WorkerLost"
    record = ChangeRecord.objects.get(operation="core.task_resume")
    assert record.actor_label == SYSTEM_ACTOR
    assert record.changes == {"status": {"before": "RUNNING", "after": "FAILED"}}
    assert ChangeRecord.objects.filter(operation="matching.run_resume").exists()


def test_the_licence_run_is_simply_enqueued_again(django_capture_on_commit_callbacks: Any) -> None:
    worker("dead", seen_seconds_ago=600)
    task = running_task(expire_licences, "2026-12-01")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        done = task_services.recover_stale()

    assert done == {str(task.pk): "The licence run is queued again."}
    assert len(callbacks) == 1


def test_recovering_twice_enqueues_once(django_capture_on_commit_callbacks: Any) -> None:
    worker("dead", seen_seconds_ago=600)
    running_task(expire_licences)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = task_services.recover_stale()
        second = task_services.recover_stale()

    assert len(first) == 1 and second == {}
    assert len(callbacks) == 1
    assert ChangeRecord.objects.filter(operation="core.task_resume").count() == 1


@pytest.fixture
def audit_rows_cleared_after() -> Iterator[None]:
    """Empty the append-only audit tables (triggers lifted) so the test's flush can run."""
    yield
    from jembatan.core.tests.browser import audit_triggers_lifted

    with audit_triggers_lifted(), connection.cursor() as cursor:
        for model in (ChangeRecord, AccessLog):
            cursor.execute(f"DELETE FROM {model._meta.db_table}")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
# serialized_rollback: the flush after a transactional test must not leave the reference
# data and content types of the later tests to be re-created twice.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("audit_rows_cleared_after")
def test_a_task_locked_by_another_recovery_is_skipped() -> None:
    worker("dead", seen_seconds_ago=600)
    task = running_task(expire_licences)
    from django.db import connections, transaction

    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("BEGIN")
            cursor.execute(
                f"SELECT id FROM {DBTaskResult._meta.db_table} WHERE id = %s FOR UPDATE",
                [str(task.pk)],
            )
            with transaction.atomic():
                assert task_services.recover_stale() == {}
            cursor.execute("ROLLBACK")
    finally:
        other.close()
    task.refresh_from_db()
    assert task.status == TaskResultStatus.RUNNING


def test_a_task_whose_worker_is_alive_cannot_be_resumed_by_hand() -> None:
    worker("alive", seen_seconds_ago=1)
    task = running_task(expire_licences, worker_id="alive")

    with pytest.raises(ValidationError) as refused:
        task_services.task_resume(task_id=str(task.pk), acting_user=SYSTEM_ACTOR)

    assert refused.value.code == "task_not_stale"
    task.refresh_from_db()
    assert task.status == TaskResultStatus.RUNNING
    assert not ChangeRecord.objects.filter(operation="core.task_resume").exists()


def _tasks(*args: str) -> str:
    out = io.StringIO()
    call_command("tasks", *args, stdout=out)
    return out.getvalue()


def test_the_tasks_command_lists_the_stale_first_with_kind_worker_and_record() -> None:
    run = _run(RunStatus.RUNNING)
    worker("alive", seen_seconds_ago=1)
    worker("dead", seen_seconds_ago=600)
    running_task(expire_licences, "2026-12-01", worker_id="alive")
    stale = running_task(run_matching, run.pk, worker_id="dead")

    lines = [line.split("\t") for line in _tasks().splitlines()]

    assert [(line[0], line[1], line[2], line[4], line[5]) for line in lines] == [
        (str(stale.pk), "stale", "matching run", "dead", f"run #{run.pk}"),
        (lines[1][0], "running", "daily licence run", "alive", "2026-12-01"),
    ]
    assert lines[0][3] == "660s"


def test_the_tasks_command_resumes_one_by_hand(django_capture_on_commit_callbacks: Any) -> None:
    run = _run(RunStatus.RUNNING)
    worker("dead", seen_seconds_ago=600)
    task = running_task(run_matching, run.pk)

    with django_capture_on_commit_callbacks(execute=True):
        printed = _tasks("resume", str(task.pk))

    assert printed == f"{task.pk}: {run.reference} resumed.\n"
    assert ChangeRecord.objects.get(operation="core.task_resume").actor_label == "system:cli"
    assert open_tasks() == []


def test_the_tasks_command_refuses_a_task_that_is_not_stale_with_exit_2() -> None:
    worker("alive", seen_seconds_ago=1)
    task = running_task(expire_licences, worker_id="alive")

    with pytest.raises(CommandError, match="whose worker stopped") as refused:
        _tasks("resume", str(task.pk))

    assert refused.value.returncode == 2


DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@override_settings(TASKS=DATABASE_QUEUE, JEMBATAN_WORKER_SEEN_SECONDS=180)
def test_readyz_fails_without_a_worker_seen_recently() -> None:
    worker("old", seen_seconds_ago=181)

    response = Client().get("/readyz")

    assert response.status_code == 503
    assert response.json()["checks"]["worker"] == "failed"


@override_settings(TASKS=DATABASE_QUEUE, JEMBATAN_WORKER_SEEN_SECONDS=180)
def test_readyz_is_ready_with_a_worker_seen_recently() -> None:
    worker("recent", seen_seconds_ago=170)

    response = Client().get("/readyz")

    assert response.status_code == 200
    assert response.json()["checks"]["worker"] == "ok"


@override_settings(TASKS=DATABASE_QUEUE, JEMBATAN_WORKER_SEEN_SECONDS=0)
def test_readyz_checks_no_worker_when_the_check_is_turned_off() -> None:
    assert "worker" not in Client().get("/readyz").json()["checks"]
    assert health.workers_expected() is False


def test_a_worker_restarted_under_the_same_id_resumes_what_its_old_process_left(
    django_capture_on_commit_callbacks: Any,
) -> None:
    worker("host-1", seen_seconds_ago=5)  # the old process beat just before it was killed
    task = running_task(expire_licences, worker_id="host-1")
    assert stale_task_ids() == []

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        recovered = task_services.worker_start(worker_id="host-1", host="h", pid=2)

    assert list(recovered) == [str(task.pk)] and len(callbacks) == 1
    row = TaskWorker.objects.get(worker_id="host-1")
    assert row.stopped_at is None and row.pid == 2
