"""The outbox as residents and staff notice it: a message for each step, sent once, failures kept and retried."""

from __future__ import annotations

import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import time_machine

from linli.core import clock
from linli.core.errors import ApplicationError
from linli.demands import services as ds
from linli.demands.tests import factories as df
from linli.notify import services as ns
from linli.notify.models import Message, NotifyEvent
from linli.notify.states import BACKOFF


@pytest.fixture
def outbox(settings, tmp_path, world):
    """Messages go to a file; the collector starts before the first demand of the test."""
    path = tmp_path / "messages.jsonl"
    channel = {"backend": "linli.notify.channels.FileChannel", "path": str(path)}
    settings.LINLI_NOTIFY_CHANNELS = {"sms": channel, "wechat": channel, "email": channel, "webhook": channel}
    settings.LINLI_PUBLIC_URL = "https://linli.example.cn"
    assert ns.notify_collect() == 0  # the cursor starts at "now": history is not replayed
    return path


def _lines(path) -> list[dict]:
    return (
        [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []
    )


def test_resident_gets_code_then_reply_with_rating_link_once(world, outbox):
    demand = df.replied(world, phone="13900001111")
    first = ns.notify_run()
    assert first["queued"] == 2 and first["sent"] == 2
    sent = _lines(outbox)
    assert [m["to"] for m in sent] == ["13900001111", "13900001111"]
    assert demand.code in sent[0]["body"] and "已受理" in sent[0]["body"]
    assert f"https://linli.example.cn/portal/track/?code={demand.code}" in sent[1]["body"]
    assert "已协调清理摊贩" in sent[1]["body"] and "评价" in sent[1]["body"]
    # the job runs again (a second server, a retried Celery task): nothing is sent twice
    assert ns.notify_run() == {"queued": 0}
    assert len(_lines(outbox)) == 2


def test_handling_unit_hears_of_escalation_and_near_deadline(world, outbox):
    for name in ("cg_handler", "cg_boss"):
        user = world.user(name)
        user.email = f"{name}@cg.example.cn"
        user.save()
    demand = df.in_progress(world)
    ds.demand_escalate(actor=world.user("dispatcher"), demand_id=demand.pk, reason="群众反复来电，请加快")
    ns.notify_run()
    escalated = [m for m in _lines(outbox) if "督办" in m["body"]]
    assert sorted(m["to"] for m in escalated) == ["cg_boss@cg.example.cn", "cg_handler@cg.example.cn"]
    assert "群众反复来电" in escalated[0]["body"]

    demand.refresh_from_db()
    with time_machine.travel(demand.finish_due - dt.timedelta(hours=3), tick=False):
        ns.notify_run()
        ns.notify_run()
    due = [m for m in _lines(outbox) if "到期" in m["body"]]
    assert len(due) == 2  # one per person, once, however often the job runs


def test_muted_kind_and_preferred_channel(world, outbox):
    handler = world.user("cg_handler")
    ns.preference_set(user=handler, sms=True, phone="13700002222", email=False, muted=["staff.due_soon"])
    demand = df.in_progress(world)
    ds.demand_escalate(actor=world.user("dispatcher"), demand_id=demand.pk, reason="请加快办理")
    demand.refresh_from_db()
    with time_machine.travel(demand.finish_due - dt.timedelta(hours=3), tick=False):
        ns.notify_run()
    to_handler = [m for m in _lines(outbox) if m["to"] == "13700002222"]
    assert [("督办" in m["body"]) for m in to_handler] == [True]


def test_bad_preference_is_a_clear_error_and_changes_nothing(world):
    handler = world.user("cg_handler")
    with pytest.raises(ApplicationError) as bad:
        ns.preference_set(user=handler, webhook=True, webhook_url="not a url")
    assert bad.value.code == "request.invalid"
    pref = ns.preference_set(user=handler, email=False)
    with pytest.raises(ApplicationError) as stale:
        ns.preference_set(user=handler, expected_version=pref.version - 1, email=True)
    assert stale.value.code == "conflict"


class Gateway(BaseHTTPRequestHandler):
    """A real SMS gateway on loopback: answers with the status it is told to, remembers what it got."""

    answers: list[int] = []
    received: list[tuple[dict, dict]] = []

    def do_POST(self):  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.received.append((body, dict(self.headers)))
        status = self.answers.pop(0) if self.answers else 200
        payload = json.dumps({"id": f"gw-{len(self.received)}"}).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture
def gateway(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), Gateway)
    Gateway.answers, Gateway.received = [], []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    file_channel = {"backend": "linli.notify.channels.FileChannel"}
    settings.LINLI_NOTIFY_CHANNELS = {
        "sms": {
            "backend": "linli.notify.channels.SmsHttpChannel",
            "url": f"http://127.0.0.1:{server.server_port}/send",
            "key": "k-123",
        },
        "wechat": file_channel,
        "email": file_channel,
        "webhook": file_channel,
    }
    yield Gateway
    server.shutdown()


def test_sms_gateway_failure_backs_off_then_sends_with_the_same_key(world, gateway):
    ns.notify_collect()
    gateway.answers = [503, 200]
    demand = df.registered(world, phone="13900003333")
    assert ns.notify_run() == {"queued": 1, "retry": 1}
    message = Message.objects.get(demand_code=demand.code)
    assert message.state == "retry" and message.last_error == "HTTP 503" and message.attempts == 1
    assert ns.notify_send() == {}  # not before the backoff
    with time_machine.travel(clock.now() + BACKOFF[0] + dt.timedelta(seconds=1), tick=False):
        assert ns.notify_send() == {"sent": 1}
    message.refresh_from_db()
    assert (message.state, message.provider_id, message.attempts) == ("sent", "gw-2", 2)
    (body1, head1), (body2, head2) = gateway.received
    assert body1["phone"] == "13900003333" and head1["Authorization"] == "Bearer k-123"
    assert head1["Idempotency-Key"] == head2["Idempotency-Key"] == message.key
    assert [e.kind for e in NotifyEvent.objects.filter(message=message)] == ["queued", "failed", "sent"]


def test_rejected_request_is_given_up_at_once_and_can_be_retried_by_hand(world, gateway):
    ns.notify_collect()
    gateway.answers = [400]
    df.registered(world, phone="13900004444")
    assert ns.notify_run() == {"queued": 1, "gave_up": 1}
    message = Message.objects.get()
    ns.message_retry_now(actor=world.user("admin"), message_id=message.pk)
    assert ns.notify_send() == {"sent": 1}
    with pytest.raises(ApplicationError) as again:
        ns.message_retry_now(actor=world.user("admin"), message_id=message.pk)
    assert again.value.code == "notify.bad_state"


def test_misconfigured_channel_keeps_intake_working_and_shows_the_failure(world, settings):
    settings.LINLI_NOTIFY_CHANNELS = {"sms": {"backend": "linli.notify.channels.SmsHttpChannel"}}  # no url
    ns.notify_collect()
    demand = df.registered(world, phone="13900005555")
    assert demand.pk and demand.status == "registered"
    ns.notify_run()
    message = Message.objects.get(demand_code=demand.code)
    assert message.state == "retry"
    assert message.last_error.startswith("notify.channel_misconfigured")


def test_template_edit_refuses_unknown_placeholders(world):
    ns.template_check("诉求{code}已办结，{link}")
    with pytest.raises(ApplicationError) as bad:
        ns.template_check("诉求{code}由{handler_phone}办理")
    assert bad.value.code == "notify.bad_template"
    with pytest.raises(ApplicationError):
        ns.template_check("诉求{code")
