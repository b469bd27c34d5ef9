"""Keyword search in the demand list without reading every row (PostgreSQL only).

``text__icontains`` becomes ``UPPER(text) LIKE UPPER('%…%')`` on PostgreSQL; trigram GIN
indexes on the same expressions let it use an index. pg_trgm is a trusted extension
(PostgreSQL 13+), so the database owner can create it. SQLite keeps scanning: the
embedded deployment holds far fewer demands.
"""

from django.db import migrations

INDEXES = {
    "demand_text_trgm": "text",
    "demand_title_trgm": "title",
    "demand_address_trgm": "address",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in INDEXES.items():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS {name} ON demands_demand USING gin (UPPER("{column}") gin_trgm_ops)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("demands", "0006_overdue_open_index")]

    operations = [migrations.RunPython(create, drop)]
