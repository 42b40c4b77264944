"""A matching run's life, as a workflow table.

A national officer creates a run (*queued*); the task runs it (*running*) to
*done* or *failed*. An officer approves a done run (*approving*: a task creates
the placements, all or none, then *approved*, or back to *done* saying why
nothing was created) or discards it with a reason. A run a crashed worker left
running or approving is resumed from the console (``jembatan matching resume``).

The tasks are idempotent: asked to run or approve a run that is not queued or
approving, they leave it alone (no error: a task may be delivered twice).
"""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from jembatan.core.roles import NATIONAL, Role
from jembatan.core.transitions import Transition, Workflow, register
from jembatan.matching.models import RunStatus


class RunAction(StrEnum):
    """What happens to a matching run."""

    START = "start"
    FINISH = "finish"
    FAIL = "fail"
    APPROVE = "approve"
    DISCARD = "discard"
    PLACE = "place"
    APPROVAL_REFUSED = "approval_refused"
    RESUME = "resume"


NOBODY: frozenset[Role] = frozenset()  # the system alone: a task, or the console

RUN_WORKFLOW: Workflow[RunAction, RunStatus] = Workflow(
    statuses=RunStatus,
    noun=_("matching run"),
    transitions={
        RunAction.START: Transition(
            _("start the run"),
            frozenset({RunStatus.QUEUED}),
            RunStatus.RUNNING,
            NOBODY,
            system=True,
            effects="execute_run (the task): started_at; recorded as matching.run_start.",
        ),
        RunAction.FINISH: Transition(
            _("finish the run"),
            frozenset({RunStatus.RUNNING}),
            RunStatus.DONE,
            NOBODY,
            system=True,
            effects=(
                "execute_run: the outcomes (replacing any), counts, fill rates, fairness and "
                "the difference from the previous run, in one transaction; matching.run_finish."
            ),
        ),
        RunAction.FAIL: Transition(
            _("record the run as failed"),
            frozenset({RunStatus.RUNNING}),
            RunStatus.FAILED,
            NOBODY,
            system=True,
            effects="execute_run: the error for people (the trace goes to the log); run_fail.",
        ),
        RunAction.APPROVE: Transition(
            _("approve the run"),
            frozenset({RunStatus.DONE}),
            RunStatus.APPROVING,
            NATIONAL,
            conditions=("nothing the run read has changed since (job orders, participants)",),
            effects="run_approve: who and when; the approval task queued after commit.",
        ),
        RunAction.DISCARD: Transition(
            _("discard the run"),
            frozenset({RunStatus.DONE}),
            RunStatus.DISCARDED,
            NATIONAL,
            needs_reason=True,
            effects="run_discard: who, when and why; nothing is placed.",
        ),
        RunAction.PLACE: Transition(
            _("create the placements"),
            frozenset({RunStatus.APPROVING}),
            RunStatus.APPROVED,
            NOBODY,
            system=True,
            effects=(
                "execute_approval (the task): a confirmed placement per placed candidate and "
                "the journey to matched, all or none; matching.run_approval_finish."
            ),
        ),
        RunAction.APPROVAL_REFUSED: Transition(
            _("return the run for a decision"),
            frozenset({RunStatus.APPROVING}),
            RunStatus.DONE,
            NOBODY,
            system=True,
            effects=(
                "execute_approval: nothing created, the reason kept (approval_error), who "
                "decided forgotten; matching.run_approval_fail."
            ),
        ),
        # No fixed target: a running run goes back to queued, an approving one stays.
        RunAction.RESUME: Transition(
            _("resume the run"),
            frozenset({RunStatus.RUNNING, RunStatus.APPROVING}),
            None,
            NOBODY,
            system=True,
            conditions=("no worker executes it any more",),
            effects=(
                "run_resume (the console): a running run back to queued with its progress "
                "reset and the run task queued again; an approving run's approval task "
                "queued again."
            ),
        ),
    },
)
register("matching.MatchingRun", "status", RUN_WORKFLOW)
