"""Holding an endpoint to its error map: every error it answers in a test is one its openapi entry declares.

``declared(method, path)`` reads the codes an operation lists per status (``core.schemas.ErrorMap`` writes
them into each response's description). ``errors_declared_fixture(prefix)`` makes an autouse fixture for an
app's tests: every 4xx the test client receives under ``prefix`` must carry a declared (status, code), so an
error a service starts raising without the map saying so fails the app's own tests.
"""

from __future__ import annotations

import json
import re
from functools import cache

import pytest
from django.test import Client


@cache
def _operations() -> list[tuple[str, re.Pattern, dict]]:
    from linli.api import api

    found = []
    for path, item in api.get_openapi_schema()["paths"].items():
        pattern = re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", path) + "/?$")
        found.extend((method.upper(), pattern, op) for method, op in item.items())
    return found


def declared(method: str, path: str) -> dict[int, set[str]] | None:
    """``{status: {code, ...}}`` the operation answering ``method path`` declares; None for no operation."""
    for m, pattern, op in _operations():
        if m == method and pattern.match(path):
            return {
                int(status): set(re.findall(r"`([^`]+)`", answer.get("description", "")))
                for status, answer in op["responses"].items()
                if int(status) >= 400
            }
    return None


def check_declared(method: str, path: str, status: int, body: bytes) -> None:
    if status < 400 or status >= 500:
        return
    errors = declared(method, path)
    if errors is None:  # no such operation: the JSON 404 of an unknown path
        return
    code = json.loads(body)["code"]
    assert code in errors.get(status, set()), (
        f"{method} {path} answered {status} {code}, which its error map does not declare: {errors}"
    )


def errors_declared_fixture(prefix: str):
    @pytest.fixture(autouse=True)
    def _errors_are_declared(monkeypatch):
        original = Client.request

        def request(self, **environ):
            response = original(self, **environ)
            path = environ.get("PATH_INFO", "")
            if path.startswith(prefix):
                check_declared(environ["REQUEST_METHOD"], path, response.status_code, response.content)
            return response

        monkeypatch.setattr(Client, "request", request)

    return _errors_are_declared
