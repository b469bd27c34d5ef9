"""Housekeeping: the tables that only grow are trimmed, so a city's database and its ``/metrics`` scrape
stay the same size after a year as after a week.

- The job ledger (``JobRun``) gets a row per job and slot: about 13,000 a day with the default periods
  under Celery. Finished runs older than ``LINLI_JOB_LEDGER_DAYS`` (14) are removed; a run still marked
  running stays, whatever its age, so a takeover can still find it.
- The stored answers to ``Idempotency-Key`` requests (each a whole demand's detail) are kept
  ``LINLI_IDEMPOTENCY_DAYS`` (7). A client that retries within that time gets the first answer back; a
  retry after it is a new request.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from linli.core import clock
from linli.core.services import delete_in_batches, idempotency_records_purge
from linli.ops.models import JobRun

BATCH = 5000


def _days(days: int) -> dt.timedelta:
    return dt.timedelta(days=max(1, days))  # never 0: that would forget everything at once


def job_ledger_purge(*, before: dt.datetime, batch: int = BATCH) -> int:
    finished = JobRun.objects.filter(started_at__lt=before).exclude(status=JobRun.Status.RUNNING)
    return delete_in_batches(finished, batch=batch)


def housekeeping() -> dict[str, int]:
    """The periodic job (hourly): what it removed, by table."""
    now = clock.now()
    return {
        "job_runs": job_ledger_purge(before=now - _days(settings.LINLI_JOB_LEDGER_DAYS)),
        "idempotency_records": idempotency_records_purge(before=now - _days(settings.LINLI_IDEMPOTENCY_DAYS)),
    }
