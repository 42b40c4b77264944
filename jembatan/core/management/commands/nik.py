"""``jembatan nik NIK``: what a NIK says, as JSON, or why it is not a NIK.

Prints the decoded parts (province and regency with their names, district code,
birth date, sex, and what a retired region code meant when the NIK was issued)
to stdout and exits 0, or prints each reason on its own line to stderr and exits
1. Warnings (a region never in the reference data) go to stderr too but do not
fail.

It reads the reference files in ``core/data`` directly (``core/region_history.py``),
never the database, so it answers on a fresh install before ``migrate``.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from jembatan.core import region_history
from jembatan.core.nik import DecodedNik, check_nik


class Command(BaseCommand):
    help = "Decode a NIK: print its parts as JSON (exit 0) or the reasons it is invalid (exit 1)."
    requires_migrations_checks = False
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("nik", help="the 16-digit NIK (quote it if it contains spaces)")

    def handle(self, *args: Any, **options: Any) -> None:
        check = check_nik(
            options["nik"], region_exists=region_history.known, today=timezone.localdate()
        )
        for problem in check.problems:
            prefix = "" if problem.severity == "error" else "warning: "
            self.stderr.write(f"{prefix}{problem.message}")
        if check.errors or check.decoded is None:
            sys.exit(1)
        self.stdout.write(json.dumps(describe(check.decoded), ensure_ascii=False, indent=2))


def describe(decoded: DecodedNik) -> dict[str, Any]:
    """The parts of a valid NIK, with today's region names and, for a retired code,
    what it meant when the NIK was issued."""
    names = region_history.current_names()
    birth_date = decoded.birth_date(today=timezone.localdate())
    issued = region_history.issued_region(decoded.regency_code, birth_date)
    return {
        "nik": decoded.nik,
        "province_code": decoded.province_code,
        "province_name": names.get(decoded.province_code),
        "regency_code": decoded.regency_code,
        "regency_name": names.get(decoded.regency_code),
        "district_code": decoded.district_code,
        "birth_date": birth_date.isoformat(),
        "sex": decoded.sex,
        "issued_in": None
        if issued is None
        else {
            "regency_code": issued.code,
            "regency_name": issued.name,
            "province_code": issued.province_code,
            "province_name": issued.province_name,
            "code_retired_on": issued.retired_on.isoformat(),
            "today": list(issued.successors),
            "certainty": issued.certainty,
            "note": issued.note,
        },
    }
