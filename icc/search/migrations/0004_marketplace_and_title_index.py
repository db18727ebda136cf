"""Marketplace solutions and challenges join the search entries, and on PostgreSQL the
title's words get a stored ``tsvector`` and GIN index of their own, so that matches in
titles are found and ranked by the index, as SQLite's FTS5 does with its ``title :``
filter."""

from django.db import migrations, models

POSTGRES = [
    "ALTER TABLE search_entry ADD COLUMN title_words tsvector GENERATED ALWAYS AS "
    "(to_tsvector('simple'::regconfig, coalesce(title, ''))) STORED",
    "CREATE INDEX search_entry_title_words ON search_entry USING GIN (title_words)",
]
POSTGRES_REVERSE = [
    "DROP INDEX IF EXISTS search_entry_title_words",
    "ALTER TABLE search_entry DROP COLUMN IF EXISTS title_words",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0003_message_entries")]

    operations = [
        migrations.AlterField(
            model_name="entry",
            name="kind",
            field=models.CharField(
                choices=[
                    ("city", "City"),
                    ("person", "Person"),
                    ("action", "Action"),
                    ("kpi", "KPI"),
                    ("item", "Toolbox item"),
                    ("post", "Message"),
                    ("solution", "Marketplace solution"),
                    ("need", "Marketplace challenge"),
                ],
                max_length=8,
            ),
        ),
        migrations.RunPython(_run(POSTGRES), _run(POSTGRES_REVERSE)),
    ]
