"""The hotspot page on a phone (Debian's Chromium): ranked issues, and one click lists an issue's demands.

The live server runs in another thread, where the test clock does not reach,
so the page is asked for the story's period explicitly.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from linli.analytics.tests.hot_story import build
from linli.org.tests.factories import PASSWORD
from linli.tests.browser.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_on_a_phone_the_hotspot_page_ranks_issues_and_clicking_one_lists_its_demands(world, new_page, shots):
    story = build(world)
    page = new_page(width=360, height=740)
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(page, "dispatcher", PASSWORD)
    page.goto("/hotspots/?from=2025-03-01&to=2025-04-30")
    first = page.locator("#issue-1")
    expect(first).to_be_visible()
    assert "金榕小区" in first.locator("h2").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), "scrolls sideways"
    shots(page, "hotspots")

    first.get_by_role("link", name="查看这 4 件诉求").click()
    page.wait_for_url("**/demands/?ids=*")
    expect(page.locator("#issue-filter")).to_be_visible()
    codes = page.locator("#results tbody td:nth-child(2) a").all_inner_texts()  # after the tick box
    assert sorted(codes) == sorted(d.code for d in story["hot"])
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), "scrolls sideways"
    shots(page, "issue-demands")
    assert errors == []


def test_the_office_marks_the_months_topic_from_a_hot_issue_and_closes_it_on_a_phone(world, new_page, shots):
    build(world)
    page = new_page(width=360, height=740)
    sign_in(page, "coord", PASSWORD)
    page.goto("/hotspots/?from=2025-03-01&to=2025-04-30")
    page.locator("#issue-1").get_by_role("link", name="定为每月一题").click()
    page.wait_for_url("**/topics/new/?*")
    assert "金榕小区" in page.get_by_label("题目").input_value()
    page.get_by_label("牵头单位").select_option(label="区城管局")
    page.get_by_label("协办单位").select_option(label="区交警大队")
    page.get_by_role("button", name="确定").click()
    page.wait_for_url("**/topics/*/")
    assert page.locator("#topic-lead").inner_text() == "区城管局"
    assert "关联诉求（4 件）" in page.locator("#topic-demands").inner_text()
    shots(page, "topic-marked")

    page.get_by_text("记录联席会议").click()
    page.get_by_label("联席会议").fill("4月28日联席会议")
    page.locator("#topic-form-meeting").get_by_role("button", name="保存").click()
    page.wait_for_load_state()
    page.locator("#topic-actions summary", has_text="办结").click()
    page.get_by_label("办理结果").fill("搅拌站夜间停工，加装降尘设施")
    page.locator("#topic-form-close").get_by_role("button", name="保存").click()
    page.wait_for_load_state()
    assert page.locator("#topic-status").inner_text() == "已办结"
    assert "搅拌站夜间停工" in page.locator("#topic-outcome").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), "scrolls sideways"
    shots(page, "topic-closed")
