"""``jembatan licences run-daily``: the daily licence run (activation, expiry, reminders).

Schedule it once a day (see docs/operations.md). ``--enqueue`` hands the run to
the task worker (``jembatan worker``) instead of running it here;
``--date`` reruns a missed day.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jembatan.core.logs import enqueue
from jembatan.organisations.tasks import expire_licences


def _date(value: str) -> str:
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError as error:
        raise CommandError(f"--date must be YYYY-MM-DD, not {value!r}") from error


class Command(BaseCommand):
    help = "Licence housekeeping. run-daily: activate, expire and send expiry reminders."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["run-daily"], help="what to do")
        parser.add_argument(
            "--enqueue", action="store_true", help="queue the run for the task worker"
        )
        parser.add_argument("--date", help="run as if today were this date (YYYY-MM-DD)")

    def handle(self, *args: Any, **options: Any) -> None:
        today = _date(options["date"]) if options["date"] else None
        if options["enqueue"]:
            result = enqueue(expire_licences, today=today)
            self.stdout.write(f"enqueued {result.id}")
            return
        report = expire_licences.call(today=today)
        self.stdout.write(json.dumps(report, indent=2, sort_keys=True))
        if report["failed"]:
            raise CommandError(f"{len(report['failed'])} licence(s) failed; see the log.")
