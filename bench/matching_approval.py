"""Benchmark of approving a matching run: the officer's click and the task that places everyone.

Usage::

    .venv/bin/python bench/matching_approval.py [--sizes 1000,5000] [--jobs 50] [--quick]

For each size N a temporary folder gets its own SQLite database (``JEMBATAN_VAR_DIR``
and ``DATABASE_URL`` point there; the project's database is never touched; with
``--database-url`` a given, empty PostgreSQL database is used instead, for one size).
Set-up, not measured: ``jembatan migrate``, ``jembatan seed --participants N'``
(a few more than N), then in a child N *selected* participants of licensed
sending organisations, ``--jobs`` open job orders with N slots in all, and a
finished (*done*) run whose outcomes assign every one of the N to a job order,
all made in bulk.

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
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _support import environment

ROOT = Path(__file__).resolve().parent.parent
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


def call(command: list[str], env: dict[str, str], what: str) -> str:
    """Run a child; its stdout, or exit with the end of its stderr."""
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"{what} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def jembatan(*args: str) -> list[str]:
    return [sys.executable, "-m", "jembatan.cli", *args]


def child(*args: str) -> list[str]:
    return [sys.executable, __file__, "--child", *args]


def run_size(n: int, jobs: int, database_url: str) -> None:
    """Set a fresh database up with a run of ``n`` assignments, then approve it."""
    with tempfile.TemporaryDirectory(prefix="jembatan-bench-approval-") as tmp:
        env = environment(Path(tmp), database_url)
        started = time.perf_counter()
        call(jembatan("migrate", "-v0"), env, "jembatan migrate")
        call(jembatan("seed", "--participants", str(n + n // 2)), env, "jembatan seed")
        made = json.loads(call(child("setup", str(n), str(jobs)), env, "set-up").splitlines()[-1])
        print(
            f"set-up n={n:,}: {made['candidates']:,} assignments on {made['jobs']} job orders "
            f"in {time.perf_counter() - started:.1f} s (not measured)",
            flush=True,
        )
        f = json.loads(call(child("measure"), env, "approval").splitlines()[-1])
        print(
            f"matching_approval n={n:>6,}  click {f['click']:6.2f} s  task {f['task']:7.2f} s  "
            f"({f['task'] / n * 1000:5.1f} ms and {f['statements'] / n:4.1f} SQL statements "
            "per placement)",
            flush=True,
        )


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", default="", help="comma-separated assignment counts")
    parser.add_argument("--jobs", type=int, default=JOBS, help=f"job orders ({JOBS})")
    parser.add_argument("--quick", action="store_true", help=f"only {QUICK_SIZES[0]:,}")
    parser.add_argument("--database-url", default="", help="an empty database (default SQLite)")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.child:
        step, *rest = args.child
        if step == "setup":
            child_setup(int(rest[0]), int(rest[1]))
        else:
            child_measure()
        return 0
    if args.sizes:
        sizes = tuple(int(s) for s in args.sizes.split(",") if s.strip())
    else:
        sizes = QUICK_SIZES if args.quick else DEFAULT_SIZES
    print(f"Approving matching runs in the system, {args.jobs} job orders")
    for n in sizes:
        run_size(n, args.jobs, args.database_url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
