"""What an uploaded file really is, judged by its content and never by its name or the browser's claim.

A photo is opened by Pillow and decoded in full: a JPEG header followed by
random bytes is refused, and so is an image of more than ``LINLI_PHOTO_MAX_PIXELS``
pixels (a decompression bomb: a 20000×20000 PNG is a few dozen KB) before any
pixel is decoded. What is stored is the image re-encoded by Pillow, so no
metadata (EXIF with the place a photo was taken) and nothing appended to the
picture (a page hidden after a PNG's end) survives. Only the formats
in ``IMAGE_TYPES`` pass, so an HTML or SVG file renamed ``.jpg`` is refused.
"""

from __future__ import annotations

import io
import logging
import os
import struct
import warnings
import zipfile

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import FileResponse
from PIL import Image, ImageOps, UnidentifiedImageError

from linli.core.errors import AttachmentNotFound, AttachmentTooLarge, AttachmentTypeNotAllowed, BadAttachment

# content type -> file extension used for the stored name
IMAGE_TYPES = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}
logger = logging.getLogger("linli.files")

_PIL_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
_FORMATS_FOR = {kind: name for name, kind in _PIL_FORMATS.items()}
DEFAULT_MAX_PIXELS = 40_000_000


def sniff_magic(head: bytes) -> str | None:
    """The image type that the first bytes announce, or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def max_pixels() -> int:
    return int(getattr(settings, "LINLI_PHOTO_MAX_PIXELS", DEFAULT_MAX_PIXELS))


class ImageTooManyPixels(AttachmentTooLarge):
    code = "attachment.too_many_pixels"
    message_zh = "照片像素过多"
    message_en = "The photo has too many pixels"


def _too_many_pixels(limit: int, size: str) -> ImageTooManyPixels:
    mp = f"{limit / 1_000_000:g}"
    return ImageTooManyPixels(
        f"照片不能超过 {mp} 百万像素" + (f"（当前 {size}）" if size else ""),
        f"The photo must have at most {mp} megapixels" + (f" (this one is {size})" if size else ""),
        details={"max_pixels": limit} | ({"size": size} if size else {}),
    )


def _open_checked(upload, kind: str) -> Image.Image:
    """The decoded image of an upload whose magic said ``kind``; a typed error if it is not a whole image."""
    upload.seek(0)
    data = io.BytesIO(upload.read())  # Pillow may close what it opens; the upload stays readable
    upload.seek(0)
    limit = max_pixels()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(data, formats=[_FORMATS_FOR[kind]])
            width, height = image.size
            if width * height > limit:
                raise _too_many_pixels(limit, f"{width}×{height}")
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # Pillow's own guard fired first (at twice its 89 MP default): far beyond any cap a city would set.
        raise _too_many_pixels(limit, "") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError, struct.error):
        raise AttachmentTypeNotAllowed(
            "照片文件已损坏或不完整", "The photo file is damaged or incomplete", details={"type": kind}
        ) from None
    return image


def sniff_image(upload) -> str | None:
    """The content type of an uploaded image (JPEG, PNG or WebP) that decodes in full, or None."""
    upload.seek(0)
    head = upload.read(32)
    upload.seek(0)
    kind = sniff_magic(head)
    if kind is None:
        return None
    try:
        _open_checked(upload, kind).close()
    except ImageTooManyPixels:
        raise
    except AttachmentTypeNotAllowed:
        return None
    return kind


def reencode_image(upload, kind: str, *, name: str = "photo") -> SimpleUploadedFile:
    """The photo decoded and written again by Pillow in the same format: no EXIF, no comments, no extra bytes.

    The EXIF orientation is applied to the pixels first, so a phone photo still stands the right way up.
    """
    image = _open_checked(upload, kind)
    try:
        upright = ImageOps.exif_transpose(image)
        out = io.BytesIO()
        if kind == "image/jpeg":
            if upright.mode not in ("RGB", "L"):
                upright = upright.convert("RGB")
            upright.save(out, format="JPEG", quality=88, optimize=True)
        elif kind == "image/png":
            upright.save(out, format="PNG", optimize=False)
        else:
            upright.save(out, format="WEBP", quality=88)
    finally:
        image.close()
    stem = os.path.splitext(name)[0] or "photo"
    return SimpleUploadedFile(f"{stem}.{IMAGE_TYPES[kind]}", out.getvalue(), content_type=kind)


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
    kind = sniff_magic(_head(upload))
    if kind is None:
        raise AttachmentTypeNotAllowed(details={"allowed": sorted(IMAGE_TYPES)})
    _open_checked(upload, kind).close()
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
    name = download_name(row.original_name, row.file.name, row.content_type)
    response = FileResponse(handle, content_type=row.content_type, as_attachment=download, filename=name)
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def extension_for(content_type: str) -> str | None:
    return (IMAGE_TYPES | DOCUMENT_TYPES).get(content_type)


def download_name(original: str, stored: str, content_type: str) -> str:
    """The name a file is offered under: the person's name with the extension of what the file really is.

    ``poly.html`` holding a PNG is offered as ``poly.png``; ``report.pdf.html`` holding a PDF as ``report.pdf``.
    """
    name = original or stored.rsplit("/", 1)[-1]
    ext = extension_for(content_type)
    if not ext:
        return name
    stem, _ = os.path.splitext(name)
    if stem.lower().endswith(f".{ext}"):
        return stem
    return f"{stem or 'file'}.{ext}"
