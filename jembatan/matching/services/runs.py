"""The only writers of matching: create, approve and discard runs; save a candidate's ranking.

Approval is all or nothing. It re-checks every assignment of the run against
the database as it is now (the job order still open with enough free slots, the
candidate still *selected* without a live placement); if anything changed it
refuses, names what changed and asks for a new run. Otherwise the run becomes
*approving* and a task creates the placements (see :mod:`jembatan.matching.approval`).
The run's row is locked first, so a second approval waits and then finds the
run approving or approved.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jembatan.core.access import role_of
from jembatan.core.audit import record_change
from jembatan.core.logs import enqueue
from jembatan.core.roles import NATIONAL
from jembatan.core.transitions import TransitionRefused
from jembatan.demand.models import JobOrder
from jembatan.demand.rules import ensure_job_order_open
from jembatan.matching.building import free_slots, with_available_slots
from jembatan.matching.errors import MatchingErrorCode
from jembatan.matching.locks import lock_matching_run
from jembatan.matching.models import (
    CandidatePreference,
    MatchingRun,
    Method,
    RunStatus,
)
from jembatan.matching.services.approval import assignments, ensure_unchanged
from jembatan.matching.workflows import RUN_WORKFLOW, RunAction
from jembatan.participants.locks import lock_participant
from jembatan.participants.models import Participant
from jembatan.selection.models import RoundStatus, SelectionRound


def _require_national(acting_user: Any) -> None:
    if role_of(acting_user) not in NATIONAL:
        raise PermissionDenied(_("Only national officers run, approve or discard matchings."))


def _enqueue(run_id: int) -> None:
    from jembatan.matching.tasks import run_matching

    enqueue(run_matching, run_id)


def _enqueue_approval(run_id: int) -> None:
    from jembatan.matching.tasks import approve_matching

    enqueue(approve_matching, run_id)


# --- creating a run -----------------------------------------------------------------------------


def _check_rounds(rounds: Sequence[SelectionRound]) -> None:
    if not rounds:
        raise ValidationError({"rounds": _("Choose at least one closed selection round.")})
    not_closed = [r.name for r in rounds if r.status != RoundStatus.CLOSED]
    if not_closed:
        raise ValidationError(
            {
                "rounds": _("Only closed rounds have a final ranking; not closed: %(rounds)s.")
                % {"rounds": ", ".join(not_closed)}
            }
        )


def _check_job_orders(job_orders: Sequence[JobOrder]) -> None:
    if not job_orders:
        raise ValidationError({"job_orders": _("Choose at least one approved job order.")})
    rows = with_available_slots(JobOrder.objects.filter(pk__in=[j.pk for j in job_orders]))
    errors: list[str] = []
    for row in rows.order_by("pk"):
        try:
            ensure_job_order_open(row)
        except ValidationError as error:
            errors.extend(error.messages)
            continue
        if free_slots(row) <= 0:
            errors.append(
                _("Job order %(reference)s has no free slot left.") % {"reference": row.reference}
            )
    if errors:
        raise ValidationError({"job_orders": errors})


@transaction.atomic
def run_create(
    *,
    name: str,
    method: str,
    rounds: Sequence[SelectionRound],
    job_orders: Sequence[JobOrder],
    acting_user: Any,
) -> MatchingRun:
    """Queue a matching run; the task starts once the transaction commits."""
    _require_national(acting_user)
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": _("Give the run a name (e.g. the partner and month).")})
    if method not in Method.values:
        raise ValidationError({"method": _("Choose the optimal or the stable method.")})
    _check_rounds(rounds)
    _check_job_orders(job_orders)
    run = MatchingRun.objects.create(
        name=name, method=method, created_by=acting_user, created_at=timezone.now()
    )
    run.rounds.set(rounds)
    run.job_orders.set(job_orders)
    record_change(
        acting_user=acting_user,
        operation="matching.run_create",
        instance=run,
        action="create",
        changes={"status": {"before": None, "after": run.status}, "method": method},
    )
    transaction.on_commit(lambda: _enqueue(run.pk))
    return run


# --- deciding on a run --------------------------------------------------------------------------


def _locked_done(run: MatchingRun, action: RunAction) -> MatchingRun:
    """The run's row, locked, if it awaits a decision; never waits on the approval's task."""
    try:
        # NOWAIT (PostgreSQL): the task holds the row while it places everyone, minutes at times.
        locked = lock_matching_run(run.pk, nowait=True)
    except OperationalError:
        raise ValidationError(
            _(
                "This run is being approved or decided right now; reload the page in a moment "
                "to see how it ended."
            ),
            code=MatchingErrorCode.BUSY,
        ) from None
    RUN_WORKFLOW.check(
        locked.status,
        action,
        refusal=lambda: TransitionRefused(
            _("Only a finished run awaiting approval can be decided; this one is: %(status)s.")
            % {"status": locked.get_status_display().lower()},
            code=MatchingErrorCode.NOT_DONE,
        ),
    )
    return locked


@transaction.atomic
def run_approve(*, run: MatchingRun, acting_user: Any) -> MatchingRun:
    """Approve a finished run: refused at once if anything changed, else queued to be placed.

    The placements are created, all or none, by approval.execute_approval in a
    task queued once this transaction commits.
    """
    _require_national(acting_user)
    locked = _locked_done(run, RunAction.APPROVE)
    ensure_unchanged(assignments(locked), lock=False)
    locked.approval_error, locked.progress, locked.progress_note = "", 0, _("Waiting to start")
    locked.save(update_fields=["approval_error", "progress", "progress_note"])
    decided = _record_decision(locked, RunStatus.APPROVING, acting_user, "")
    transaction.on_commit(lambda: _enqueue_approval(decided.pk))
    return decided


@transaction.atomic
def run_discard(*, run: MatchingRun, reason: str, acting_user: Any) -> MatchingRun:
    """Set a finished run aside with a reason; nothing is placed."""
    _require_national(acting_user)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the run is discarded.")})
    locked = _locked_done(run, RunAction.DISCARD)
    return _record_decision(locked, RunStatus.DISCARDED, acting_user, reason)


def _record_decision(run: MatchingRun, status: str, acting_user: Any, note: str) -> MatchingRun:
    """Write the officer's decision on a locked run: approving (queued) or discarded."""
    before = run.status
    run.status, run.decided_by, run.decided_at, run.decision_note = (
        status,
        acting_user,
        timezone.now(),
        note,
    )
    run.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    record_change(
        acting_user=acting_user,
        operation=f"matching.run_{'approve' if status == RunStatus.APPROVING else 'discard'}",
        instance=run,
        action="transition",
        changes={"status": {"before": before, "after": status}},
        reason=note,
    )
    return run


