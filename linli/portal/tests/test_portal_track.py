"""Tracking and rating on the portal: only the matching code and digits open a demand, and only its public side."""

from __future__ import annotations

import pytest
from django.test import Client

from linli.demands import services as s
from linli.demands.models import Callback, Demand
from linli.demands.tests import factories as f
from linli.portal.tests.portal_helpers import RATE, SUBMIT, TRACK, form_data

MISMATCH = "受理编号或手机号后四位不正确"


@pytest.fixture(autouse=True)
def _throwaway_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def track(client: Client, code: str, last4: str):
    return client.post(TRACK, {"code": code, "phone_last4": last4})


def rate(client: Client, demand, last4="1234", **change):
    data = {"code": demand.code, "phone_last4": last4, "resolved": "yes", "satisfaction": "satisfied"}
    data.update(change)
    return client.post(RATE, data)


def test_a_submitted_demand_can_be_tracked_from_its_receipt(world):
    client = Client()
    client.post(SUBMIT, form_data(client, world))
    demand = Demand.objects.get()
    prefilled = client.get(f"{TRACK}?code={demand.code}").content.decode()
    assert f'value="{demand.code}"' in prefilled
    page = track(client, demand.code.lower(), "5678").content.decode()
    assert demand.code in page and "已受理" in page and "办理过程" in page


def test_a_wrong_code_and_wrong_digits_get_the_same_neutral_answer(world):
    demand = f.registered(world)
    client = Client()
    wrong_digits = track(client, demand.code, "0000")
    no_such_code = track(client, "LL000000000", "1234")
    for response in (wrong_digits, no_such_code):
        page = response.content.decode()
        assert response.status_code == 404
        assert MISMATCH in page and "demand.tracking_not_found" in page
        assert "办理过程" not in page
    assert wrong_digits.content.decode().replace("0000", "").count(MISMATCH) == 1


def test_the_track_page_shows_public_steps_and_the_reply_but_no_names_phone_or_notes(world):
    demand = f.replied(world)
    s.demand_escalate(actor=world.user("dispatcher"), demand_id=demand.pk, reason="内部督办说明")
    page = track(Client(), demand.code, "1234").content.decode()
    assert "已办结待回访" in page
    for step in ("受理", "派单", "签收", "办结"):
        assert step in page
    assert "已协调清理摊贩，设置护学岗。" in page
    for secret in ("王女士", "13812341234", "内部督办说明", "cg_handler", "话务员小林"):
        assert secret not in page
    assert "区城管局" in page  # #15: the handling unit's name is shown to the resident (no person's name)
    assert "评价办理结果" in page


def test_a_demand_not_yet_replied_shows_no_reply_and_no_rating(world):
    demand = f.in_progress(world)
    page = track(Client(), demand.code, "1234").content.decode()
    assert "办理中" in page and "评价办理结果" not in page and "办结后，答复会显示在这里" in page


def test_a_resident_rates_the_reply_and_a_second_rating_is_refused(world):
    demand = f.replied(world)
    client = Client()
    response = rate(client, demand, resolved="no", satisfaction="basically", note="摊贩晚上又来了")
    assert response.status_code == 200
    page = response.content.decode()
    assert "感谢您的评价" in page and "已回访" in page and "评价办理结果" not in page
    demand.refresh_from_db()
    assert (demand.status, demand.resolved, demand.satisfaction) == ("called_back", False, "basically")
    callback = Callback.objects.get(demand=demand)
    assert callback.by_id is None and callback.note == "摊贩晚上又来了"
    event = demand.events.get(kind="called_back")
    assert event.actor_id is None and event.note.startswith("群众自评")

    again = rate(client, demand)
    assert again.status_code == 409
    page = again.content.decode()
    assert "该诉求已评价过" in page and "demand.transition_not_allowed" in page
    assert Callback.objects.filter(demand=demand).count() == 1


def test_rating_needs_the_right_digits(world):
    demand = f.replied(world)
    response = rate(Client(), demand, last4="9999")
    assert response.status_code == 404 and MISMATCH in response.content.decode()
    demand.refresh_from_db()
    assert demand.status == "replied" and not Callback.objects.exists()


def test_rating_without_a_choice_keeps_the_page_and_says_what_is_missing(world):
    demand = f.replied(world)
    response = rate(Client(), demand, satisfaction="", note="还行")
    page = response.content.decode()
    assert "请选择满意程度" in page and "还行</textarea>" in page and "已协调清理摊贩" in page
    demand.refresh_from_db()
    assert demand.status == "replied"


def test_a_script_in_the_reply_is_shown_as_text(world):
    demand = f.in_progress(world)
    s.assignment_reply(
        actor=world.user("cg_handler"),
        demand_id=demand.pk,
        assignment_id=f.lead_of(demand).pk,
        result="已处理<script>alert(1)</script>",
    )
    page = track(Client(), demand.code, "1234").content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_too_many_lookups_get_429_with_the_code(world, settings):
    settings.LINLI_PUBLIC_RATE_LIMITS = {"portal_track": 3}
    demand = f.registered(world)
    client = Client()
    for _ in range(3):
        assert track(client, demand.code, "0000").status_code == 404
    response = track(client, demand.code, "1234")
    assert response.status_code == 429 and "portal.rate_limited" in response.content.decode()
    assert rate(client, demand).status_code == 429
