"""The resident's certificate lookup: no sign-in, phone first, rate-limited like the portal."""

from __future__ import annotations

from django.shortcuts import render

from linli.access import selectors
from linli.core import ratelimit
from linli.core.ratelimit import RateLimited

EXAMPLES = ["婚姻状况证明", "无犯罪记录证明", "亲属关系证明", "健在证明", "收入证明", "居住证明"]


def lookup(request):
    query = (request.GET.get("q") or "").strip()[:60]
    results = None
    if query:
        if not ratelimit.hit("public_certificates", ratelimit.client_ip(request), default=60):
            raise RateLimited()
        results = selectors.certificate_lookup(query=query)
    return render(request, "access/lookup.html", {"query": query, "results": results, "examples": EXAMPLES})
