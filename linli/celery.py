"""Celery for production (REDIS_URL): workers run background work, beat runs the periodic jobs.

linli worker   (celery -A linli worker)
linli beat     (celery -A linli beat)

Each periodic job is the task ``linli.run_job`` with its path and period. The task claims the job's slot
in the ledger (``linli.ops.jobs``) from the time beat sent it, so two beats or a redelivered message run a
slot once; a message whose worker died (kill -9) comes back (acks late, reject on worker lost) and the
next worker takes the run over. The request id of the request (or job) that published a task travels in
its headers and is set again while it runs, so its log lines carry it.
"""

import os
import time

from celery import Celery
from celery.signals import before_task_publish, task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")

app = Celery("linli")
app.config_from_object("django.conf:settings", namespace="CELERY")

SENT_HEADER = "linli_sent_at"
REQUEST_ID_HEADER = "linli_request_id"


@app.task(name="linli.run_job", bind=True)
def run_job(self, path: str, every: float | None = None):
    if every is None:  # a one-off run (an old message, or by hand): no slot, the job just runs
        from linli.core.scheduler import run_job as run

        result = run(path)
        return result if isinstance(result, dict | int | None) else str(result)
    from linli.ops.jobs import job_run

    sent_at = (self.request.headers or {}).get(SENT_HEADER) if self.request.headers else None
    sent_at = sent_at if sent_at is not None else getattr(self.request, SENT_HEADER, None)
    return job_run(path, float(every), float(sent_at) if sent_at is not None else None)


@before_task_publish.connect
def _stamp(sender=None, headers=None, **kwargs):
    from linli.core.requestctx import current_request_id

    if headers is not None:
        headers.setdefault(SENT_HEADER, time.time())
        rid = current_request_id()
        if rid:
            headers.setdefault(REQUEST_ID_HEADER, rid)


_tokens: dict[str, object] = {}


@task_prerun.connect
def _enter(task_id=None, task=None, **kwargs):
    from linli.core.requestctx import new_request_id, request_id_var

    rid = getattr(task.request, REQUEST_ID_HEADER, None) or (task.request.headers or {}).get(
        REQUEST_ID_HEADER
    )
    _tokens[task_id] = request_id_var.set(rid or f"job-{new_request_id()[:12]}")


@task_postrun.connect
def _leave(task_id=None, **kwargs):
    from linli.core.requestctx import request_id_var

    token = _tokens.pop(task_id, None)
    if token is not None:
        request_id_var.reset(token)


@app.on_after_configure.connect
def setup_periodic_tasks(sender, **kwargs):
    from django.conf import settings

    for path, every in settings.LINLI_PERIODIC_JOBS:
        sender.add_periodic_task(float(every), run_job.s(path, float(every)), name=path)
