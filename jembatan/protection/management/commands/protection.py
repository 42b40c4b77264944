"""``jembatan protection``: the escalation run and the overdue cases.

    jembatan protection escalate [--enqueue] [--now 2026-12-04T08:00]
    jembatan protection run-daily [--enqueue]
    jembatan protection overdue

``escalate`` moves every open case past a deadline one level up (idempotent:
run it hourly, see deploy/systemd/jembatan-protection.timer; a run after the
worker was down catches up). ``run-daily`` is the same run, named like the other
daily runs. ``overdue`` prints the open cases past their deadline (code, level,
owner, deadline; never the reporter).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from jembatan.protection.models import Case, overdue_filter
from jembatan.protection.tasks import escalate_cases


def _moment(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--now must be ISO 8601 (2026-12-04T08:00), not {value!r}") from error
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


class Command(BaseCommand):
    help = "Protection cases: the escalation run, the overdue cases."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["escalate", "run-daily", "overdue"])
        parser.add_argument("--now", help="as if it were this moment (ISO 8601)")
        parser.add_argument("--enqueue", action="store_true", help="queue it for the worker")

    def handle(self, *args: Any, **options: Any) -> None:
        moment = _moment(options["now"])
        if options["action"] == "overdue":
            self._overdue(moment or timezone.now())
            return
        now = moment.isoformat() if moment else None
        if options["enqueue"]:
            result = escalate_cases.enqueue(now=now)
            self.stdout.write(f"enqueued {result.id}")
            return
        self.stdout.write(json.dumps(escalate_cases.call(now=now), indent=2, sort_keys=True))

    def _overdue(self, now: dt.datetime) -> None:
        rows = Case.objects.filter(overdue_filter(now)).select_related("owner").order_by("pk")
        for case in rows.iterator():
            owner = case.owner.get_username() if case.owner else "-"
            due = case.current_deadline()
            self.stdout.write(
                f"{case.code}\t{case.level}\t{owner}\t{due.isoformat() if due else '-'}"
            )
