"""Swedish full-text search over title and text, on PostgreSQL (the quick start's SQLite
searches by words instead). The expression is the one reflections.selectors queries with."""

from django.db import migrations

INDEX = "reflections_entry_search_sv"
EXPRESSION = (
    "to_tsvector('swedish'::regconfig, COALESCE(\"title\", '') || ' ' || COALESCE(\"body\", ''))"
)


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON reflections_entry USING GIN ({EXPRESSION})"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("reflections", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index)]
