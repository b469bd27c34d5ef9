"""gunicorn settings for Linli's app servers (scripts/multi_server.sh, bench/faults.py, bench/run_intake.sh).

Workers: ``WEB_CONCURRENCY``, or gunicorn's rule of thumb of 2 × cores + 1. A registration waits on the
database nine times; with the database on another machine those waits are longer and more workers keep
the cores busy. On the 2-core bench machine, database on the same cores, 2 and 5 workers gave the same
intake (277 and 280 req/s at 8 clients, bench/README.md). Each worker holds about 280 MB.

With PROMETHEUS_MULTIPROC_DIR set, each worker writes its metrics to files there and ``/metrics`` adds
them up; a worker that exits is marked dead so its live gauges stop counting.
"""

import os

workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * (os.cpu_count() or 1) + 1)


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