# --- a candidate's ranking ----------------------------------------------------------------------


def _check_ranking(ranking: Mapping[int, int], allowed: Mapping[int, JobOrder]) -> None:
    """Ranks are positive, distinct and given only to job orders the candidate may choose."""
    unknown = sorted(set(ranking) - set(allowed))
    if unknown:
        raise ValidationError(
            _("You can rank only job orders you are eligible for; not eligible: %(ids)s.")
            % {"ids": ", ".join(f"JO-{pk:06d}" for pk in unknown)},
            code=MatchingErrorCode.NOT_ELIGIBLE,
        )
    if any(rank < 1 for rank in ranking.values()):
        raise ValidationError(
            _("Ranks start at 1 (your first choice)."), code=MatchingErrorCode.RANK_POSITIVE
        )
    by_rank: dict[int, list[str]] = {}
    for pk, rank in ranking.items():
        by_rank.setdefault(rank, []).append(allowed[pk].reference)
    tied = [(rank, refs) for rank, refs in sorted(by_rank.items()) if len(refs) > 1]
    if tied:
        raise ValidationError(
            [
                _("Each rank may be given once: rank %(rank)s is given to %(orders)s.")
                % {"rank": rank, "orders": ", ".join(sorted(refs))}
                for rank, refs in tied
            ],
            code=MatchingErrorCode.RANK_TIED,
        )


