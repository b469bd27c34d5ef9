"""Shared steps of the portal tests: a fresh form token, a valid submission, small real images."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from linli.core.tests.images import tiny_png

SUBMIT = "/portal/submit/"
TRACK = "/portal/track/"
RATE = "/portal/track/rate/"


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
