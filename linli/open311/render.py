"""GeoReport v2 bodies as JSON or XML, and the spec's error array.

The XML shape follows the spec's examples: a plural root (``services``,
``service_requests``, ``errors``), one element per item, nested lists as a
plural element holding singular ones (``attributes``/``attribute``).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from xml.etree import ElementTree as ET

from django.http import HttpResponse
from django.utils import timezone

from linli.core.errors import ApplicationError

FORMATS = ("json", "xml")
CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
SINGULAR = {"endpoints": "endpoint", "formats": "format", "attributes": "attribute", "values": "value"}


def w3c(moment: dt.datetime | None) -> str | None:
    """ISO 8601 with the offset, local time (the spec's W3C subset)."""
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _fill(element: ET.Element, data: dict) -> None:
    for name, value in data.items():
        child = ET.SubElement(element, name)
        if isinstance(value, list):
            for item in value:
                sub = ET.SubElement(child, SINGULAR.get(name, "item"))
                if isinstance(item, dict):
                    _fill(sub, item)
                else:
                    sub.text = _text(item)
        elif isinstance(value, dict):
            _fill(child, value)
        else:
            child.text = _text(value)


def to_xml(root: str, item: str | None, body: Any) -> bytes:
    top = ET.Element(root)
    if item is None:
        _fill(top, body)
    else:
        for row in body:
            _fill(ET.SubElement(top, item), row)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(
        top, encoding="utf-8", xml_declaration=False
    )


def respond(fmt: str, body: Any, *, root: str, item: str | None, status: int = 200) -> HttpResponse:
    if fmt == "xml":
        content = to_xml(root, item, body)
    else:
        content = json.dumps(body, ensure_ascii=False).encode()
    return HttpResponse(content, status=status, content_type=CONTENT_TYPES[fmt])


def error_body(exc: ApplicationError) -> list[dict]:
    """The spec's error array: the HTTP status as ``code``; the description in Chinese and English with our code."""
    return [{"code": exc.status, "description": f"{exc.message_zh} / {exc.message_en} [{exc.code}]"}]


def error_response(fmt: str, exc: ApplicationError) -> HttpResponse:
    fmt = fmt if fmt in FORMATS else "json"
    response = respond(fmt, error_body(exc), root="errors", item="error", status=exc.status)
    if exc.status == 429 and "retry_after" in exc.details:
        response["Retry-After"] = str(exc.details["retry_after"])
    return response
