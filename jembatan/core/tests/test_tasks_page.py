"""``/tugas/``: the background tasks for the national administrator, and resuming a stale one."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from jembatan.core.models import ChangeRecord, ImportJob
from jembatan.core.selectors import tasks_page
from jembatan.core.tests.dead_workers import running_task, worker
from jembatan.organisations.tasks import expire_licences
from jembatan.participants.tasks import run_participant_import

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture(autouse=True)
def english(settings: Any) -> None:
    settings.LANGUAGE_CODE = "en"


def _import_job(operator: Any, *, status: str = ImportJob.Status.RUNNING) -> ImportJob:
    return ImportJob.objects.create(
        kind=ImportJob.Kind.PARTICIPANTS,
        status=status,
        created_by=operator,
        created_by_label=operator.username,
        organisation=operator.organisation,
        file_name="peserta.xlsx",
        sha256="0" * 64,
        rows_total=200,
        rows_checked=50,
    )


def test_the_admin_sees_kind_record_state_progress_and_heartbeat_age(
    national_admin, sender_operator, client_for
) -> None:
    worker("w-alive", seen_seconds_ago=5)
    job = _import_job(sender_operator)
    task = running_task(run_participant_import, job.pk, worker_id="w-alive")

    response = client_for(national_admin).get(reverse("core:tasks"), **EN)

    assert response.status_code == 200
    row = tasks_page(status="open", after=None).items[0]
    assert (row.id, row.state, str(row.label), row.record) == (
        str(task.pk),
        "running",
        "participant import",
        f"import #{job.pk}",
    )
    assert row.progress == 25
    assert 5 <= row.heartbeat_seconds < 60
    assert not row.stale
    html = response.content.decode()
    assert f"import #{job.pk}" in html and 'value="25"' in html
    assert "task-resume" not in html  # a live task cannot be resumed


def test_a_task_whose_worker_died_is_flagged_stale_with_the_resume_button(
    national_admin, client_for
) -> None:
    worker("w-dead", seen_seconds_ago=600)
    task = running_task(expire_licences, worker_id="w-dead")

    html = client_for(national_admin).get(reverse("core:tasks"), **EN).content.decode()

    assert "stale: its worker stopped" in html
    assert reverse("core:task_resume", args=[task.pk]) in html


def test_the_admin_resumes_a_stale_task_and_it_is_recorded(national_admin, client_for) -> None:
    task = running_task(expire_licences, worker_id="w-dead")

    response = client_for(national_admin).post(reverse("core:task_resume", args=[task.pk]), **EN)

    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == TaskResultStatus.FAILED  # the dead run; its work is queued again
    resumed = ChangeRecord.objects.get(operation="core.task_resume")
    assert resumed.actor_label == national_admin.username
    assert resumed.object_repr.startswith(f"{expire_licences.module_path}: ")


def test_resuming_a_live_task_is_refused_and_changes_nothing(national_admin, client_for) -> None:
    worker("w-alive", seen_seconds_ago=5)
    task = running_task(expire_licences, worker_id="w-alive")

    response = client_for(national_admin).post(
        reverse("core:task_resume", args=[task.pk]), follow=True, **EN
    )

    assert "Only a running task whose worker stopped can be resumed." in response.content.decode()
    task.refresh_from_db()
    assert task.status == TaskResultStatus.RUNNING
    assert not ChangeRecord.objects.filter(operation="core.task_resume").exists()


@pytest.mark.parametrize("who", ["national_officer", "sender_operator", "auditor"])
def test_nobody_but_the_national_admin_opens_or_resumes_tasks(
    who: str, request: pytest.FixtureRequest, client_for
) -> None:
    task = running_task(expire_licences, worker_id="w-dead")
    client = client_for(request.getfixturevalue(who))

    assert client.get(reverse("core:tasks")).status_code == 403
    assert client.post(reverse("core:task_resume", args=[task.pk])).status_code == 403
    task.refresh_from_db()
    assert task.status == TaskResultStatus.RUNNING


def test_the_service_refuses_a_person_who_is_not_the_national_admin(national_officer) -> None:
    from django.core.exceptions import PermissionDenied

    from jembatan.core.services.tasks import task_resume

    task = running_task(expire_licences, worker_id="w-dead")
    with pytest.raises(PermissionDenied):
        task_resume(task_id=str(task.pk), acting_user=national_officer)
    task.refresh_from_db()
    assert task.status == TaskResultStatus.RUNNING


def test_the_list_pages_by_keyset_newest_first_without_repeating_a_task() -> None:
    now = timezone.now()
    made = []
    for minutes in range(5):
        task = running_task(expire_licences, worker_id="w")
        DBTaskResult.objects.filter(pk=task.pk).update(
            enqueued_at=now - dt.timedelta(minutes=minutes)
        )
        made.append(str(task.pk))
    from jembatan.core.selectors import parse_task_cursor

    first = tasks_page(status="open", after=None, size=2)
    second = tasks_page(status="open", after=parse_task_cursor(first.next_cursor), size=2)
    third = tasks_page(status="open", after=parse_task_cursor(second.next_cursor), size=2)

    seen = [r.id for page in (first, second, third) for r in page.items]
    assert seen == made
    assert third.next_cursor is None


def test_the_failed_filter_lists_only_failed_tasks(national_admin, client_for) -> None:
    failed = running_task(expire_licences, worker_id="w")
    DBTaskResult.objects.filter(pk=failed.pk).update(status=TaskResultStatus.FAILED)
    running_task(expire_licences, worker_id="w")

    assert [r.id for r in tasks_page(status="failed", after=None).items] == [str(failed.pk)]
    response = client_for(national_admin).get(reverse("core:tasks") + "?status=failed", **EN)
    assert response.status_code == 200


def test_the_import_page_says_when_its_task_is_stale(
    sender_operator, national_admin, client_for
) -> None:
    job = _import_job(sender_operator)
    running_task(run_participant_import, job.pk, worker_id="w-dead")
    url = reverse("imports:detail", args=[job.pk])

    operator_page = client_for(sender_operator).get(url, **EN).content.decode()
    admin_page = client_for(national_admin).get(url, **EN).content.decode()

    assert "The task worker running this import stopped." in operator_page
    assert reverse("core:tasks") not in operator_page.split("import-stale", 1)[1].split("</p>")[0]
    assert reverse("core:tasks") in admin_page.split("import-stale", 1)[1].split("</p>")[0]


def test_the_import_page_says_nothing_while_its_worker_beats(sender_operator, client_for) -> None:
    worker("w-alive", seen_seconds_ago=5)
    job = _import_job(sender_operator)
    running_task(run_participant_import, job.pk, worker_id="w-alive")

    page = client_for(sender_operator).get(reverse("imports:detail", args=[job.pk]), **EN)

    assert "import-stale" not in page.content.decode()
