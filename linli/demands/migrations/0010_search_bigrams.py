"""Two-character keyword search from an index (PostgreSQL only).

Trigram indexes (0007) cannot narrow a two-character term such as 路灯: a LIKE pattern yields no trigram
shorter than three characters, so the list scanned every demand (320 ms at 1,000,000). Here a GIN index holds
the character bigrams of text, title and address (``linli_bigrams``, an immutable SQL function); the selector
asks ``linli_bigrams(…) @> ARRAY[term]`` with the same expression, and rechecks with LIKE for exactness.
Built concurrently, so writes go on while it is made on a large table. SQLite keeps scanning.
"""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION linli_bigrams(t text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
    SELECT coalesce(array_agg(DISTINCT substr(t, i, 2)), '{}'::text[])
    FROM generate_series(1, char_length(t) - 1) AS i
$$
"""
EXPRESSION = """linli_bigrams(("text" || ' ' || "title" || ' ' || "address"))"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION)
    schema_editor.execute(
        f"CREATE INDEX CONCURRENTLY IF NOT EXISTS demand_search_bigrams ON demands_demand USING gin ({EXPRESSION})"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX CONCURRENTLY IF EXISTS demand_search_bigrams")
    schema_editor.execute("DROP FUNCTION IF EXISTS linli_bigrams(text)")


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("demands", "0009_event_actor_protected")]

    operations = [migrations.RunPython(create, drop)]
