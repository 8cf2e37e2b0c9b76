"""On PostgreSQL, rows of the report access log cannot be changed or deleted, not even by
hand. (TRUNCATE, which only the database owner can run, is left for test set-up.)"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION reports_access_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'reports_reportaccess is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER reports_access_append_only
    BEFORE UPDATE OR DELETE ON reports_reportaccess
    FOR EACH STATEMENT EXECUTE FUNCTION reports_access_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS reports_access_append_only ON reports_reportaccess;
DROP FUNCTION IF EXISTS reports_access_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_sick_leave_and_access_log")]

    operations = [migrations.RunPython(forwards, backwards)]
