"""Periodic jobs under Celery: at most one run per job and slot, taken over when its process died.

``job_run(path, every, sent_at)`` claims the ledger row (``JobRun``) for the slot
``int(sent_at // every)``, runs the job, and records the outcome. A second message for the same slot
(two beats, a redelivery) finds the row and does nothing, unless the row is still ``running`` and its
holder is gone: a process of this machine that no longer exists, or a lease that ran out
(``LINLI_JOB_LEASE_SECONDS``, for a holder on another machine). Then it takes the run over: the jobs
are idempotent (each sweep reads the state and brings it up to date), so running the rest of a
half-done run again is safe. Celery redelivers the message of a killed worker because tasks are
acknowledged late and rejected when the worker is lost (``CELERY_TASK_ACKS_LATE``).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import time

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from linli.core import metrics
from linli.core.requestctx import current_request_id
from linli.ops.models import JobRun

logger = logging.getLogger("linli.jobs")
HOST = socket.gethostname()[:120]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _holder_gone(row: JobRun) -> bool:
    lease = dt.timedelta(seconds=getattr(settings, "LINLI_JOB_LEASE_SECONDS", 1800))
    if row.host == HOST and row.pid != os.getpid() and not _alive(row.pid):
        return True
    return row.started_at + lease < timezone.now()


def _claim(path: str, slot: int) -> JobRun | None:
    now = timezone.now()
    fields = {"host": HOST, "pid": os.getpid(), "started_at": now, "request_id": current_request_id()}
    try:
        with transaction.atomic():
            return JobRun.objects.create(job=path, slot=slot, **fields)
    except IntegrityError:
        pass
    with transaction.atomic():
        row = JobRun.objects.select_for_update().get(job=path, slot=slot)
        if row.status != JobRun.Status.RUNNING or not _holder_gone(row):
            return None
        logger.warning("job %s slot %s: taking over from %s pid %s", path, slot, row.host, row.pid)
        for key, value in fields.items():
            setattr(row, key, value)
        row.attempts += 1
        row.save(update_fields=[*fields, "attempts"])
        return row


def job_run(path: str, every: float, sent_at: float | None = None) -> dict:
    """Run ``path`` once for the slot of ``sent_at`` (now when not given); what happened, as a dict."""
    slot = int((sent_at if sent_at is not None else time.time()) // max(every, 1))
    row = _claim(path, slot)
    if row is None:
        metrics.job_outcome(path, "skipped")
        logger.info("job %s slot %s already run or running elsewhere", path, slot, extra={"job": path})
        return {"job": path, "slot": slot, "outcome": "skipped"}
    started = time.perf_counter()
    try:
        result = import_string(path)()  # Celery's Django fixup closes stale connections around tasks
    except Exception as exc:
        JobRun.objects.filter(pk=row.pk).update(
            status=JobRun.Status.FAILED, finished_at=timezone.now(), result=repr(exc)[:2000]
        )
        metrics.job_outcome(path, "failed", time.perf_counter() - started)
        logger.exception("job %s slot %s failed", path, slot, extra={"job": path})
        raise
    JobRun.objects.filter(pk=row.pk).update(
        status=JobRun.Status.DONE, finished_at=timezone.now(), result=str(result)[:2000]
    )
    elapsed = time.perf_counter() - started
    metrics.job_outcome(path, "done", elapsed)
    logger.info("job %s slot %s done", path, slot, extra={"job": path, "ms": round(elapsed * 1000, 1)})
    return {"job": path, "slot": slot, "outcome": "done", "attempt": row.attempts}
