"""``jembatan certificates verify NUMBER|TOKEN``: the status of a certificate, for scripts.

Prints the number, kind, holder, issuer, date and status (valid or revoked)
and the public verification URL. Exit code 0 for a valid certificate, 1 for a
revoked or unknown one, so a script can act on it. ``--json`` prints the
same as JSON. Like the public page, it shows no personal data beyond the name.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jembatan.training.models import Certificate
from jembatan.training.pdf import verification_url
from jembatan.training.selectors import certificate_by_number_or_token


def status_of(certificate: Certificate) -> dict[str, Any]:
    """What the command prints."""
    return {
        "number": certificate.number,
        "kind": certificate.kind,
        "holder": certificate.holder_name,
        "issuer": certificate.issuer.name,
        "issued_on": certificate.issued_on.isoformat(),
        "status": "revoked" if certificate.is_revoked else "valid",
        "revoked_on": certificate.revoked_at.date().isoformat() if certificate.revoked_at else None,
        "url": verification_url(certificate),
    }


class Command(BaseCommand):
    help = "Certificates. verify NUMBER|TOKEN: print a certificate's status (exit 1 unless valid)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify"], help="what to do")
        parser.add_argument("value", help="certificate number (JBT/2026/000123) or token")
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        certificate = certificate_by_number_or_token(options["value"])
        if certificate is None:
            raise CommandError(f"No certificate {options['value']!r}.")
        status = status_of(certificate)
        if options["json"]:
            self.stdout.write(json.dumps(status, indent=2, sort_keys=True))
        else:
            for key, value in status.items():
                if value is not None:
                    self.stdout.write(f"{key}: {value}")
        if certificate.is_revoked:
            raise CommandError(f"{certificate.number} is REVOKED.")
