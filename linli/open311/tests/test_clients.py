"""The real Open311 clients from PyPI against a live server: ``georeport`` (JSON and XML) and ``three`` (JSON).

``three`` 0.8.0 is Python 2 code: ``itertools.ifilter`` needs the one-line
shim below; its XML path is broken beyond a shim (relaxml calls the removed
``Element.getchildren`` and ``three`` indexes ``dict.keys()``), so it is
driven in JSON only. ``georeport`` has no POST; ``three`` posts.
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
import time_machine

from linli.demands.models import Demand
from linli.open311.tests.helpers import conforms, new_key, stall_attributes

itertools.ifilter = filter  # the shim three needs on Python 3
three = pytest.importorskip("three")
georeport = pytest.importorskip("georeport")

NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.fixture
def server(transactional_db, live_server, world):
    stall_attributes(world)
    with time_machine.travel(NOW, tick=True):
        yield live_server.url + "/open311/v2/", new_key("three 客户端")


def _three(server):
    url, key = server
    return three.Three(url, api_key=key, jurisdiction="3509")


def _post(client):
    return client.post(
        "C111",
        lat="25.01",
        long="118.65",
        description="夜市摊位占用人行道，轮椅无法通过。",
        name="李 先生",
        phone="13900001111",
        **{"attribute[when]": "night"},
    )


def test_three_discovers_lists_posts_and_tracks(server):
    client = _three(server)
    conforms(client.discovery(), "discovery")
    services = conforms(client.services(), "services")
    assert {s["service_code"] for s in services} == {"C111", "C21"}
    definition = conforms(client.services("C111"), "service_definition")
    assert definition["attributes"][0]["code"] == "when"

    answer = conforms(_post(client), "post_response")
    assert client.post_response.status_code == 201
    code = answer[0]["service_request_id"]
    demand = Demand.objects.get(code=code)
    assert demand.channel == "open311" and "什么时段：夜间" in demand.text

    rows = conforms(client.request(code), "requests")
    assert rows[0]["status"] == "open" and rows[0]["service_code"] == "C111"
    assert [r["service_request_id"] for r in conforms(client.requests("C111"), "requests")] == [code]


def test_three_gets_the_spec_errors(server):
    url, _ = server
    client = three.Three(url, api_key="o311_wrong", jurisdiction="3509")
    errors = conforms(_post(client), "errors")
    assert client.post_response.status_code == 403 and errors[0]["code"] == 403
    assert Demand.objects.count() == 0


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_georeport_reads_everything(server, fmt):
    url, _ = server
    code = _post(_three(server))[0]["service_request_id"]
    client = georeport.GeoReport(url, jurisdiction="3509", output_format=fmt)
    services = client.get_service_list()
    assert {s["service_code"] for s in services} == {"C111", "C21"}
    assert {s["group"] for s in services} == {"城乡建设", "交通运输"}
    definition = client.get_service_definition("C111")
    attributes = definition["attributes"]
    first = attributes[0] if fmt == "json" else attributes["attribute"][0]
    assert first["code"] == "when" and first["datatype"] == "singlevaluelist"
    one = client.get_service_request(code)
    assert one["service_request_id"] == code and one["status"] == "open"
    many = client.get_service_requests(service_code="C111", status="open")
    rows = many if isinstance(many, list) else [many]  # xmltodict gives a dict for a single element
    assert [r["service_request_id"] for r in rows] == [code]
    if fmt == "json":
        conforms(services, "services")
        conforms([one], "requests")
