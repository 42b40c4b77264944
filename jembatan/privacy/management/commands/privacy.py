"""``jembatan privacy retention [--dry-run] [--enqueue]``: apply the retention schedule.

Schedule it once a day (docs/operations.md). ``--dry-run`` prints what a run
would do (counts and example ids per kind) and writes nothing; ``--enqueue``
hands the run to the task worker instead.
"""

from __future__ import annotations

import json
from typing import Any, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jembatan.privacy.services.retention_run import retention_plan
from jembatan.privacy.tasks import run_retention


class Command(BaseCommand):
    help = "Personal data. retention: anonymise and delete what passed its retention period."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["retention"], help="what to do")
        parser.add_argument(
            "--dry-run", action="store_true", help="print what would be done; write nothing"
        )
        parser.add_argument(
            "--enqueue", action="store_true", help="queue the run for the task worker"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["dry_run"]:
            plan = retention_plan()
            report = {"dry_run": True, "counts": plan.counts, "examples": plan.examples}
            self.stdout.write(json.dumps(report, indent=2, sort_keys=True))
            return
        if options["enqueue"]:
            result = run_retention.enqueue()
            self.stdout.write(f"enqueued {result.id}")
            return
        report = run_retention.call()
        self.stdout.write(json.dumps(report, indent=2, sort_keys=True))
        failures = cast(list[Any], report["failures"])
        if failures:
            raise CommandError(f"{len(failures)} record(s) left; see the run's page.")
