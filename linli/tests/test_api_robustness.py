"""No input makes the API answer 5xx: bodies that are not objects, dates out of range, broken multipart.

The endpoints come from the API's own OpenAPI schema, so a new endpoint is fuzzed without being listed here.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
import time_machine
from django.test import Client

from linli.api import api

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 12, 2, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
BAD_DATES = ["0001-01-01", "1989-12-31", "9999-12-30", "2028-01-01"]
BAD_DATETIMES = ["0001-01-01T00:00:00+08:00", "9999-12-31T23:59:59+00:00", "9999-12-31T23:59:59"]


def _operations(methods):
    schema = api.get_openapi_schema()
    for path, ops in schema["paths"].items():
        for method, op in ops.items():
            if method in methods:
                yield path, method, op, schema


def _fill_path(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "1", path)


def _resolve(schema: dict, ref_holder: dict) -> dict:
    while "$ref" in ref_holder:
        name = ref_holder["$ref"].rsplit("/", 1)[-1]
        ref_holder = schema["components"]["schemas"][name]
    return ref_holder


def _sample(schema: dict, prop: dict, bad_date: str, bad_datetime: str):
    """A value of the property's type; every date or datetime is the bad one."""
    prop = _resolve(schema, prop)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in prop:
            options = [_resolve(schema, p) for p in prop[key] if p.get("type") != "null"]
            return _sample(schema, options[0], bad_date, bad_datetime) if options else None
    kind, fmt = prop.get("type"), prop.get("format")
    if fmt == "date":
        return bad_date
    if fmt == "date-time":
        return bad_datetime
    if "enum" in prop:
        return prop["enum"][0]
    if kind == "string":
        return "00000000-0000-4000-8000-000000000001" if fmt == "uuid" else "测试"
    if kind == "integer" or kind == "number":
        return 1
    if kind == "boolean":
        return False
    if kind == "array":
        return [_sample(schema, prop.get("items", {}), bad_date, bad_datetime)]
    if kind == "object" or "properties" in prop:
        return {
            name: _sample(schema, sub, bad_date, bad_datetime)
            for name, sub in prop.get("properties", {}).items()
        }
    return "测试"


def _json_body(schema: dict, op: dict, bad_date: str, bad_datetime: str):
    content = op.get("requestBody", {}).get("content", {}).get("application/json")
    if not content:
        return None
    return _sample(schema, content["schema"], bad_date, bad_datetime)


@pytest.fixture
def admin(world):
    client = Client(REMOTE_ADDR="10.9.9.9")
    client.force_login(world.user("admin"))
    return client


def test_every_json_endpoint_refuses_a_body_that_is_not_an_object(admin):
    tried = 0
    for path, method, op, _ in _operations({"post", "put", "patch"}):
        if "application/json" not in op.get("requestBody", {}).get("content", {}):
            continue
        for body in ("[]", '"x"', "1", "null", "[{}]"):
            response = getattr(admin, method)(_fill_path(path), body, content_type="application/json")
            assert response.status_code == 422, (method, path, body, response.content[:200])
            assert response.json()["code"] == "request.body_not_object"
            tried += 1
    assert tried >= 5 * 20


@pytest.mark.parametrize("user", ["admin", "coord", "agent", "worker", None])
def test_no_endpoint_answers_5xx_to_out_of_range_dates(world, user):
    client = Client(REMOTE_ADDR="10.9.9.8")
    if user:
        client.force_login(world.user(user))
    with time_machine.travel(NOW, tick=False):
        operations = list(_operations({"get", "post", "put", "patch", "delete"}))
        assert len(operations) >= 40
        for path, method, op, schema in operations:
            url = _fill_path(path)
            for bad_date, bad_datetime in zip(BAD_DATES, BAD_DATETIMES + BAD_DATETIMES[:1], strict=True):
                query = {
                    p["name"]: bad_date
                    if _resolve(schema, p.get("schema", {})).get("format") == "date"
                    else "1"
                    for p in op.get("parameters", [])
                    if p.get("in") == "query"
                }
                body = _json_body(schema, op, bad_date, bad_datetime)
                if method == "get":
                    response = client.get(url, query)
                elif body is None:
                    response = getattr(client, method)(url)
                else:
                    response = getattr(client, method)(
                        url + "?" + "&".join(f"{k}={v}" for k, v in query.items()),
                        json.dumps(body),
                        content_type="application/json",
                    )
                assert response.status_code < 500, (user, method, path, bad_date, response.content[:300])


def test_the_ledger_refuses_dates_far_out_with_a_typed_error(world):
    client = Client()
    with time_machine.travel(NOW, tick=False):
        client.force_login(world.user("coord"))
        for query in (
            {"date_from": "0001-01-01", "date_to": "2026-12-01"},
            {"date_from": "2026-01-01", "date_to": "9999-12-30"},
        ):
            response = client.get("/api/v1/access/ledger", query)
            assert response.status_code == 422, response.content
            body = response.json()
            assert body["code"] == "common.date_out_of_range"
            assert "1990-01-01" in body["message"] and "2027-12-02" in body["message_en"]


def test_a_visit_dated_9999_is_refused_by_its_field(world):
    client = Client()
    with time_machine.travel(NOW, tick=False):
        client.force_login(world.user("worker"))
        response = client.post(
            "/api/v1/visits/visits",
            {
                "round_id": 1,
                "community_id": world.community.pk,
                "client_token": "00000000-0000-4000-8000-000000000002",
                "arrived_at": "9999-12-31T21:00:00+08:00",
            },
            content_type="application/json",
        )
    assert response.status_code == 422
    assert response.json()["code"] == "common.date_out_of_range"
    assert response.json()["details"]["field"] == "arrived_at"


def test_an_import_posted_as_multipart_without_a_boundary_is_a_typed_400(world):
    client = Client()
    client.force_login(world.user("agent"))
    for content_type in (
        "multipart/form-data",
        "multipart/form-data; boundary=",
        "multipart/form-data; boundary=x",
    ):
        response = client.generic("POST", "/api/v1/demands/import", b"garbage", content_type=content_type)
        assert response.status_code in (400, 422), (content_type, response.status_code)
        assert response.json()["code"].startswith("request."), response.json()
