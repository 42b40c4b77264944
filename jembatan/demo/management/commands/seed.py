"""``jembatan seed``: demo data at any scale, the same for the same seed.

    jembatan seed --participants 2000 [--seed 1] [--if-empty] [--force]

Creates what is missing of the demo programme (organisations, licences in
every state, one login per role, targets, a fee rule, job orders and a training
programme), tops participants up to the requested number, then adds the
selection and matching demo (two IM Japan rounds, a shortlist, a finished
matching run awaiting approval; see ``demo/selection.py``). Refuses to run
when DEBUG is off unless ``--force`` is given: the demo logins share a
published password. Progress goes to stderr; the summary and
the demo logins go to stdout (``make demo`` shows them).
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.utils import timezone

from jembatan.accounts.models import User
from jembatan.core.audit import record_change
from jembatan.core.models import ChangeRecord
from jembatan.demo import (
    bulk,
    cast,
    certificates,
    deployment,
    documents,
    invitations,
    programme,
    protection,
    selection,
)
from jembatan.organisations.models import Licence, Organisation
from jembatan.participants.models import JourneyStatus, Participant


class Command(BaseCommand):
    help = "Create demo organisations, licences, logins and N participants (deterministic)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--participants", type=int, default=2000, help="total participants wanted (2000)"
        )
        parser.add_argument("--seed", type=int, default=1, help="random seed (1)")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing when participants already exist",
        )
        parser.add_argument(
            "--force", action="store_true", help="run even though DEBUG is off (not production!)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "Refusing to seed demo data: DEBUG is off, so this looks like a production "
                "database, and the demo logins share a published password. Use a development "
                "settings module, or pass --force if you really mean it."
            )
        if options["participants"] < 0:
            raise CommandError("--participants must be 0 or more.")
        if options["if_empty"] and Participant.objects.exists():
            self.stdout.write("Participants already exist; nothing seeded (--if-empty).")
        else:
            self._seed(target=options["participants"], seed=options["seed"])
        self._print_logins()

    def _progress(self, message: str) -> None:
        self.stderr.write(message, style_func=lambda text: text)

    def _seed(self, *, target: int, seed: int) -> None:
        started = time.perf_counter()
        now = timezone.now()
        with transaction.atomic():
            before = _totals()
            result = cast.seed_demo(
                seed=seed,
                password=_password(),
                today=timezone.localdate(now),
                progress=self._progress,
            )
            programme.seed_programme(today=timezone.localdate(now), progress=self._progress)
            added = bulk.top_up(
                target=target,
                seed=seed,
                now=now,
                favoured=result.favoured,
                g2g_partner=result.g2g_partner,
                progress=self._progress,
            )
            # After the participants: a batch of verified ones runs to certificates.
            certificates.seed_certificates(today=timezone.localdate(now), progress=self._progress)
            # Identity cards waiting in the officers' verification queue.
            documents.seed_documents(progress=self._progress)
            # After the certificates: a certified person the LPK registered signs in.
            invitations.seed_invitations(password=_password(), progress=self._progress)
            # After the participants: the selection demo enrols some of them.
            selection.seed_selection(
                today=timezone.localdate(now), password=_password(), progress=self._progress
            )
            # After selection: people on confirmed placements, before departure and abroad.
            deployment.seed_deployment(today=timezone.localdate(now), progress=self._progress)
            # After deployment: protection cases about apprentices abroad, in every state.
            protection.seed_protection(now=now, progress=self._progress)
            after = _totals()
            if after != before:
                _record_summary(before, after, seed=seed, target=target)
        if added:
            _refresh_statistics()
        self._print_summary(before, after, added, time.perf_counter() - started)

    def _print_summary(
        self, before: Mapping[str, int], after: Mapping[str, int], added: int, seconds: float
    ) -> None:
        rate = f", {added / seconds:,.0f} participants/s" if added and seconds else ""
        self.stdout.write(f"Seeded in {seconds:.1f} s{rate}.")
        for key in ("organisations", "licences", "users", "participants"):
            self.stdout.write(f"  {key:<14} {after[key]:>10,}  (+{after[key] - before[key]:,})")
        counts = bulk.status_counts()
        for status in JourneyStatus:
            self.stdout.write(f"    {status.value:<16} {counts.get(status.value, 0):>10,}")

    def _print_logins(self) -> None:
        logins = cast.demo_logins()
        if not logins:
            return
        hint = (
            f"the value of {cast.PASSWORD_ENV}"
            if os.environ.get(cast.PASSWORD_ENV)
            else cast.DEFAULT_PASSWORD
        )
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password: {hint}):")
        for username, role, scope in logins:
            self.stdout.write(f"  {username:<22} {role:<40} {scope}")
        if settings.JEMBATAN_TWO_FACTOR_REQUIRED:
            self.stdout.write(
                "Two-factor sign-in is on: each staff login sets up an authenticator app first."
            )
        else:
            self.stdout.write(
                "Two-factor sign-in is off in the demo; production requires it for every staff "
                "role."
            )


def _password() -> str:
    return os.environ.get(cast.PASSWORD_ENV) or cast.DEFAULT_PASSWORD


def _totals() -> dict[str, int]:
    """Row counts the audit summary compares, participants also per journey status."""
    by_status = bulk.status_counts()
    return {
        "organisations": Organisation.objects.count(),
        "licences": Licence.objects.count(),
        "users": User.objects.count(),
        "participants": sum(by_status.values()),
        **{f"participants.{s.value}": by_status.get(s.value, 0) for s in JourneyStatus},
    }


def _record_summary(
    before: Mapping[str, int], after: Mapping[str, int], *, seed: int, target: int
) -> ChangeRecord:
    """One audit record for the whole run, not one per row (a million rows would drown it)."""
    return record_change(
        acting_user=cast.ACTOR,
        operation="core.seed",
        action=ChangeRecord.Action.BULK,
        instance=Participant,
        summary=f"Demo data, seed {seed}",
        changes={
            k: {"before": before[k], "after": after[k]} for k in after if after[k] != before[k]
        },
        reason=f"jembatan seed --participants {target} --seed {seed}",
    )


def _refresh_statistics() -> None:
    """Let the query planner see the rows just inserted in bulk.

    Without fresh statistics PostgreSQL plans a million-row table as if it were
    empty: a province officer's list took 2.4 s instead of 0.3 ms until autovacuum
    got round to it. SQLite's ``ANALYZE`` feeds its planner the same way.
    """
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
