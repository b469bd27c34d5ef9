"""``/healthz`` (the process answers), ``/readyz`` (it can serve: database, Redis, dispatch model), ``/metrics``.

``/healthz`` touches nothing: a load balancer keeps a server whose database is down in rotation (it answers
503 quickly) but restarts one that no longer answers at all. ``/readyz`` is for taking a server out of
rotation. ``/metrics`` is for Prometheus: with ``LINLI_METRICS_TOKEN`` set it answers a request bearing
``Authorization: Bearer <token>``; a signed-in staff (``is_staff``) account may read it too; anyone else
gets 404, as for any page they may not see.
"""

from __future__ import annotations

import hmac

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from linli.core.unavailable import RETRY_AFTER
from linli.ops import selectors
from linli.ops.collectors import exposition


@never_cache
@require_GET
def healthz(request):
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request):
    checks: dict[str, dict] = {}
    db_ok, db_detail = selectors.check_database()
    checks["database"] = {"ok": db_ok, "detail": db_detail}
    redis = selectors.check_redis()
    if redis is not None:
        checks["redis"] = {"ok": redis[0], "detail": redis[1]}
    if db_ok:  # the starter model is trained from the catalogue, which needs the database
        model_ok, model_detail = selectors.check_dispatch_model()
        checks["dispatch_model"] = {"ok": model_ok, "detail": model_detail}
    ready = all(c["ok"] for c in checks.values())
    response = JsonResponse(
        {"status": "ready" if ready else "unavailable", "checks": checks}, status=200 if ready else 503
    )
    if not ready:
        response["Retry-After"] = str(RETRY_AFTER)
    return response


def _may_read_metrics(request) -> bool:
    token = getattr(settings, "LINLI_METRICS_TOKEN", "")
    sent = request.headers.get("Authorization", "")
    if (
        token
        and sent.startswith("Bearer ")
        and hmac.compare_digest(sent[7:].strip().encode(), token.encode())
    ):
        return True
    user = getattr(request, "user", None)
    return bool(user and user.is_authenticated and user.is_active and user.is_staff)


@never_cache
@require_GET
def metrics(request):
    if not _may_read_metrics(request):
        raise Http404
    return HttpResponse(exposition(), content_type="text/plain; version=0.0.4; charset=utf-8")
