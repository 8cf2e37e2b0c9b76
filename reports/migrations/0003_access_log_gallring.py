"""The access log stays append-only, except for gallring: a transaction that has set
`kungsor_ledarskap.gallring` to 'on' (privacy/retention.py does, with SET LOCAL) may delete
rows. Changing a row is still refused."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION reports_access_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE'
       AND coalesce(current_setting('kungsor_ledarskap.gallring', true), '') = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'reports_reportaccess is append-only';
END;
$$ LANGUAGE plpgsql;
"""
PREVIOUS = """
CREATE OR REPLACE FUNCTION reports_access_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'reports_reportaccess is append-only';
END;
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PREVIOUS)


class Migration(migrations.Migration):
    dependencies = [("reports", "0002_append_only_access_log")]

    operations = [migrations.RunPython(forwards, backwards)]
