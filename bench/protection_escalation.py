"""Benchmark of the protection-case escalation run at 100,000 open cases (issue 12).

Usage::

    .venv/bin/python bench/protection_escalation.py [--sizes 100000] [--quick]

For each size N a temporary folder gets its own SQLite database (the project's
database is never touched; ``--database-url`` uses a given, empty PostgreSQL
database instead). Set-up, not measured: ``jembatan migrate``, then in a child,
in bulk (``bulk_create``), N open cases spread over five provinces, with two
provincial officers per province, four national officers and two national
administrators (no e-mail addresses: the run's e-mails are not what is timed).
One case in ten is still untriaged past its first-response deadline, one in ten
triaged past its resolution deadline, the rest not due.

Measured in a second child: ``escalate_overdue(now=...)`` (the scheduled run),
then the same run again (idempotent: nothing left to escalate). Printed:
seconds, SQL statements (a fixed number per batch of 1,000 cases, whatever N)
and how many cases moved.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from typing import Any

from _support import Bench, set_up

BATCH = 5_000
PROVINCES = ("31", "32", "33", "34", "35")
NOW = dt.datetime(2026, 12, 4, 8, 0, tzinfo=dt.UTC)


def _officers() -> None:
    from jembatan.accounts.models import User
    from jembatan.core.roles import Role

    users = [
        User(username=f"bench-prov-{p}-{i}", role=Role.PROVINCIAL_OFFICER, province_id=p)
        for p in PROVINCES
        for i in range(2)
    ]
    users += [User(username=f"bench-nat-{i}", role=Role.NATIONAL_OFFICER) for i in range(4)]
    users += [User(username=f"bench-dir-{i}", role=Role.NATIONAL_ADMIN) for i in range(2)]
    User.objects.bulk_create(users)


def _cases(n: int) -> None:
    from jembatan.protection.factories import case_row
    from jembatan.protection.models import Case, CaseCategory, CaseStatus, Severity

    categories = list(CaseCategory)
    for start in range(0, n, BATCH):
        rows = []
        for i in range(start, min(n, start + BATCH)):
            kind = i % 10
            # 0: untriaged for 5 days (first response missed); 1: triaged 90 days ago
            # (resolution missed); the rest reported yesterday (nothing due yet).
            age = {0: dt.timedelta(days=5), 1: dt.timedelta(days=90)}.get(
                kind, dt.timedelta(days=1)
            )
            rows.append(
                case_row(
                    reported_at=NOW - age,
                    category=categories[i % len(categories)],
                    severity=Severity.MEDIUM if i % 3 else Severity.LOW,
                    status=CaseStatus.TRIAGED if kind == 1 else CaseStatus.REPORTED,
                    province_id=PROVINCES[i % len(PROVINCES)],
                    code=f"PK-2026-B{i:08d}",
                )
            )
        Case.objects.bulk_create(rows)


def child_setup(n: int) -> None:
    """N open cases and the officers' pools, all in bulk (not measured)."""
    import django

    django.setup()
    from django.db import transaction

    with transaction.atomic():
        _officers()
        _cases(n)
    print(json.dumps({"cases": n}))


def child_measure() -> None:
    """Time the escalation run twice; print the figures as JSON."""
    import django

    django.setup()
    from django.db import connection

    from jembatan.protection.services.escalation import escalate_overdue

    figures: dict[str, Any] = {}
    for name in ("first", "second"):
        statements = [0]

        def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
            statements[0] += 1  # noqa: B023 (read at once, in this loop's run)
            return execute(sql, params, many, context)

        start = time.perf_counter()
        with connection.execute_wrapper(count):
            run = escalate_overdue(now=NOW)
        figures[name] = {
            "seconds": time.perf_counter() - start,
            "statements": statements[0],
            "escalated": run.escalated,
        }
    print(json.dumps(figures))


def run_size(n: int, args: argparse.Namespace) -> None:
    """A fresh database with ``n`` open cases, then the escalation run over all of them."""
    with set_up(__file__, n, args.database_url, "jembatan-bench-protection-") as ready:
        print(
            f"set-up: {ready.made['cases']:,} open cases in {ready.seconds:.1f} s (not measured)",
            flush=True,
        )
        f = ready.measure("escalation run")
        first, second = f["first"], f["second"]
        batches = max(1, -(-first["escalated"] // 1000))
        print(
            f"protection_escalation n={n:>7,}  {first['seconds']:6.2f} s  "
            f"{first['statements']} SQL statements ({batches} batch(es) of up to 1,000)  "
            f"{first['escalated']:,} escalated",
            flush=True,
        )
        print(
            f"  second run (idempotent): {second['seconds']:6.2f} s  "
            f"{second['statements']} SQL statements  {second['escalated']:,} escalated",
            flush=True,
        )


BENCH = Bench(
    doc=__doc__,
    title="The protection-case escalation run over every open case",
    unit="open cases",
    setup=child_setup,
    measure=child_measure,
    run_size=run_size,
)

if __name__ == "__main__":
    sys.exit(BENCH.main())
