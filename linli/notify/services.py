"""Writes of the outbox: turn demand events and near deadlines into messages, send them, retry them.

Creating a message is idempotent (its ``key`` is unique), so a collector that runs twice, or on two servers,
queues each message once. Sending claims a row (state ``sending``) before it talks to a gateway, so two senders
never send the same message; a sender that dies mid-send leaves a claim that expires after ``CLAIM_TIMEOUT``.
A failing or misconfigured channel never reaches intake: messages are only written next to the events, and
their failures are kept on the message (state, attempts, last error) for the admin.
"""

from __future__ import annotations

import datetime as dt
import logging
import string

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from linli.core import clock
from linli.core.errors import ApplicationError, Conflict, ValidationFailed
from linli.demands import notice_selectors as demand_notices
from linli.demands.states import EventKind
from linli.notify import channels
from linli.notify.errors import BadMessageState, BadTemplate
from linli.notify.models import Cursor, Message, NotifyEvent, Preference, Template
from linli.notify.states import (
    BACKOFF,
    CLAIM_TIMEOUT,
    DEFAULT_TEMPLATES,
    MESSAGE_TRANSITIONS,
    PLACEHOLDERS,
    ChannelKind,
    MessageState,
)
from linli.org import selectors as org_selectors

logger = logging.getLogger("linli.notify")

EVENT_STREAM = "demand_events"
RESIDENT_KINDS = {
    EventKind.REGISTERED: "resident.registered",
    EventKind.REPLIED: "resident.replied",
    EventKind.REOPENED: "resident.reopened",
    EventKind.ME_TOO: "resident.me_too",
}
STAFF_KINDS = {
    EventKind.SIGN_OVERDUE: "staff.overdue",
    EventKind.FINISH_OVERDUE: "staff.overdue",
    EventKind.ESCALATED: "staff.escalated",
    EventKind.RETURNED: "staff.return_decided",
    EventKind.RETURN_REJECTED: "staff.return_decided",
}
OVERDUE_TEXT = {EventKind.SIGN_OVERDUE: "签收已超时", EventKind.FINISH_OVERDUE: "办理已超期"}


# ---- templates -------------------------------------------------------------------------------------------


def template_check(body: str) -> None:
    """Refuse a body with a placeholder the product does not fill, or with broken braces."""
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(body) if name is not None}
    except ValueError as exc:
        raise BadTemplate(details={"error": str(exc)}) from exc
    unknown = sorted(names - PLACEHOLDERS)
    if unknown:
        raise BadTemplate(details={"unknown": unknown, "allowed": sorted(PLACEHOLDERS)})


def _template(key: str) -> Template | None:
    """The installation's template, created from the default text on first use; None when switched off."""
    audience, name, body = DEFAULT_TEMPLATES[key]
    row, _ = Template.objects.get_or_create(
        key=key, defaults={"audience": audience, "name": name, "body": body}
    )
    return row if row.is_active else None


def _render(template: Template, values: dict[str, str]) -> str:
    class Blank(dict):
        def __missing__(self, name):
            return ""

    return template.body.format_map(Blank(values))[:1000]


# ---- queueing --------------------------------------------------------------------------------------------


def _event(message: Message, kind: str, *, actor=None, **detail) -> None:
    NotifyEvent.record(kind, actor=actor, message=message, detail=detail)


def _queue(
    *, key: str, template_key: str, channel: str, recipient: str, values: dict, user=None, code: str = ""
) -> bool:
    """Queue one message unless one with this key exists; True when a new one was queued."""
    template = _template(template_key)
    if template is None or not recipient:
        return False
    if Message.objects.filter(key=key).exists():
        return False
    try:
        with transaction.atomic():
            message = Message.objects.create(
                key=key,
                template_key=template_key,
                audience=template.audience,
                channel=channel,
                recipient=recipient,
                user=user,
                demand_code=code,
                body=_render(template, values),
                next_attempt_at=clock.now(),
            )
            _event(message, "queued")
    except IntegrityError:  # another collector queued it a moment ago
        return False
    return True


def _staff_routes(user, template_key: str) -> list[tuple[str, str]]:
    """(channel, address) pairs a staff member receives this kind on: none when they muted it, their
    preference otherwise, or e-mail when they have no preference and an address. One read of the preference."""
    pref = Preference.objects.filter(user=user).first()
    if pref is None:
        return [(ChannelKind.EMAIL, user.email)] if user.email else []
    if template_key in (pref.muted or []):
        return []
    routes = [
        (ChannelKind.SMS, pref.phone if pref.sms else ""),
        (ChannelKind.WECHAT, pref.wechat_openid if pref.wechat else ""),
        (ChannelKind.EMAIL, user.email if pref.email else ""),
        (ChannelKind.WEBHOOK, pref.webhook_url if pref.webhook else ""),
    ]
    return [(kind, address) for kind, address in routes if address]


