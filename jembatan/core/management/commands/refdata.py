"""``jembatan refdata load``: (re)load the reference tables shipped with Jembatan."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from jembatan.core.services.refdata import reference_data_load


class Command(BaseCommand):
    help = (
        "Load the reference tables (regions, countries, occupations, stage types) from core/data."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["load"], help="what to do")

    def handle(self, *args: Any, **options: Any) -> None:
        counts = reference_data_load(acting_user="system:refdata")
        for table, count in counts.items():
            self.stdout.write(f"{table}: {count} rows")
