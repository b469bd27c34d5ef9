"""Message channels: where a message goes. Chosen per kind in ``settings.LINLI_NOTIFY_CHANNELS``.

Each channel's ``send(message)`` returns the gateway's id for the message, or raises ``ChannelError``
(``retryable`` says whether another attempt could succeed). The embedded default writes every message to a
file (``FileChannel``), so a demo or a test shows exactly what would have gone out. HTTP channels pass the
message's own key as ``Idempotency-Key``: a gateway that honours it never delivers a retried message twice.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import urllib.error
import urllib.request
from pathlib import Path

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

from linli.core import clock
from linli.notify.errors import ChannelMisconfigured

TIMEOUT = 5


class ChannelError(Exception):
    def __init__(self, message: str, *, retryable: bool = True) -> None:
        super().__init__(message)
        self.retryable = retryable


class Channel:
    def __init__(self, **options) -> None:
        self.options = options

    def option(self, name: str) -> str:
        value = self.options.get(name)
        if not value:
            raise ChannelMisconfigured(details={"channel": type(self).__name__, "missing": name})
        return str(value)

    def send(self, message) -> str:  # pragma: no cover - the interface
        raise NotImplementedError


class FileChannel(Channel):
    """One JSON line per message in ``path`` (default: LINLI_DATA_DIR/outbox/messages.jsonl)."""

    _lock = threading.Lock()

    def send(self, message) -> str:
        path = Path(self.options.get("path") or Path(settings.DATA_DIR) / "outbox" / "messages.jsonl")
        line = {
            "key": message.key,
            "channel": message.channel,
            "to": message.recipient,
            "body": message.body,
            "at": clock.now().isoformat(),
        }
        with self._lock:
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("a", encoding="utf-8") as out:
                out.write(json.dumps(line, ensure_ascii=False) + "\n")
        return f"file:{message.key}"


def _post_json(url: str, payload: dict, headers: dict[str, str]) -> dict:
    data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(  # noqa: S310 (the URL is set by the installation)
        url, data=data, method="POST", headers={"Content-Type": "application/json; charset=utf-8", **headers}
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
            body = response.read(64 * 1024)
    except urllib.error.HTTPError as exc:
        retryable = exc.code >= 500 or exc.code in (408, 429)
        raise ChannelError(f"HTTP {exc.code}", retryable=retryable) from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise ChannelError(f"network: {getattr(exc, 'reason', exc)}"[:200]) from exc
    try:
        answer = json.loads(body or b"{}")
    except ValueError:
        answer = {}
    return answer if isinstance(answer, dict) else {}


class SmsHttpChannel(Channel):
    """An SMS gateway over HTTP: POST {phone, text, sign} with a bearer key; the answer's ``id`` is kept."""

    def send(self, message) -> str:
        url, key = self.option("url"), self.option("key")
        payload = {"phone": message.recipient, "text": message.body, "sign": self.options.get("sign", "邻里")}
        answer = _post_json(url, payload, {"Authorization": f"Bearer {key}", "Idempotency-Key": message.key})
        return str(answer.get("id") or answer.get("message_id") or "")[:80]


class WeChatTemplateChannel(Channel):
    """A WeChat template message through the official-account API (or an internal gateway with the same body)."""

    def send(self, message) -> str:
        url, template_id = self.option("url"), self.option("template_id")
        payload = {
            "touser": message.recipient,
            "template_id": template_id,
            "data": {"first": {"value": message.body}, "keyword1": {"value": message.demand_code or "—"}},
        }
        answer = _post_json(url, payload, {"Idempotency-Key": message.key})
        if answer.get("errcode") not in (None, 0):
            # 40001/42001: access token invalid or expired (retry once it is refreshed); others are permanent
            retryable = answer.get("errcode") in (-1, 40001, 42001, 45009)
            raise ChannelError(f"wechat errcode {answer.get('errcode')}", retryable=retryable)
        return str(answer.get("msgid") or "")[:80]


class EmailChannel(Channel):
    """Django's e-mail (EMAIL_BACKEND / EMAIL_HOST settings)."""

    def send(self, message) -> str:
        subject = self.options.get("subject", "邻里通知")
        try:
            send_mail(subject, message.body, self.options.get("from_email"), [message.recipient])
        except Exception as exc:  # SMTP errors have many types; all are worth another attempt
            raise ChannelError(f"email: {exc}"[:200]) from exc
        return ""


class WebhookChannel(Channel):
    """POST the message as JSON to the recipient's URL, signed with HMAC-SHA256 of the body (``secret``)."""

    def send(self, message) -> str:
        secret = self.option("secret").encode()
        payload = {
            "key": message.key,
            "kind": message.template_key,
            "code": message.demand_code,
            "text": message.body,
        }
        signature = hmac.new(secret, json.dumps(payload, ensure_ascii=False).encode("utf-8"), hashlib.sha256)
        _post_json(
            message.recipient,
            payload,
            {"X-Linli-Signature": "sha256=" + signature.hexdigest(), "Idempotency-Key": message.key},
        )
        return ""


def channel_for(kind: str) -> Channel:
    """The configured channel of a kind; a missing or broken configuration raises ``ChannelMisconfigured``."""
    config = dict(settings.LINLI_NOTIFY_CHANNELS.get(kind) or {})
    backend = config.pop("backend", "")
    try:
        cls = import_string(backend)
    except ImportError as exc:
        raise ChannelMisconfigured(details={"channel": kind, "backend": backend}) from exc
    return cls(**config)
