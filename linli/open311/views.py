"""GeoReport v2 endpoints. Thin: parse, authenticate, call one selector or service, render JSON or XML.

Format: a ``.json`` / ``.xml`` suffix, else the ``format`` parameter, else JSON.
Errors are the spec's array of ``{code, description}``.
"""

from __future__ import annotations

import functools
import re

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from linli.core.errors import ApplicationError
from linli.core.idempotency import idempotent, request_fingerprint
from linli.core.ratelimit import RateLimited, client_ip, hit, seconds_left
from linli.open311 import selectors as sel
from linli.open311.errors import BadBody, BadDateRange, BadFormat, BodyTooLarge, Open311BadRequest
from linli.open311.render import FORMATS, error_response, respond
from linli.open311.services import Open311Post, open311_key_authenticate, open311_request_submit
from linli.open311.services.intake import parse_w3c
from linli.open311.states import CLOSED, OPEN

SPEC = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-12-02T00:00:00+08:00"
SUBMIT_LIMIT = 60
ATTRIBUTE = re.compile(r"^attribute\[([^\]]{1,40})\](?:\[\])?$")
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
POST_FIELDS = (
    "service_code", "lat", "long", "address_string", "address_id", "description", "first_name", "last_name",
    "phone", "email", "device_id", "account_id", "media_url",
)  # fmt: skip


def _format(request, fmt: str | None) -> str:
    if fmt:
        return fmt
    asked = (request.GET.get("format") or "").lower()
    if not asked and request.method == "POST" and request.content_type in FORM_TYPES:
        asked = (request.POST.get("format") or "").lower()
    if asked and asked not in FORMATS:
        raise BadFormat(details={"format": asked})
    return asked or "json"


def _length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0  # Django treats a malformed length as no body


def open311(view):
    """Render ApplicationErrors as the spec's error array; 422 (validation) is the spec's 400."""

    @functools.wraps(view)
    def wrapper(request, *args, fmt=None, **kwargs):
        chosen = fmt or "json"
        try:
            # Refused before anything reads the body (a multipart upload would otherwise be spooled to disk first).
            if _length(request) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
                raise BodyTooLarge(details={"max_bytes": settings.DATA_UPLOAD_MAX_MEMORY_SIZE})
            chosen = _format(request, fmt)
            return view(request, *args, fmt=chosen, **kwargs)
        except (RequestDataTooBig, TooManyFieldsSent):
            return error_response(chosen, BodyTooLarge())
        except ApplicationError as exc:
            if exc.status == 422:
                exc.status = 400
            return error_response(chosen, exc)

    return csrf_exempt(require_http_methods(["GET", "POST"])(wrapper))


def _jurisdiction(request):
    params = request.POST if request.method == "POST" and request.content_type in FORM_TYPES else request.GET
    return sel.jurisdiction_check(params.get("jurisdiction_id") or request.GET.get("jurisdiction_id"))


@open311
def discovery(request, fmt):
    body = {
        "changeset": CHANGESET,
        "contact": getattr(settings, "LINLI_OPEN311_CONTACT", ""),
        "key_service": "向系统管理员申请 api_key（linli open311-key create 用途）/ Ask the administrator for an api_key",
        "endpoints": [
            {
                "specification": SPEC,
                "url": request.build_absolute_uri(reverse("open311:root")),
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["application/json", "text/xml"],
            }
        ],
    }
    return respond(fmt, body, root="discovery", item=None)


@open311
def services(request, fmt):
    _jurisdiction(request)
    return respond(fmt, sel.service_list(), root="services", item="service")


@open311
def service_definition(request, code, fmt):
    _jurisdiction(request)
    return respond(fmt, sel.service_definition(code), root="service_definition", item=None)


def _throttle(scope_key: str) -> None:
    if not hit("open311_submit", scope_key, default=SUBMIT_LIMIT):
        raise RateLimited(details={"retry_after": seconds_left("open311_submit", SUBMIT_LIMIT)})


def _post(request) -> Open311Post:
    attributes: dict[str, list[str]] = {}
    for name in request.POST:
        match = ATTRIBUTE.match(name)
        if match:
            attributes.setdefault(match.group(1), []).extend(request.POST.getlist(name))
    values = {f: request.POST.get(f, "") for f in POST_FIELDS}
    return Open311Post(**values, attributes=attributes)


def _submit(request, fmt) -> HttpResponse:
    if request.content_type not in FORM_TYPES:
        raise BadBody(details={"content_type": request.content_type})
    _throttle(f"ip:{client_ip(request)}")
    key = open311_key_authenticate(secret=request.POST.get("api_key"))
    _throttle(f"key:{key.pk}")
    _jurisdiction(request)
    post = _post(request)
    client_id = request.headers.get("Idempotency-Key") or request.POST.get("request_id") or None
    status, body, replayed = idempotent(
        scope=f"open311:{key.pk}",
        key=client_id,
        fingerprint=request_fingerprint("open311", post.__dict__),
        produce=lambda: (201, [open311_request_submit(key=key, post=post)]),
    )
    response = respond(fmt, body, root="service_requests", item="request", status=status)
    if replayed:
        response["Idempotent-Replayed"] = "true"
    return response


def _split(value: str | None, *, limit: int, name: str) -> list[str]:
    items = [v.strip() for v in (value or "").split(",") if v.strip()]
    if len(items) > limit:
        raise Open311BadRequest(details={name: f"at most {limit}"})
    return items


def _int(value: str | None, default: int, low: int, high: int, name: str) -> int:
    if value in (None, ""):
        return default
    try:
        number = int(value)
    except ValueError:
        raise Open311BadRequest(details={name: value}) from None
    if not low <= number <= high:
        raise Open311BadRequest(details={name: f"between {low} and {high}"})
    return number


def _query(request) -> sel.RequestQuery:
    g = request.GET
    statuses = _split(g.get("status"), limit=2, name="status")
    if any(s not in (OPEN, CLOSED) for s in statuses):
        raise Open311BadRequest(details={"status": "open or closed"})
    start = parse_w3c(g["start_date"], "start_date") if g.get("start_date") else None
    end = parse_w3c(g["end_date"], "end_date") if g.get("end_date") else None
    if start and end and (end < start or end - start > sel.WINDOW):
        raise BadDateRange(details={"start_date": g["start_date"], "end_date": g["end_date"]})
    return sel.RequestQuery(
        ids=_split(g.get("service_request_id"), limit=sel.MAX_PAGE_SIZE, name="service_request_id"),
        service_codes=_split(g.get("service_code"), limit=200, name="service_code"),
        start=start,
        end=end,
        statuses=statuses,
        page=_int(g.get("page"), 1, 1, 1_000_000, "page"),
        page_size=_int(g.get("page_size"), sel.DEFAULT_PAGE_SIZE, 1, sel.MAX_PAGE_SIZE, "page_size"),
    )


@open311
def requests(request, fmt):
    if request.method == "POST":
        return _submit(request, fmt)
    top = _jurisdiction(request)
    rows = sel.request_list(_query(request), top=top, now=timezone.now())
    return respond(fmt, rows, root="service_requests", item="request")


@open311
def request_detail(request, request_id, fmt):
    top = _jurisdiction(request)
    return respond(fmt, [sel.request_get(request_id, top=top)], root="service_requests", item="request")


@open311
def token(request, token, fmt):
    _jurisdiction(request)
    return respond(fmt, [sel.token_get(token)], root="service_requests", item="request")


def root(request):
    return discovery(request, fmt=None)
