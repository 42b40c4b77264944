"""``jembatan demand``: job orders and targets as CSV or JSON, for operators who script.

Slots filled and open come from ``selectors.slot_summary`` and progress from
``progress.target_progress``, so the figures match the pages. Column names are
stable machine names (not translated) because scripts read them; CSV cells are
made spreadsheet-safe as in the register download. A bad option value exits 2,
like any other usage error.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from jembatan.core.models import Country
from jembatan.demand.models import JobOrder, JobOrderStatus, Target
from jembatan.demand.progress import TargetProgress, target_progress
from jembatan.demand.selectors import slot_summary
from jembatan.organisations.register import spreadsheet_safe

USAGE_ERROR = 2
FORMATS = ("csv", "json")
JOB_ORDER_COLUMNS = (
    "id",
    "partner",
    "host_company",
    "country",
    "occupation_code",
    "slots",
    "filled",
    "open",
    "status",
)
TARGET_COLUMNS = (
    "id",
    "year",
    "scope",
    "partner",
    "country",
    "number",
    "stage",
    "achieved",
    "percent",
)
Row = dict[str, Any]


def _usage_error(message: str) -> CommandError:
    return CommandError(message, returncode=USAGE_ERROR)


def _status(value: str | None) -> str | None:
    if value is None or value in JobOrderStatus.values:
        return value
    known = ", ".join(JobOrderStatus.values)
    raise _usage_error(
        _("Unknown status %(value)r; use one of: %(known)s.") % {"value": value, "known": known}
    )


def _country(value: str | None) -> str | None:
    if value is None:
        return None
    code = value.upper()
    if not Country.objects.filter(pk=code).exists():
        raise _usage_error(
            _("Unknown country %(value)r; use an ISO 3166-1 alpha-2 code such as JP.")
            % {"value": value}
        )
    return code


def _year(value: str | None) -> int | None:
    if value is None:
        return None
    if not value.isdigit() or not 2000 <= int(value) <= 2100:
        raise _usage_error(
            _("Bad year %(value)r; use a year from 2000 to 2100.") % {"value": value}
        )
    return int(value)


def job_order_rows(status: str | None, country: str | None) -> list[Row]:
    """Job orders, newest first, with slots filled and open counted from placements."""
    rows = JobOrder.objects.select_related("partner", "host_company", "occupation")
    if status:
        rows = rows.filter(status=status)
    if country:
        rows = rows.filter(country_id=country)
    return [_job_order_row(order) for order in slot_summary(rows).order_by("-id")]


def _job_order_row(order: Any) -> Row:
    host = order.host_company
    return {
        "id": order.pk,
        "partner": order.partner.name,
        "host_company": host.name if host else "",
        "country": order.country_id,
        "occupation_code": order.occupation.code,
        "slots": order.slots,
        "filled": order.slots_filled,
        "open": order.slots_open,
        "status": order.status,
    }


def target_rows(year: int | None) -> list[Row]:
    """Targets, newest year first, with their progress at the stage they are counted at.

    Ordered by year and id, not the model's partner/country order, whose empty
    values sort first on SQLite and last on PostgreSQL: scripts get one order.
    """
    targets = Target.objects.select_related("partner", "country").order_by("-year", "id")
    if year is not None:
        targets = targets.filter(year=year)
    return [_target_row(progress) for progress in target_progress(list(targets))]


def _scope(target: Target) -> str:
    if target.partner_id is not None:
        return "partner"
    return "country" if target.country_id is not None else "national"


def _target_row(progress: TargetProgress) -> Row:
    target = progress.target
    return {
        "id": target.pk,
        "year": target.year,
        "scope": _scope(target),
        "partner": target.partner.name if target.partner else "",
        "country": target.country_id or "",
        "number": target.number,
        "stage": target.stage,
        "achieved": progress.achieved,
        "percent": progress.percent,
    }


class Command(BaseCommand):
    help = "Demand for scripts: list job orders or targets as CSV (default) or JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(
            dest="action", required=True, metavar="{job-orders,targets}"
        )
        orders = actions.add_parser("job-orders", help="job orders with slots filled and open")
        orders.add_argument(
            "--status", help="only this status (" + ", ".join(JobOrderStatus.values) + ")"
        )
        orders.add_argument("--country", help="only this country (ISO alpha-2, e.g. JP)")
        orders.add_argument(
            "--format", choices=FORMATS, default="csv", help="csv (default) or json"
        )
        targets = actions.add_parser("targets", help="targets with their progress")
        targets.add_argument("--year", help="only this year (2000-2100)")
        targets.add_argument(
            "--format", choices=FORMATS, default="csv", help="csv (default) or json"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        rows, columns = self._rows(options)
        if options["format"] == "json":
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
        else:
            self._write_csv(rows, columns)

    def _rows(self, options: dict[str, Any]) -> tuple[list[Row], Sequence[str]]:
        if options["action"] == "targets":
            return target_rows(_year(options["year"])), TARGET_COLUMNS
        status, country = _status(options["status"]), _country(options["country"])
        return job_order_rows(status, country), JOB_ORDER_COLUMNS

    def _write_csv(self, rows: list[Row], columns: Sequence[str]) -> None:
        writer = csv.writer(self.stdout, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([spreadsheet_safe(row[c]) for c in columns] for row in rows)
