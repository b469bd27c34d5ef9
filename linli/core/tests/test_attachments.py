"""Attachments: what passes as a photo, how it is stored, and that a failed save leaves no file behind."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from linli.core.errors import AttachmentTooLarge, AttachmentTypeNotAllowed, BadAttachment
from linli.core.files import check_image, sniff_magic
from linli.core.models import Attachment
from linli.core.selectors import attachment_get, attachment_list
from linli.core.services import attachment_store
from linli.core.tests.images import tiny_png

JPEG_HEAD = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"
WEBP_HEAD = b"RIFF\x24\x00\x00\x00WEBPVP8 "


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def upload(data: bytes, name="photo.png", content_type="image/png"):
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (JPEG_HEAD, "image/jpeg"),
        (tiny_png(), "image/png"),
        (WEBP_HEAD, "image/webp"),
        (b"GIF89a\x01\x00", None),
        (b"<svg xmlns='http://www.w3.org/2000/svg'>", None),
        (b"%PDF-1.7", None),
        (b"RIFF\x24\x00\x00\x00WAVEfmt ", None),
        (b"", None),
    ],
)
def test_sniff_magic_knows_only_jpeg_png_and_webp(head, kind):
    assert sniff_magic(head) == kind


def test_check_image_goes_by_content_not_by_name_or_claimed_type():
    assert check_image(upload(tiny_png(), name="x.gif", content_type="text/html")) == "image/png"
    with pytest.raises(AttachmentTypeNotAllowed) as caught:
        check_image(upload(b"<html>hi</html>", name="x.png", content_type="image/png"))
    assert caught.value.code == "attachment.type_not_allowed"


def test_check_image_refuses_empty_and_oversized_files():
    with pytest.raises(BadAttachment):
        check_image(upload(b""))
    with pytest.raises(AttachmentTooLarge) as caught:
        check_image(upload(tiny_png() + b"\x00" * 2048), max_bytes=1024)
    assert caught.value.status == 422 and caught.value.details["max_bytes"] == 1024
    assert "1024" not in caught.value.message_zh and "MB" in caught.value.message_zh


def test_attachment_store_keeps_the_facts_under_a_random_name(world):
    data = tiny_png()
    row = attachment_store(
        subject_type="demand",
        subject_id=7,
        upload=upload(data, name="..\\..\\门口.png"),
        uploaded_by=world.user("agent"),
    )
    with row.file.open("rb") as handle:
        stored = handle.read()
    assert (row.subject_type, row.subject_id, row.content_type, row.size) == (
        "demand",
        7,
        "image/png",
        len(stored),
    )
    assert row.sha256 == hashlib.sha256(stored).hexdigest() and row.original_name == "门口.png"
    assert row.uploaded_by == world.user("agent") and row.uploaded_at is not None
    assert row.file.name.startswith("attachments/") and "门口" not in row.file.name
    assert Image.open(io.BytesIO(stored)).size == (2, 2)  # the same picture, written again by Pillow
    assert attachment_get(attachment_id=row.pk) == row


def test_attachment_list_gives_one_subject_in_upload_order(db):
    first = attachment_store(subject_type="demand", subject_id=1, upload=upload(tiny_png()))
    second = attachment_store(subject_type="demand", subject_id=1, upload=upload(tiny_png(3, 3)))
    attachment_store(subject_type="demand", subject_id=2, upload=upload(tiny_png()))
    attachment_store(subject_type="visit", subject_id=1, upload=upload(tiny_png()))
    assert list(attachment_list(subject_type="demand", subject_id=1)) == [first, second]


def test_a_refused_file_is_not_written(db, settings):
    with pytest.raises(AttachmentTypeNotAllowed):
        attachment_store(subject_type="demand", subject_id=1, upload=upload(b"MZ\x90\x00 an exe"))
    with pytest.raises(BadAttachment):
        attachment_store(subject_type="", subject_id=1, upload=upload(tiny_png()))
    assert not Attachment.objects.exists()
    assert not (settings.MEDIA_ROOT.exists() and any(p.is_file() for p in settings.MEDIA_ROOT.rglob("*")))


def test_when_the_row_cannot_be_saved_the_file_is_removed(db, settings, monkeypatch):
    def broken_save(self, *args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(Attachment, "save", broken_save)
    with pytest.raises(RuntimeError):
        attachment_store(subject_type="demand", subject_id=1, upload=upload(tiny_png()))
    assert not any(p.is_file() for p in settings.MEDIA_ROOT.rglob("*"))
