"""Reads for the operators: readiness checks, the job ledger, the figures behind ``/metrics``."""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.db.models import Count, Max

from linli.ops.models import JobRun


def check_database() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure means "not ready"; the reason goes to the operator
        return False, f"{type(exc).__name__}: {exc}"[:300]
    return True, connection.vendor


def redis_client():
    import redis

    return redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)


def check_redis() -> tuple[bool, str] | None:
    """None when no Redis is configured (the database cache and the embedded scheduler stand in)."""
    if not settings.REDIS_URL:
        return None
    try:
        redis_client().ping()
    except Exception as exc:
        return False, f"{type(exc).__name__}: {exc}"[:300]
    return True, "pong"


def check_dispatch_model() -> tuple[bool, str]:
    """Loaded (its version), or why not. A model file that cannot be read is not ready; a new installation
    with nothing to train on yet is (intake works without suggestions and says so), and reports ``missing``."""
    from linli.dispatch.selectors import ModelUnavailable, current_model

    try:
        version, _model = current_model()
    except ModelUnavailable as exc:
        return exc.reason != "broken", f"{exc.reason}: {exc.detail}"[:300]
    return True, version


def queue_length() -> int | None:
    """Tasks waiting in Celery's default queue on Redis; None without Redis."""
    if not settings.REDIS_URL:
        return None
    try:
        return int(redis_client().llen(getattr(settings, "CELERY_TASK_DEFAULT_QUEUE", "celery")))
    except Exception:
        return None


def job_ledger_summary() -> list[dict]:
    """Per job: runs by status and the start of its latest run (epoch seconds)."""
    rows = JobRun.objects.values("job", "status").annotate(n=Count("pk"), last=Max("started_at"))
    return [
        {
            "job": r["job"],
            "status": r["status"],
            "n": r["n"],
            "last": r["last"].timestamp() if r["last"] else 0,
        }
        for r in rows
    ]


def job_runs(*, job: str | None = None):
    qs = JobRun.objects.order_by("job", "slot")
    return qs.filter(job=job) if job else qs