def _to_unit(unit_id: int | None, *, template_key: str, key: str, values: dict, code: str) -> int:
    if unit_id is None:
        return 0
    queued = 0
    for user in org_selectors.staff_list().filter(unit_id=unit_id, is_active=True):
        for channel, address in _staff_routes(user, template_key):
            queued += _queue(
                key=f"{key}:u{user.pk}:{channel}",
                template_key=template_key,
                channel=channel,
                recipient=address,
                values=values,
                user=user,
                code=code,
            )
    return queued


def _links(notice) -> tuple[str, str]:
    base = settings.LINLI_PUBLIC_URL
    return f"{base}/portal/track/?code={notice.code}", f"{base}/demands/{notice.demand_id}/"


def _queue_for_event(notice) -> int:
    track, page = _links(notice)
    key = f"e{notice.event_id}"
    if notice.kind in RESIDENT_KINDS:
        if notice.kind == EventKind.REPLIED and notice.status != "replied":
            return 0  # an assisting unit's reply: the resident hears when the lead unit answers
        values = {
            "code": notice.code,
            "link": track,
            "unit": notice.new.get("unit", ""),
            "note": notice.note[:200],
        }
        if notice.kind == EventKind.ME_TOO:
            recipients = [(f"{key}:supporter:{p}", p) for p in notice.supporter_phones]
        else:
            recipients = [(f"{key}:resident", notice.resident_phone)]
            if notice.kind == EventKind.REPLIED:
                recipients += [(f"{key}:supporter:{p}", p) for p in notice.supporter_phones]
        return sum(
            _queue(
                key=message_key,
                template_key=RESIDENT_KINDS[notice.kind],
                channel=ChannelKind.SMS,
                recipient=phone,
                values=values,
                code=notice.code,
            )
            for message_key, phone in recipients
        )
    template_key = STAFF_KINDS[notice.kind]
    decision = "已批准，诉求退回重新派单" if notice.kind == EventKind.RETURNED else "被驳回，请继续办理"
    values = {
        "code": notice.code,
        "link": page,
        "note": notice.note[:200],
        "kind": OVERDUE_TEXT.get(notice.kind, ""),
        "decision": decision,
    }
    unit_id = notice.lead_unit_id if notice.kind == EventKind.ESCALATED else notice.assignment_unit_id
    return _to_unit(unit_id, template_key=template_key, key=key, values=values, code=notice.code)


def notify_collect(*, batch: int = 500) -> int:
    """Queue the messages for demand events since the cursor; a fresh installation starts from now."""
    kinds = [str(k) for k in (*RESIDENT_KINDS, *STAFF_KINDS)]
    with transaction.atomic():
        cursor, created = Cursor.objects.select_for_update().get_or_create(
            name=EVENT_STREAM, defaults={"position": demand_notices.last_event_id()}
        )
        if created:
            return 0
        notices, position = demand_notices.events_after(after_id=cursor.position, kinds=kinds, limit=batch)
        queued = sum(_queue_for_event(n) for n in notices)
        cursor.position, cursor.updated_at = position, clock.now()
        cursor.save(update_fields=["position", "updated_at"])
    return queued


def notify_due_soon(*, hours: int = 24) -> int:
    """Remind the handling unit of every assignment due within ``hours`` (once per deadline)."""
    start = clock.now()
    queued = 0
    for due in demand_notices.assignments_due_between(start=start, end=start + dt.timedelta(hours=hours)):
        local = timezone.localtime(due.finish_due)
        values = {
            "code": due.code,
            "due": f"{local:%m-%d %H:%M}",
            "link": f"{settings.LINLI_PUBLIC_URL}/demands/{due.demand_id}/",
        }
        queued += _to_unit(
            due.unit_id,
            template_key="staff.due_soon",
            key=f"due:a{due.assignment_id}:{due.finish_due:%Y%m%d%H%M}",
            values=values,
            code=due.code,
        )
    return queued


# ---- sending ---------------------------------------------------------------------------------------------


def _move(message: Message, action: str) -> str:
    allowed, target = MESSAGE_TRANSITIONS[action]
    if message.state not in allowed:
        raise BadMessageState(details={"state": message.state, "action": action})
    return target


