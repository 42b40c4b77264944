"""Load the SSW 2026 and ESD 2027 occupation tables into databases migrated before them.

Loading is idempotent (rows matched by dataset and code), so a fresh database that
0002 already filled from the current files is left as it is.
"""

from django.db import migrations


def load_occupations(apps, schema_editor):
    from jembatan.core.services import refdata

    refdata.load_occupations(
        dataset_model=apps.get_model("core", "ReferenceDataset"),
        occupation_model=apps.get_model("core", "Occupation"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_task_worker"),
    ]

    operations = [
        migrations.RunPython(load_occupations, migrations.RunPython.noop),
    ]
