"""Executing a run (the task's body): build the instance, solve, store outcomes and summary.

Progress is written to the run's row outside the main transaction so that the
page polling it sees each step: loading (10%), eligibility (30%), solving (60%),
saving (80%), done (100%). The outcomes, counts and summary are written in one
transaction: a run is either finished with all its outcomes or not at all.
A failure leaves the run *failed* with a message for people (never a stack
trace; the trace goes to the log).

Each change of the run's status (started, finished with its outcomes, failed) is
recorded for the person who asked for the run; the progress ticks in between are
only for the page and are not.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any, Final

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jembatan.core.audit import record_change
from jembatan.core.metrics import MATCHING_RUN_SECONDS, timed
from jembatan.matching.building import Built, build
from jembatan.matching.engine import InstanceError, MatchingError, MatchResult, solve
from jembatan.matching.locks import lock_matching_run
from jembatan.matching.models import MatchingRun, RunOutcome, RunStatus
from jembatan.matching.summary import difference, fairness, fill_rates, previous_run
from jembatan.matching.workflows import RUN_WORKFLOW, RunAction

logger = logging.getLogger(__name__)
BATCH: Final = 2000


def set_progress(run: MatchingRun, percent: int, note: str, **fields: Any) -> None:
    """Record the current step on the run's row (visible at once to the polling page)."""
    run.progress, run.progress_note = percent, note
    for name, value in fields.items():
        setattr(run, name, value)
    MatchingRun.objects.filter(pk=run.pk).update(progress=percent, progress_note=note, **fields)


def execute_run(run_id: int) -> MatchingRun:
    """Run a queued run once; a run already started or finished is left alone (idempotent)."""
    with transaction.atomic():
        run = lock_matching_run(run_id)
        if not RUN_WORKFLOW.allows(run.status, RunAction.START):
            return run  # started or finished already: a task delivered twice does nothing
        set_progress(run, 0, _("Starting"), status=RunStatus.RUNNING, started_at=timezone.now())
        _record(run, "start", RunStatus.QUEUED)
    with timed(MATCHING_RUN_SECONDS):
        _execute_or_fail(run)
    return run


def _execute_or_fail(run: MatchingRun) -> None:
    try:
        _execute(run)
    except (InstanceError, MatchingError, ValidationError) as error:
        message = _("The matching could not be computed: %(error)s") % {"error": _text(error)}
        run_fail(run=run, message=message)
    except Exception:
        logger.exception("Matching run %s failed", run.pk)
        message = _("The run stopped because of an internal error. Nothing was saved.")
        run_fail(run=run, message=message)


