"""Reads of the Open311 interface: the service list, definitions, requests in their public shape.

Public output carries no personal data: no description text, no name, phone
or e-mail; the place is the community and a position rounded to about 100 m.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils import timezone

from linli.demands.selectors import open_data_demands
from linli.demands.states import HANDLING_STATUSES
from linli.dispatch.selectors import category_list
from linli.open311.errors import (
    JurisdictionRequired,
    UnknownJurisdiction,
    UnknownRequest,
    UnknownService,
    UnknownToken,
)
from linli.open311.models import ApiKey, OutboundLink, RemoteEndpoint, ServiceAttribute, Submission
from linli.open311.render import w3c
from linli.open311.states import CLOSED, OPEN, LinkState
from linli.org.selectors import jurisdiction_list

MAX_PAGE_SIZE = 1000
DEFAULT_PAGE_SIZE = 100
WINDOW = dt.timedelta(days=90)


def top_jurisdictions() -> list:
    return list(jurisdiction_list().filter(parent__isnull=True).order_by("code"))


def jurisdiction_check(code: str | None):
    """The top jurisdiction a request is for: optional when the installation serves one; unknown → 404."""
    tops = top_jurisdictions()
    if not code:
        if len(tops) == 1:
            return tops[0]
        if not tops:
            return None
        raise JurisdictionRequired()
    for top in tops:
        if top.code == code:
            return top
    raise UnknownJurisdiction(details={"jurisdiction_id": code})


def _services_qs():
    parents = category_list().exclude(parent__isnull=True).values("parent_id")
    return category_list().exclude(pk__in=parents).select_related("top").order_by("code")


def service_list() -> list[dict]:
    """Every leaf of the category tree; ``group`` is its top-level name, ``metadata`` whether it has attributes."""
    with_attributes = set(ServiceAttribute.objects.values_list("category_id", flat=True).distinct())
    return [
        {
            "service_code": c.code,
            "service_name": c.name,
            "description": c.full_name,
            "metadata": c.pk in with_attributes,
            "type": "realtime",
            "keywords": "",
            "group": (c.top or c).name,
        }
        for c in _services_qs()
    ]


def service_get(code: str):
    category = _services_qs().filter(code=code).first()
    if category is None:
        raise UnknownService(details={"service_code": code})
    return category


def service_attributes(category) -> list[ServiceAttribute]:
    return list(ServiceAttribute.objects.filter(category=category).prefetch_related("values"))


def service_definition(code: str) -> dict:
    category = service_get(code)
    return {
        "service_code": category.code,
        "attributes": [
            {
                "variable": True,
                "code": a.code,
                "datatype": a.datatype,
                "required": a.required,
                "datatype_description": a.datatype_description,
                "order": a.order,
                "description": a.description,
                "values": [{"key": v.key, "name": v.name} for v in a.values.all()],
            }
            for a in service_attributes(category)
        ],
    }


def api_key_list(*, prefix: str | None = None) -> QuerySet[ApiKey]:
    qs = ApiKey.objects.all()
    return qs.filter(prefix=prefix) if prefix else qs


# ---- service requests -------------------------------------------------------------------------------


def public_status(status: str) -> str:
    """Open while somebody is still working on it; closed from the reply on (and for ended ones)."""
    return OPEN if status in HANDLING_STATUSES else CLOSED


def _round(value: Decimal | None) -> float | None:
    return float(round(value, 3)) if value is not None else None


def _updated(d) -> dt.datetime:
    moments = [d.registered_at, d.dispatched_at, d.replied_at, d.called_back_at, d.closed_at, d.escalated_at]
    return max(m for m in moments if m is not None)


_LONG_NUMBER = re.compile(r"\d[\d\s-]{5,}\d")


def _public_notes(text: str) -> str:
    """The reply as published: long digit runs (phone or ID numbers quoted in a reply) are masked."""
    return _LONG_NUMBER.sub(lambda m: m.group(0)[:3] + "****", text)


def request_public(d) -> dict:
    status = public_status(d.status)
    return {
        "service_request_id": d.code,
        "status": status,
        "status_notes": _public_notes(d.reply_text) if status == CLOSED and d.reply_text else None,
        "service_name": d.category.name if d.category_id else None,
        "service_code": d.category.code if d.category_id else None,
        "description": None,
        "agency_responsible": d.lead_unit.name if d.lead_unit_id else None,
        "service_notice": None,
        "requested_datetime": w3c(d.registered_at),
        "updated_datetime": w3c(_updated(d)),
        "expected_datetime": w3c(d.finish_due),
        "address": d.community.name if d.community_id else None,
        "address_id": None,
        "zipcode": None,
        "lat": _round(d.latitude),
        "long": _round(d.longitude),
        "media_url": None,
    }


@dataclass
class RequestQuery:
    ids: list[str] = field(default_factory=list)
    service_codes: list[str] = field(default_factory=list)
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    statuses: list[str] = field(default_factory=list)
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE


def _in_jurisdiction(qs, top):
    return (
        qs.filter(area_path__startswith=top.path) if top is not None and len(top_jurisdictions()) > 1 else qs
    )


def request_list(query: RequestQuery, *, top=None, now: dt.datetime) -> list[dict]:
    qs = _in_jurisdiction(open_data_demands(), top)
    if query.ids:
        qs = qs.filter(code__in=query.ids)
    else:
        end = query.end or ((query.start + WINDOW) if query.start else now)
        start = query.start or (end - WINDOW)
        qs = qs.filter(registered_at__gte=start, registered_at__lte=end)
        if query.service_codes:
            qs = qs.filter(category__code__in=query.service_codes)
        if query.statuses and set(query.statuses) != {OPEN, CLOSED}:
            handling = Q(status__in=list(HANDLING_STATUSES))
            qs = qs.filter(handling if OPEN in query.statuses else ~handling)
    offset = (query.page - 1) * query.page_size
    rows = qs.order_by("-registered_at", "-pk")[offset : offset + query.page_size]
    media = dict(
        Submission.objects.filter(demand__in=[d.pk for d in rows])
        .exclude(media_url="")
        .values_list("demand_id", "media_url")
    )
    out = []
    for d in rows:
        item = request_public(d)
        item["media_url"] = media.get(d.pk)
        out.append(item)
    return out


def request_get(code: str, *, top=None) -> dict:
    rows = request_list(RequestQuery(ids=[code], page_size=1), top=top, now=timezone.now())
    if not rows:
        raise UnknownRequest(details={"service_request_id": code})
    return rows[0]


def token_get(token: str) -> dict:
    """The request id behind a token, once the screened request has been accepted (before that, the token alone)."""
    submission = Submission.objects.filter(token=token).first()
    if submission is None:
        raise UnknownToken(details={"token": token})
    public = open_data_demands().filter(pk=submission.demand_id).values_list("code", flat=True).first()
    return {"service_request_id": public, "token": token}


def submission_for_demand(demand_id: int) -> Submission | None:
    return Submission.objects.filter(demand_id=demand_id).first()


# ---- outbound --------------------------------------------------------------------------------------


def endpoint_get(*, name: str) -> RemoteEndpoint | None:
    return RemoteEndpoint.objects.filter(name=name, active=True).first()


def links_due(*, now: dt.datetime) -> QuerySet[OutboundLink]:
    """Transfers to send or retry now: pending, or failed whose backoff has run out, on an active endpoint."""
    return (
        OutboundLink.objects.filter(endpoint__active=True, state__in=[LinkState.PENDING, LinkState.FAILED])
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .select_related("endpoint")
        .order_by("pk")
    )


def links_to_poll() -> QuerySet[OutboundLink]:
    """Sent transfers whose remote request is not closed yet."""
    return (
        OutboundLink.objects.filter(endpoint__active=True, state=LinkState.SENT)
        .select_related("endpoint")
        .order_by("endpoint_id", "pk")
    )
