"""Programs API: the organiser's calls and the residents' public ones; errors carry stable codes."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from linli.programs.models import SignUp
from linli.programs.tests.factories import camp

pytestmark = pytest.mark.django_db
BASE = "/api/v1/empower/programs"


def _post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_public_signup_waitlist_and_promotion_through_the_api(world):
    program = camp(world, capacity=1)
    public = Client()
    url = f"{BASE}/public/programs/{program.pk}/signups"
    first = _post(
        public, url, {"name": "林妈妈", "phone": "13900001111", "child_name": "小林", "child_age": 7}
    )
    second = _post(
        public, url, {"name": "王爸爸", "phone": "13900002222", "child_name": "小王", "child_age": 9}
    )
    assert first.status_code == 201 and first.json()["status"] == "confirmed"
    assert second.json()["status"] == "waitlisted" and second.json()["waitlist_position"] == 1
    again = _post(
        public, url, {"name": "王爸爸", "phone": "13900002222", "child_name": "小王", "child_age": 9}
    )
    assert again.status_code == 200 and again.json()["code"] == second.json()["code"]
    bad = _post(public, url, {"name": "陈", "phone": "13900003333", "child_name": "小陈", "child_age": 3})
    assert bad.status_code == 422 and bad.json()["code"] == "programs.bad_age"
    cancel = _post(
        public, f"{BASE}/public/signups/cancel", {"code": first.json()["code"], "phone_last4": "1111"}
    )
    assert cancel.json()["status"] == "cancelled"
    back = _post(
        public, f"{BASE}/public/signups/lookup", {"code": second.json()["code"], "phone_last4": "2222"}
    )
    assert back.json()["status"] == "confirmed" and back.json()["promoted"] is True
    wrong = _post(
        public, f"{BASE}/public/signups/lookup", {"code": second.json()["code"], "phone_last4": "1111"}
    )
    assert wrong.status_code == 404 and wrong.json()["code"] == "programs.signup_mismatch"


def test_organiser_reads_the_roster_masked_and_marks_attendance(world):
    program = camp(world, capacity=1)
    for n in (1, 2):
        _post(
            Client(),
            f"{BASE}/public/programs/{program.pk}/signups",
            {"name": f"家长{n}", "phone": f"1390000000{n}", "child_name": f"孩子{n}", "child_age": 8},
        )
    client = Client()
    client.force_login(world.user("worker"))
    detail = client.get(f"{BASE}/programs/{program.pk}").json()
    assert detail["confirmed"] == 1 and detail["waitlist"][0]["waitlist_position"] == 1
    assert detail["confirmed_signups"][0]["phone"] == "139****0001"
    session_id = detail["sessions"][0]["id"]
    confirmed_id = detail["confirmed_signups"][0]["id"]
    waiting_id = detail["waitlist"][0]["id"]
    refused = _post(client, f"{BASE}/sessions/{session_id}/attendance", {"present": [waiting_id]})
    assert refused.status_code == 409 and refused.json()["code"] == "programs.not_confirmed"
    ok = _post(client, f"{BASE}/sessions/{session_id}/attendance", {"present": [confirmed_id]})
    assert ok.json()["present"] == [confirmed_id]
    cancelled = _post(client, f"{BASE}/signups/{confirmed_id}/cancel", {})
    assert [p["id"] for p in cancelled.json()["promoted"]] == [waiting_id]
    assert SignUp.objects.get(pk=waiting_id).status == "confirmed"


def test_create_and_open_a_program(world):
    client = Client()
    client.force_login(world.user("worker"))
    created = _post(
        client,
        f"{BASE}/programs",
        {"community_id": world.community.pk, "title": "口琴兴趣班", "capacity": 20, "kind": "class"},
    )
    assert created.status_code == 201 and created.json()["status"] == "draft"
    pid = created.json()["id"]
    opened = _post(client, f"{BASE}/programs/{pid}/transition", {"action": "open", "version": 1})
    assert opened.json()["status"] == "open"
    stale = _post(client, f"{BASE}/programs/{pid}/transition", {"action": "close", "version": 1})
    assert stale.status_code == 409
    leader = Client()
    leader.force_login(world.user("leader"))
    assert leader.get(f"{BASE}/programs/{pid}").status_code == 200
    assert _post(leader, f"{BASE}/programs/{pid}/transition", {"action": "close"}).status_code == 403
