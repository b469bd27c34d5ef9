"""gunicorn settings for Linli's app servers (scripts/multi_server.sh, bench/faults.py, bench/run_intake.sh).

Workers: ``WEB_CONCURRENCY``, or gunicorn's rule of thumb of 2 × cores + 1. A registration waits on the
database nine times; with one worker per core the cores sit idle during those waits (bench/README.md,
intake: 2 workers 277 req/s, 5 workers more at 8 clients). Each worker holds about 280 MB.

With PROMETHEUS_MULTIPROC_DIR set, each worker writes its metrics to files there and ``/metrics`` adds
them up; a worker that exits is marked dead so its live gauges stop counting.
"""

import os

workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * (os.cpu_count() or 1) + 1)


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
