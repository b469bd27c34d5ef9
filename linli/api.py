"""The JSON API at ``/api/v1/``: one NinjaAPI, its authentication and its error handlers.

Every error leaves as ``{"code", "message", "message_en", "details"?}`` with a
stable code; no input produces a 500. Endpoints live in each app's ``api``
module and stay thin: parse, fetch through ``access_*``, call one service.
"""

from __future__ import annotations

import functools
import logging

from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import Http404
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI, Router
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser
from ninja.renderers import JSONRenderer

from linli.core.daterange import find_out_of_range, out_of_range
from linli.core.errors import ApplicationError, NotFound, PermissionDenied, ValidationFailed
from linli.core.unavailable import unavailable_response
from linli.org.auth import BearerTokenAuth, BrowserSessionAuth  # noqa: F401  (re-exported: apps' routers use them)

logger = logging.getLogger("linli.api")


class ChineseJSONRenderer(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}


class BodyNotObject(ValidationFailed):
    code = "request.body_not_object"
    message_zh = "请求体必须是 JSON 对象（{...}）"
    message_en = "The request body must be a JSON object ({...})"


class ObjectBodyParser(Parser):
    """Every JSON body of this API is an object: ``[]``, ``"x"`` or ``1`` is refused (422) before any schema.

    Without this, a body of ``[]`` reached a schema whose fields all have defaults and was taken as a request
    with every field defaulted. ninja wraps a parser's exception in a 400; ``_http_error`` unwraps this one.
    """

    def parse_body(self, request):
        data = super().parse_body(request)
        if not isinstance(data, dict):
            raise BodyNotObject(details={"type": type(data).__name__})
        return data


def reject_out_of_range_dates(view):
    """After validation, before the view: any date or datetime in the parsed input outside 1990 … today + 1 year
    is ``common.date_out_of_range`` (422), whatever schema, query or path parameter carries it."""

    @functools.wraps(view)
    def checked(request, *args, **kwargs):
        for name, value in kwargs.items():
            found = find_out_of_range(value, name)
            if found:
                path, bad = found
                raise out_of_range(bad, field=path.split(".", 1)[-1])
        return view(request, *args, **kwargs)

    return checked


class LinliAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation) -> str:
        # The view's name (demand_dispatch, assignment_sign …): readable in generated clients.
        return operation.view_func.__name__


api = LinliAPI(
    title="邻里 Linli API",
    version="1",
    description=(
        "诉求闭环接口：受理、派单、签收、退单、延期、办结、回访、归档。"
        "工作人员用浏览器会话（须带 CSRF 令牌）或接口令牌 `Authorization: Bearer <secret>`。"
        "错误统一为 `{code, message, message_en, details}`。\n\n"
        "Demand closed-loop API: register, dispatch, sign, return, extend, reply, call back, close. "
        "Staff authenticate with a browser session (with the CSRF token) or an API token "
        "`Authorization: Bearer <secret>`. Every error is `{code, message, message_en, details}`."
    ),
    auth=[BearerTokenAuth(), BrowserSessionAuth()],
    urls_namespace="api",
    docs_url=None,  # Swagger UI would load scripts from a CDN; the schema itself is at openapi.json.
    renderer=ChineseJSONRenderer(),
    parser=ObjectBodyParser(),
)
api.add_decorator(reject_out_of_range_dates, mode="operation")


def _error(request, status: int, code: str, message: str, message_en: str, details=None):
    body = {"code": code, "message": message, "message_en": message_en}
    if details:
        body["details"] = details
    return api.create_response(request, body, status=status)


@api.exception_handler(ApplicationError)
def _application_error(request, exc: ApplicationError):
    response = api.create_response(request, exc.as_dict(), status=exc.status)
    if exc.status in (429, 503) and isinstance(exc.details.get("retry_after"), int):
        response["Retry-After"] = str(exc.details["retry_after"])  # e.g. a tracking code locked for an hour
    return response


@api.exception_handler(ValidationError)
def _validation_error(request, exc: ValidationError):
    fields = [
        {
            "loc": [str(part) for part in e.get("loc", ())],
            "msg": str(e.get("msg", "")),
            "type": str(e.get("type", "")),
        }
        for e in exc.errors
    ]
    return _error(request, 422, "request.invalid", "输入有误", "The input is not valid", {"errors": fields})


@api.exception_handler(AuthenticationError)
def _authentication_error(request, exc):
    return _error(
        request, 401, "auth.required", "请先登录，或提供有效的接口令牌", "Log in, or send a valid API token"
    )


# The errors django-ninja itself raises: an unparsable body (400), a failed CSRF check (403), throttling (429).
_HTTP_ERRORS = {
    400: ("request.malformed", "请求体不是有效的 JSON", "The request body is not valid JSON"),
    403: (PermissionDenied.code, PermissionDenied.message_zh, PermissionDenied.message_en),
    404: (NotFound.code, NotFound.message_zh, NotFound.message_en),
    429: ("rate_limited", "请求过于频繁，请稍后再试", "Too many requests; try again later"),
}
_CSRF_FAILED = (
    "auth.csrf_failed",
    "CSRF 校验失败，请刷新页面后重试",
    "CSRF check failed; reload the page and try again",
)
_OTHER = ("request.error", "请求无法处理", "The request cannot be processed")


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    if isinstance(exc.__cause__, ApplicationError):  # raised by ObjectBodyParser inside ninja's body parsing
        return _application_error(request, exc.__cause__)
    if exc.status_code == 403 and "CSRF" in exc.message:
        code, zh, en = _CSRF_FAILED
    else:
        code, zh, en = _HTTP_ERRORS.get(exc.status_code, _OTHER)
    return _error(request, exc.status_code, code, zh, en)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return _error(request, 404, NotFound.code, NotFound.message_zh, NotFound.message_en)


@api.exception_handler(MultiPartParserError)
def _bad_multipart(request, exc):
    return _error(
        request,
        400,
        "request.malformed_multipart",
        "上传的表单数据无法解析（multipart 格式有误，例如缺少 boundary）",
        "The uploaded form data cannot be parsed (malformed multipart, e.g. no boundary)",
    )


@api.exception_handler(RequestDataTooBig)
def _too_large(request, exc):
    return _error(request, 413, "request.too_large", "请求内容过大", "The request body is too large")


@api.exception_handler(OperationalError)
@api.exception_handler(InterfaceError)
def _database_unavailable(request, exc):
    logger.error("database unavailable on %s %s: %s", request.method, request.path, exc)
    return unavailable_response(request)


@api.exception_handler(Exception)
def _unexpected(request, exc):
    logger.exception("unhandled API error on %s %s", request.method, request.path)
    return _error(
        request, 500, "server.error", "服务器内部错误，请稍后再试", "Internal server error; try again later"
    )


api.add_router("", "linli.org.api.router")
api.add_router("", "linli.dispatch.api.router")
api.add_router("", "linli.demands.api.router")
api.add_router("", "linli.analytics.api.router")
api.add_router("/access", "linli.access.api.router")
api.add_router("/visits", "linli.visits.api.router")
api.add_router("/empower/programs", "linli.programs.api.router")
api.add_router("/empower/workshop", "linli.workshop.api.router")
api.add_router("/empower", "linli.empower.api.router")

# Last: any other path under /api/v1/ is a JSON 404, not Django's HTML page.
_fallback = Router()


@_fallback.api_operation(
    ["GET", "POST", "PUT", "PATCH", "DELETE"], "/{path:rest}", auth=None, include_in_schema=False
)
def unknown_path(request, rest: str):
    raise NotFound()


api.add_router("", _fallback)
