"""Every move outside the matching run's table is refused and changes nothing.

Moves a person takes (approve, discard) and the console's (resume) are refused
with an error. The tasks' own moves are idempotent: asked to run or approve a
run that is not queued or approving, the task leaves it alone without error
(a task may be delivered twice). Finishing and failing are taken only inside
the run task; their services check the table first, before reading anything
else, so they are attempted here directly.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from jembatan.accounts.models import User
from jembatan.core.models import ChangeRecord
from jembatan.core.transitions import SYSTEM_ACTOR, TransitionRefused, illegal_moves
from jembatan.matching.models import MatchingRun, Method, RunOutcome
from jembatan.matching.services.approval import execute_approval
from jembatan.matching.services.execution import execute_run, run_fail, run_finish
from jembatan.matching.services.runs import run_approve, run_discard, run_resume
from jembatan.matching.workflows import RUN_WORKFLOW, RunAction

pytestmark = pytest.mark.django_db
LEFT_ALONE = {RunAction.START: execute_run, RunAction.PLACE: execute_approval}
LEFT_ALONE[RunAction.APPROVAL_REFUSED] = execute_approval


def _state(run: MatchingRun) -> tuple[Any, ...]:
    fresh = MatchingRun.objects.get(pk=run.pk)
    return (
        fresh.status,
        fresh.progress,
        fresh.progress_note,
        fresh.decided_at,
        RunOutcome.objects.count(),
        ChangeRecord.objects.count(),
    )


def _attempt(run: MatchingRun, action: RunAction, officer: User) -> None:
    if action == RunAction.APPROVE:
        run_approve(run=run, acting_user=officer)
    elif action == RunAction.DISCARD:
        run_discard(run=run, reason="Wrong job orders.", acting_user=officer)
    elif action == RunAction.RESUME:
        run_resume(run=run, acting_user=SYSTEM_ACTOR)
    elif action == RunAction.FAIL:
        run_fail(run=run, message="The engine stopped.")
    else:  # FINISH: refused before the engine's results are read
        run_finish(run=run, built=None, result=None, today=timezone.localdate())  # type: ignore[arg-type]


@pytest.mark.parametrize(("status", "action"), list(illegal_moves(RUN_WORKFLOW)))
def test_a_run_move_the_table_does_not_allow_is_refused_and_changes_nothing(
    status: str, action: RunAction, national_officer: User
) -> None:
    run = MatchingRun.objects.create(
        name="Gelombang 1",
        method=Method.STABLE,
        status=status,
        progress=60,
        progress_note="Solving",
        created_by=national_officer,
        created_at=timezone.now(),
    )
    before = _state(run)

    if action in LEFT_ALONE:
        assert LEFT_ALONE[action](run.pk).status == status
    else:
        with pytest.raises(TransitionRefused):
            _attempt(run, action, national_officer)

    assert _state(run) == before
