"""Benchmark of approving a matching run: the officer's click and the task that places everyone.

Usage::

    .venv/bin/python bench/matching_approval.py [--sizes 1000,5000] [--jobs 50] [--quick]

For each size N a temporary folder gets its own SQLite database (``JEMBATAN_VAR_DIR``
and ``DATABASE_URL`` point there; the project's database is never touched; with
``--database-url`` a given, empty PostgreSQL database is used instead, for one size).
Set-up, not measured: ``jembatan migrate``, ``jembatan seed --participants 2N``
(enough for N of licensed organisations that the demo's run left unplaced), then
in a child N *selected* participants of licensed sending organisations,
``--jobs`` open job orders with N slots in all, and a finished (*done*) run
whose outcomes assign every one of the N to a job order, all made in bulk.

Measured in a second child, as the system runs them: ``services.run_approve``
(the click: locks, the set-based re-check, the run marked *approving*) and
``approval.execute_approval`` (the task: the re-check again, then every
placement proposed and confirmed and every candidate moved to *matched*, in one
transaction). Printed: the time of each, the task's time per placement and its
number of SQL statements per placement.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any

from _support import Bench, jobs_option, set_up

QUICK_SIZES = (200,)
DEFAULT_SIZES = (1_000, 5_000)
JOBS = 50
RUN_NAME = "Benchmark approval"


# ---------------------------------------------------------- child side: set-up


def _licensed_participants(n: int) -> list[int]:
    """``n`` participants whose sending organisation may act today (the journey needs it),
    leaving out those the demo's approved matching run already placed."""
    from jembatan.demand.models import Placement
    from jembatan.organisations.models import Organisation
    from jembatan.organisations.rules import acting_licence
    from jembatan.participants.models import Participant

    licensed = [o.pk for o in Organisation.objects.all() if acting_licence(o) is not None]
    placed = Placement.objects.values("participant_id")
    rows = Participant.objects.filter(
        archived_at__isnull=True, sending_organisation__in=licensed
    ).exclude(pk__in=placed)
    ids = list(rows.order_by("pk").values_list("pk", flat=True)[:n])
    if len(ids) < n:
        raise SystemExit(f"only {len(ids)} participants of licensed organisations; {n} wanted")
    return ids


def _job_orders(n_jobs: int, slots: int) -> list[Any]:
    """Open job orders copied from a seeded one, ``slots`` in all, without requirements."""
    from jembatan.demand.models import JobOrder, JobOrderStatus

    found = JobOrder.objects.values().order_by("pk").first()
    if found is None:
        raise SystemExit("The seed made no job order to copy.")
    template = {k: v for k, v in found.items() if k not in ("id", "created_at", "updated_at")}
    sizes = [slots // n_jobs + (1 if i < slots % n_jobs else 0) for i in range(n_jobs)]
    rows = [
        JobOrder(
            **template
            | {
                "title": f"Benchmark approval order {i + 1}",
                "slots": size,
                "status": JobOrderStatus.OPEN,
                "host_company_id": None,
            }
        )
        for i, size in enumerate(sizes)
        if size
    ]
    return list(JobOrder.objects.bulk_create(rows))


def child_setup(n: int, n_jobs: int) -> None:
    """A finished run assigning ``n`` selected candidates to open job orders (not measured)."""
    import django

    django.setup()
    from django.db import transaction
    from django.utils import timezone

    from jembatan.accounts.models import User
    from jembatan.matching.models import MatchingRun, RunOutcome, RunStatus
    from jembatan.participants.models import JourneyStatus, Participant

    with transaction.atomic():
        ids = _licensed_participants(n)
        Participant.objects.filter(pk__in=ids).update(status=JourneyStatus.SELECTED)
        jobs = _job_orders(n_jobs, n)
        now = timezone.now()
        run = MatchingRun.objects.create(
            name=RUN_NAME,
            method="optimal",
            status=RunStatus.DONE,
            progress=100,
            created_by=User.objects.get(username="demo-admin"),
            created_at=now,
            finished_at=now,
            candidates=n,
            placed=n,
        )
        run.job_orders.set(jobs)
        seats = [job.pk for job in jobs for _ in range(job.slots)]
        RunOutcome.objects.bulk_create(
            (
                RunOutcome(run=run, participant_id=pid, job_order_id=jid, reason="placed")
                for pid, jid in zip(ids, seats, strict=True)
            ),
            batch_size=2000,
        )
    print(json.dumps({"candidates": len(ids), "jobs": len(jobs)}))


# ---------------------------------------------------------- child side: the measured approval


def child_measure() -> None:
    """Time the click and the task on the benchmark run; print the figures as JSON."""
    import django

    django.setup()
    from django.db import connection

    from jembatan.accounts.models import User
    from jembatan.matching.models import MatchingRun
    from jembatan.matching.services.approval import execute_approval
    from jembatan.matching.services.runs import run_approve

    run = MatchingRun.objects.get(name=RUN_NAME)
    officer = User.objects.get(username="demo-admin")
    start = time.perf_counter()
    run_approve(run=run, acting_user=officer)  # queues the task: a row no worker reads
    click = time.perf_counter() - start
    statements = [0]

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        statements[0] += 1
        return execute(sql, params, many, context)

    start = time.perf_counter()
    with connection.execute_wrapper(count):
        done = execute_approval(run.pk)
    task = time.perf_counter() - start
    if done.status != "approved":
        raise SystemExit(f"run {done.reference} ended {done.status}: {done.approval_error}")
    print(json.dumps({"click": click, "task": task, "statements": statements[0]}))


# ---------------------------------------------------------- parent side


def run_size(n: int, args: argparse.Namespace) -> None:
    """Set a fresh database up with a run of ``n`` assignments, then approve it."""
    prefix, jobs = "jembatan-bench-approval-", (args.jobs,)
    with set_up(__file__, n, args.database_url, prefix, seed=2 * n, extra=jobs) as ready:
        made = ready.made
        print(
            f"set-up n={n:,}: {made['candidates']:,} assignments on {made['jobs']} job orders "
            f"in {ready.seconds:.1f} s (not measured)",
            flush=True,
        )
        f = ready.measure("approval")
        print(
            f"matching_approval n={n:>6,}  click {f['click']:6.2f} s  task {f['task']:7.2f} s  "
            f"({f['task'] / n * 1000:5.1f} ms and {f['statements'] / n:4.1f} SQL statements "
            "per placement)",
            flush=True,
        )


BENCH = Bench(
    doc=__doc__,
    title="Approving matching runs in the system, {jobs} job orders",
    unit="assignments",
    setup=child_setup,
    measure=child_measure,
    run_size=run_size,
    quick_sizes=QUICK_SIZES,
    default_sizes=DEFAULT_SIZES,
    options=jobs_option(JOBS),
)

if __name__ == "__main__":
    sys.exit(BENCH.main())
