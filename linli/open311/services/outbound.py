"""Outbound: send chosen demands to another GeoReport v2 server and poll its answers back.

``open311_outbound_sync`` is a periodic job (embedded scheduler or Celery
beat). It is idempotent: each link is locked while it is worked on, a POST
carries an ``Idempotency-Key`` so a retry after a lost answer does not create
a second request on a server that honours it, and an update is recorded only
when the remote's status, notes or time changed. Failures are retried with
exponential backoff and shown in the admin (state, attempts, last error, events).
"""

from __future__ import annotations

import datetime as dt
import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from defusedxml import ElementTree as SafeET
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from linli.demands.selectors import demand_for_transfer, demand_visible_get
from linli.open311.errors import AlreadySent, BadEndpoint, NotAllowed
from linli.open311.models import OutboundEvent, OutboundLink
from linli.open311.selectors import endpoint_get, links_due, links_to_poll
from linli.open311.states import CLOSED, LinkEventKind, LinkState
from linli.org.states import Role

TIMEOUT = 10
MAX_BACKOFF = dt.timedelta(hours=6)
POLL_BATCH = 50
CLAIM = dt.timedelta(minutes=5)
SENDER_ROLES = (Role.DISPATCHER, Role.ADMIN)


class RemoteError(Exception):
    pass


def _event(link: OutboundLink, kind: str, at, **detail) -> None:
    OutboundEvent.objects.create(link=link, kind=kind, at=at, detail=detail)


@transaction.atomic
def open311_send(*, actor, demand_id: int, endpoint_name: str) -> OutboundLink:
    """Queue a demand for the remote endpoint; the periodic job sends it (a dispatcher or admin chooses)."""
    if getattr(actor, "role", None) not in SENDER_ROLES:
        raise NotAllowed()
    demand = demand_visible_get(user=actor, demand_id=demand_id)
    endpoint = endpoint_get(name=endpoint_name)
    if endpoint is None:
        raise BadEndpoint(details={"endpoint": endpoint_name})
    try:
        with transaction.atomic():
            link = OutboundLink.objects.create(endpoint=endpoint, demand_id=demand.pk, created_by=actor)
    except IntegrityError:
        raise AlreadySent(details={"demand": demand.code, "endpoint": endpoint.name}) from None
    _event(link, LinkEventKind.QUEUED, timezone.now(), by=actor.username)
    return link


def _url(endpoint, path: str, params: dict | None = None) -> str:
    base = endpoint.base_url if endpoint.base_url.endswith("/") else endpoint.base_url + "/"
    params = dict(params or {})
    if endpoint.jurisdiction_id:
        params["jurisdiction_id"] = endpoint.jurisdiction_id
    return base + path + ("?" + urllib.parse.urlencode(params) if params else "")


def _rows(raw: bytes, content_type: str) -> list[dict]:
    """A GeoReport answer (JSON, or XML parsed with defusedxml: no DTD, no entities) as a list of flat dicts."""
    if "xml" in content_type:
        root = SafeET.fromstring(raw, forbid_dtd=True)
        return [{child.tag: (child.text or "") for child in item} for item in root]
    data = json.loads(raw)
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise RemoteError("unexpected answer")
    return data


def _call(request: urllib.request.Request) -> list[dict]:
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310 (URL set by an admin)
            return _rows(response.read(2_000_000), response.headers.get("Content-Type", ""))
    except urllib.error.HTTPError as exc:
        try:
            rows = _rows(exc.read(100_000), exc.headers.get("Content-Type", ""))
            description = "; ".join(str(r.get("description", "")) for r in rows)
        except Exception:  # the body of an error page may be anything
            description = exc.reason
        raise RemoteError(f"HTTP {exc.code}: {description}"[:300]) from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise RemoteError(f"unreachable: {exc}"[:300]) from None
    except (ValueError, SafeET.ParseError, Exception) as exc:  # noqa: B014 (bad JSON/XML, forbidden entities)
        raise RemoteError(f"bad answer: {type(exc).__name__}"[:300]) from None


def _form(link: OutboundLink) -> dict[str, str]:
    endpoint, demand = link.endpoint, demand_for_transfer(demand_id=link.demand_id)
    code = demand.category.code if demand.category is not None else ""
    form = {
        "api_key": endpoint.api_key,
        "service_code": endpoint.service_codes.get(code) or endpoint.default_service_code or code,
        "description": demand.text,
        "address_string": demand.address or (demand.community.name if demand.community is not None else ""),
    }
    if demand.latitude is not None and demand.longitude is not None:
        form["lat"], form["long"] = str(demand.latitude), str(demand.longitude)
    if demand.complainant is not None:
        form["phone"] = demand.complainant.phone
        if demand.complainant.name:
            form["first_name"] = demand.complainant.name
    return form


