"""API shapes every app shares: the error body, and the map of errors an endpoint declares.

Every error of ``/api/v1/`` leaves as ``ErrorOut`` (``ApplicationError.as_dict``
and the handlers in ``linli.api``). An endpoint declares which errors it can
answer with an ``ErrorMap``: the typed error classes (and the few codes the API
layer itself answers), grouped by HTTP status. ``response={200: Out,
**MAP.responses}`` puts ``ErrorOut`` under each status in openapi.json and
``openapi_extra=MAP.openapi`` lists the stable codes in each status's
description, so a client (and the drift test) sees them.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from ninja import Field, Schema

from linli.core.daterange import DateOutOfRange
from linli.core.errors import ApplicationError


class ErrorOut(Schema):
    code: str = Field(description="稳定的错误码，如 demand.stale / Stable error code, e.g. demand.stale")
    message: str = Field(description="中文说明 / Message in Chinese")
    message_en: str
    details: dict[str, Any] | None = None


# The answers of the API layer itself (``linli.api``), as (status, code): before or around any service.
AUTH_REQUIRED = (401, "auth.required")
INVALID = (422, "request.invalid")
MALFORMED = (400, "request.malformed")
BODY_NOT_OBJECT = (422, "request.body_not_object")
CSRF_FAILED = (403, "auth.csrf_failed")
TOO_LARGE = (413, "request.too_large")
RATE_LIMITED = (429, "rate_limited")

Declared = type[ApplicationError] | tuple[int, str]


class ErrorMap:
    """The errors one endpoint (or a family of endpoints) can answer: ``{status: [code, ...]}``."""

    def __init__(self, *errors: Declared) -> None:
        codes: dict[int, set[str]] = {}
        for error in errors:
            status, code = error if isinstance(error, tuple) else (error.status, error.code)
            codes.setdefault(int(status), set()).add(code)
        self.codes: dict[int, tuple[str, ...]] = {s: tuple(sorted(codes[s])) for s in sorted(codes)}

    def __or__(self, other: ErrorMap) -> ErrorMap:
        return ErrorMap(*self.pairs(), *other.pairs())

    def __call__(self, *errors: Declared) -> ErrorMap:
        """This map plus ``errors``: ``WRITE(RequestNotFound, AlreadyDecided)``."""
        return self | ErrorMap(*errors)

    def pairs(self) -> list[tuple[int, str]]:
        return [(status, code) for status, codes in self.codes.items() for code in codes]

    @property
    def responses(self) -> dict[Any, Any]:
        return {frozenset(self.codes): ErrorOut} if self.codes else {}

    @property
    def openapi(self) -> dict[str, Any]:
        return {
            "responses": {
                status: {"description": f"{HTTPStatus(status).phrase}: " + ", ".join(f"`{c}`" for c in codes)}
                for status, codes in self.codes.items()
            }
        }


# Every staff endpoint: not signed in, or a path or query parameter that does not parse.
READ = ErrorMap(AUTH_REQUIRED, INVALID)
# Reads with a date parameter: a date outside 1990 … today + 1 year.
READ_DATES = READ(DateOutOfRange)
# Every staff endpoint with a JSON body, through a browser session or a token.
WRITE = READ(MALFORMED, BODY_NOT_OBJECT, CSRF_FAILED, TOO_LARGE)
