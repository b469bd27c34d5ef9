"""Bad input gets the spec's error array (400/403/404, 413 for a huge body) and writes nothing."""

from __future__ import annotations

import pytest
from defusedxml import ElementTree as SafeET

from linli.open311.services import open311_key_create, open311_key_revoke
from linli.open311.tests.helpers import BASE, conforms, good_post, new_key, stall_attributes, written


@pytest.fixture
def key(world):
    stall_attributes(world)
    return new_key()


def refused(response, status: int) -> str:
    assert response.status_code == status, response.content
    body = conforms(response.json(), "errors")
    assert body[0]["code"] == status
    assert written() == (0, 0)
    return body[0]["description"]


def test_unknown_service_code_is_404(client, key):
    assert "service_code" in refused(
        client.post(BASE + "requests.json", good_post(key, service_code="X9")), 404
    )


def test_missing_location_is_400(client, key):
    post = good_post(key, lat=None, long=None)
    assert "open311.location_required" in refused(client.post(BASE + "requests.json", post), 400)
    refused(client.post(BASE + "requests.json", good_post(key, long=None)), 400)
    refused(client.post(BASE + "requests.json", good_post(key, lat="north")), 400)


def test_address_alone_or_address_id_alone_is_a_location(client, key):
    ok = client.post(BASE + "requests.json", good_post(key, lat=None, long=None, address_string="金榕路1号"))
    assert ok.status_code == 201
    ok = client.post(BASE + "requests.json", good_post(key, lat=None, long=None, address_id="A-1001"))
    assert ok.status_code == 201


@pytest.mark.parametrize("secret", [None, "", "o311_wrong"])
def test_bad_api_key_is_403(client, key, secret):
    refused(client.post(BASE + "requests.json", good_post(key, api_key=secret)), 403)


def test_revoked_key_is_403(client, world):
    stall_attributes(world)
    row, secret = open311_key_create(name="旧客户端")
    open311_key_revoke(key=row)
    refused(client.post(BASE + "requests.json", good_post(secret)), 403)


def test_unknown_jurisdiction_is_404(client, key):
    refused(client.post(BASE + "requests.json", good_post(key, jurisdiction_id="4401")), 404)


@pytest.mark.parametrize(
    "change",
    [
        {"attribute[when]": None},
        {"attribute[when]": "noon"},
        {"attribute[stalls]": "many"},
        {"attribute[colour]": "red"},
        {"description": "", "service_code": "C21", "attribute[when]": None, "attribute[stalls]": None},
        {"phone": None},
        {"email": "not-an-address"},
        {"media_url": "javascript:alert(1)"},
    ],
)
def test_bad_fields_are_400(client, key, change):
    refused(client.post(BASE + "requests.json", good_post(key, **change)), 400)


def test_dates_out_of_range_are_400(client, key):
    for params in (
        {"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-06-01T00:00:00Z"},
        {"start_date": "2026-06-01T00:00:00Z", "end_date": "2026-01-01T00:00:00Z"},
        {"start_date": "yesterday"},
        {"end_date": "2026-06-01"},
        {"page_size": "1001"},
        {"page": "0"},
        {"status": "pending"},
    ):
        response = client.get(BASE + "requests.json", params)
        assert response.status_code == 400, params
        conforms(response.json(), "errors")


def test_a_10_mb_body_is_refused_before_it_is_read(client, key):
    post = good_post(key, description="堵" * (10 * 1024 * 1024 // 3))
    response = client.post(BASE + "requests.json", post)
    assert response.status_code == 413
    conforms(response.json(), "errors")
    assert written() == (0, 0)


def test_xml_with_entities_is_refused_and_nothing_parsed(client, key):
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        "<service_request><api_key>" + key + "</api_key><description>&b;</description></service_request>"
    )
    response = client.post(BASE + "requests.xml", bomb, content_type="application/xml")
    assert response.status_code == 400
    error = SafeET.fromstring(response.content)
    assert error.tag == "errors" and error.findtext("error/code") == "400"
    assert written() == (0, 0)


def test_rate_limit_per_key(client, key, settings):
    settings.LINLI_PUBLIC_RATE_LIMITS = {**settings.LINLI_PUBLIC_RATE_LIMITS, "open311_submit": 2}
    assert client.post(BASE + "requests.json", good_post(key)).status_code == 201
    assert client.post(BASE + "requests.json", good_post(key)).status_code == 201
    response = client.post(BASE + "requests.json", good_post(key))
    assert response.status_code == 429 and int(response["Retry-After"]) >= 1
    conforms(response.json(), "errors")
    assert written() == (2, 2)


def test_errors_in_xml_follow_the_spec_shape(client, key):
    response = client.post(BASE + "requests.xml", good_post(key, service_code="X9"))
    root = SafeET.fromstring(response.content)
    assert root.tag == "errors" and root.findtext("error/code") == "404"
    assert root.findtext("error/description")


def test_a_10_mb_multipart_upload_is_refused_before_it_is_read(client, key):
    from django.core.files.uploadedfile import SimpleUploadedFile

    post = good_post(key, media=SimpleUploadedFile("big.jpg", b"\xff" * (10 * 1024 * 1024), "image/jpeg"))
    response = client.post(BASE + "requests.xml", post)
    assert response.status_code == 413
    assert SafeET.fromstring(response.content).findtext("error/code") == "413"
    assert written() == (0, 0)
