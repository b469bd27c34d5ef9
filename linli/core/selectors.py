"""Reads of the core app: the holiday table, attachments. For attachments the app that owns the subject decides who may see them."""

from __future__ import annotations

from django.db.models import QuerySet

from linli.core.errors import AttachmentNotFound
from linli.core.models import Attachment, CalendarDay


def attachment_list(*, subject_type: str, subject_id: int) -> QuerySet[Attachment]:
    return Attachment.objects.filter(subject_type=subject_type, subject_id=subject_id).order_by(
        "uploaded_at", "id"
    )


def attachment_get(*, attachment_id: int) -> Attachment:
    row = Attachment.objects.filter(pk=attachment_id).first()
    if row is None:
        raise AttachmentNotFound()
    return row


def holiday_list(*, year: int | None = None) -> QuerySet[CalendarDay]:
    """The holiday table (days off and make-up working days), by date."""
    qs = CalendarDay.objects.order_by("date")
    return qs.filter(date__year=year) if year else qs
