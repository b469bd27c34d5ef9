"""GeoReport v2 server: discovery, services, POST requests, tokens, GET requests — JSON and XML."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from defusedxml import ElementTree as SafeET

from linli.demands import services as ds
from linli.demands.models import Demand
from linli.demands.tests.factories import lead_of
from linli.open311.tests.helpers import BASE, conforms, good_post, new_key, stall_attributes, written

NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def key(world, frozen):
    stall_attributes(world)
    return new_key()


def test_discovery_names_this_endpoint_in_both_formats(client, world):
    body = conforms(client.get(BASE + "discovery.json").json(), "discovery")
    assert body["endpoints"][0]["url"] == "http://testserver/open311/v2/"
    xml = SafeET.fromstring(client.get(BASE + "discovery.xml").content)
    assert xml.tag == "discovery"
    assert [f.text for f in xml.find("endpoints/endpoint/formats")] == ["application/json", "text/xml"]


def test_services_are_the_category_leaves_grouped_by_top_level(client, key):
    body = conforms(client.get(BASE + "services.json").json(), "services")
    by_code = {s["service_code"]: s for s in body}
    assert set(by_code) == {"C111", "C21"}
    assert by_code["C111"]["group"] == "城乡建设" and by_code["C111"]["metadata"] is True
    assert by_code["C21"]["group"] == "交通运输" and by_code["C21"]["metadata"] is False


def test_service_definition_lists_the_admin_configured_attributes(client, key):
    body = conforms(client.get(BASE + "services/C111.json").json(), "service_definition")
    assert [a["code"] for a in body["attributes"]] == ["when", "stalls"]
    assert body["attributes"][0]["values"] == [
        {"key": "morning", "name": "早高峰"},
        {"key": "night", "name": "夜间"},
    ]
    xml = SafeET.fromstring(client.get(BASE + "services/C111.xml").content)
    assert xml.findtext("attributes/attribute/values/value/name") == "早高峰"
    assert client.get(BASE + "services/C999.json").status_code == 404


def test_post_registers_a_demand_on_the_open311_channel(client, key):
    response = client.post(BASE + "requests.json", good_post(key, account_id="acct-7"))
    assert response.status_code == 201
    body = conforms(response.json(), "post_response")
    demand = Demand.objects.get(code=body[0]["service_request_id"])
    assert demand.channel == "open311" and demand.category.code == "C111"
    assert "什么时段：早高峰" in demand.text and "摊位数：3" in demand.text
    assert demand.complainant.phone == "13812345678"
    assert body[0]["account_id"] == "acct-7"


def test_get_request_shows_status_notes_and_lead_unit_but_no_personal_data(client, key, world):
    code = client.post(BASE + "requests.json", good_post(key)).json()[0]["service_request_id"]
    demand = Demand.objects.get(code=code)
    ds.demand_dispatch(actor=world.user("dispatcher"), demand_id=demand.pk, lead_unit_id=world.cg.pk)
    row = conforms(client.get(BASE + f"requests/{code}.json").json(), "requests")[0]
    assert row["status"] == "open" and row["agency_responsible"] == "区城管局"
    assert row["expected_datetime"] is not None and row["lat"] == 25.012
    raw = client.get(BASE + f"requests/{code}.json").content.decode()
    for secret in ("13812345678", "王", "wang@example.cn", "流动摊贩"):
        assert secret not in raw
    ds.assignment_sign(actor=world.user("cg_handler"), demand_id=demand.pk, assignment_id=lead_of(demand).pk)
    demand.refresh_from_db()
    ds.assignment_reply(
        actor=world.user("cg_handler"),
        demand_id=demand.pk,
        assignment_id=lead_of(demand).pk,
        result="已清理摊贩，设置禁摆区。",
    )
    row = conforms(client.get(BASE + f"requests/{code}.json").json(), "requests")[0]
    assert row["status"] == "closed" and row["status_notes"] == "已清理摊贩，设置禁摆区。"


def test_flagged_junk_answers_a_token_until_a_person_accepts_it(client, key, world):
    spam = "加微信 xyz888 办证刷单日赚五百，点击链接 http://spam.example 详询加微信加微信"
    response = client.post(BASE + "requests.json", good_post(key, description=spam))
    body = conforms(response.json(), "post_response")
    assert "service_request_id" not in body[0]
    token = body[0]["token"]
    answer = conforms(client.get(BASE + f"tokens/{token}.json").json(), "tokens")
    assert answer == [{"service_request_id": None, "token": token}]
    demand = Demand.objects.get(channel="open311")
    assert client.get(BASE + f"requests/{demand.code}.json").status_code == 404
    ds.demand_dispatch(actor=world.user("dispatcher"), demand_id=demand.pk, lead_unit_id=world.cg.pk)
    answer = conforms(client.get(BASE + f"tokens/{token}.json").json(), "tokens")
    assert answer[0]["service_request_id"] == demand.code


def test_get_requests_filters_by_ids_code_status_and_pages(client, key, world):
    codes = [
        client.post(BASE + "requests.json", good_post(key)).json()[0]["service_request_id"] for _ in range(3)
    ]
    other = good_post(key, service_code="C21")
    other.pop("attribute[when]"), other.pop("attribute[stalls]")
    traffic = client.post(BASE + "requests.json", other).json()[0]["service_request_id"]
    rows = conforms(client.get(BASE + "requests.json", {"service_code": "C21"}).json(), "requests")
    assert [r["service_request_id"] for r in rows] == [traffic]
    rows = client.get(BASE + "requests.json", {"service_request_id": f"{codes[0]},{traffic}"}).json()
    assert {r["service_request_id"] for r in rows} == {codes[0], traffic}
    first = client.get(BASE + "requests.json", {"page_size": 2}).json()
    second = client.get(BASE + "requests.json", {"page_size": 2, "page": 2}).json()
    assert len(first) == 2 and len(second) == 2
    assert not {r["service_request_id"] for r in first} & {r["service_request_id"] for r in second}
    assert client.get(BASE + "requests.json", {"status": "closed"}).json() == []
    assert len(client.get(BASE + "requests.json", {"status": "open"}).json()) == 4
    xml = SafeET.fromstring(client.get(BASE + "requests.xml", {"service_code": "C21"}).content)
    assert xml.tag == "service_requests" and xml.findtext("request/service_request_id") == traffic


def test_date_window_defaults_to_the_last_90_days(client, key, world):
    code = client.post(BASE + "requests.json", good_post(key)).json()[0]["service_request_id"]
    params = {"start_date": "2026-11-01T00:00:00+08:00", "end_date": "2026-11-30T00:00:00+08:00"}
    assert [r["service_request_id"] for r in client.get(BASE + "requests.json", params).json()] == [code]
    params = {"start_date": "2026-08-01T00:00:00Z", "end_date": "2026-08-30T00:00:00Z"}
    assert client.get(BASE + "requests.json", params).json() == []
    with time_machine.travel(NOW + dt.timedelta(days=91), tick=False):
        assert client.get(BASE + "requests.json").json() == []


def test_format_parameter_and_jurisdiction(client, key, world):
    response = client.get(BASE + "services", {"format": "xml"})
    assert response["Content-Type"].startswith("text/xml")
    assert client.get(BASE + "services.json", {"jurisdiction_id": "3509"}).status_code == 200
    response = client.get(BASE + "services.json", {"jurisdiction_id": "1100"})
    assert response.status_code == 404
    conforms(response.json(), "errors")
    assert client.get(BASE + "services", {"format": "csv"}).status_code == 400


def test_idempotency_key_returns_the_first_answer(client, key):
    first = client.post(BASE + "requests.json", good_post(key), headers={"Idempotency-Key": "fms-42"})
    again = client.post(BASE + "requests.json", good_post(key), headers={"Idempotency-Key": "fms-42"})
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    by_field = client.post(BASE + "requests.json", good_post(key, request_id="fms-42"))
    assert by_field.json() == first.json()
    assert written() == (1, 1)


def test_status_notes_mask_numbers_quoted_in_the_reply(client, key, world):
    code = client.post(BASE + "requests.json", good_post(key)).json()[0]["service_request_id"]
    demand = Demand.objects.get(code=code)
    ds.demand_resolve_at_intake(
        actor=world.user("agent"), demand_id=demand.pk, answer="已联系王女士（13812345678）说明处理结果。"
    )
    row = client.get(BASE + f"requests/{code}.json").json()[0]
    assert row["status"] == "closed" and "13812345678" not in row["status_notes"]
    assert row["status_notes"].startswith("已联系")


def test_with_two_cities_jurisdiction_id_is_required_and_filters(client, key, world):
    from linli.demands.tests.factories import registered
    from linli.org.services import jurisdiction_create

    jurisdiction_create(code="3601", name="邻市", level="city")
    here = registered(world)  # a hotline demand in 金榕社区, under 3509
    response = client.get(BASE + "requests.json")
    assert (
        response.status_code == 400
        and "jurisdiction" in conforms(response.json(), "errors")[0]["description"]
    )
    assert [
        r["service_request_id"]
        for r in client.get(BASE + "requests.json", {"jurisdiction_id": "3509"}).json()
    ] == [here.code]
    assert client.get(BASE + "requests.json", {"jurisdiction_id": "3601"}).json() == []
    assert client.get(BASE + f"requests/{here.code}.json", {"jurisdiction_id": "3601"}).status_code == 404
    assert client.get(BASE + "requests.json", {"jurisdiction_id": "9999"}).status_code == 404
