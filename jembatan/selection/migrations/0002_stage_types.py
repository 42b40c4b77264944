"""The six stages of domain.md as reference data (IM Japan's government-to-government order)."""

from decimal import Decimal

from django.db import migrations

STAGE_TYPES = [
    # code, Indonesian, English, marking, max, pass mark, entered by
    ("administrative", "Seleksi administrasi", "Administrative check", "pass_fail", None, None, "officer"),
    ("written", "Tes tertulis", "Written test", "score", "100", "60", "examiner"),
    ("physical", "Tes fisik", "Physical test", "score", "100", "60", "examiner"),
    ("interview", "Wawancara", "Interview", "score", "100", "60", "partner"),
    ("medical", "Pemeriksaan kesehatan", "Medical check", "pass_fail", None, None, "examiner"),
    ("language", "Tes bahasa", "Language test", "score", "100", "60", "examiner"),
]


def add_stage_types(apps, schema_editor):
    StageType = apps.get_model("selection", "StageType")
    for position, (code, name_id, name_en, scoring, top, mark, by) in enumerate(STAGE_TYPES, 1):
        StageType.objects.update_or_create(
            code=code,
            defaults={
                "name_id": name_id,
                "name_en": name_en,
                "scoring": scoring,
                "default_max_score": Decimal(top) if top else None,
                "default_pass_mark": Decimal(mark) if mark else None,
                "entered_by": by,
                "position": position * 10,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("selection", "0001_initial")]

    operations = [migrations.RunPython(add_stage_types, migrations.RunPython.noop)]
