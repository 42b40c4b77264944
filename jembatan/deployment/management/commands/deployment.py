"""``jembatan deployment``: the overdue monitoring report and the daily monitoring run.

    jembatan deployment overdue [--format csv|json] [--date YYYY-MM-DD]
    jembatan deployment run-daily [--enqueue] [--date YYYY-MM-DD]
    jembatan deployment gates DP-000123

``overdue`` prints every monitoring report overdue for people abroad (the
same list as the page and the API, for everyone: the command line is the
system's). ``run-daily`` raises and escalates the alerts (schedule it once a
day, see docs/operations.md; ``--enqueue`` hands it to the task worker).
``gates`` prints what still stands between a deployment and its departure and
exits with status 1 while anything does.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from jembatan.core.logs import enqueue as enqueue_task
from jembatan.deployment.gates import unmet_gates
from jembatan.deployment.models import Deployment
from jembatan.deployment.overdue import overdue_reports
from jembatan.deployment.tasks import monitoring_daily

FIELDS = (
    "deployment",
    "participant_id",
    "participant",
    "sending_organisation",
    "partner",
    "host_company",
    "prefecture",
    "status",
    "report",
    "due_on",
    "days_overdue",
    "alert",
)


def _date(value: str | None) -> dt.date:
    if not value:
        return timezone.localdate()
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--date must be YYYY-MM-DD, not {value!r}") from error


def _deployment(reference: str) -> Deployment:
    digits = reference.upper().removeprefix("DP-")
    found = Deployment.objects.filter(pk=int(digits)).first() if digits.isdigit() else None
    if found is None:
        raise CommandError(f"No deployment {reference!r} (give DP-000123 or 123).")
    return found


class Command(BaseCommand):
    help = "Departure and stay abroad: overdue reports, the daily monitoring run, the gates."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["overdue", "run-daily", "gates"], help="what to do")
        parser.add_argument("reference", nargs="?", help="gates: the deployment (DP-000123)")
        parser.add_argument(
            "--format", choices=["csv", "json"], default="csv", help="overdue: output"
        )
        parser.add_argument("--date", help="as if today were this date (YYYY-MM-DD)")
        parser.add_argument(
            "--enqueue", action="store_true", help="run-daily: queue it for the worker"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = _date(options["date"])
        if options["action"] == "overdue":
            self._overdue(today, options["format"])
        elif options["action"] == "run-daily":
            self._run_daily(today, options["enqueue"])
        else:
            self._gates(options["reference"] or "", today)

    def _overdue(self, today: dt.date, output: str) -> None:
        rows = [row.as_dict() for row in overdue_reports(today=today)]
        if output == "json":
            self.stdout.write(json.dumps(rows, indent=2, ensure_ascii=False))
            return
        writer = csv.DictWriter(self.stdout, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)

    def _run_daily(self, today: dt.date, enqueue: bool) -> None:
        if enqueue:
            result = enqueue_task(monitoring_daily, today=today.isoformat())
            self.stdout.write(f"enqueued {result.id}")
            return
        report = monitoring_daily.call(today=today.isoformat())
        self.stdout.write(json.dumps(report, indent=2, sort_keys=True))

    def _gates(self, reference: str, today: dt.date) -> None:
        deployment = _deployment(reference)
        unmet = unmet_gates(deployment, today=today)
        if not unmet:
            self.stdout.write(f"{deployment.reference}: every gate is met.")
            return
        for result in unmet:
            self.stdout.write(f"{result.gate.name}: {result.refusal}")
        raise CommandError(f"{deployment.reference}: {len(unmet)} gate(s) not met.")