@transaction.atomic
def preferences_save(
    *,
    participant: Participant,
    ranking: Mapping[int, int],
    eligible: Sequence[JobOrder],
    acting_user: Any,
) -> list[CandidatePreference]:
    """Replace the candidate's ranking: ``{job order id: rank}`` over ``eligible``, renumbered."""
    if getattr(acting_user, "pk", None) != participant.user_id:
        raise PermissionDenied(_("Only the candidate ranks their own job orders."))
    lock_participant(participant.pk)
    _check_ranking(ranking, {job.pk: job for job in eligible})
    before = list(
        CandidatePreference.objects.filter(participant=participant).values_list(
            "job_order_id", flat=True
        )
    )
    CandidatePreference.objects.filter(participant=participant).delete()
    ordered = sorted(ranking, key=lambda pk: ranking[pk])
    saved = CandidatePreference.objects.bulk_create(
        CandidatePreference(participant=participant, job_order_id=pk, rank=position)
        for position, pk in enumerate(ordered, start=1)
    )
    record_change(
        acting_user=acting_user,
        operation="matching.preferences_save",
        instance=participant,
        action="update",
        changes={"job_order_preferences": {"before": before, "after": ordered}},
    )
    return saved


# --- after a crash ------------------------------------------------------------------------------


@transaction.atomic
def run_resume(*, run: MatchingRun, acting_user: Any) -> MatchingRun:
    """Queue again the work of a run a crashed worker left *running* or *approving*.

    Both tasks are idempotent: a *running* run goes back to *queued* (its outcomes are
    written in one transaction, so a crash left none), an *approving* run gets its
    approval task again (the placements are created all or none). Only for runs no
    worker is executing any more, e.g. after the worker was killed.
    """
    locked = lock_matching_run(run.pk)
    before = locked.status
    RUN_WORKFLOW.check(
        before,
        RunAction.RESUME,
        refusal=lambda: TransitionRefused(
            _("Only a run left running or approving can be resumed; %(run)s is %(status)s.")
            % {"run": locked.reference, "status": locked.get_status_display().lower()},
            code=MatchingErrorCode.NOT_INTERRUPTED,
        ),
    )
    if before == RunStatus.RUNNING:
        locked.status, locked.progress = RunStatus.QUEUED, 0
        locked.progress_note = _("Queued again after an interruption")
        locked.save(update_fields=["status", "progress", "progress_note"])
        transaction.on_commit(lambda: _enqueue(locked.pk))
    else:
        transaction.on_commit(lambda: _enqueue_approval(locked.pk))
    record_change(
        acting_user=acting_user,
        operation="matching.run_resume",
        instance=locked,
        action="transition",
        changes={"status": {"before": before, "after": locked.status}},
    )
    return locked


@transaction.atomic
def run_recover(*, run_id: int, acting_user: Any) -> str:
    """Resume the run whose task's worker died (core/task_recovery.py), in words.

    A run left running or approving is resumed (``run_resume``); a run still queued
    (the worker died before starting it) gets its task again; a finished one nothing.
    """
    run = lock_matching_run(run_id)
    if RUN_WORKFLOW.allows(run.status, RunAction.RESUME):
        run_resume(run=run, acting_user=acting_user)
        return _("%(run)s resumed.") % {"run": run.reference}
    if run.status == RunStatus.QUEUED:
        transaction.on_commit(lambda: _enqueue(run.pk))
        return _("%(run)s queued again.") % {"run": run.reference}
    return _("Nothing to do: %(run)s is %(status)s.") % {
        "run": run.reference,
        "status": run.get_status_display().lower(),
    }
