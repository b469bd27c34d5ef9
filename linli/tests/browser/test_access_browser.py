"""准入 in a real browser: a department files, the gate sends it to the office, the office approves one and the
community refuses another; the public certificate lookup on a 390 px phone; the ledger's charts."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from linli.access.tests import factories as f
from linli.core import clock
from linli.org.tests.factories import PASSWORD
from linli.tests.browser.conftest import sign_in, sign_out

pytestmark = pytest.mark.django_db(transaction=True)


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def file_request(page, title: str, content: str, community: str) -> None:
    page.goto("/access/requests/new/")
    page.get_by_label("事项标题").fill(title)
    page.get_by_label("具体内容").fill(content)
    page.get_by_label(community).check()
    page.get_by_label("完成期限").fill((clock.today() + dt.timedelta(days=10)).isoformat())
    page.get_by_role("button", name="提交").click()
    page.wait_for_load_state()


def test_file_gate_approve_inbox_and_refuse(world, new_page, shots):
    f.catalogue(world)
    page = new_page()
    sign_in(page, "cg_handler", PASSWORD)
    file_request(page, "垃圾分类督导员值守", "请每个小区安排人员在投放点值守，督导居民分类投放", "金榕社区")
    expect(page.get_by_text("待协调办审批").first).to_be_visible()
    expect(page.get_by_text("审批剩余 15 个工作日")).to_be_visible()
    shots(page, "filed-pending")
    file_request(page, "共享单车每日清理", "请社区每天清理小区门口乱停放的共享单车并上报照片", "金榕社区")
    second = page.url
    file_request(page, "下达招商引资任务", "请各社区完成本年度招商引资引进项目两个的任务指标", "金榕社区")
    expect(page.get_by_text("负面清单拒绝").first).to_be_visible()
    shots(page, "refused-negative-list")
    sign_out(page)

    sign_in(page, "coord", PASSWORD)
    page.goto("/access/approvals/")
    shots(page, "approvals-queue")
    page.get_by_role("link", name="垃圾分类督导员值守").click()
    page.get_by_label("临时同意（仅本次）").check()  # no decision is preselected
    page.get_by_label("理由").fill("本次同意，经费随事转")
    page.get_by_role("button", name="提交决定").click()
    expect(page.get_by_text("审批同意").first).to_be_visible()
    shots(page, "approved")
    sign_out(page)

    sign_in(page, "worker", PASSWORD)
    page.goto("/access/inbox/")
    expect(page.get_by_text("垃圾分类督导员值守")).to_be_visible()
    shots(page, "community-inbox")
    page.get_by_role("link", name="共享单车每日清理").click()
    page.get_by_role("button", name="依规拒绝").click()
    expect(page.get_by_text("已拒绝，并已告知派发部门")).to_be_visible()
    shots(page, "community-refused")
    sign_out(page)

    sign_in(page, "cg_handler", PASSWORD)
    page.goto(second)
    expect(page.get_by_text("社区拒绝").first).to_be_visible()
    expect(page.get_by_text("暂不承接").first).to_be_visible()
    shots(page, "department-sees-refusal")


def test_public_certificate_lookup_on_a_phone(world, new_page, shots):
    f.certificates()
    page = new_page(width=390, height=844)
    page.goto("/portal/")
    page.get_by_role("link", name="证明查询").click()
    page.get_by_label("您需要什么证明？").fill("单身证明")
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_role("heading", name="婚姻状况证明")).to_be_visible()
    expect(page.get_by_text("社区不能开具。").first).to_be_visible()
    assert no_horizontal_scroll(page)
    shots(page, "lookup-phone")


def test_ledger_shows_charts_and_tables(world, new_page, shots):
    f.catalogue(world)
    f.admitted(world)
    page = new_page(width=360, height=800)
    sign_in(page, "leader", PASSWORD)
    page.goto("/access/ledger/")
    page.wait_for_function("document.querySelector('#ledger-compare canvas') !== null")
    expect(page.get_by_role("cell", name="金榕社区")).to_be_visible()
    assert no_horizontal_scroll(page)
    shots(page, "ledger-phone")


@pytest.mark.parametrize(
    ("username", "url"),
    [
        ("cg_handler", "/access/requests/new/"),
        ("coord", "/access/approvals/"),
        ("coord", "/access/catalogue/"),
        ("worker", "/access/inbox/"),
        ("worker", "/access/plaques/"),
        ("worker", "/access/certificates/"),
    ],
)
def test_access_pages_fit_a_360_px_phone(world, new_page, shots, username, url):
    f.catalogue(world)
    f.certificates()
    f.pending(world)
    page = new_page(width=360, height=780)
    sign_in(page, username, PASSWORD)
    page.goto(url)
    assert no_horizontal_scroll(page)
    shots(page, url.strip("/").replace("/", "-"))
