"""Fixed-window rate limits for the public pages and the public API, and failure locks.

A limit is configured in ``settings.LINLI_PUBLIC_RATE_LIMITS[scope]`` either as
an int (requests per minute) or as a pair ``(requests, window_seconds)``; each
caller passes its own default. Counting uses the cache's atomic ``incr``, so
all worker processes share the count: Redis when ``REDIS_URL`` is set, else the
database cache (``linli.core.cache``, whose ``incr`` locks its row). ``strike``
and ``locked_for`` count failures per key (a tracking code) and lock it.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from ninja.throttling import BaseThrottle

from linli.core.errors import ApplicationError

Limit = tuple[int, int]


class RateLimited(ApplicationError):
    code = "rate_limited"
    status = 429
    message_zh = "操作太频繁，请稍后再试"
    message_en = "Too many requests; please try again later"


def client_ip(request) -> str:
    """The caller's address; with ``LINLI_TRUSTED_PROXIES`` = n, the n-th address from the right of X-Forwarded-For."""
    hops = int(getattr(settings, "LINLI_TRUSTED_PROXIES", 0))
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if hops and forwarded:
        addresses = [a.strip() for a in forwarded.split(",") if a.strip()]
        if addresses:
            return addresses[-min(hops, len(addresses))][:64]
    return (request.META.get("REMOTE_ADDR") or "unknown")[:64]


def limit_for(scope: str, default: int | Limit) -> Limit:
    """(requests, window in seconds) for a scope: the setting if present, else the default."""
    value = getattr(settings, "LINLI_PUBLIC_RATE_LIMITS", {}).get(scope, default)
    if isinstance(value, list | tuple):
        return int(value[0]), max(1, int(value[1]))
    return int(value), 60


def hit(scope: str, address: str, *, default: int | Limit) -> bool:
    """Count one request of ``address`` in ``scope``; False when it is over the limit."""
    limit, window = limit_for(scope, default)
    bucket = int(time.time() // window)
    key = f"linli:ratelimit:{scope}:{address}:{bucket}"
    cache.add(key, 0, window * 2)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.add(key, 1, window * 2)
        count = 1
    return count <= limit


def seconds_left(scope: str, default: int | Limit) -> int:
    """Seconds until the current window of ``scope`` ends (for Retry-After)."""
    _, window = limit_for(scope, default)
    return max(1, int(window - time.time() % window))


class PerAddressLimit(BaseThrottle):
    """django-ninja throttle: at most the scope's limit per client address per window, shared with the portal.

    The limit is read from settings on each request (``LINLI_PUBLIC_RATE_LIMITS``), so a city can tune it.
    """

    def __init__(self, scope: str, default: int | Limit):
        self.scope, self.default = scope, default

    def allow_request(self, request) -> bool:
        return hit(self.scope, client_ip(request), default=self.default)

    def wait(self) -> float:
        return seconds_left(self.scope, self.default)


# Public submissions, from the portal's form and from POST /api/v1/public/demands alike (one count, so
# switching between them gains nothing): per phone number, under a generous ceiling per client address
# (a community service hall or a carrier's NAT puts many residents behind one address).
SUBMIT_PHONE_SCOPE, SUBMIT_PHONE_LIMIT = "portal_submit", (5, 600)
SUBMIT_ADDRESS_SCOPE, SUBMIT_ADDRESS_LIMIT = "portal_submit_address", (60, 600)


class PhoneRateLimited(RateLimited):
    code = "public.phone_rate_limited"
    message_zh = "这个手机号刚刚已提交了多条诉求，请稍后再提交。紧急情况请直接拨打12345热线。"
    message_en = (
        "This phone number has just submitted several demands; please submit again later. "
        "If it is urgent, call the 12345 hotline."
    )


def phone_key(phone: str) -> str:
    """The phone number as it is counted: digits only, so "139 0000 1111" and "+8613900001111" are one."""
    digits = "".join(ch for ch in str(phone or "") if ch.isdigit())
    return digits[2:] if digits.startswith("86") and len(digits) == 13 else digits


def submit_phone_hit(phone: str) -> int:
    """Count one submission of this phone number; 0 while under the limit, else the seconds to wait. A body
    without a phone number is refused by the service and counted under the address ceiling only."""
    if not phone_key(phone) or hit(SUBMIT_PHONE_SCOPE, phone_key(phone), default=SUBMIT_PHONE_LIMIT):
        return 0
    return seconds_left(SUBMIT_PHONE_SCOPE, SUBMIT_PHONE_LIMIT)


def submit_address_hit(address: str) -> int:
    """Count one submission from this client address; 0 while under the ceiling, else the seconds to wait."""
    if hit(SUBMIT_ADDRESS_SCOPE, address, default=SUBMIT_ADDRESS_LIMIT):
        return 0
    return seconds_left(SUBMIT_ADDRESS_SCOPE, SUBMIT_ADDRESS_LIMIT)


def locked_for(scope: str, key: str) -> int:
    """Seconds left of a lock on ``key`` in ``scope`` (0 when not locked)."""
    until = cache.get(f"linli:lock:{scope}:{key}")
    return max(0, int(until - time.time())) if until else 0


def strike(scope: str, key: str, *, limit: int, window: int, lock_seconds: int) -> int:
    """Count one failure of ``key``; at ``limit`` failures within ``window`` lock it for ``lock_seconds``.

    Returns the seconds left of the lock (0 while under the limit). The lock runs from the failure that
    reached the limit: nothing done while it holds extends it (``add`` never overwrites a live lock).
    """
    counter = f"linli:strikes:{scope}:{key}"
    cache.add(counter, 0, window)
    try:
        count = cache.incr(counter)
    except ValueError:  # expired between add and incr
        cache.add(counter, 1, window)
        count = 1
    if count < limit:
        return 0
    cache.add(f"linli:lock:{scope}:{key}", time.time() + lock_seconds, lock_seconds)
    cache.delete(counter)
    return locked_for(scope, key) or lock_seconds
