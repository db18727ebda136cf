"""The full-text index over the search entries, in each database's own way.

SQLite: an FTS5 table holding the words of each entry (``unicode61`` with diacritics
folded, so "Dusseldorf" finds "Düsseldorf"), kept in step by triggers.
PostgreSQL: a stored, generated ``tsvector`` column in the 'simple' configuration (no
stemming: the platform's texts are in 24 languages) with a GIN index, so that ranking
reads the stored words instead of parsing every matching text again.
"""

from django.db import migrations

SQLITE = [
    """CREATE VIRTUAL TABLE search_entry_fts USING fts5(
        title, text, content='search_entry', content_rowid='id',
        tokenize="unicode61 remove_diacritics 2"
    )""",
    """CREATE TRIGGER search_entry_ai AFTER INSERT ON search_entry BEGIN
        INSERT INTO search_entry_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
    END""",
    """CREATE TRIGGER search_entry_ad AFTER DELETE ON search_entry BEGIN
        INSERT INTO search_entry_fts(search_entry_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
    END""",
    """CREATE TRIGGER search_entry_au AFTER UPDATE ON search_entry BEGIN
        INSERT INTO search_entry_fts(search_entry_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
        INSERT INTO search_entry_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
    END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS search_entry_au",
    "DROP TRIGGER IF EXISTS search_entry_ad",
    "DROP TRIGGER IF EXISTS search_entry_ai",
    "DROP TABLE IF EXISTS search_entry_fts",
]
POSTGRES = [
    "ALTER TABLE search_entry ADD COLUMN words tsvector GENERATED ALWAYS AS "
    "(to_tsvector('simple'::regconfig, coalesce(title, '') || ' ' || coalesce(text, ''))) STORED",
    "CREATE INDEX search_entry_words ON search_entry USING GIN (words)",
]
POSTGRES_REVERSE = ["DROP INDEX IF EXISTS search_entry_words", "ALTER TABLE search_entry DROP COLUMN IF EXISTS words"]


def _run(statements: dict[str, list[str]]):
    def run(apps, schema_editor):
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        )
    ]
