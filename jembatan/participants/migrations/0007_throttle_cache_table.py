"""The database cache table the self-registration throttle counts in (``CACHES["throttle"]``).

Created by the migration, so that ``jembatan migrate`` is the one step a new
server needs (``createcachetable`` skips a table that exists; running it again
changes nothing). Removing the migration leaves the table: it holds only
short-lived counters under keyed hashes.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("participants", "0006_consent_basis")]

    operations = [migrations.RunPython(create_cache_tables, migrations.RunPython.noop)]
