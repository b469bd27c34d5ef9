"""Prometheus instruments that every process updates: request latency by route, periodic job runs.

``prometheus_client`` keeps them per process. With several worker processes (gunicorn ``-w N``, Celery's
prefork pool) set ``PROMETHEUS_MULTIPROC_DIR`` to an empty directory shared by the processes of one
machine before they start: each writes its values to files there and ``/metrics`` (``linli.ops``) adds them
up. Without it ``/metrics`` shows the answering process only.
"""

from __future__ import annotations

from prometheus_client import Counter, Histogram

REQUEST_SECONDS = Histogram(
    "linli_request_seconds",
    "Time to answer a request, by route",
    ["method", "route", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
JOB_RUNS = Counter(
    "linli_job_runs",
    "Periodic job runs by outcome (done, failed, skipped: another process had the slot)",
    ["job", "outcome"],
)
JOB_SECONDS = Histogram(
    "linli_job_seconds", "Duration of periodic job runs", ["job"], buckets=(0.01, 0.1, 1, 10, 60, 300, 1800)
)


def observe_request(method: str, route: str, status: int, seconds: float) -> None:
    REQUEST_SECONDS.labels(method, route, str(status)).observe(seconds)


def job_outcome(job: str, outcome: str, seconds: float | None = None) -> None:
    name = job.rsplit(".", 1)[-1]
    JOB_RUNS.labels(name, outcome).inc()
    if seconds is not None:
        JOB_SECONDS.labels(name).observe(seconds)
