"""The one audited exception to the append-only change records (core.audit.scrub_subject).

The triggers of 0002 refuse every UPDATE of ``core_changerecord``. They are
replaced by triggers that still refuse every DELETE and every UPDATE, except
one that changes nothing but ``changes`` and ``object_repr`` of a record whose
subject (content type and id) is named in ``core_auditscrub``: the values of a
person whose record was anonymised. Who acted, when, through which operation
and why can never change. ``core_auditscrub`` itself is append-only too.
"""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


UNCHANGED = (
    "id", "at", "actor_id", "actor_label", "operation", "action", "content_type_id",
    "object_id", "reason", "ip_address",
)  # fmt: skip
SCRUB_GRANTED = (
    "EXISTS (SELECT 1 FROM core_auditscrub s "
    "WHERE s.content_type_id = OLD.content_type_id AND s.object_id = OLD.object_id)"
)
SQLITE_UPDATE = (
    "CREATE TRIGGER core_changerecord_no_update BEFORE UPDATE ON core_changerecord "
    "WHEN NOT ("
    + " AND ".join(f"NEW.{c} IS OLD.{c}" for c in UNCHANGED)
    + f" AND {SCRUB_GRANTED}) "
    "BEGIN SELECT RAISE(ABORT, 'core_changerecord is append-only'); END"
)
SQLITE_PLAIN_UPDATE = (
    "CREATE TRIGGER core_changerecord_no_update BEFORE UPDATE ON core_changerecord "
    "BEGIN SELECT RAISE(ABORT, 'core_changerecord is append-only'); END"
)
POSTGRES_GUARD = (
    "CREATE OR REPLACE FUNCTION jembatan_changerecord_guard() RETURNS trigger AS $$\n"
    "BEGIN\n"
    "  IF TG_OP = 'UPDATE' AND ("
    + ", ".join(f"NEW.{c}" for c in UNCHANGED)
    + ") IS NOT DISTINCT FROM ("
    + ", ".join(f"OLD.{c}" for c in UNCHANGED)
    + f") AND {SCRUB_GRANTED} THEN\n"
    "    RETURN NEW;\n"
    "  END IF;\n"
    "  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;\n"
    "END;\n"
    "$$ LANGUAGE plpgsql"
)
APPEND_ONLY_SCRUBS = {
    "sqlite": [
        "CREATE TRIGGER core_auditscrub_no_update BEFORE UPDATE ON core_auditscrub "
        "BEGIN SELECT RAISE(ABORT, 'core_auditscrub is append-only'); END",
        "CREATE TRIGGER core_auditscrub_no_delete BEFORE DELETE ON core_auditscrub "
        "BEGIN SELECT RAISE(ABORT, 'core_auditscrub is append-only'); END",
    ],
    "postgresql": [
        "CREATE TRIGGER core_auditscrub_append_only BEFORE UPDATE OR DELETE ON core_auditscrub "
        "FOR EACH ROW EXECUTE FUNCTION jembatan_refuse_change()",
    ],
}


def allow_scrub(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        statements = ["DROP TRIGGER IF EXISTS core_changerecord_no_update", SQLITE_UPDATE]
    elif vendor == "postgresql":
        statements = [
            POSTGRES_GUARD,
            "DROP TRIGGER IF EXISTS core_changerecord_append_only ON core_changerecord",
            "CREATE TRIGGER core_changerecord_append_only BEFORE UPDATE OR DELETE "
            "ON core_changerecord FOR EACH ROW EXECUTE FUNCTION jembatan_changerecord_guard()",
        ]
    else:
        return
    for sql in statements + APPEND_ONLY_SCRUBS[vendor]:
        schema_editor.execute(sql, params=None)


def refuse_scrub(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        statements = [
            "DROP TRIGGER IF EXISTS core_changerecord_no_update",
            SQLITE_PLAIN_UPDATE,
            "DROP TRIGGER IF EXISTS core_auditscrub_no_update",
            "DROP TRIGGER IF EXISTS core_auditscrub_no_delete",
        ]
    elif vendor == "postgresql":
        statements = [
            "DROP TRIGGER IF EXISTS core_changerecord_append_only ON core_changerecord",
            "CREATE TRIGGER core_changerecord_append_only BEFORE UPDATE OR DELETE "
            "ON core_changerecord FOR EACH ROW EXECUTE FUNCTION jembatan_refuse_change()",
            "DROP TRIGGER IF EXISTS core_auditscrub_append_only ON core_auditscrub",
            "DROP FUNCTION IF EXISTS jembatan_changerecord_guard()",
        ]
    else:
        return
    for sql in statements:
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('core', '0007_occupations_ssw_2026_esd_2027'),
    ]

    operations = [
        migrations.CreateModel(
            name='AuditScrub',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='at')),
                ('actor_label', models.CharField(max_length=150, verbose_name='actor')),
                ('operation', models.CharField(max_length=100, verbose_name='operation')),
                ('object_id', models.CharField(max_length=64, verbose_name='record')),
                ('fields', models.JSONField(default=list, verbose_name='fields blanked')),
                ('records', models.PositiveIntegerField(default=0, verbose_name='change records rewritten')),
                ('reason', models.TextField(blank=True, verbose_name='reason')),
                ('content_type', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='contenttypes.contenttype')),
            ],
            options={
                'verbose_name': "scrub of a subject's values",
                'verbose_name_plural': "scrubs of subjects' values",
                'indexes': [models.Index(fields=['content_type', 'object_id'], name='core_audits_content_ce2a4c_idx')],
            },
        ),
        migrations.RunPython(allow_scrub, refuse_scrub),
    ]
