"""503 with Retry-After when the database cannot be reached, on pages and in the API.

While PostgreSQL restarts (or SQLite stays locked past its timeout) every request fails with
``OperationalError`` or ``InterfaceError``. That is not a bug of the request: the answer is 503
with ``Retry-After``, so clients and proxies retry, and a person sees "try again in a moment"
rather than "internal error". The page is plain HTML written here: rendering a template with the
site's context processors would ask the database again.
"""

from __future__ import annotations

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.views.defaults import server_error as django_server_error

logger = logging.getLogger("linli.unavailable")

RETRY_AFTER = 10
DB_ERRORS = (OperationalError, InterfaceError)
CODE = "server.database_unavailable"
MESSAGE_ZH = "系统暂时无法连接数据库，请稍后再试"
MESSAGE_EN = "The service cannot reach its database right now; try again in a moment"

_PAGE = f"""<!doctype html>
<html lang="zh-Hans"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>暂时无法服务 / Temporarily unavailable</title></head>
<body style="font-family: sans-serif; max-width: 36rem; margin: 3rem auto; padding: 0 1rem; line-height: 1.6">
<h1>暂时无法服务</h1><p>{MESSAGE_ZH}（约 {RETRY_AFTER} 秒后刷新本页）。您填写的内容没有丢失：返回上一页后可重新提交。</p>
<p lang="en">{MESSAGE_EN} (reload this page in about {RETRY_AFTER} seconds).</p>
<p><small>{CODE}</small></p></body></html>"""


def unavailable_response(request) -> HttpResponse:
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {"code": CODE, "message": MESSAGE_ZH, "message_en": MESSAGE_EN},
            status=503,
            json_dumps_params={"ensure_ascii": False},
        )
    else:
        response = HttpResponse(_PAGE, status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """Turns a database connection error raised by a view into the 503 answer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DB_ERRORS):
            logger.error("database unavailable on %s %s: %s", request.method, request.path, exception)
            return unavailable_response(request)
        return None


def server_error(request, *args, **kwargs):
    """``handler500``: the 503 answer when the failure was the database (even in a middleware), else Django's 500."""
    exc = sys.exc_info()[1]
    if isinstance(exc, DB_ERRORS):
        logger.error("database unavailable on %s %s: %s", request.method, request.path, exc)
        return unavailable_response(request)
    return django_server_error(request, *args, **kwargs)