def _backoff(attempts: int) -> dt.timedelta:
    return min(dt.timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def _send(link: OutboundLink, now) -> bool:
    form = _form(link)
    request = urllib.request.Request(
        _url(link.endpoint, "requests.json"),
        data=urllib.parse.urlencode(form).encode(),
        method="POST",
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Idempotency-Key": f"linli-{link.pk}-{link.demand_id}",
        },
    )
    link.attempts += 1
    try:
        rows = _call(request)
        first = rows[0] if rows else {}
        remote_id, token = str(first.get("service_request_id") or ""), str(first.get("token") or "")
        if not remote_id and not token:
            raise RemoteError("answer has neither service_request_id nor token")
    except RemoteError as exc:
        link.state, link.last_error = LinkState.FAILED, str(exc)
        link.next_attempt_at = now + _backoff(link.attempts)
        link.save(update_fields=["state", "last_error", "attempts", "next_attempt_at"])
        _event(link, LinkEventKind.FAILED, now, error=str(exc), attempt=link.attempts)
        return False
    link.state, link.last_error, link.next_attempt_at = LinkState.SENT, "", None
    link.remote_request_id, link.remote_token = remote_id, token
    link.save(
        update_fields=[
            "state",
            "last_error",
            "attempts",
            "next_attempt_at",
            "remote_request_id",
            "remote_token",
        ]
    )
    _event(link, LinkEventKind.SENT, now, service_request_id=remote_id, token=token)
    return True


def _apply(link: OutboundLink, row: dict[str, Any], now) -> bool:
    """Record the remote's status and notes if they changed; True when something changed."""
    status = str(row.get("status") or "")
    notes = str(row.get("status_notes") or "")
    updated = parse_datetime(str(row.get("updated_datetime") or "")) if row.get("updated_datetime") else None
    if (status, notes, updated) == (link.remote_status, link.remote_status_notes, link.remote_updated_at):
        return False
    link.remote_status, link.remote_status_notes, link.remote_updated_at = status, notes, updated
    if status == CLOSED:
        link.state = LinkState.CLOSED
    link.save(update_fields=["remote_status", "remote_status_notes", "remote_updated_at", "state"])
    _event(
        link, LinkEventKind.REMOTE_UPDATE, now, status=status, status_notes=notes, updated=str(updated or "")
    )
    return True


def _resolve_tokens(links: list[OutboundLink], now) -> None:
    for link in links:
        rows = _call(
            urllib.request.Request(
                _url(link.endpoint, f"tokens/{urllib.parse.quote(link.remote_token)}.json")
            )
        )
        remote_id = str((rows[0] if rows else {}).get("service_request_id") or "")
        if remote_id:
            link.remote_request_id = remote_id
            link.save(update_fields=["remote_request_id"])
            _event(link, LinkEventKind.REMOTE_ID, now, service_request_id=remote_id)


def _poll(endpoint, links: list[OutboundLink], now) -> int:
    changed = 0
    try:
        _resolve_tokens([link for link in links if not link.remote_request_id], now)
        by_id = {link.remote_request_id: link for link in links if link.remote_request_id}
        ids = list(by_id)
        for start in range(0, len(ids), POLL_BATCH):
            chunk = ids[start : start + POLL_BATCH]
            rows = _call(
                urllib.request.Request(
                    _url(endpoint, "requests.json", {"service_request_id": ",".join(chunk)})
                )
            )
            for row in rows:
                link = by_id.get(str(row.get("service_request_id") or ""))
                if link is not None:
                    changed += _apply(link, row, now)
    except RemoteError as exc:
        for link in links:
            link.last_error = str(exc)
            link.save(update_fields=["last_error"])
            _event(link, LinkEventKind.POLL_FAILED, now, error=str(exc))
        return changed
    for link in links:
        link.polled_at = now
        link.last_error = ""
        link.save(update_fields=["polled_at", "last_error"])
    return changed


def _claim(link_id: int, now) -> OutboundLink | None:
    """Take a due link for this worker: a conditional update, so two schedulers never send the same link at once.

    The claim pushes the next attempt a few minutes out; if this worker dies mid-send, the link is retried then,
    with the same Idempotency-Key.
    """
    claimed = links_due(now=now).filter(pk=link_id).update(next_attempt_at=now + CLAIM)
    return OutboundLink.objects.select_related("endpoint").get(pk=link_id) if claimed else None


def open311_outbound_sync() -> dict[str, int]:
    """Send what is due, then poll every open transfer; returns counts (sent, failed, updated).

    No database transaction is held during an HTTP call.
    """
    now = timezone.now()
    sent = failed = updated = 0
    for link_id in list(links_due(now=now).values_list("pk", flat=True)):
        link = _claim(link_id, now)
        if link is None:  # taken by another worker meanwhile
            continue
        if _send(link, now):
            sent += 1
        else:
            failed += 1
    by_endpoint: dict[int, list[OutboundLink]] = {}
    for link in links_to_poll():
        by_endpoint.setdefault(link.endpoint_id, []).append(link)
    for links in by_endpoint.values():
        updated += _poll(links[0].endpoint, links, now)
    return {"sent": sent, "failed": failed, "updated": updated}


@transaction.atomic
def open311_link_retry(*, link_ids) -> int:
    """Make failed transfers due now (an admin's "retry now"); returns how many."""
    return OutboundLink.objects.filter(pk__in=list(link_ids), state=LinkState.FAILED).update(
        next_attempt_at=timezone.now()
    )
