"""Large exports in the background: queued by the list page, made by the periodic job, downloaded by the owner.

A selection over ``BACKGROUND_EXPORT_ROWS`` rows is not built inside the request. The job runs the same
selector as the page *as the person who asked* (their jurisdiction and phone masking apply when the file is
made), writes the file privately, and keeps the row count up to date for the progress bar. A job claimed by a
worker that died is taken again after ``STALE_AFTER``; files are removed after ``KEEP_FOR``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import tempfile

from django.core.files.base import ContentFile, File
from django.db import transaction

from linli.core import clock
from linli.core.errors import ValidationFailed
from linli.demands.exports import csv_chunks, export_xlsx
from linli.demands.models import ExportJob
from linli.demands.selectors import DemandFilters, demand_list

logger = logging.getLogger("linli.exports")

BACKGROUND_EXPORT_ROWS = 5_000
MAX_ROWS = {"csv": 2_000_000, "xlsx": 1_000_000}
STALE_AFTER = dt.timedelta(minutes=30)
KEEP_FOR = dt.timedelta(days=7)
MAX_OPEN_JOBS = 3


def filters_to_json(filters: DemandFilters) -> dict:
    data = dataclasses.asdict(filters)
    for name in ("date_from", "date_to"):
        data[name] = data[name].isoformat() if data[name] else None
    return data


def filters_from_json(data: dict) -> DemandFilters:
    values = dict(data)
    for name in ("date_from", "date_to"):
        values[name] = dt.date.fromisoformat(values[name]) if values.get(name) else None
    known = {f.name for f in dataclasses.fields(DemandFilters)}
    return DemandFilters(**{k: v for k, v in values.items() if k in known})


@transaction.atomic
def export_job_start(*, user, filters: DemandFilters, fmt: str) -> ExportJob:
    """Queue an export of what ``user`` sees with ``filters``; at most three of one person's jobs wait at once."""
    if fmt not in MAX_ROWS:
        raise ValidationFailed(
            "导出格式只能是 CSV 或 XLSX", "The format is CSV or XLSX", details={"format": fmt}
        )
    total = demand_list(user=user, filters=filters).count()
    if total > MAX_ROWS[fmt]:
        raise ValidationFailed(
            "导出行数超过上限，请缩小范围",
            "Too many rows for one export; narrow the selection",
            code="export.too_many_rows",
            details={"rows": total, "max_rows": MAX_ROWS[fmt]},
        )
    waiting = ExportJob.objects.filter(user=user, state__in=["queued", "running"]).count()
    if waiting >= MAX_OPEN_JOBS:
        raise ValidationFailed(
            "已有 3 个导出在进行，请稍后再试",
            "Three exports are already under way; try again when one is done",
            code="export.too_many_jobs",
            details={"open_jobs": waiting},
        )
    return ExportJob.objects.create(
        user=user, fmt=fmt, filters=filters_to_json(filters), total=total, created_at=clock.now()
    )


def _claim() -> ExportJob | None:
    now = clock.now()
    with transaction.atomic():
        job = (
            ExportJob.objects.select_for_update(skip_locked=True)
            .filter(state="queued")
            .order_by("created_at", "id")
            .first()
        ) or (
            ExportJob.objects.select_for_update(skip_locked=True)
            .filter(state="running", started_at__lt=now - STALE_AFTER)
            .order_by("started_at", "id")
            .first()
        )
        if job is None:
            return None
        job.state, job.started_at, job.done_rows = "running", now, 0
        job.save(update_fields=["state", "started_at", "done_rows"])
    return job


def _run(job: ExportJob) -> None:
    def progress(rows: int) -> None:
        ExportJob.objects.filter(pk=job.pk).update(done_rows=rows)

    try:
        demands = demand_list(user=job.user, filters=filters_from_json(job.filters))
        name = f"demands-{clock.local_date(clock.now()):%Y%m%d}-{job.pk}.{job.fmt}"
        if job.fmt == "xlsx":
            job.file.save(
                name, ContentFile(export_xlsx(demands, user=job.user, progress=progress)), save=False
            )
        else:  # any size: streamed through a temporary file, never whole in memory
            with tempfile.TemporaryFile() as spool:
                for chunk in csv_chunks(demands, user=job.user, progress=progress):
                    spool.write(chunk)
                spool.seek(0)
                job.file.save(name, File(spool), save=False)
    except Exception as exc:  # the person sees the failure on the jobs list; the log has the trace
        logger.exception("export job %s failed", job.pk)
        ExportJob.objects.filter(pk=job.pk).update(
            state="failed", error=str(exc)[:300], finished_at=clock.now()
        )
        return
    rows = demands.count()
    ExportJob.objects.filter(pk=job.pk).update(
        state="done", file=job.file.name, done_rows=rows, total=rows, finished_at=clock.now()
    )


def _clean_old() -> int:
    old = ExportJob.objects.filter(finished_at__lt=clock.now() - KEEP_FOR)
    removed = 0
    for job in old:
        if job.file:
            job.file.delete(save=False)
        removed += 1
    old.delete()
    return removed


def export_jobs_run(*, limit: int = 2) -> dict[str, int]:
    """The periodic job: make up to ``limit`` queued exports, remove week-old files."""
    made = 0
    while made < limit:
        job = _claim()
        if job is None:
            break
        _run(job)
        made += 1
    return {"made": made, "removed": _clean_old()}
