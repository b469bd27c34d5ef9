"""What an uploaded file really is, judged by its content and never by its name or the browser's claim.

Pillow, when installed, opens and verifies the image; without it the first
bytes (the format's magic number) decide. Either way only the formats in
``IMAGE_TYPES`` pass, so an HTML or SVG file renamed ``.jpg`` is refused.
"""

from __future__ import annotations

import logging
import zipfile

from django.conf import settings
from django.http import FileResponse

from linli.core.errors import AttachmentNotFound, AttachmentTooLarge, AttachmentTypeNotAllowed, BadAttachment

# content type -> file extension used for the stored name
IMAGE_TYPES = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}
logger = logging.getLogger("linli.files")

_PIL_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}


def sniff_magic(head: bytes) -> str | None:
    """The image type that the first bytes announce, or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def _sniff_pillow(upload) -> str | None:
    from PIL import Image, UnidentifiedImageError

    upload.seek(0)
    try:
        with Image.open(upload) as image:
            kind = _PIL_FORMATS.get(image.format or "")
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return None
    finally:
        upload.seek(0)
    return kind


def sniff_image(upload) -> str | None:
    """The content type of an uploaded image (JPEG, PNG or WebP), or None if it is not one."""
    upload.seek(0)
    head = upload.read(32)
    upload.seek(0)
    kind = sniff_magic(head)
    if kind is None:
        return None
    try:
        import PIL  # noqa: F401
    except ImportError:
        return kind
    return _sniff_pillow(upload)


def max_photo_bytes() -> int:
    return int(getattr(settings, "LINLI_PHOTO_MAX_BYTES", 5 * 1024 * 1024))


def check_image(upload, *, max_bytes: int | None = None) -> str:
    """The content type of a photo that may be stored; a typed error with the reason otherwise."""
    limit = max_photo_bytes() if max_bytes is None else max_bytes
    size = getattr(upload, "size", None) or 0
    if size <= 0:
        raise BadAttachment("照片文件是空的", "The photo file is empty", details={"size": 0})
    if size > limit:
        mib = limit / (1024 * 1024)
        raise AttachmentTooLarge(
            f"照片不能超过 {mib:g} MB（当前 {size / (1024 * 1024):.1f} MB）",
            f"The photo must be at most {mib:g} MB (this one is {size / (1024 * 1024):.1f} MB)",
            details={"size": size, "max_bytes": limit},
        )
    kind = sniff_image(upload)
    if kind is None:
        raise AttachmentTypeNotAllowed(details={"allowed": sorted(IMAGE_TYPES)})
    return kind


# Documents a task report may carry (``attachment_store(kinds=("image", "document"))``); photos stay the default.
DOCUMENT_TYPES = {
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
}
_OFFICE_PARTS = {
    "xl/workbook.xml": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "word/document.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def sniff_document(upload) -> str | None:
    """PDF by its ``%PDF-`` header; XLSX and DOCX as ZIP files holding the workbook or document part."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if not head.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        upload.seek(0)
    return next((kind for part, kind in _OFFICE_PARTS.items() if part in names), None)


def check_upload(upload, *, kinds: tuple[str, ...] = ("image",), max_bytes: int | None = None) -> str:
    """``check_image`` widened to the kinds asked for (``"image"``, ``"document"``); the content decides."""
    if kinds == ("image",):
        return check_image(upload, max_bytes=max_bytes)
    if "image" in kinds and sniff_magic(_head(upload)) is not None:
        return check_image(upload, max_bytes=max_bytes)
    limit = max_photo_bytes() if max_bytes is None else max_bytes
    size = getattr(upload, "size", None) or 0
    if size <= 0 or size > limit:
        return check_image(upload, max_bytes=max_bytes)  # the same empty / too-large errors
    kind = sniff_document(upload) if "document" in kinds else None
    if kind is None:
        allowed = sorted(DOCUMENT_TYPES) + (sorted(IMAGE_TYPES) if "image" in kinds else [])
        raise AttachmentTypeNotAllowed(
            "只能上传照片（JPEG、PNG、WebP）或 PDF、XLSX、DOCX 文件",
            "Only photos (JPEG, PNG, WebP) or PDF, XLSX, DOCX files can be uploaded",
            details={"allowed": allowed},
        )
    return kind


def _head(upload) -> bytes:
    upload.seek(0)
    head = upload.read(32)
    upload.seek(0)
    return head


def attachment_response(row, *, download: bool = False):
    """Serve a stored attachment the caller has already authorized; a missing file is ``AttachmentNotFound``.

    Sent with ``no-store`` and a sandboxing CSP, so a file can never run as a page of the site.
    """
    try:
        handle = row.file.open("rb")
    except OSError:
        logger.error("attachment %s has no file at %s", row.pk, row.file.name)
        raise AttachmentNotFound() from None
    name = row.original_name or row.file.name.rsplit("/", 1)[-1]
    response = FileResponse(handle, content_type=row.content_type, as_attachment=download, filename=name)
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
