"""``jembatan encryption status|rotate``: what is encrypted under which key, and rotation.

``status`` prints, for every encrypted column and kind of encrypted file, how
many items are under each key id (``*`` marks the key that encrypts now;
``not encrypted`` counts values written before encryption was turned on, and
``unknown`` a key id no configured key has). ``rotate`` re-encrypts everything
not under the first key of ``JEMBATAN_ENCRYPTION_KEYS`` in batches and prints
the counts; it can be stopped and started again, and a second run does nothing.
Remove an old key from the setting only once ``status`` shows nothing under it.
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from jembatan.core.encryption import DecryptionFailed, current_key_id, known_key_ids
from jembatan.core.services.encryption import BATCH, encryption_status, rotate_all

ACTOR = "system:encryption"


class Command(BaseCommand):
    help = "Count encrypted data per key (status) or re-encrypt it under the first key (rotate)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("status", help="count encrypted values and files per key id")
        rotate = actions.add_parser("rotate", help="re-encrypt everything under the first key")
        rotate.add_argument("--batch-size", type=int, default=BATCH, help="rows per transaction")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "status":
            self._status()
            return
        try:
            done = rotate_all(
                acting_user=ACTOR,
                batch_size=max(1, options["batch_size"]),
                progress=lambda label, n: self.stdout.write(f"  {label}: {n}…"),
            )
        except DecryptionFailed as error:
            self.stderr.write(str(error))
            sys.exit(1)
        self.stdout.write(f"Re-encrypted under key {current_key_id()}:")
        for label, count in done.items():
            self.stdout.write(f"{label}: {count}")
        self.stdout.write(f"total: {sum(done.values())}")

    def _status(self) -> None:
        keys, current = known_key_ids(), current_key_id()
        self.stdout.write("keys: " + ", ".join(f"{k}{'*' if k == current else ''}" for k in keys))
        for tally in encryption_status():
            parts = [
                f"{self._name(kid, keys, current)} {n}" for kid, n in sorted(tally.by_key.items())
            ]
            self.stdout.write(f"{tally.label}: {', '.join(parts) or 'nothing stored'}")

    @staticmethod
    def _name(kid: str, keys: list[str], current: str) -> str:
        if not kid:
            return "not encrypted"
        if kid not in keys:
            return f"{kid} (unknown)"
        return f"{kid}*" if kid == current else kid
