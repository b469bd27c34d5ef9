"""Append-only event tables: the ORM refuses to change or delete a row, and PostgreSQL does too.

Every app's event table (who did what, when) derives from ``AppendOnlyModel``.
The ORM guard catches a careless ``save()`` on a loaded row, ``delete()``,
``QuerySet.update()`` / ``delete()`` and ``bulk_update``; a database trigger
(``append_only_trigger`` in each app's migration) catches everything else —
raw SQL, a cascade from a parent row, an ``ON DELETE SET NULL`` — on
PostgreSQL. TRUNCATE (``manage.py flush``, used by ``linli demo --reset`` and
by the test runner between transactional tests) empties whole databases and
stays allowed. SQLite gets the ORM guard only.
"""

from __future__ import annotations

from django.db import migrations, models

from linli.core.errors import AppendOnly


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnly(details={"table": self.model._meta.db_table, "operation": "update"})

    def delete(self):
        raise AppendOnly(details={"table": self.model._meta.db_table, "operation": "delete"})

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnly(details={"table": self.model._meta.db_table, "operation": "update"})

    def update_or_create(self, *args, **kwargs):
        raise AppendOnly(details={"table": self.model._meta.db_table, "operation": "update"})


AppendOnlyManager = models.Manager.from_queryset(AppendOnlyQuerySet)


class AppendOnlyModel(models.Model):
    """An event row: inserted once by a service, never changed or deleted."""

    objects = AppendOnlyManager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnly(details={"table": self._meta.db_table, "operation": "update"})
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly(details={"table": self._meta.db_table, "operation": "delete"})


def _trigger_sql(table: str) -> tuple[str, str]:
    function = f"{table}_append_only"
    create = f"""
        CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$
        BEGIN
            RAISE EXCEPTION 'event.append_only: % on % refused (events are append-only)', TG_OP, TG_TABLE_NAME
                USING ERRCODE = 'insufficient_privilege';
        END;
        $$ LANGUAGE plpgsql;
        DROP TRIGGER IF EXISTS {function} ON {table};
        CREATE TRIGGER {function} BEFORE UPDATE OR DELETE ON {table}
            FOR EACH ROW EXECUTE FUNCTION {function}();
    """
    drop = f"DROP TRIGGER IF EXISTS {function} ON {table}; DROP FUNCTION IF EXISTS {function}();"
    return create, drop


def append_only_trigger(app_label: str, model_name: str) -> migrations.RunPython:
    """A reversible migration operation: on PostgreSQL, a trigger refusing UPDATE and DELETE on the table."""

    def _table(apps) -> str:
        return apps.get_model(app_label, model_name)._meta.db_table

    def forward(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            with (
                schema_editor.connection.cursor() as cursor
            ):  # no parameters: the % in the body stays literal
                cursor.execute(_trigger_sql(_table(apps))[0])

    def backward(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            with schema_editor.connection.cursor() as cursor:
                cursor.execute(_trigger_sql(_table(apps))[1])

    return migrations.RunPython(forward, backward, elidable=False)
