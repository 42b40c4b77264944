"""Benchmark of a matching run in the system: database → instance → engine → stored outcomes.

Usage::

    .venv/bin/python bench/matching_run.py [--sizes 10000,50000] [--jobs 200] [--quick]

For each size N a temporary folder gets its own SQLite database (``JEMBATAN_VAR_DIR``
and ``DATABASE_URL`` point there; the project's database is never touched).
Set-up, not measured: ``jembatan migrate``, ``jembatan seed --participants N`` and,
in a child, a closed selection round holding N *passed* candidacies with final
scores and strict ranks (``bulk_create``), every participant moved to *selected*
(``QuerySet.update``) and ``--jobs`` open job orders with about N/4 slots in all
and varied requirements (education, maximum age, one in ten a JLPT N4 that
nobody holds), all made in bulk.

Measured, once per method (``stable``, ``optimal``), each in a fresh child
process: ``execution.execute_run`` on a run created by ``run_create``, exactly
as the task runs it. Its three phases are timed by wrapping the functions it
calls: ``build`` (pool, job orders, interviews, eligibility of every pair,
rankings, the instance and its digest), ``solve`` (the engine) and ``save``
(outcomes with explanations, fill rates, fairness figures, the difference from
the previous run, in one transaction). Runs of an earlier method are deleted
first, so both compare against no previous run. Peak memory is the child's
VmHWM, reset after Django's start (``/proc/self/clear_refs``): it includes
everything a worker holds during the run. Ratios (phase / total) are printed so
that the figures can be compared within one run.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from _support import Bench, jobs_option, peak_rss_bytes, reset_peak_rss, set_up

QUICK_SIZES = (2_000,)
DEFAULT_SIZES = (10_000, 50_000)
JOBS = 200
METHODS = ("stable", "optimal")
PHASES = ("build", "solve", "save")
ROUND_NAME = "Benchmark round"
SEED = 20261128


# ---------------------------------------------------------- child side: set-up


def _job_order_template() -> dict[str, Any]:
    """The field values of a seeded job order without a language test, to copy."""
    from jembatan.demand.models import JobOrder

    found = JobOrder.objects.filter(language_test="").values().order_by("pk").first()
    if found is None:
        raise SystemExit("The seed made no job order without a language test to copy.")
    row: dict[str, Any] = dict(found)
    for name in ("id", "created_at", "updated_at"):
        row.pop(name)
    return row


def _slots(rng: random.Random, jobs: int, total: int) -> list[int]:
    """``jobs`` slot counts of at least 1, summing to about ``total``, unevenly spread."""
    shares = [rng.paretovariate(1.5) for _ in range(jobs)]
    scale = total / sum(shares)
    return [max(1, round(share * scale)) for share in shares]


def make_job_orders(n_jobs: int, total_slots: int, rng: random.Random) -> list[int]:
    """Open job orders in bulk, over the seeded partners, with varied requirements."""
    from jembatan.demand.models import JobOrder, JobOrderStatus
    from jembatan.organisations.models import Organisation, OrganisationKind

    template = _job_order_template()
    partners = list(
        Organisation.objects.filter(kind=OrganisationKind.PARTNER).values_list("pk", flat=True)
    )
    rows = []
    for number, slots in enumerate(_slots(rng, n_jobs, total_slots)):
        jlpt = number % 10 == 9
        fields = {
            **template,
            "partner_id": partners[number % len(partners)],
            "host_company_id": None,
            "title": f"Benchmark job order {number + 1}",
            "slots": slots,
            "status": JobOrderStatus.OPEN,
            "min_education": rng.choice(["", "smp", "sma", "sma"]),
            "max_age": rng.choice([None, 30, 32, 35]),
            "language_test": "jlpt" if jlpt else "",
            "language_min_level": "N4" if jlpt else "",
            "language_min_score": None,
        }
        rows.append(JobOrder(**fields))
    return [row.pk for row in JobOrder.objects.bulk_create(rows, batch_size=500)]


def make_round(n: int, rng: random.Random) -> int:
    """A closed round with ``n`` passed, ranked candidacies; the participants *selected*."""
    from django.utils import timezone

    from jembatan.organisations.models import Organisation, OrganisationKind
    from jembatan.participants.models import JourneyStatus, Participant
    from jembatan.selection.models import (
        Candidacy,
        CandidacyStatus,
        RoundStatus,
        SelectionRound,
    )

    partner = Organisation.objects.filter(kind=OrganisationKind.PARTNER).order_by("pk").first()
    assert partner is not None, "the seed made no partner"
    now = timezone.now()
    selection_round = SelectionRound.objects.create(
        name=ROUND_NAME, partner=partner, status=RoundStatus.CLOSED, opened_at=now, closed_at=now
    )
    ids = list(
        Participant.objects.filter(archived_at__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)[:n]
    )
    scores = sorted((Decimal(f"{rng.uniform(60, 100):.3f}"), pid) for pid in ids)
    scores.reverse()
    Candidacy.objects.bulk_create(
        (
            Candidacy(
                round=selection_round,
                participant_id=pid,
                status=CandidacyStatus.PASSED,
                final_score=score,
                rank=rank,
                status_before=JourneyStatus.CERTIFIED,
                enrolled_at=now,
            )
            for rank, (score, pid) in enumerate(scores, start=1)
        ),
        batch_size=2000,
    )
    Participant.objects.filter(pk__in=ids).update(status=JourneyStatus.SELECTED)
    return len(ids)


def child_setup(n: int, n_jobs: int) -> None:
    """Set the database up for the runs (not measured); print what was made as JSON."""
    import django

    django.setup()
    from django.db import transaction

    rng = random.Random(SEED)
    with transaction.atomic():
        candidates = make_round(n, rng)
        jobs = make_job_orders(n_jobs, max(n_jobs, n // 4), rng)
    print(json.dumps({"candidates": candidates, "jobs": len(jobs)}))


# ---------------------------------------------------------- child side: the measured run


def _timed(
    name: str, call: Callable[..., Any], figures: dict[str, float], seen: dict[str, Any]
) -> Callable[..., Any]:
    """``call``, recording its duration and the peak memory so far under ``name``."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            result = call(*args, **kwargs)
        finally:
            figures[name] = time.perf_counter() - start
            figures[f"{name}_peak"] = peak_rss_bytes()
        seen[name] = result
        return result

    return wrapper


