"""Writes of the core app: the holiday table, attachments."""

import datetime as dt
import hashlib
import logging
import os
import uuid

from django.core.files.base import File
from django.db import transaction

from linli.core import clock, holidays
from linli.core.calendar import reset_calendar_cache
from linli.core.errors import BadAttachment
from linli.core.files import DOCUMENT_TYPES, IMAGE_TYPES, check_upload, download_name, reencode_image
from linli.core.holidays import HolidayFileError, HolidayRowsInvalid
from linli.core.models import Attachment, CalendarDay

logger = logging.getLogger("linli.core")


@transaction.atomic
def calendar_day_set(*, date: dt.date, is_workday: bool, name: str = "") -> CalendarDay:
    row, _ = CalendarDay.objects.update_or_create(
        date=date, defaults={"is_workday": is_workday, "name": name}
    )
    transaction.on_commit(reset_calendar_cache)
    return row


@transaction.atomic
def calendar_day_delete(*, date: dt.date) -> None:
    CalendarDay.objects.filter(date=date).delete()
    transaction.on_commit(reset_calendar_cache)


@transaction.atomic
def holidays_import(*, data: bytes) -> dict:
    """Load an official holiday schedule (CSV/XLSX: 日期, 类型, 名称) into the holiday table.

    All or nothing: a file with a bad row raises ``HolidayRowsInvalid`` listing every bad row by its
    number. Importing the same file again changes nothing (rows are matched by date). Returns the
    counts ``created``, ``updated``, ``unchanged`` and the ``years`` the file covers, which are then
    confirmed (see ``linli.core.calendar``).
    """
    parsed = holidays.parse(data, today=clock.today())
    if parsed.errors:
        raise HolidayRowsInvalid(details={"rows": parsed.errors})
    if not parsed.rows:
        raise HolidayFileError("节假日文件中没有日期", "The holiday file has no dates", code="holidays.empty")
    existing = {row.date: row for row in CalendarDay.objects.filter(date__in=[r.date for r in parsed.rows])}
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for row in parsed.rows:
        old = existing.get(row.date)
        if old is None:
            CalendarDay.objects.create(date=row.date, is_workday=row.is_workday, name=row.name)
            counts["created"] += 1
        elif (old.is_workday, old.name) != (row.is_workday, row.name):
            old.is_workday, old.name = row.is_workday, row.name
            old.save(update_fields=["is_workday", "name"])
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
    transaction.on_commit(reset_calendar_cache)
    logger.info("holidays imported: %s", counts)
    return {**counts, "years": sorted({r.date.year for r in parsed.rows})}


def _digest(upload) -> str:
    sha = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks() if hasattr(upload, "chunks") else iter(lambda: upload.read(65536), b""):
        sha.update(chunk)
    upload.seek(0)
    return sha.hexdigest()


@transaction.atomic
def attachment_store(
    *,
    subject_type: str,
    subject_id: int,
    upload,
    uploaded_by=None,
    max_bytes: int | None = None,
    kinds: tuple[str, ...] = ("image",),
) -> Attachment:
    """Store an uploaded photo (JPEG, PNG or WebP, decoded in full, re-encoded without metadata) for a subject.

    With ``kinds=("image", "document")`` PDF, XLSX and DOCX files are accepted
    too (also checked by content); photos only is the default.

    The file is written before the row; if the surrounding transaction rolls
    back, the caller removes the file with ``attachment_discard``. Raises
    ``AttachmentTypeNotAllowed``, ``AttachmentTooLarge`` or ``BadAttachment``.
    """
    subject_type = (subject_type or "").strip()
    if not subject_type or len(subject_type) > 40 or not subject_id:
        raise BadAttachment(details={"subject_type": subject_type, "subject_id": subject_id})
    content_type = check_upload(upload, kinds=kinds, max_bytes=max_bytes)
    original = os.path.basename((getattr(upload, "name", "") or "").replace("\\", "/"))
    stored_name = f"{uuid.uuid4().hex}.{(IMAGE_TYPES | DOCUMENT_TYPES)[content_type]}"
    # The name the person gave, with the extension of what the file is; a photo is stored as Pillow re-encoded it.
    original = download_name(original, stored_name, content_type)[-200:] if original else ""
    if content_type in IMAGE_TYPES:
        upload = reencode_image(upload, content_type)
    attachment = Attachment(
        subject_type=subject_type,
        subject_id=subject_id,
        original_name=original,
        content_type=content_type,
        size=upload.size,
        sha256=_digest(upload),
        uploaded_at=clock.now(),
        uploaded_by=uploaded_by if uploaded_by is not None and getattr(uploaded_by, "pk", None) else None,
    )
    attachment.file.save(stored_name, File(upload, name=stored_name), save=False)
    try:
        with transaction.atomic():
            attachment.save()
    except Exception:
        attachment_discard(attachment)
        raise
    return attachment


def attachment_discard(attachment: Attachment) -> None:
    """Remove a stored file whose row did not survive (a rolled-back transaction); never raises."""
    try:
        if attachment.file and attachment.file.name:
            attachment.file.storage.delete(attachment.file.name)
    except OSError:
        logger.exception("could not remove the orphaned attachment file %s", attachment.file.name)


def job_problem_record(*, job: str, item: str, code: str, message: str):
    """Record (or count again) an item a background job skipped; logged as a warning too. Never raises."""
    from django.db.models import F

    from linli.core.models import JobProblem

    logger.warning("%s skipped %s: %s (%s)", job, item, message, code)
    now = clock.now()
    try:
        with transaction.atomic():
            updated = JobProblem.objects.filter(job=job, item=item[:200]).update(
                code=code, message=message, last_seen=now, occurrences=F("occurrences") + 1
            )
            if not updated:
                JobProblem.objects.create(
                    job=job, item=item[:200], code=code, message=message, first_seen=now, last_seen=now
                )
    except Exception:  # the report of a problem must not become a second one
        logger.exception("could not record the problem of %s with %s", job, item)


def delete_in_batches(rows, *, batch: int = 5000) -> int:
    """Delete the rows of the queryset ``rows``, ``batch`` at a time (no long lock on a large table).
    Returns how many were removed."""
    removed = 0
    while True:
        ids = list(rows.order_by().values_list("pk", flat=True)[:batch])
        if not ids:
            return removed
        removed += rows.model.objects.filter(pk__in=ids).delete()[0]


def idempotency_records_purge(*, before: dt.datetime, batch: int = 5000) -> int:
    """Forget the stored answers to ``Idempotency-Key`` requests made before ``before`` (a retry with such a
    key is then a new request). Returns how many were removed."""
    from linli.core.models import IdempotencyRecord

    return delete_in_batches(IdempotencyRecord.objects.filter(created_at__lt=before), batch=batch)
