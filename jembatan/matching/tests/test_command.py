"""``jembatan matching runs|resume``: resuming what a crashed worker left behind."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from jembatan.accounts.factories import UserFactory
from jembatan.core.models import ChangeRecord
from jembatan.core.roles import Role
from jembatan.matching.models import MatchingRun, Method, RunStatus

pytestmark = pytest.mark.django_db


def _run(status: str) -> MatchingRun:
    from django.utils import timezone

    return MatchingRun.objects.create(
        name="Gelombang 1",
        method=Method.STABLE,
        status=status,
        progress=60,
        created_by=UserFactory(role=Role.NATIONAL_OFFICER),
        created_at=timezone.now(),
    )


def _call(*args: str) -> str:
    out = io.StringIO()
    call_command("matching", *args, stdout=out)
    return out.getvalue()


def test_a_run_left_running_is_queued_again_and_executed(
    django_capture_on_commit_callbacks: pytest.FixtureRequest,
) -> None:
    run = _run(RunStatus.RUNNING)

    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        printed = _call("resume", run.reference)

    assert printed == f"{run.reference}: queued, queued again.\n"
    run.refresh_from_db()
    assert run.status == RunStatus.DONE  # the test backend runs the task at once
    record = ChangeRecord.objects.get(operation="matching.run_resume")
    assert record.changes == {"status": {"before": "running", "after": "queued"}}


def test_a_run_that_was_not_interrupted_is_refused_and_unchanged() -> None:
    run = _run(RunStatus.DONE)

    with pytest.raises(CommandError, match="Only a run left running or approving") as refused:
        _call("resume", str(run.pk))

    assert refused.value.returncode == 2
    run.refresh_from_db()
    assert (run.status, run.progress) == (RunStatus.DONE, 60)
    assert not ChangeRecord.objects.filter(operation="matching.run_resume").exists()


def test_an_unknown_run_exits_2() -> None:
    with pytest.raises(CommandError, match="No matching run 'MR-99999'") as refused:
        _call("resume", "MR-99999")
    assert refused.value.returncode == 2


def test_runs_are_listed_with_status_and_progress() -> None:
    run = _run(RunStatus.APPROVING)

    assert _call("runs") == f"{run.reference}\tapproving\t60%\t0/0\tGelombang 1\n"
