"""``jembatan tasks [resume ID]``: the background tasks waiting or running, and the stale ones.

Without arguments, one line per queued or running task: id, state (queued,
running, or stale: its worker stopped beating), kind, since when, worker and
the record it works on, the stale first. ``resume ID`` resumes a stale task as
its app declares (``core/task_recovery.py``); a task that is not stale exits 2.
Workers resume stale tasks on their own; this is for when none runs, or to act now.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from jembatan.core.services.tasks import task_resume
from jembatan.core.task_recovery import open_tasks

ACTOR = "system:cli"


class Command(BaseCommand):
    help = "List queued, running and stale background tasks, or resume a stale one."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action")
        resume = actions.add_parser("resume", help="resume a task whose worker stopped")
        resume.add_argument("task", help="the task's id, as listed")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "resume":
            self._resume(options["task"])
        else:
            self._list()

    def _list(self) -> None:
        now = timezone.now()
        lines = open_tasks()
        for line in lines:
            age = int((now - line.since).total_seconds())
            self.stdout.write(
                f"{line.id}\t{line.state}\t{line.label}\t{age}s\t{line.worker or '-'}"
                f"\t{line.record}"
            )
        if not lines:
            self.stdout.write("No task is queued or running.")

    def _resume(self, task_id: str) -> None:
        try:
            outcome = task_resume(task_id=task_id, acting_user=ACTOR)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages), returncode=2) from None
        self.stdout.write(f"{task_id}: {outcome}")