def _claim(limit: int) -> list[int]:
    now = clock.now()
    with transaction.atomic():
        due = Q(state__in=[MessageState.QUEUED, MessageState.RETRY], next_attempt_at__lte=now) | Q(
            state=MessageState.SENDING, claimed_at__lt=now - CLAIM_TIMEOUT
        )
        rows = list(
            Message.objects.select_for_update(skip_locked=True)
            .filter(due)
            .order_by("next_attempt_at", "id")[:limit]
        )
        for message in rows:
            message.state = _move(message, "claim")
            message.claimed_at = now
            message.save(update_fields=["state", "claimed_at"])
    return [m.pk for m in rows]


def _deliver(message_id: int) -> str:
    message = Message.objects.get(pk=message_id)
    attempt = message.attempts + 1
    try:
        provider_id = channels.channel_for(message.channel).send(message)
    except (channels.ChannelError, ApplicationError) as exc:
        retryable = getattr(exc, "retryable", True)
        error = str(getattr(exc, "message_zh", "") or exc)
        if isinstance(exc, ApplicationError):
            error = f"{exc.code}: {exc.message_zh} {exc.details or ''}".strip()
        with transaction.atomic():
            message = Message.objects.select_for_update().get(pk=message_id)
            give_up = not retryable or attempt > len(BACKOFF)
            message.state = _move(message, "give_up" if give_up else "retry")
            message.attempts, message.last_error, message.claimed_at = attempt, error[:300], None
            if not give_up:
                message.next_attempt_at = clock.now() + BACKOFF[attempt - 1]
            message.save(update_fields=["state", "attempts", "last_error", "claimed_at", "next_attempt_at"])
            _event(message, "failed", attempt=attempt, error=error[:300], gave_up=give_up)
        logger.warning("message %s attempt %s failed: %s", message.key, attempt, error)
        return message.state
    with transaction.atomic():
        message = Message.objects.select_for_update().get(pk=message_id)
        message.state = _move(message, "sent")
        message.attempts, message.sent_at, message.provider_id = attempt, clock.now(), provider_id or ""
        message.claimed_at, message.last_error = None, ""
        message.save(
            update_fields=["state", "attempts", "sent_at", "provider_id", "claimed_at", "last_error"]
        )
        _event(message, "sent", attempt=attempt, provider_id=provider_id or "")
    return message.state


def notify_send(*, limit: int = 200) -> dict[str, int]:
    """Send what is due; each message through its channel, with backoff on failure."""
    outcome: dict[str, int] = {}
    for message_id in _claim(limit):
        state = _deliver(message_id)
        outcome[state] = outcome.get(state, 0) + 1
    return outcome


def notify_run() -> dict[str, int]:
    """The periodic job: collect, remind, send."""
    queued = notify_collect() + notify_due_soon()
    return {"queued": queued, **notify_send()}


@transaction.atomic
def message_retry_now(*, actor, message_id: int) -> Message:
    """Put a failed or waiting message back in the queue at once (the admin's "立即重试")."""
    message = Message.objects.select_for_update().get(pk=message_id)
    message.state = _move(message, "retry_now")
    message.next_attempt_at = clock.now()
    message.save(update_fields=["state", "next_attempt_at"])
    _event(message, "retry_now", actor=actor)
    return message


# ---- preferences -----------------------------------------------------------------------------------------


PREFERENCE_FIELDS = frozenset({"sms", "phone", "wechat", "wechat_openid", "email", "webhook", "webhook_url"})


@transaction.atomic
def preference_set(*, user, expected_version: int | None = None, **fields) -> Preference:
    """A staff member's channels and muted kinds; a stale version is a conflict, a bad address a typed error."""
    unknown = set(fields) - PREFERENCE_FIELDS - {"muted"}
    if unknown:
        raise ValidationFailed(details={"unknown": sorted(unknown)})
    pref, created = Preference.objects.select_for_update().get_or_create(user=user)
    if not created and expected_version is not None and pref.version != expected_version:
        raise Conflict(details={"version": pref.version})
    muted = fields.pop("muted", None)
    if muted is not None:
        pref.muted = sorted({k for k in muted if k in DEFAULT_TEMPLATES})
    for name, value in fields.items():
        setattr(pref, name, value)
    pref.version += 0 if created else 1
    try:
        pref.full_clean(exclude=["user"])
    except ValidationError as exc:
        raise ValidationFailed(
            "通知偏好填写有误", "The notification preference is not valid", details=exc.message_dict
        ) from exc
    pref.save()
    return pref
