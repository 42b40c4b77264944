"""``jembatan refdata load``: (re)load the reference tables shipped with Jembatan."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from jembatan.core import refdata
from jembatan.core.audit import record_change
from jembatan.core.models import Country, Occupation, ReferenceDataset, Region


class Command(BaseCommand):
    help = (
        "Load the reference tables (regions, countries, occupations, stage types) from core/data."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["load"], help="what to do")

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        counts = {
            "regions": refdata.load_regions(dataset_model=ReferenceDataset, region_model=Region),
            "countries": refdata.load_countries(
                dataset_model=ReferenceDataset, country_model=Country
            ),
            "occupations": refdata.load_occupations(
                dataset_model=ReferenceDataset, occupation_model=Occupation
            ),
            # Looked up by name: core does not import the apps built on it.
            "selection stage types": refdata.load_stage_types(
                dataset_model=ReferenceDataset,
                stage_type_model=apps.get_model("selection", "StageType"),
            ),
        }
        for dataset in ReferenceDataset.objects.all():
            record_change(
                actor="system:refdata",
                operation="core.refdata_load",
                instance=dataset,
                action="bulk",
                changes={"version": {"before": None, "after": dataset.version}},
            )
        for table, count in counts.items():
            self.stdout.write(f"{table}: {count} rows")
