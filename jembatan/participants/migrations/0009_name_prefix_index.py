"""An index for the registry's search by the start of a name, on PostgreSQL.

``full_name__istartswith`` reads ``UPPER(full_name::text) LIKE UPPER('siti%')``. No
index served it: at a million people, a name nobody has walked the whole table
backwards (about two seconds). ``text_pattern_ops`` lets the prefix use the index
whatever the database's collation. SQLite (the embedded default, for small
registries) compares case-insensitively without such an index.
"""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS participant_name_prefix "
    "ON participants_participant (UPPER(full_name::text) text_pattern_ops)"
)
DROP = "DROP INDEX IF EXISTS participant_name_prefix"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("participants", "0008_nik_mismatch_confirmation")]

    operations = [migrations.RunPython(create, drop)]
