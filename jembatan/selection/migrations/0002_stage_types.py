"""The selection stage types from core/data/selection-stage-types.csv (reference data)."""

from django.db import migrations

from jembatan.core.services import refdata


def load_stage_types(apps, schema_editor):
    refdata.load_stage_types(
        dataset_model=apps.get_model("core", "ReferenceDataset"),
        stage_type_model=apps.get_model("selection", "StageType"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("selection", "0001_initial"),
        ("core", "0004_selection_stage_types_dataset"),
    ]

    operations = [migrations.RunPython(load_stage_types, migrations.RunPython.noop)]