def _instrument(figures: dict[str, float], seen: dict[str, Any]) -> None:
    """Time the phases of ``execute_run`` where it looks them up (its module's globals)."""
    from jembatan.matching.services import execution

    for phase, attribute in zip(PHASES, ("build", "solve", "run_finish"), strict=True):
        setattr(execution, attribute, _timed(phase, getattr(execution, attribute), figures, seen))


def _new_run(method: str) -> int:
    """Delete earlier benchmark runs and create this method's run (not measured)."""
    from jembatan.accounts.models import User
    from jembatan.demand.models import JobOrder
    from jembatan.matching.models import MatchingRun
    from jembatan.matching.services.runs import run_create
    from jembatan.selection.models import SelectionRound

    MatchingRun.objects.filter(name__startswith="Benchmark").delete()
    run = run_create(
        name=f"Benchmark {method}",
        method=method,
        rounds=[SelectionRound.objects.get(name=ROUND_NAME)],
        job_orders=list(JobOrder.objects.filter(title__startswith="Benchmark job order")),
        acting_user=User.objects.get(username="demo-admin"),
    )
    return run.pk


def child_measure(method: str) -> None:
    """Run ``execute_run`` once with its phases timed; print the figures as JSON."""
    import django

    django.setup()
    from jembatan.matching.services.execution import execute_run

    run_id = _new_run(method)
    figures: dict[str, float] = {}
    seen: dict[str, Any] = {}
    _instrument(figures, seen)
    reset_peak_rss()
    start = time.perf_counter()
    run = execute_run(run_id)
    figures["total"] = time.perf_counter() - start
    figures["peak"] = peak_rss_bytes()
    if run.status != "done":
        raise SystemExit(f"run {run.reference} ended {run.status}: {run.error}")
    built = seen["build"]
    report = {
        **figures,
        "candidates": run.candidates,
        "placed": run.placed,
        "edges": int(built.instance.edge_candidate.size),
        "slots": int(built.instance.slots.sum()),
    }
    print(json.dumps(report))


# ---------------------------------------------------------- parent side


def gib(n_bytes: float) -> str:
    return f"{n_bytes / 2**30:5.2f} GiB"


def line(n: int, method: str, f: dict[str, Any]) -> str:
    total = f["total"] or 1e-9
    phases = "  ".join(f"{p} {f[p]:7.2f} s" for p in PHASES)
    shares = " ".join(f"{p} {f[p] / total:4.0%}" for p in PHASES)
    return (
        f"matching_run n={n:>7,} {method:<8} {phases}  total {f['total']:7.2f} s  "
        f"({shares})  edges {f['edges']:>10,}  placed {f['placed']:>6,}/{f['slots']:,} slots  "
        f"peak {gib(f['peak'])} (after build {gib(f['build_peak'])})"
    )


def run_size(n: int, args: argparse.Namespace) -> None:
    """Set a fresh database up for ``n`` candidates, then measure both methods."""
    prefix, jobs = "jembatan-bench-run-", (args.jobs,)
    with set_up(__file__, n, "", prefix, seed=n, extra=jobs) as ready:
        made = ready.made
        print(
            f"set-up n={n:,}: {made['candidates']:,} candidates, {made['jobs']} job orders "
            f"in {ready.seconds:.1f} s (not measured)",
            flush=True,
        )
        results = {}
        for method in METHODS:
            results[method] = ready.measure(f"{method} run", method)
            print(line(n, method, results[method]), flush=True)
        stable, optimal = results["stable"], results["optimal"]
        print(
            f"  optimal/stable total {optimal['total'] / stable['total']:.2f}×, "
            f"solve {optimal['solve'] / max(stable['solve'], 1e-9):.2f}×",
            flush=True,
        )


BENCH = Bench(
    doc=__doc__,
    title="Matching runs in the system, {jobs} job orders, slots ≈ candidates / 4",
    unit="candidates",
    setup=child_setup,
    measure=child_measure,
    run_size=run_size,
    quick_sizes=QUICK_SIZES,
    default_sizes=DEFAULT_SIZES,
    database_url=False,
    options=jobs_option(JOBS),
)

if __name__ == "__main__":
    sys.exit(BENCH.main())
