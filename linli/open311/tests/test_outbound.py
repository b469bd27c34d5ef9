"""Outbound: a demand sent to a second live Linli Open311 server, its reply polled back; failures back off."""

from __future__ import annotations

import datetime as dt
import http.server
import threading

import pytest
import time_machine

from linli.demands import services as ds
from linli.demands.models import Demand
from linli.demands.tests.factories import lead_of, registered
from linli.open311.errors import AlreadySent, NotAllowed
from linli.open311.models import OutboundEvent, OutboundLink, RemoteEndpoint
from linli.open311.services import open311_link_retry, open311_outbound_sync, open311_send
from linli.open311.tests.helpers import new_key

NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=True) as traveller:
        yield traveller


def endpoint(url: str, key: str = "", name: str = "县数字城管") -> RemoteEndpoint:
    return RemoteEndpoint.objects.create(name=name, base_url=url, api_key=key, jurisdiction_id="3509")


def kinds(link) -> list[str]:
    return list(OutboundEvent.objects.filter(link=link).values_list("kind", flat=True))


def test_send_and_poll_against_a_live_linli(transactional_db, live_server, world, clock):
    endpoint(live_server.url + "/open311/v2/", new_key("本市"))
    local = registered(world, category_id=world.categories["vendors"].pk)
    link = open311_send(actor=world.user("dispatcher"), demand_id=local.pk, endpoint_name="县数字城管")

    assert open311_outbound_sync() == {"sent": 1, "failed": 0, "updated": 1}
    link.refresh_from_db()
    remote = Demand.objects.get(code=link.remote_request_id)
    assert remote.channel == "open311" and remote.text == local.text and remote.pk != local.pk
    assert link.state == "sent" and link.remote_status == "open"

    assert open311_outbound_sync() == {"sent": 0, "failed": 0, "updated": 0}
    assert kinds(link) == ["queued", "sent", "remote_update"]

    ds.demand_dispatch(actor=world.user("dispatcher"), demand_id=remote.pk, lead_unit_id=world.cg.pk)
    ds.assignment_sign(actor=world.user("cg_handler"), demand_id=remote.pk, assignment_id=lead_of(remote).pk)
    ds.assignment_reply(
        actor=world.user("cg_handler"),
        demand_id=remote.pk,
        assignment_id=lead_of(remote).pk,
        result="摊贩已劝离。",
    )
    clock.shift(dt.timedelta(minutes=5))
    assert open311_outbound_sync()["updated"] == 1
    link.refresh_from_db()
    assert (link.state, link.remote_status, link.remote_status_notes) == ("closed", "closed", "摊贩已劝离。")
    assert open311_outbound_sync() == {"sent": 0, "failed": 0, "updated": 0}
    assert kinds(link) == ["queued", "sent", "remote_update", "remote_update"]


def test_only_dispatchers_send_and_only_once(db, world):
    endpoint("http://127.0.0.1:9/open311/v2/")
    local = registered(world)
    with pytest.raises(NotAllowed):
        open311_send(actor=world.user("cg_handler"), demand_id=local.pk, endpoint_name="县数字城管")
    open311_send(actor=world.user("dispatcher"), demand_id=local.pk, endpoint_name="县数字城管")
    with pytest.raises(AlreadySent):
        open311_send(actor=world.user("admin"), demand_id=local.pk, endpoint_name="县数字城管")
    assert OutboundLink.objects.count() == 1


def _unused_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_unreachable_endpoint_is_retried_with_backoff(db, world, clock):
    endpoint(f"http://127.0.0.1:{_unused_port()}/open311/v2/")
    local = registered(world)
    link = open311_send(actor=world.user("dispatcher"), demand_id=local.pk, endpoint_name="县数字城管")
    assert open311_outbound_sync()["failed"] == 1
    link.refresh_from_db()
    assert link.state == "failed" and link.attempts == 1 and "unreachable" in link.last_error
    assert open311_outbound_sync()["failed"] == 0  # not due yet
    clock.shift(dt.timedelta(minutes=1, seconds=5))
    assert open311_outbound_sync()["failed"] == 1
    link.refresh_from_db()
    first_wait = link.next_attempt_at
    clock.shift(dt.timedelta(minutes=1, seconds=5))
    assert open311_outbound_sync()["failed"] == 0  # the second wait is 2 minutes
    assert open311_link_retry(link_ids=[link.pk]) == 1
    assert open311_outbound_sync()["failed"] == 1
    link.refresh_from_db()
    assert link.attempts == 3 and link.next_attempt_at > first_wait
    assert kinds(link) == ["queued", "failed", "failed", "failed"]


class _Hostile(http.server.BaseHTTPRequestHandler):
    """A remote that answers errors or XML with entities."""

    body = b""
    status = 200
    content_type = "application/json"

    def do_POST(self):  # noqa: N802
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(self.status)
        self.send_header("Content-Type", self.content_type)
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args):
        pass


@pytest.fixture
def hostile():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Hostile)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_the_remotes_error_array_is_shown_as_the_last_error(db, world, clock, hostile):
    _Hostile.status, _Hostile.content_type = 403, "application/json"
    _Hostile.body = '[{"code": 403, "description": "api_key 无效"}]'.encode()
    endpoint(f"http://127.0.0.1:{hostile.server_port}/")
    link = open311_send(
        actor=world.user("dispatcher"), demand_id=registered(world).pk, endpoint_name="县数字城管"
    )
    open311_outbound_sync()
    link.refresh_from_db()
    assert link.state == "failed" and link.last_error == "HTTP 403: api_key 无效"


def test_xml_with_entities_from_a_remote_is_refused(db, world, clock, hostile):
    _Hostile.status, _Hostile.content_type = 200, "text/xml"
    _Hostile.body = (
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x "LL-FAKE">]>'
        b"<service_requests><request><service_request_id>&x;</service_request_id></request></service_requests>"
    )
    endpoint(f"http://127.0.0.1:{hostile.server_port}/")
    link = open311_send(
        actor=world.user("dispatcher"), demand_id=registered(world).pk, endpoint_name="县数字城管"
    )
    assert open311_outbound_sync()["failed"] == 1
    link.refresh_from_db()
    assert link.remote_request_id == "" and link.last_error.startswith("bad answer")
