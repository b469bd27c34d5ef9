"""Photos are decoded in full, capped in pixels, stored without metadata, and named after what they are."""

from __future__ import annotations

import io
import os
import struct
import time
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from linli.core.errors import AttachmentTooLarge, AttachmentTypeNotAllowed
from linli.core.files import attachment_response, check_image, check_upload, download_name
from linli.core.services import attachment_store
from linli.core.tests.images import tiny_png


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def jpeg_with_exif(size=(40, 30)) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "LinliPhoneMaker"  # Make
    exif[0x8825] = {2: (22.0, 32.0, 10.0)}  # GPS latitude
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def bomb_png(width: int, height: int) -> bytes:
    """A PNG header announcing width × height with a tiny compressed body (rows of zeroes)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(min(height, 2000))) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


def up(data: bytes, name: str = "photo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def test_a_jpeg_header_followed_by_garbage_is_refused():
    garbage = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + os.urandom(4000)
    with pytest.raises(AttachmentTypeNotAllowed) as caught:
        check_image(up(garbage))
    assert caught.value.code == "attachment.type_not_allowed" and "损坏" in caught.value.message_zh


def test_a_truncated_jpeg_is_refused():
    whole = jpeg_with_exif((200, 200))
    with pytest.raises(AttachmentTypeNotAllowed):
        check_image(up(whole[: len(whole) // 2]))


def test_a_20000_by_20000_png_is_refused_quickly_and_by_its_pixel_count():
    bomb = bomb_png(20000, 20000)
    assert len(bomb) < 100_000
    started = time.monotonic()
    with pytest.raises(AttachmentTooLarge) as caught:
        check_image(up(bomb, "bomb.png"))
    assert time.monotonic() - started < 1.0
    assert caught.value.code == "attachment.too_many_pixels" and caught.value.status == 422
    assert caught.value.details["max_pixels"] == 40_000_000
    assert "40 百万像素" in caught.value.message_zh and "40 megapixels" in caught.value.message_en


def test_a_picture_just_over_the_cap_names_its_size(settings):
    settings.LINLI_PHOTO_MAX_PIXELS = 10_000
    with pytest.raises(AttachmentTooLarge) as caught:
        check_image(up(bomb_png(200, 60), "wide.png"))
    assert "200×60" in caught.value.message_zh and caught.value.details["size"] == "200×60"


def test_the_pixel_cap_is_a_setting(settings):
    settings.LINLI_PHOTO_MAX_PIXELS = 3
    with pytest.raises(AttachmentTooLarge):
        check_image(up(tiny_png(2, 2), "p.png"))
    settings.LINLI_PHOTO_MAX_PIXELS = 4
    assert check_image(up(tiny_png(2, 2), "p.png")) == "image/png"


def test_a_stored_photo_has_no_exif_and_keeps_its_picture(db):
    data = jpeg_with_exif()
    assert Image.open(io.BytesIO(data)).getexif().get(0x010F) == "LinliPhoneMaker"
    row = attachment_store(subject_type="demand", subject_id=1, upload=up(data, "门口.jpg"))
    with row.file.open("rb") as handle:
        stored = handle.read()
    assert b"LinliPhoneMaker" not in stored and b"Exif" not in stored
    image = Image.open(io.BytesIO(stored))
    assert image.format == "JPEG" and image.size == (40, 30) and not image.getexif()
    assert row.size == len(stored)


def test_a_png_named_html_is_stored_and_offered_as_png(db):
    polyglot = tiny_png() + b"<html><script>alert(1)</script></html>"
    row = attachment_store(subject_type="demand", subject_id=1, upload=up(polyglot, "poly.html"))
    assert row.content_type == "image/png" and row.original_name == "poly.png"
    assert row.file.name.endswith(".png")
    with row.file.open("rb") as handle:
        assert b"<script>" not in handle.read()
    response = attachment_response(row, download=True)
    assert 'filename="poly.png"' in response["Content-Disposition"]
    assert response["Content-Type"] == "image/png"


def test_a_pdf_named_pdf_html_is_offered_as_pdf(db):
    pdf = SimpleUploadedFile("report.pdf.html", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n")
    assert check_upload(pdf, kinds=("image", "document")) == "application/pdf"
    row = attachment_store(subject_type="access_task", subject_id=1, upload=pdf, kinds=("image", "document"))
    assert row.original_name == "report.pdf" and row.file.name.endswith(".pdf")
    response = attachment_response(row, download=True)
    assert 'filename="report.pdf"' in response["Content-Disposition"]


@pytest.mark.parametrize(
    ("original", "content_type", "offered"),
    [
        ("poly.html", "image/png", "poly.png"),
        ("report.pdf.html", "application/pdf", "report.pdf"),
        ("门口.JPG", "image/jpeg", "门口.JPG"[:-4] + ".jpg"),
        ("noext", "image/webp", "noext.webp"),
        ("", "image/png", "abc.png"),
        ("台账.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "台账.xlsx"),
    ],
)
def test_download_name_always_ends_in_the_sniffed_type(original, content_type, offered):
    assert download_name(original, "attachments/abc.png", content_type) == offered


def test_an_old_row_named_html_is_still_offered_under_its_real_type(db):
    row = attachment_store(subject_type="demand", subject_id=1, upload=up(tiny_png(), "x.png"))
    row.original_name = "poly.html"  # as stored before names were corrected
    response = attachment_response(row, download=True)
    assert 'filename="poly.png"' in response["Content-Disposition"]
