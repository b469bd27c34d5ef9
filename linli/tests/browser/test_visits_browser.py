"""Night visits in a real browser: the visit log on a 360 px phone, a double tap, the meeting and the report."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from linli.demands.models import Demand
from linli.org.tests.factories import PASSWORD
from linli.tests.browser.conftest import sign_in
from linli.visits import services as s
from linli.visits.models import Visit
from linli.visits.tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_plan_visit_on_a_phone_refer_to_a_meeting_and_read_the_report(world, new_page, shots):
    campaign, (first,) = f.campaign(world, dates=(f.EVENING,))
    f.cadres(world)
    # The coordination office plans the round.
    desk = new_page()
    sign_in(desk, "coord", PASSWORD)
    desk.goto(f"/visits/rounds/{first.pk}/")
    desk.get_by_role("button", name="自动排班").click()
    expect(desk.get_by_text("已排班")).to_be_visible()
    assert desk.locator("#plan tbody tr").count() == 2
    shots(desk, "round-plan")
    # A community worker records the visit on a phone; the first tap is sent twice (a bad connection).
    phone = new_page(width=360, height=780)
    sign_in(phone, "worker", PASSWORD)
    phone.goto(f"/visits/rounds/{first.pk}/visit/")
    assert no_horizontal_scroll(phone)
    phone.get_by_label("到达时间").fill("19:40")
    phone.get_by_label("离开时间").fill("21:10")
    phone.get_by_label("骑手（人）").fill("4")
    phone.locator("#i0-text").fill("骑手电动车进不了小区，送一单要绕二十分钟")
    phone.locator("#i0-type").select_option("complaint")
    phone.locator("#i1-text").fill("楼道灯坏了找谁修？")
    phone.locator("#i1-solved").check()
    phone.locator("#i1-answer").fill("物业已当场更换灯泡")
    shots(phone, "visit-form-phone")
    # The first send got through but its answer was lost; the cadre taps again with the same form.
    status = phone.locator("#visit-form").evaluate(
        "f => fetch(location.href, {method: 'POST', body: new FormData(f)}).then(r => r.status)"
    )
    assert status == 200
    phone.locator("#visit-submit").click()
    expect(phone.get_by_text("该记录已保存过，未重复提交")).to_be_visible()
    assert no_horizontal_scroll(phone)
    shots(phone, "visit-saved-phone")
    assert Visit.objects.count() == 1 and Demand.objects.filter(channel="night_visit").count() == 2
    # The open issue is referred from the demand page to a new meeting.
    demand = Demand.objects.get(status="registered")
    desk.goto(f"/demands/{demand.pk}/")
    desk.locator("#refer-meeting").click()
    desk.get_by_role("link", name="登记新的协调会并提交此诉求").click()
    desk.get_by_label("议题").fill("骑手进小区协调会")
    desk.get_by_label("日期").fill("2026-06-11")
    desk.get_by_label("其他参会代表（群众、骑手、企业等，每行一位）").fill("骑手代表 2 名")
    desk.get_by_label("议定事项").fill("骑手门口停车，换乘自行车进入")
    desk.get_by_role("button", name="登记").click()
    expect(desk.get_by_text(demand.code)).to_be_visible()
    desk.get_by_label("事项", exact=True).fill("物业投放自行车")
    desk.get_by_label("完成时限").fill("2026-06-30")
    desk.get_by_role("button", name="新增").click()
    expect(desk.locator("#items").get_by_text("物业投放自行车")).to_be_visible()
    shots(desk, "meeting")
    desk.goto(f"/visits/campaigns/{campaign.pk}/report/")
    assert desk.locator("#kpis b").get_by_text("2 / 2").count() == 0  # one community of two visited
    assert desk.locator("#kpis b").get_by_text("1 / 2").count() == 1
    assert (
        desk.locator("#kpis b").get_by_text("50.0%").count() == 2
    )  # of 2 issues, 1 solved on the spot by 金榕's worker
    desk.wait_for_function("document.querySelector('#chart-levels canvas') !== null")
    shots(desk, "report")


def test_the_owner_unit_marks_its_action_item_done(world, new_page, shots):
    meeting = s.meeting_create(actor=world.user("coord"), topic="夜市噪声协调会", held_at=f.evening())
    s.action_item_add(
        actor=world.user("coord"),
        meeting_id=meeting.pk,
        text_="夜市 22 点收摊",
        owner_unit_id=world.cg.pk,
        deadline=f.EVENING,
    )
    page = new_page(width=360, height=780)
    sign_in(page, "cg_handler", PASSWORD)
    page.goto("/visits/actions/")
    expect(page.get_by_text("已超期")).to_be_visible()
    page.get_by_label("完成情况").fill("已与摊主约定 22 点收摊")
    page.get_by_role("button", name="标记完成").click()
    expect(page.get_by_text("已更新")).to_be_visible()
    assert no_horizontal_scroll(page)
    shots(page, "action-done")
