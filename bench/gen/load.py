"""Writing a batch: ids shared by the workers, binary COPY on PostgreSQL (INSERT on SQLite), the worker function."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

from .life import Batch


class IdCounters:
    """The last id taken in each table, shared by the worker processes so that ids stay dense."""

    NAMES = ("assignment", "extension", "callback", "event", "resident")

    def __init__(self, ctx):
        self.values = ctx.Array("q", len(self.NAMES))

    def reserve(self, counts: dict[str, int]) -> dict[str, int]:
        with self.values.get_lock():
            base = {name: self.values[i] for i, name in enumerate(self.NAMES)}
            for i, name in enumerate(self.NAMES):
                self.values[i] += counts[name]
        return base

    def last(self, name: str) -> int:
        return self.values[self.NAMES.index(name)]


_COLUMN_TYPES: dict[str, list[int]] = {}


def _binary_copy_cursor(raw):
    """A cursor whose binary COPY takes jsonb as ready-made JSON text (the payloads are serialised by _j)."""
    from psycopg.adapt import Dumper
    from psycopg.pq import Format

    class RawJsonb(Dumper):
        format = Format.BINARY
        oid = raw.adapters.types["jsonb"].oid

        def dump(self, obj):
            return b"\x01" + obj.encode()

    class JsonText(str):
        pass

    cur = raw.cursor()
    cur.adapters.register_dumper(JsonText, RawJsonb)  # registered by oid too: set_types() finds it for jsonb
    return cur


def write_rows(tables: dict[str, tuple[tuple[str, ...], list]]) -> None:
    from django.db import connection, transaction

    if connection.vendor == "postgresql":
        # Binary COPY: about twice as fast to encode as text for these rows (timestamps above all).
        connection.ensure_connection()
        with _binary_copy_cursor(connection.connection) as cur:
            cur.execute("SET synchronous_commit = off")
            for table, (cols, rows) in tables.items():
                if table not in _COLUMN_TYPES:
                    cur.execute(
                        "SELECT attname, atttypid FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0",
                        [table],
                    )
                    oids = dict(cur.fetchall())
                    _COLUMN_TYPES[table] = [oids[c] for c in cols]
                with cur.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN (FORMAT BINARY)") as copy:
                    copy.set_types(_COLUMN_TYPES[table])
                    for row in rows:
                        copy.write_row(row)
        return
    adapt = connection.ops.adapt_datetimefield_value
    with transaction.atomic(), connection.cursor() as cur:
        for table, (cols, rows) in tables.items():
            sql = f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join(['%s'] * len(cols))})"
            cur.executemany(
                sql, [tuple(adapt(v) if isinstance(v, dt.datetime) else v for v in row) for row in rows]
            )


_JOB: dict = {}  # set by cli.main() before the worker processes fork


def run_batch(k: int) -> tuple[dict[str, int], Counter]:
    job = _JOB
    size, times, counters = job["batch"], job["times"], job["counters"]
    batch = Batch(
        job["city"],
        job["cal"],
        random.Random(job["seed"] * 1_000_003 + k),
        job["now"],
        first_id=k * size + 1,
        known_residents=counters.last("resident"),
        people=random.Random(f"{job['seed']}:{k}:people"),
    )
    for at in times[k * size : (k + 1) * size]:
        batch.live(batch.register(at))
    counts = batch.counts()
    write_rows(batch.rows(counters.reserve(counts)))
    return {"demands": len(batch.demands), **counts}, Counter(d.status for d in batch.demands)
