"""The work-order desk (#15) in a real browser: the printed order, a batch sign raced by a colleague,
the callback worklist, and a progress note read by the resident on a 390 px phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from linli.demands import services as s
from linli.demands.tests import factories as df
from linli.org.services import staff_create
from linli.org.states import Role
from linli.org.tests.factories import PASSWORD
from linli.tests.browser.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_print_page_has_no_menu_and_shows_the_work_order(world, new_page, shots):
    demand = df.in_progress(world, text="金榕路夜市油烟扰民，居民多次反映")
    page = new_page()
    sign_in(page, "cg_handler", PASSWORD)
    page.goto(f"/demands/{demand.pk}/print/")
    assert page.locator("nav.menu").count() == 0
    order = page.locator("article.order")
    assert order.count() == 1
    body = order.inner_text()
    for expected in (demand.code, "金榕路夜市油烟扰民", "区城管局", "承办人", "审核人"):
        assert expected in body, expected
    page.emulate_media(media="print")
    expect(page.locator(".screen-only")).to_be_hidden()  # the print button and links stay off the paper
    shots(page, "print")


def test_batch_sign_when_a_colleague_signed_one_meanwhile(world, new_page, shots):
    demands = [df.dispatched(world, text=f"第{i}件：人行道被占") for i in range(3)]
    page = new_page()
    sign_in(page, "cg_handler", PASSWORD)
    page.goto("/inbox/")
    page.get_by_label("全选本页").check()
    assert page.locator("input[name=id]:checked").count() == 3
    colleague = staff_create(username="cg_two", password=PASSWORD, role=Role.UNIT_HANDLER, unit=world.cg)
    s.assignment_sign(actor=colleague, demand_id=demands[1].pk, assignment_id=df.lead_of(demands[1]).pk)
    page.get_by_role("button", name="批量签收").click()
    page.wait_for_load_state()
    summary = page.locator("#batch-summary").inner_text()
    assert "2 件已签收" in summary and "1 件已被他人处理或状态已变" in summary
    row = page.locator("#batch-items tr", has_text=demands[1].code)
    assert "已被他人签收或已改派" in row.inner_text()
    shots(page, "batch-result")


def test_the_callback_worklist_counts_tries_and_an_unsatisfied_one_goes_to_reopen(world, new_page, shots):
    demand = df.replied(world, text="小区门口路灯不亮")
    page = new_page()
    sign_in(page, "agent", PASSWORD)
    page.get_by_role("link", name="回访", exact=True).click()
    card = page.locator(f"#callback-{demand.pk}")
    assert "已协调清理摊贩" in card.inner_text()
    card.get_by_role("button", name="未接通").click()
    page.wait_for_load_state()
    assert "已拨打 1 次未接通" in page.locator(f"#callback-{demand.pk}").inner_text()
    page.locator(f"#callback-{demand.pk}").get_by_role("button", name="不满意").click()
    page.wait_for_url(f"**/demands/{demand.pk}/**")
    reopen = page.locator("#action-reopen-0")
    assert reopen.get_attribute("open") is not None
    expect(page.get_by_label("重办理由")).to_be_visible()
    shots(page, "reopen")


def test_a_public_progress_note_reaches_the_resident_on_a_phone(world, new_page, shots):
    demand = df.in_progress(world, text="楼道灯坏了一周", phone="13812345678")
    handler = new_page(width=390, height=844)
    sign_in(handler, "cg_handler", PASSWORD)
    handler.goto(f"/demands/{demand.pk}/")
    handler.locator("details[id^=progress-] summary").click()
    handler.get_by_label("办理进展").fill("已报修，明天上午更换")
    handler.get_by_label("公开给群众").check()
    handler.get_by_role("button", name="记录进展").click()
    handler.wait_for_load_state()
    assert "已报修，明天上午更换" in handler.locator("ol.timeline").inner_text()
    shots(handler, "progress-staff")
    resident = new_page(width=390, height=844)
    resident.goto(f"/portal/track/?code={demand.code}")
    resident.get_by_label("手机号后四位").fill("5678")
    resident.get_by_role("button", name="查询").click()
    resident.wait_for_load_state()
    notes = resident.locator(".public-notes").inner_text()
    assert "已报修，明天上午更换" in notes and "区城管局" in notes
    assert resident.locator(".handling-unit").inner_text() == "区城管局"
    assert "楼道灯坏了一周" in resident.locator(".resident-text").inner_text()
    assert resident.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    shots(resident, "progress-resident")


def test_the_unit_picker_finds_a_unit_by_typing_and_adds_it_as_a_removable_chip(world, new_page, shots):
    demand = df.registered(world, text="路口信号灯坏了，早高峰堵车", category_id=world.categories["mid"].pk)
    page = new_page()
    sign_in(page, "dispatcher", PASSWORD)
    page.goto(f"/demands/{demand.pk}/")
    form = page.locator("#action-dispatch-0")
    finders = form.locator("input.unit-filter")
    assert finders.count() == 2  # one over the lead unit's select, one for the assisting units
    finders.nth(1).fill("交警")
    form.get_by_role("button", name="+ 区交警大队").click()
    chip = form.locator("button.chip", has_text="区交警大队")
    expect(chip).to_be_visible()
    finders.nth(1).fill("社区")
    form.get_by_role("button", name="+ 金榕社区居委会").click()
    form.locator("button.chip", has_text="金榕社区居委会").click()  # removed again
    assert form.locator("button.chip").count() == 1
    shots(page, "picker")
    form.get_by_role("button", name="确认派单").click()
    page.locator("ol.timeline li", has_text="协办").wait_for()  # htmx answers with a redirect to the page
    assert "主办：区城管局；协办：区交警大队" in page.locator("ol.timeline").inner_text()
