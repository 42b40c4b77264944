"""Load the shipped reference tables and make the audit tables append-only.

Triggers refuse UPDATE and DELETE on the audit tables in the database itself,
so not even raw SQL or a future bug in Python can rewrite history.
"""

from django.db import migrations

from jembatan.core.services import refdata

AUDIT_TABLES = ("core_changerecord", "core_accesslog")


def load_reference_data(apps, schema_editor):
    dataset = apps.get_model("core", "ReferenceDataset")
    refdata.load_regions(dataset_model=dataset, region_model=apps.get_model("core", "Region"))
    refdata.load_countries(dataset_model=dataset, country_model=apps.get_model("core", "Country"))
    refdata.load_occupations(
        dataset_model=dataset, occupation_model=apps.get_model("core", "Occupation")
    )


def _sqlite_triggers(table):
    return [
        f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END",
        f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END",
    ]


def _postgres_triggers(table):
    return [
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION jembatan_refuse_change()",
    ]


POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION jembatan_refuse_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql
"""


def add_append_only_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = []
    if vendor == "postgresql":
        statements.append(POSTGRES_FUNCTION)
        for table in AUDIT_TABLES:
            statements += _postgres_triggers(table)
    elif vendor == "sqlite":
        for table in AUDIT_TABLES:
            statements += _sqlite_triggers(table)
    for sql in statements:
        schema_editor.execute(sql, params=None)


def drop_append_only_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in AUDIT_TABLES:
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        elif vendor == "sqlite":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [
        migrations.RunPython(load_reference_data, migrations.RunPython.noop),
        migrations.RunPython(add_append_only_triggers, drop_append_only_triggers),
    ]
