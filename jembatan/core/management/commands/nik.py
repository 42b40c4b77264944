"""``jembatan nik NIK``: what a NIK says, as JSON, or why it is not a NIK.

Prints the decoded parts (province and regency with their names from the
reference regions, district code, birth date, sex) to stdout and exits 0, or
prints each reason on its own line to stderr and exits 1. Warnings (a region
the reference data does not know) go to stderr too but do not fail: the region
part is where the card was first issued, which can be an old code.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from jembatan.core.models import Region
from jembatan.core.nik import DecodedNik, check_nik
from jembatan.core.regions import region_exists


class Command(BaseCommand):
    help = "Decode a NIK: print its parts as JSON (exit 0) or the reasons it is invalid (exit 1)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("nik", help="the 16-digit NIK (quote it if it contains spaces)")

    def handle(self, *args: Any, **options: Any) -> None:
        check = check_nik(options["nik"], region_exists=region_exists, today=timezone.localdate())
        for problem in check.problems:
            prefix = "" if problem.severity == "error" else "warning: "
            self.stderr.write(f"{prefix}{problem.message}")
        if check.errors or check.decoded is None:
            sys.exit(1)
        self.stdout.write(json.dumps(describe(check.decoded), ensure_ascii=False, indent=2))


def describe(decoded: DecodedNik) -> dict[str, Any]:
    """The parts of a valid NIK, with region names where the reference data knows them."""
    names = dict(
        Region.objects.filter(pk__in=[decoded.province_code, decoded.regency_code]).values_list(
            "code", "name"
        )
    )
    return {
        "nik": decoded.nik,
        "province_code": decoded.province_code,
        "province_name": names.get(decoded.province_code),
        "regency_code": decoded.regency_code,
        "regency_name": names.get(decoded.regency_code),
        "district_code": decoded.district_code,
        "birth_date": decoded.birth_date(today=timezone.localdate()).isoformat(),
        "sex": decoded.sex,
    }
