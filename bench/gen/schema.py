"""PostgreSQL: the bulk tables' indexes and keys, dropped while loading and recreated from their definitions."""

from __future__ import annotations

BULK_TABLES = (
    "demands_demand",
    "demands_assignment",
    "demands_demandevent",
    "demands_callback",
    "demands_extension",
    "org_resident",
)


def schema_snapshot(cur) -> dict[str, list[tuple[str, str, str]]]:
    """What the load drops from the bulk tables, as (table, name, definition).

    Primary keys and check constraints stay. Partial indexes stay too: they are
    small, and PostgreSQL prints a recreated predicate differently, so the
    definitions could not be compared afterwards.
    """
    cur.execute(
        """SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), contype FROM pg_constraint
           WHERE conrelid = ANY(%s::regclass[]) AND contype IN ('u', 'f') ORDER BY 1, 2""",
        [list(BULK_TABLES)],
    )
    rows = cur.fetchall()
    cur.execute(
        """SELECT i.indrelid::regclass::text, c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i
           JOIN pg_class c ON c.oid = i.indexrelid
           WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary AND i.indpred IS NULL
             AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.contype IN ('p', 'u', 'x'))
           ORDER BY 1, 2""",
        [list(BULK_TABLES)],
    )
    return {
        "unique": [r[:3] for r in rows if r[3] == "u"],
        "fkeys": [r[:3] for r in rows if r[3] == "f"],
        "indexes": [tuple(r) for r in cur.fetchall()],
    }


def schema_drop(cur, snap) -> None:
    for table, name, _ in snap["fkeys"] + snap["unique"]:
        cur.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for _, name, _ in snap["indexes"]:
        cur.execute(f'DROP INDEX "{name}"')


def _ddl(sql: str) -> None:
    from django.db import connection

    try:
        with connection.cursor() as cur:
            cur.execute("SET maintenance_work_mem = '256MB'")
            cur.execute(sql)
    finally:
        connection.close()


def schema_restore(snap, workers: int) -> None:
    """Indexes and unique keys on ``workers`` connections at once (largest tables first), then the foreign keys."""
    from concurrent.futures import ThreadPoolExecutor

    size = {
        t: i
        for i, t in enumerate(
            (
                "demands_demandevent",
                "demands_demand",
                "demands_assignment",
                "demands_callback",
                "org_resident",
            )
        )
    }
    builds = [(t, f'ALTER TABLE {t} ADD CONSTRAINT "{n}" {d}') for t, n, d in snap["unique"]] + [
        (t, d) for t, _, d in snap["indexes"]
    ]
    builds.sort(key=lambda b: size.get(b[0], 9))
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(_ddl, [sql for _, sql in builds]))
    for table, name, definition in snap["fkeys"]:  # each locks the tables it joins: one at a time
        _ddl(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
