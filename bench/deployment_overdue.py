"""Benchmark of the daily overdue-report read at 100,000 people abroad (issue 11).

Usage::

    .venv/bin/python bench/deployment_overdue.py [--sizes 100000] [--quick]

For each size N a temporary folder gets its own SQLite database (the project's
database is never touched; ``--database-url`` uses a given, empty PostgreSQL
database instead). Set-up, not measured: ``jembatan migrate``, then in a child,
in bulk, N participants abroad on N confirmed placements of 50 approved job
orders (20 sending organisations, 5 partners, 60 host companies in Japan), each
arrived some day of the last two years, about two thirds with recent monitoring
reports of each kind and one in ten with an open alert.

Measured in a second child, as the daily run and the page call it:
``overdue.overdue_reports(today=...)`` for everyone. Printed: seconds, SQL
statements (a fixed number, whatever N) and how many reports are overdue.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import time
from typing import Any

from _support import Bench, set_up

BATCH = 2_000


# ---------------------------------------------------------- child side: set-up


def _organisations() -> dict[str, list[Any]]:
    from jembatan.organisations.models import Organisation, OrganisationKind

    def make(kind: str, names: list[str], country: str) -> list[Any]:
        rows = [Organisation(name=name, kind=kind, country_id=country) for name in names]
        return list(Organisation.objects.bulk_create(rows))

    return {
        "lpk": make(OrganisationKind.LPK, [f"LPK Bench {i}" for i in range(20)], "ID"),
        "partner": make(OrganisationKind.PARTNER, [f"Partner Bench {i}" for i in range(5)], "JP"),
        "host": make(
            OrganisationKind.HOST_COMPANY, [f"Host Bench {i} K.K." for i in range(60)], "JP"
        ),
        "supervisor": make(OrganisationKind.ASSOCIATION, ["Kumiai Bench"], "JP"),
    }


def _job_orders(partners: list[Any]) -> list[Any]:
    from django.utils import timezone

    from jembatan.core.models import Occupation
    from jembatan.demand.models import JobOrder, JobOrderStatus

    occupation = Occupation.objects.filter(dataset__code="jp-titp-2025").order_by("code").first()
    rows = [
        JobOrder(
            partner=partners[i % len(partners)],
            country_id="JP",
            scheme="titp",
            occupation=occupation,
            title=f"Bench order {i}",
            slots=100_000,
            work_prefecture="Aichi",
            contract_months=36,
            wage_amount=200_000,
            wage_currency="JPY",
            status=JobOrderStatus.OPEN,
            approved_at=timezone.now(),
        )
        for i in range(50)
    ]
    return list(JobOrder.objects.bulk_create(rows))


def _people(n: int, lpks: list[Any]) -> list[int]:
    from django.utils import timezone

    from jembatan.core.models import Region
    from jembatan.participants.models import JourneyStatus, Participant

    regency = Region.objects.get(code="33.74")
    now = timezone.now()
    for start in range(0, n, BATCH):
        Participant.objects.bulk_create(
            Participant(
                nik=f"33740{i:011d}",
                full_name=f"Peserta Bench {i}",
                sex="M" if i % 2 else "F",
                birth_place="Semarang",
                birth_date=dt.date(2000, 1, 1) + dt.timedelta(days=i % 2000),
                regency=regency,
                province=regency.parent,
                sending_organisation=lpks[i % len(lpks)],
                status=JourneyStatus.IN_PLACEMENT,
                status_changed_at=now,
                created_at=now,
            )
            for i in range(start, min(n, start + BATCH))
        )
    return list(Participant.objects.order_by("pk").values_list("pk", flat=True))


def _deployments(
    ids: list[int], jobs: list[Any], orgs: dict[str, list[Any]], today: dt.date
) -> None:
    from django.utils import timezone

    from jembatan.demand.models import Placement, PlacementStatus
    from jembatan.deployment.models import Deployment, DeploymentStatus

    rng, now = random.Random(11), timezone.now()
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        placed = Placement.objects.bulk_create(
            Placement(
                job_order=jobs[i % len(jobs)], participant_id=pid, status=PlacementStatus.CONFIRMED
            )
            for i, pid in enumerate(chunk, start)
        )
        rows = []
        for placement in placed:
            arrived = today - dt.timedelta(days=rng.randint(5, 720))
            job = jobs[placement.participant_id % len(jobs)]
            rows.append(
                Deployment(
                    placement=placement,
                    participant_id=placement.participant_id,
                    job_order=placement.job_order,
                    partner_id=placement.job_order.partner_id,
                    sending_organisation=orgs["lpk"][placement.participant_id % 20],
                    scheme="titp",
                    country_id="JP",
                    host_company=orgs["host"][placement.participant_id % 60],
                    host_prefecture=job.work_prefecture,
                    host_address="Bench address",
                    host_contact_name="Bench",
                    host_contact_phone="+81 00 0000 0000",
                    supervising_organisation=orgs["supervisor"][0],
                    planned_departure=arrived,
                    planned_months=36,
                    status=DeploymentStatus.IN_PLACEMENT,
                    status_changed_at=now,
                    departed_on=arrived - dt.timedelta(days=1),
                    arrived_on=arrived,
                    created_at=now,
                )
            )
        Deployment.objects.bulk_create(rows)


def _reports_and_alerts(today: dt.date) -> None:
    from django.utils import timezone

    from jembatan.deployment.models import Deployment, MonitoringAlert, MonitoringReport
    from jembatan.deployment.months import period_containing, period_end
    from jembatan.deployment.reference import rhythms

    rng, now = random.Random(12), timezone.now()
    months = rhythms("titp")
    reports, alerts = [], []
    rows = Deployment.objects.values_list("pk", "arrived_on").iterator(chunk_size=BATCH)
    for pk, arrived_on in rows:
        arrived: dt.date = arrived_on or today
        for kind, every in months.items():
            current = period_containing(arrived, every, today)
            if rng.random() < 0.66 and current > 1:
                period = current - rng.randint(0, 1)  # up to date, or one period behind
                reports.append(
                    MonitoringReport(
                        deployment_id=pk,
                        kind=kind,
                        period=period,
                        covers_until=period_end(arrived, every, period),
                        wellbeing="well",
                        submitted_at=now,
                    )
                )
            elif rng.random() < 0.1:
                due = period_end(arrived, every, 1)
                alerts.append(
                    MonitoringAlert(
                        deployment_id=pk,
                        kind=kind,
                        due_on=due,
                        raised_at=now,
                        raised_on=today,
                    )
                )
    MonitoringReport.objects.bulk_create(reports, batch_size=BATCH)
    MonitoringAlert.objects.bulk_create(alerts, batch_size=BATCH)


def child_setup(n: int) -> None:
    """N people abroad with reports and alerts, all in bulk (not measured)."""
    import django

    django.setup()
    from django.db import transaction
    from django.utils import timezone

    today = timezone.localdate()
    with transaction.atomic():
        orgs = _organisations()
        jobs = _job_orders(orgs["partner"])
        ids = _people(n, orgs["lpk"])
        _deployments(ids, jobs, orgs, today)
        _reports_and_alerts(today)
    print(json.dumps({"people": len(ids)}))


# ---------------------------------------------------------- child side: the measured read


def child_measure() -> None:
    """Time the overdue report for everyone; print the figures as JSON."""
    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    from jembatan.deployment.overdue import overdue_reports

    statements = [0]

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        statements[0] += 1
        return execute(sql, params, many, context)

    start = time.perf_counter()
    with connection.execute_wrapper(count):
        rows = overdue_reports(today=timezone.localdate())
    seconds = time.perf_counter() - start
    escalated = sum(1 for r in rows if r.alert)
    print(
        json.dumps(
            {
                "seconds": seconds,
                "statements": statements[0],
                "overdue": len(rows),
                "alerted": escalated,
            }
        )
    )


# ---------------------------------------------------------- parent side


def run_size(n: int, args: argparse.Namespace) -> None:
    """A fresh database with ``n`` people abroad, then the overdue report over all of them."""
    with set_up(__file__, n, args.database_url, "jembatan-bench-overdue-") as ready:
        print(
            f"set-up: {ready.made['people']:,} people abroad in {ready.seconds:.1f} s "
            "(not measured)",
            flush=True,
        )
        f = ready.measure("overdue report")
        print(
            f"deployment_overdue n={n:>7,}  {f['seconds']:6.2f} s  {f['statements']} SQL "
            f"statements  {f['overdue']:,} reports overdue ({f['alerted']:,} already alerted)",
            flush=True,
        )


BENCH = Bench(
    doc=__doc__,
    title="The daily overdue-report read over everyone abroad",
    unit="people abroad",
    setup=child_setup,
    measure=child_measure,
    run_size=run_size,
)

if __name__ == "__main__":
    sys.exit(BENCH.main())
