"""Shared steps of the portal tests: a fresh form token, a valid submission, small real images."""

from __future__ import annotations

import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

SUBMIT = "/portal/submit/"
TRACK = "/portal/track/"
RATE = "/portal/track/rate/"


def tiny_png(width: int = 2, height: int = 2) -> bytes:
    """A real PNG (greyscale), made without Pillow, that any image library opens."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def png_upload(name: str = "路灯.png", data: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data if data is not None else tiny_png(), content_type="image/png")


def fresh_token(client: Client) -> str:
    response = client.get(SUBMIT)
    assert response.status_code == 200
    return response.context["form"]["form_token"].value()


def form_data(client: Client, world, **change) -> dict:
    data = {
        "demand_type": "complaint",
        "text": "学校门口早晚高峰堵车，流动摊贩占道。",
        "address": "金榕路1号东门",
        "community": str(world.community.pk),
        "phone": "13912345678",
        "name": "李先生",
        "website": "",
        "form_token": fresh_token(client),
    }
    data.update(change)
    return {k: v for k, v in data.items() if v is not None}
