"""Approving a run in the background: all of its placements, or none with the reasons.

The officer's click (services.run_approve) re-checks the run against the
database, marks it *approving* and queues :func:`execute_approval` once the
click's transaction commits. The task re-checks again (the world may have moved
between the click and the worker), then proposes and confirms each placement as
the approving officer and moves each candidate to *matched*, naming the run.

Design: all or nothing in ONE transaction, progress only before and after it.
Every placement and journey move goes through the demand and participants
services (their checks, slot counting, status rows and change records), so a
run's placements are made in one transaction that commits or rolls back as a
whole. Progress written inside it would stay invisible until it commits (and
on SQLite a second connection cannot write while it runs), while splitting it
into committed chunks would leave half a run approved when something fails. So
the worker first commits a note "creating N placements, started at HH:MM" that
the run page shows (polling, with an indeterminate bar) and then does the work;
the run turns *approved* when the transaction commits. When the re-check finds
a change, or anything fails, the transaction rolls back, nothing is created and
the run goes back to *finished: awaiting approval* with ``approval_error`` saying
why (shown on the run page). While the transaction runs the run's row is locked,
so a second worker given the same task waits and then finds the run approved.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jembatan.core.audit import record_change
from jembatan.demand.locks import lock_job_orders
from jembatan.demand.models import JobOrder, Placement
from jembatan.demand.rules import ensure_job_order_open
from jembatan.demand.services.placements import placement_offer
from jembatan.matching.building import LIVE, free_slots, with_available_slots
from jembatan.matching.errors import MatchingErrorCode
from jembatan.matching.locks import lock_matching_run, lock_matching_run_with_decider
from jembatan.matching.models import MatchingRun, RunOutcome, RunStatus
from jembatan.matching.workflows import RUN_WORKFLOW, RunAction
from jembatan.participants.models import JourneyStatus, Participant
from jembatan.participants.services.registry import participant_transition
from jembatan.participants.workflows import JourneyAction

logger = logging.getLogger(__name__)
BATCH = 2000


# --- the re-check (a few queries, whatever the run's size) --------------------------------------


class StaleRun(ValidationError):
    """The run's assignments can no longer all be made; the messages say what changed."""


def assignments(run: MatchingRun) -> dict[int, int]:
    """The run's placed candidates: participant id → job order id."""
    rows = RunOutcome.objects.filter(run=run, job_order__isnull=False)
    return {pid: jid for pid, jid in rows.values_list("participant_id", "job_order_id") if jid}


def _job_order_changes(wanted: Mapping[int, int], *, lock: bool) -> list[str]:
    """Job orders of the run that closed, or have fewer free slots than it assigns."""
    ids = sorted(wanted)
    if lock:
        # Lock first (PostgreSQL refuses FOR UPDATE with the counts' GROUP BY), then count.
        lock_job_orders(ids)
    changes = []
    for row in with_available_slots(JobOrder.objects.filter(pk__in=ids)).order_by("pk"):
        try:
            ensure_job_order_open(row)
        except ValidationError as error:
            changes.extend(error.messages)
            continue
        free = free_slots(row)
        if free < wanted[row.pk]:
            changes.append(
                _(
                    "Job order %(reference)s now has %(free)s free slots; the run assigns "
                    "%(wanted)s people to it."
                )
                % {"reference": row.reference, "free": free, "wanted": wanted[row.pk]}
            )
    return changes


def _participant_changes(ids: Sequence[int]) -> list[str]:
    """Assigned candidates no longer selected, archived, or placed in the meantime."""
    taken = set(
        Placement.objects.filter(participant_id__in=ids, status__in=LIVE).values_list(
            "participant_id", flat=True
        )
    )
    rows = Participant.objects.filter(pk__in=ids).only("pk", "full_name", "status", "archived_at")
    changes = []
    for row in rows.order_by("pk"):
        if row.archived_at is not None or row.status != JourneyStatus.SELECTED:
            changes.append(
                _("%(name)s is no longer selected (now: %(status)s).")
                % {"name": row.full_name, "status": row.get_status_display().lower()}
            )
        elif row.pk in taken:
            changes.append(
                _("%(name)s has been proposed for or placed on a job order since the run.")
                % {"name": row.full_name}
            )
    return changes


def ensure_unchanged(placed: Mapping[int, int], *, lock: bool) -> None:
    """Refuse, naming every change, unless every assignment can still be made.

    ``placed`` maps participant id → job order id. With ``lock`` the job orders
    stay locked until the transaction ends (the task); the click reads without
    locks, so it never waits for another run's approval to commit.
    """
    job_orders = _job_order_changes(Counter(placed.values()), lock=lock)
    changes = job_orders + _participant_changes(list(placed))
    if changes:
        raise StaleRun(
            [
                _(
                    "Things changed since this run; nothing was approved. Start a new run. "
                    "What changed:"
                ),
                *changes,
            ],
            code=MatchingErrorCode.STALE_RUN,
        )


