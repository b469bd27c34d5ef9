"""The per-address fixed-window limit shared by the public API and the portal."""

from __future__ import annotations

from django.test import RequestFactory

from linli.core import ratelimit


def test_limit_for_reads_an_int_per_minute_or_a_pair_with_the_window(settings):
    settings.LINLI_PUBLIC_RATE_LIMITS = {"a": 7, "b": (5, 600), "c": [3, 30]}
    assert ratelimit.limit_for("a", 1) == (7, 60)
    assert ratelimit.limit_for("b", 1) == (5, 600)
    assert ratelimit.limit_for("c", 1) == (3, 30)
    assert ratelimit.limit_for("missing", (2, 120)) == (2, 120)


def test_hit_allows_the_limit_then_refuses_per_address(settings, db):
    settings.LINLI_PUBLIC_RATE_LIMITS = {"s": (2, 600)}
    assert [ratelimit.hit("s", "1.1.1.1", default=10) for _ in range(3)] == [True, True, False]
    assert ratelimit.hit("s", "2.2.2.2", default=10)
    assert ratelimit.hit("other", "1.1.1.1", default=10)
    assert 0 < ratelimit.seconds_left("s", 10) <= 600


def test_client_ip_trusts_forwarded_for_only_as_far_as_configured(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.5")
    settings.LINLI_TRUSTED_PROXIES = 0
    assert ratelimit.client_ip(request) == "10.0.0.1"
    settings.LINLI_TRUSTED_PROXIES = 1
    assert ratelimit.client_ip(request) == "203.0.113.5"
