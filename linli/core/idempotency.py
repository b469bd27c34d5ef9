"""Idempotent creation under an ``Idempotency-Key`` header.

A client that sends a create twice (a retry after a timeout, a double click)
must get the first answer back instead of a second demand. The record is
inserted *before* the work, inside the same transaction: the unique constraint
on (scope, key) makes a concurrent duplicate wait for the first transaction
and then read its stored answer, or proceed if the first one rolled back.
Only completed work is stored; a refused request leaves no record, so the
client can correct it and retry with the same key.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction

from linli.core.errors import ValidationFailed
from linli.core.models import IdempotencyRecord

MAX_KEY_LENGTH = 200
# The header's description in the API (housekeeping forgets an answer after LINLI_IDEMPOTENCY_DAYS).
IDEMPOTENCY_HELP = (
    "重复提交返回首次结果（默认保留 7 天） / Replays return the first answer (kept 7 days by default)"
)


class BadIdempotencyKey(ValidationFailed):
    code = "idempotency.bad_key"
    message_zh = "Idempotency-Key 须为 1 至 200 个可见 ASCII 字符"
    message_en = "Idempotency-Key must be 1 to 200 visible ASCII characters"


class IdempotencyKeyReused(ValidationFailed):
    code = "idempotency.key_reused"
    message_zh = "该 Idempotency-Key 已用于另一内容不同的请求"
    message_en = "This Idempotency-Key was already used for a different request"


def request_fingerprint(*parts: Any) -> str:
    """A stable hash of what the request asks for (method, path, parsed body), independent of key order."""
    blob = json.dumps(parts, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


def check_key(key: str) -> str:
    if not key or len(key) > MAX_KEY_LENGTH or not all("!" <= ch <= "~" for ch in key):
        raise BadIdempotencyKey(details={"max_length": MAX_KEY_LENGTH})
    return key


def idempotent(
    *, scope: str, key: str | None, fingerprint: str, produce: Callable[[], tuple[int, Any]]
) -> tuple[int, Any, bool]:
    """Run ``produce`` once per (scope, key); returns (status, body, replayed).

    ``produce`` returns a JSON-ready body. Without a key it simply runs.
    """
    if key is None:
        status, body = produce()
        return status, body, False
    check_key(key)
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(scope=scope[:80], key=key, request_hash=fingerprint)
        except IntegrityError:
            stored = IdempotencyRecord.objects.get(scope=scope[:80], key=key)
            if stored.request_hash != fingerprint:
                raise IdempotencyKeyReused() from None
            return stored.status_code or 200, stored.response, True
        status, body = produce()
        record.status_code, record.response = status, body
        record.save(update_fields=["status_code", "response"])
        return status, body, False
