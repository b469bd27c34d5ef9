"""One request id per request, in the logs, in the answer's ``X-Request-ID`` and in the jobs it starts.

A client or the load balancer may send ``X-Request-ID`` (letters, digits, ``.-_:``, at most 64); otherwise
one is made. The id lives in a context variable: the JSON log formatter (``linli.core.logs``) writes it on
every line, and ``linli.celery`` copies it into the headers of each task published while it is set, so a
job's log lines carry the id of the request that queued it. Each request leaves one log line on the logger
``linli.request`` (method, route, status, milliseconds, request id) and one observation in the latency
histogram of ``linli.core.metrics``.
"""

from __future__ import annotations

import contextvars
import logging
import re
import time
import uuid

from linli.core import metrics

logger = logging.getLogger("linli.request")

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("linli_request_id", default="")
_VALID = re.compile(r"^[A-Za-z0-9._:\-]{1,64}$")
HEADER = "X-Request-ID"


def new_request_id() -> str:
    return uuid.uuid4().hex


def current_request_id() -> str:
    return request_id_var.get()


def clean_request_id(value: str | None) -> str:
    """The id a client sent when it is a plausible one, else a new one (a header cannot inject log text)."""
    return value if value and _VALID.match(value) else new_request_id()


def route_of(request) -> str:
    """The URL pattern that answered (``demands/<int:pk>/``), not the path: bounded label values."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "<unmatched>"
    return "/" + (match.route or match.view_name or "")


class RequestContextMiddleware:
    """First in the stack: every answer, a 503 or a lockout page included, is logged and timed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        rid = clean_request_id(request.headers.get(HEADER))
        token = request_id_var.set(rid)
        request.request_id = rid
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[HEADER] = rid
            elapsed = time.perf_counter() - started
            route = route_of(request)
            metrics.observe_request(request.method, route, response.status_code, elapsed)
            logger.info(
                "%s %s %s",
                request.method,
                route,
                response.status_code,
                extra={
                    "method": request.method,
                    "route": route,
                    "status": response.status_code,
                    "ms": round(elapsed * 1000, 1),
                },
            )
            return response
        finally:
            request_id_var.reset(token)
