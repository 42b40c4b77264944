"""``jembatan matching runs|resume``: matching runs for operators (engine: ``jembatan match``).

``runs`` lists the runs with their status and progress; ``resume RUN`` queues
again the work of a run a crashed worker left *running* or *approving* (see
``services.run_resume``). A bad run or a run that was not interrupted exits 2.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from jembatan.matching.models import MatchingRun
from jembatan.matching.services.runs import run_resume

ACTOR = "system:cli"


class Command(BaseCommand):
    help = "List matching runs, or resume one a crashed worker left running or approving."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("runs", help="the runs, newest first, with status and progress")
        resume = actions.add_parser("resume", help="queue an interrupted run's work again")
        resume.add_argument("run", help="the run's number or reference (MR-00012)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "runs":
            self._list()
        else:
            self._resume(options["run"])

    def _list(self) -> None:
        for run in MatchingRun.objects.order_by("-pk")[:100]:
            self.stdout.write(
                f"{run.reference}\t{run.status}\t{run.progress}%\t{run.placed}/{run.candidates}"
                f"\t{run.name}"
            )

    def _resume(self, value: str) -> None:
        run = MatchingRun.objects.filter(pk=_number(value)).first()
        if run is None:
            raise CommandError(f"No matching run {value!r}.", returncode=2)
        try:
            resumed = run_resume(run=run, acting_user=ACTOR)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages), returncode=2) from None
        self.stdout.write(f"{resumed.reference}: {resumed.status}, queued again.")


def _number(value: str) -> int:
    digits = value.upper().removeprefix("MR-")
    return int(digits) if digits.isdigit() else 0