# --- the task's body ----------------------------------------------------------------------------


def execute_approval(run_id: int) -> MatchingRun:
    """Create the placements of an *approving* run, all or none; any other run is left alone."""
    run = _start(run_id)
    if not RUN_WORKFLOW.allows(run.status, RunAction.PLACE):
        return run  # not approving: a task delivered twice does nothing
    try:
        return _approve(run_id)
    except StaleRun as error:
        return _back_to_done(run_id, _text(error))
    except (ValidationError, PermissionDenied) as error:
        return _back_to_done(run_id, _("Nothing was approved: %(error)s") % {"error": _text(error)})
    except Exception:
        logger.exception("Approval of matching run %s failed", run_id)
        return _back_to_done(
            run_id, _("The approval stopped because of an internal error. Nothing was created.")
        )


def _text(error: ValidationError | PermissionDenied) -> str:
    if isinstance(error, ValidationError):
        return "\n".join(error.messages)
    return str(error)


@transaction.atomic
def _start(run_id: int) -> MatchingRun:
    """Say (committed at once, so the page shows it) how many placements are being made."""
    run = lock_matching_run(run_id)
    if run.status == RunStatus.APPROVING:
        count = RunOutcome.objects.filter(run=run, job_order__isnull=False).count()
        started = formats.time_format(timezone.localtime(), "H:i")
        note = ngettext(
            "Creating %(count)s placement (started at %(time)s)",
            "Creating %(count)s placements (started at %(time)s)",
            count,
        ) % {
            "count": formats.number_format(count, force_grouping=True),
            "time": started,
        }
        run.progress_note = note[:200]
        run.save(update_fields=["progress_note"])
    return run


def _placed_outcomes(run: MatchingRun) -> list[RunOutcome]:
    return list(
        RunOutcome.objects.filter(run=run, job_order__isnull=False)
        .select_related("participant", "job_order")
        .order_by("job_order_id", "participant_id")
    )


@transaction.atomic
def _approve(run_id: int) -> MatchingRun:
    """Re-check, then every placement and journey move; the run approved (one transaction)."""
    run = lock_matching_run_with_decider(run_id)
    if run.status != RunStatus.APPROVING:
        return run
    outcomes = _placed_outcomes(run)
    ensure_unchanged(
        {o.participant_id: o.job_order_id for o in outcomes if o.job_order_id}, lock=True
    )
    for outcome in outcomes:
        _approve_one(run, outcome, run.decided_by)
    RunOutcome.objects.bulk_update(outcomes, ["placement"], batch_size=BATCH)
    return _finish(run, RunStatus.APPROVED, "", _("Placements created"))


def _approve_one(run: MatchingRun, outcome: RunOutcome, acting_user: Any) -> None:
    assert outcome.job_order is not None
    # Offered to the partner, who confirms or declines (with a reason) on its placements page.
    placement = placement_offer(
        job_order=outcome.job_order, participant=outcome.participant, acting_user=acting_user
    )
    reason = _("Matched to job order %(reference)s by matching run %(run)s (%(name)s).") % {
        "reference": outcome.job_order.reference,
        "run": run.reference,
        "name": run.name,
    }
    participant_transition(
        participant=outcome.participant,
        action=JourneyAction.MATCH,
        acting_user=acting_user,
        reason=reason,
    )
    outcome.placement = placement


@transaction.atomic
def _back_to_done(run_id: int, message: str) -> MatchingRun:
    """After a rollback: the run awaits a decision again, saying why nothing was created."""
    run = lock_matching_run_with_decider(run_id)
    if run.status != RunStatus.APPROVING:
        return run
    return _finish(run, RunStatus.DONE, message, _("Finished"))


def _finish(run: MatchingRun, status: str, error: str, note: str) -> MatchingRun:
    """Leave *approving* for ``status``; a failure forgets who decided (the record keeps it)."""
    action = RunAction.PLACE if status == RunStatus.APPROVED else RunAction.APPROVAL_REFUSED
    RUN_WORKFLOW.check(run.status, action, name=run.reference)
    acting_user = run.decided_by
    run.status, run.approval_error, run.progress, run.progress_note = status, error, 100, note
    if status != RunStatus.APPROVED:
        run.decided_by, run.decided_at = None, None
    run.save(
        update_fields=[
            "status",
            "approval_error",
            "progress",
            "progress_note",
            "decided_by",
            "decided_at",
        ]
    )
    operation = "finish" if status == RunStatus.APPROVED else "fail"
    record_change(
        acting_user=acting_user,
        operation=f"matching.run_approval_{operation}",
        instance=run,
        action="transition",
        changes={"status": {"before": RunStatus.APPROVING, "after": status}},
        reason=error,
    )
    return run
