"""The table of Django's database cache (``linli_cache``), used when REDIS_URL is not set.

Created here rather than by a separate ``createcachetable`` step, so ``linli migrate``
from a bare clone, ``make demo`` and the test database all have it.
"""

import io

from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations

TABLE = "linli_cache"


def create_cache_table(apps, schema_editor):
    command = CreateCacheTable(stdout=io.StringIO())
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, TABLE, False)


def drop_cache_table(apps, schema_editor):
    if TABLE in schema_editor.connection.introspection.table_names():
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE {schema_editor.connection.ops.quote_name(TABLE)}")


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0002_attachment"),
    ]

    operations = [
        migrations.RunPython(create_cache_table, drop_cache_table),
    ]
