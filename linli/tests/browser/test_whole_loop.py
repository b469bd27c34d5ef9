"""The whole closed loop in a real browser, as the people do it.

A resident reports a problem on the portal with a phone, the agent dispatches
it, the unit signs and replies, the agent calls back and closes it, and the
resident sees the result when tracking it.
"""

from __future__ import annotations

import re

import pytest

from linli.demands.models import Demand
from linli.org.tests.factories import PASSWORD
from linli.tests.browser.conftest import sign_in, sign_out

pytestmark = pytest.mark.django_db(transaction=True)

PROBLEM = "金榕路小学门口每天早上电动车乱停，孩子们进不去校门，请管一管。"


def open_action(page, label: str):
    """The action's form on the demand page (opening its <details> if closed)."""
    box = page.locator("aside.actions details", has=page.locator("summary", has_text=label)).first
    if box.get_attribute("open") is None:
        box.locator("summary").click()
    return box


def press(page, box, button: str) -> None:
    """Submit an action form and wait for the page it leads to (htmx redirects after success)."""
    with page.expect_navigation():
        box.get_by_role("button", name=button).click()
    page.wait_for_selector(".messages")


def test_resident_to_callback_and_back_to_the_resident(world, new_page, shots):
    # 1. the resident, on a phone
    phone = new_page(width=390, height=844)
    phone.goto("/portal/")
    shots(phone, "portal-home")
    phone.goto("/portal/submit/")
    phone.get_by_label("问题描述").fill(PROBLEM)
    phone.get_by_label("地点").fill("金榕路小学东门")
    phone.get_by_label("手机号").fill("13912345678")
    shots(phone, "portal-form")
    phone.get_by_role("button", name=re.compile("提交")).click()
    phone.wait_for_load_state()
    shots(phone, "portal-receipt")
    demand = Demand.objects.get()
    assert demand.code in phone.content() and demand.channel == "web"

    # 2. the dispatcher sends it to 区城管局 with 交警 assisting
    desk = new_page()
    sign_in(desk, "dispatcher", PASSWORD)
    shots(desk, "queue")
    desk.get_by_role("link", name=demand.code).click()
    form = open_action(desk, "派单")
    form.get_by_label("主办单位").select_option(label="区城管局")
    form.get_by_label("协办单位").select_option(label="区交警大队")
    form.get_by_label("诉求分类").select_option(label="城乡建设/市政管理")
    form.get_by_label("派单意见").fill("请城管牵头清理，交警配合疏导。")
    shots(desk, "dispatch-form")
    press(desk, form, "确认派单")
    demand.refresh_from_db()
    assert demand.status == "dispatched"
    shots(desk, "dispatched")
    sign_out(desk)

    # 3. the unit signs and replies
    sign_in(desk, "cg_handler", PASSWORD)
    assert desk.url.endswith("/inbox/")
    shots(desk, "inbox")
    desk.get_by_role("link", name=demand.code).click()
    press(desk, open_action(desk, "签收"), "确认签收")
    reply = open_action(desk, "办结答复")
    reply.get_by_label("办理结果").fill("已在校门口划定电动车停放区，早高峰安排队员值守。")
    press(desk, reply, "确认办结答复")
    demand.refresh_from_db()
    assert demand.status == "replied"
    shots(desk, "replied")
    sign_out(desk)

    # 4. the agent calls the resident back and closes it
    sign_in(desk, "agent", PASSWORD)
    desk.goto(f"/demands/{demand.pk}/")
    callback = open_action(desk, "回访")
    callback.get_by_text("是", exact=True).click()
    callback.get_by_text("满意", exact=True).click()
    callback.get_by_label("回访记录").fill("群众表示门口通畅了。")
    press(desk, callback, "确认回访")
    press(desk, open_action(desk, "归档"), "确认归档")
    demand.refresh_from_db()
    assert demand.status == "closed"
    timeline = desk.locator(".timeline").inner_text()
    for step in ("受理", "派单", "签收", "办结", "回访", "归档"):
        assert step in timeline
    shots(desk, "closed")

    # 5. the resident tracks it and reads the result
    phone.goto("/portal/track/")
    phone.get_by_label("受理编号").fill(demand.code)
    phone.get_by_label("手机号后四位").fill("5678")
    phone.get_by_role("button", name=re.compile("查询")).click()
    phone.wait_for_load_state()
    body = phone.content()
    assert "已在校门口划定电动车停放区" in body
    assert "13912345678" not in body and "话务员小林" not in body
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    shots(phone, "portal-result")
