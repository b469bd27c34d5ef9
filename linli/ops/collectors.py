"""What ``/metrics`` adds at scrape time to the processes' own instruments: figures read from the database.

Open and overdue demands come from ``demands.selectors`` and the job ledger's summary from ``ops.selectors``,
each cached 30 s (a scrape every few seconds costs one query of each per half minute; housekeeping keeps the
ledger to two weeks); the queue length comes from Redis.
"""

from __future__ import annotations

import os

from django.core.cache import cache
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import REGISTRY, GaugeMetricFamily

from linli.demands.selectors import demand_backlog_totals
from linli.ops import selectors

BACKLOG_CACHE_KEY = "ops:demand_backlog"
FIGURES_SECONDS = 30
LEDGER_CACHE_KEY = "ops:job_ledger"


class LinliCollector:
    def collect(self):
        backlog = cache.get_or_set(BACKLOG_CACHE_KEY, demand_backlog_totals, FIGURES_SECONDS)
        yield GaugeMetricFamily(
            "linli_demands_open",
            "Open demands (not closed, invalid, withdrawn or merged)",
            value=backlog["open"],
        )
        yield GaugeMetricFamily(
            "linli_demands_overdue", "Open demands past their deadline", value=backlog["overdue"]
        )

        runs = GaugeMetricFamily(
            "linli_job_ledger_runs",
            "Rows of the periodic job ledger by job and status",
            labels=["job", "status"],
        )
        last = GaugeMetricFamily(
            "linli_job_last_started_seconds",
            "Start of the latest run of each job (Unix time)",
            labels=["job"],
        )
        latest: dict[str, float] = {}
        for row in cache.get_or_set(LEDGER_CACHE_KEY, selectors.job_ledger_summary, FIGURES_SECONDS):
            name = row["job"].rsplit(".", 1)[-1]
            runs.add_metric([name, row["status"]], row["n"])
            latest[name] = max(latest.get(name, 0), row["last"])
        for name, at in sorted(latest.items()):
            last.add_metric([name], at)
        yield runs
        yield last

        length = selectors.queue_length()
        if length is not None:
            yield GaugeMetricFamily(
                "linli_queue_length", "Celery tasks waiting in the default queue", value=length
            )


def exposition() -> bytes:
    """The text exposition: this process's (in multiprocess mode all processes') instruments, then the figures."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        base = CollectorRegistry()
        multiprocess.MultiProcessCollector(base)
    else:
        base = REGISTRY
    figures = CollectorRegistry()
    figures.register(LinliCollector())
    return generate_latest(base) + generate_latest(figures)