def _text(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


@transaction.atomic
def run_fail(*, run: MatchingRun, message: str) -> None:
    """Record that a running run failed, with ``message`` for people (RunAction.FAIL)."""
    note = _("Failed")
    RUN_WORKFLOW.check(run.status, RunAction.FAIL, name=run.reference)
    set_progress(
        run, run.progress, note, status=RunStatus.FAILED, error=message, finished_at=timezone.now()
    )
    _record(run, "fail", RunStatus.RUNNING, reason=message)


def _record(run: MatchingRun, step: str, before: str, *, reason: str = "", **changes: Any) -> None:
    """The run's move from ``before`` to its current status, for whoever asked for the run."""
    record_change(
        acting_user=run.created_by,
        operation=f"matching.run_{step}",
        instance=run,
        action="transition",
        changes={"status": {"before": before, "after": run.status}} | changes,
        reason=reason,
    )


def _execute(run: MatchingRun) -> None:
    today = timezone.localdate()
    set_progress(run, 10, _("Loading candidates and job orders"))
    built = build(
        rounds=list(run.rounds.all()),
        job_orders=run.job_orders.all(),
        method=run.method,
        on=today,
        checking=lambda: set_progress(run, 30, _("Checking eligibility and rankings")),
    )
    set_progress(run, 60, _("Solving"), input_digest=built.digest)
    result = solve(built.instance, "optimal" if run.method == "optimal" else "stable")
    set_progress(run, 80, _("Saving the results"))
    run_finish(run=run, built=built, result=result, today=today)


@transaction.atomic
def run_finish(*, run: MatchingRun, built: Built, result: MatchResult, today: Any) -> None:
    """Store a running run's outcomes, counts and summary; the run is done (RunAction.FINISH)."""
    RUN_WORKFLOW.check(run.status, RunAction.FINISH, name=run.reference)
    assigned = _assignments(built, result)
    removed = RunOutcome.objects.filter(run=run).delete()[1]
    for batch in _outcome_batches(run, built, result, assigned):
        RunOutcome.objects.bulk_create(batch)
    placed = {pid for pid, jid in assigned.items() if jid is not None}
    counts = {jid: 0 for jid in (job.pk for job in built.job_orders)}
    for jid in assigned.values():
        if jid is not None:
            counts[jid] += 1
    run.summary = _summary(run, built, assigned, placed, counts, today)
    run.status, run.finished_at = RunStatus.DONE, timezone.now()
    run.candidates, run.placed, run.total_weight = len(assigned), len(placed), result.total_weight
    run.progress, run.progress_note = 100, _("Finished")
    run.previous_id = run.summary["diff"]["previous"] if run.summary["diff"] else None
    run.save()
    outcomes = {"before": removed.get(RunOutcome._meta.label, 0), "after": len(assigned)}
    _record(run, "finish", RunStatus.RUNNING, outcomes=outcomes, placed=len(placed))


def _assignments(built: Built, result: MatchResult) -> dict[int, int | None]:
    """Participant id → job order id (None when unplaced)."""
    jobs = [job.pk for job in built.job_orders]
    return {
        pid: (jobs[j] if j >= 0 else None)
        for pid, j in zip(built.participant_ids, result.assigned_job.tolist(), strict=True)
    }


def _outcome_batches(
    run: MatchingRun, built: Built, result: MatchResult, assigned: dict[int, int | None]
) -> Iterator[list[RunOutcome]]:
    """One outcome per candidate, ``BATCH`` at a time: the engine's explanation and, for
    the unplaced, the job orders they were not eligible for with the requirements not met.

    Explained a batch at a time (``MatchResult.explanations(positions)`` gives what the
    whole run's would for them): a run of 50,000 candidates never holds every detail of
    every candidate at once. Details are stored by column (the engine's ``columns``):
    the job orders an unplaced candidate preferred run to hundreds on a large run.
    """
    ineligible = _Ineligible(built)
    weights = result.instance.weight
    edges = result.assigned_edge.tolist()
    ids = built.participant_ids
    for start in range(0, len(ids), BATCH):
        end = min(start + BATCH, len(ids))
        explanations = result.explanations(list(range(start, end)), columns=True)
        yield [
            RunOutcome(
                run=run,
                participant_id=pid,
                job_order_id=assigned[pid],
                reason=str(explanation["reason"]),
                weight=float(weights[edge]) if edge >= 0 else None,
                # What kept an unplaced candidate out; a placed one needs no list of the rest
                # (on a large run it would be most of the stored bytes).
                explanation=explanation
                | {
                    "ineligible": ineligible.of(pid) if edge < 0 else [],
                    "accepted_at": built.accepted_at.get(pid, []),
                    "placed_trained": assigned[pid] in built.trained_for.get(pid, []),
                },
            )
            for pid, edge, explanation in zip(
                ids[start:end], edges[start:end], explanations, strict=True
            )
        ]


class _Ineligible:
    """A candidate's job orders not eligible, grouped by the requirements not met.

    Stored as ``[{"job_orders": [12, 15], "unmet": [...]}, ...]``, groups in the order
    of their first job order: the same few requirements (an age, a JLPT level) keep
    most job orders out, and repeating them for each was half a run's stored bytes.
    Candidates of the same profile share one list of reasons (``building.eligibility``),
    so each list is grouped once.
    """

    def __init__(self, built: Built) -> None:
        self.built = built
        # By the list's identity; holding the list keeps that identity from being reused.
        self.grouped: dict[int, tuple[object, list[dict[str, Any]]]] = {}

    def of(self, pid: int) -> list[dict[str, Any]]:
        reasons = self.built.ineligible.get(pid)
        if not reasons:
            return []
        if id(reasons) not in self.grouped:
            self.grouped[id(reasons)] = (reasons, _grouped(reasons))
        return self.grouped[id(reasons)][1]


def _grouped(reasons: list[dict[str, Any]]) -> list[dict[str, Any]]:
    groups: dict[str, dict[str, Any]] = {}
    for entry in reasons:
        key = json.dumps(entry["unmet"], sort_keys=True)
        group = groups.setdefault(key, {"job_orders": [], "unmet": entry["unmet"]})
        group["job_orders"].append(entry["job_order"])
    return list(groups.values())


def _summary(
    run: MatchingRun,
    built: Built,
    assigned: dict[int, int | None],
    placed: set[int],
    counts: dict[int, int],
    today: Any,
) -> dict[str, Any]:
    job_rows, partner_rows = fill_rates(built.job_orders, built.available, counts)
    open_ids = {job.pk for job in built.job_orders}
    return {
        "job_orders": job_rows,
        "partners": partner_rows,
        "fairness": fairness(built.participant_ids, placed, today),
        "diff": difference(previous_run(run), assigned),
        "dropped_job_orders": sorted(
            pk for pk in run.job_orders.values_list("pk", flat=True) if pk not in open_ids
        ),
    }
