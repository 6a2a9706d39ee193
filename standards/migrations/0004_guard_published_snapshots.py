"""A database-level guard: published snapshots cannot be updated (nor, on PostgreSQL, deleted).

The model layer refuses too (PublishedSnapshot.save/delete and its queryset);
this catches raw SQL and any code path that bypasses the model.
"""

from django.db import migrations

POSTGRES = """
CREATE OR REPLACE FUNCTION standards_published_snapshot_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'published snapshots are immutable';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER standards_published_snapshot_immutable
    BEFORE UPDATE OR DELETE ON standards_publishedsnapshot
    FOR EACH ROW EXECUTE FUNCTION standards_published_snapshot_immutable();
"""
POSTGRES_REVERSE = """
DROP TRIGGER IF EXISTS standards_published_snapshot_immutable ON standards_publishedsnapshot;
DROP FUNCTION IF EXISTS standards_published_snapshot_immutable();
"""
# SQLite empties tables with DELETE when a test database is flushed, so only
# updates are refused there.
SQLITE = """
CREATE TRIGGER standards_published_snapshot_immutable
    BEFORE UPDATE ON standards_publishedsnapshot
    BEGIN SELECT RAISE(ABORT, 'published snapshots are immutable'); END;
"""
SQLITE_REVERSE = "DROP TRIGGER IF EXISTS standards_published_snapshot_immutable;"


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_REVERSE)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_REVERSE)


class Migration(migrations.Migration):
    dependencies = [("standards", "0003_add_workflow_records")]

    operations = [migrations.RunPython(forwards, backwards)]
