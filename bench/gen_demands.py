"""Fill a database with a city and a million demands for the metrics-at-scale benchmark.

    DATABASE_URL=postgres://linli:linli@127.0.0.1:5432/linli_bench \\
        .venv/bin/python bench/gen_demands.py --demands 1000000 --seed 7

The small part (a city of 3 districts × 6 streets × 8 communities, 44 units,
110 staff accounts, a 10 × 3 category tree, the dispatch catalogue) is built
through the org and dispatch services. The large part is written as rows: a
million demands through the demand services would take hours. Each demand's
life is played forward from registration to now with the rules the services
apply: the transition table, deadlines from the policy table and the
working-day calendar, routing through the dispatch catalogue, the SLA sweep's
overdue stamps and escalations (the sweep runs every minute), the version
counter and the payload of every event. Demands that are still open at the
end stay open, so the open statuses and the overdue ones are what a live
system would show.

Rows are streamed with COPY on PostgreSQL by ``--workers`` processes, one
batch of demands at a time; the ids of every table stay dense. On SQLite,
plain INSERTs, for a smoke test only (``--allow-sqlite``, at most 20,000).
While loading PostgreSQL, the plain indexes and the unique and foreign keys of
the bulk tables are dropped, then recreated from their saved definitions, which
also checks every unique and foreign key; then VACUUM ANALYZE and a few
invariant queries (each must count 0).

Relative to the moment it runs, the same ``--seed`` and ``--batch`` give the
same demands and lives whatever ``--workers``; with several workers, the ids of
the other tables and which earlier caller a returning resident is follow the
order in which batches finish. Event ids ascend per demand, not across
demands: a demand's whole life is written at once.

The code is in the package ``bench/gen/`` (its docstring lists the modules).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")

from bench.gen.cli import main  # noqa: E402  (after the path is set)

if __name__ == "__main__":
    sys.exit(main())
