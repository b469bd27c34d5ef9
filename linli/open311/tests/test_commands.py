"""`linli open311-key create|list|revoke` and `linli open311-send`."""

from __future__ import annotations

import io

import pytest
import time_machine
from django.core.management import CommandError, call_command

from linli.demands.tests.factories import registered
from linli.open311.models import ApiKey, OutboundLink, RemoteEndpoint
from linli.open311.tests.helpers import BASE, good_post, stall_attributes


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_key_is_printed_once_stored_hashed_and_revocable(client, world):
    stall_attributes(world)
    secret, notice = run("open311_key", "create", "区数字城管")
    secret = secret.strip()
    assert secret.startswith("o311_") and "只显示这一次" in notice
    key = ApiKey.objects.get()
    assert secret not in (key.key_hash, key.prefix) and secret.startswith(key.prefix)
    assert client.post(BASE + "requests.json", good_post(secret)).status_code == 201
    listing, _ = run("open311_key", "list")
    assert key.prefix in listing and "区数字城管" in listing and secret not in listing
    run("open311_key", "revoke", key.prefix)
    assert client.post(BASE + "requests.json", good_post(secret)).status_code == 403
    again, _ = run("open311_key", "revoke", key.prefix)
    assert "Already revoked" in again
    with pytest.raises(CommandError):
        run("open311_key", "revoke", "o311_nothing")
    with pytest.raises(CommandError):
        run("open311_key", "create", " ")


def test_send_queues_chosen_demands_as_a_dispatcher(world):
    RemoteEndpoint.objects.create(name="县数字城管", base_url="http://127.0.0.1:9/", api_key="k")
    demand = registered(world)
    out, _ = run("open311_send", "--endpoint", "县数字城管", "--as", "dispatcher", demand.code)
    assert "queued" in out and OutboundLink.objects.get().demand_id == demand.pk
    with pytest.raises(CommandError, match="already"):
        run("open311_send", "--endpoint", "县数字城管", "--as", "dispatcher", demand.code)
    with pytest.raises(CommandError):
        run("open311_send", "--endpoint", "县数字城管", "--as", "cg_handler", registered(world).code)
    with pytest.raises(CommandError):
        run("open311_send", "--endpoint", "没有", "--as", "dispatcher", registered(world).code)


def test_admin_sends_chosen_demands_and_shows_failures(client, world):
    from linli.open311.services import open311_outbound_sync

    RemoteEndpoint.objects.create(name="县数字城管", base_url="http://127.0.0.1:9/open311/v2/", api_key="k")
    admin_user = world.user("admin")
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save(update_fields=["is_staff", "is_superuser"])
    client.force_login(admin_user)
    demand = registered(world)
    endpoint = RemoteEndpoint.objects.get()
    response = client.post(
        "/admin/open311/outboundlink/send/", {"endpoint": endpoint.pk, "codes": f"{demand.code}\nLLNOSUCH"}
    )
    assert response.status_code == 302
    assert OutboundLink.objects.get().demand_id == demand.pk
    with time_machine.travel("2026-11-20 10:00 +0800", tick=False):
        open311_outbound_sync()  # port 9 on loopback refuses: the failure is kept for the admin
    page = client.get("/admin/open311/outboundlink/").content.decode()
    assert "unreachable" in page and "发送失败" in page
    detail = client.get(
        f"/admin/open311/outboundlink/{OutboundLink.objects.get().pk}/change/"
    ).content.decode()
    assert "发送失败" in detail
