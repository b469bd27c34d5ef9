"""The embedded scheduler: periodic jobs in a thread of the server process.

Used when there is no Redis (the demo, a small deployment on one machine).
With ``REDIS_URL`` set, Celery beat runs the same jobs instead
(``linli.celery``). Jobs are idempotent, so a job that runs twice, or on two
servers at once, does no harm.
"""

from __future__ import annotations

import logging
import threading
import time

from django.conf import settings
from django.db import close_old_connections
from django.utils.module_loading import import_string

from linli.core import metrics

logger = logging.getLogger("linli.scheduler")


def run_job(path: str):
    close_old_connections()
    try:
        return import_string(path)()
    finally:
        close_old_connections()


class Scheduler(threading.Thread):
    def __init__(self, jobs: list[tuple[str, int]] | None = None, tick: float = 1.0) -> None:
        super().__init__(name="linli-scheduler", daemon=True)
        self.jobs = list(jobs if jobs is not None else settings.LINLI_PERIODIC_JOBS)
        self.tick = tick
        self.stopped = threading.Event()
        self.runs: dict[str, int] = {path: 0 for path, _ in self.jobs}

    def run(self) -> None:
        next_due = {path: 0.0 for path, _ in self.jobs}
        while not self.stopped.is_set():
            now = time.monotonic()
            for path, every in self.jobs:
                if now >= next_due[path]:
                    next_due[path] = now + every
                    started = time.perf_counter()
                    try:
                        run_job(path)
                        self.runs[path] += 1
                        metrics.job_outcome(path, "done", time.perf_counter() - started)
                    except Exception:  # a failing job must not stop the others
                        metrics.job_outcome(path, "failed", time.perf_counter() - started)
                        logger.exception("periodic job %s failed", path)
            self.stopped.wait(self.tick)

    def stop(self) -> None:
        self.stopped.set()
