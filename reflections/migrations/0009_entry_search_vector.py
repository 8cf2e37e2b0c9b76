"""The Swedish full-text search reads a stored vector instead of computing one per entry.

On PostgreSQL, the built-in tsvector_update_trigger keeps `search_vector` right on every
insert and on every change of the title or the text, whatever makes the change (the portal,
the admin, a data migration, the benchmark's bulk load); the existing entries are filled
once here. The GIN index moves from the expression (migration 0002) to the column. On
SQLite the column stays empty: the quick start searches by substrings.
"""

import django.contrib.postgres.search
from django.db import migrations

TRIGGER = "reflections_entry_search_vector"
INDEX = "reflections_entry_search_sv"
EXPRESSION = (
    "to_tsvector('swedish'::regconfig, COALESCE(\"title\", '') || ' ' || COALESCE(\"body\", ''))"
)


def keep_vector(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE TRIGGER {TRIGGER} BEFORE INSERT OR UPDATE OF title, body "
        "ON reflections_entry FOR EACH ROW EXECUTE FUNCTION "
        "tsvector_update_trigger(search_vector, 'pg_catalog.swedish', title, body)"
    )
    schema_editor.execute(f"UPDATE reflections_entry SET search_vector = {EXPRESSION}")  # noqa: S608  # nosec B608: built from constants only
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
    schema_editor.execute(f"CREATE INDEX {INDEX} ON reflections_entry USING GIN (search_vector)")


def compute_again(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON reflections_entry")
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
    schema_editor.execute(f"CREATE INDEX {INDEX} ON reflections_entry USING GIN ({EXPRESSION})")


class Migration(migrations.Migration):
    dependencies = [("reflections", "0008_entry_readers_backfill")]

    operations = [
        migrations.AddField(
            model_name="entry",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(keep_vector, compute_again),
    ]
