"""Staff pages in a real browser: permissions by URL, hostile text, and the layout at phone width."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from linli.demands.tests.factories import dispatched, registered
from linli.org.tests.factories import PASSWORD
from linli.tests.browser.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_another_units_demand_typed_into_the_address_bar_is_not_found(world, new_page, shots):
    demand = dispatched(world)  # sent to 区城管局
    page = new_page()
    sign_in(page, "jj_handler", PASSWORD)
    response = page.goto(f"/demands/{demand.pk}/")
    assert response.status == 404
    expect(page.get_by_role("heading", name="诉求不存在，或无权查看")).to_be_visible()
    assert demand.code not in page.content()
    shots(page, "not-found")


def test_script_in_a_demand_shows_as_text_and_never_runs(world, new_page, shots):
    demand = registered(world, text='有人在群里发<script>alert("x")</script>链接<img src=x onerror=alert(1)>')
    page = new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    sign_in(page, "dispatcher", PASSWORD)
    page.goto(f"/demands/{demand.pk}/")
    text = page.locator(".demand-text").first.inner_text()
    assert '<script>alert("x")</script>' in text and "<img src=x onerror=alert(1)>" in text
    page.goto("/demands/")
    page.goto("/queue/")
    assert dialogs == []
    shots(page, "script-as-text")


@pytest.mark.parametrize(
    "username,url",
    [
        ("cg_handler", "/inbox/"),
        ("cg_handler", "demand"),
        ("agent", "/intake/"),
        ("dispatcher", "/demands/"),
        ("dispatcher", "/queue/"),
        ("cg_boss", "/approvals/"),
    ],
)
def test_pages_fit_a_360_px_phone(world, new_page, shots, username, url):
    demand = dispatched(world)
    page = new_page(width=360, height=740)
    sign_in(page, username, PASSWORD)
    page.goto(f"/demands/{demand.pk}/" if url == "demand" else url)
    assert no_horizontal_scroll(page), f"{url} scrolls sideways at 360 px"
    # every visible input has a label a screen reader can read
    unlabeled = page.evaluate(
        """[...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
             .filter(e => e.offsetParent !== null && !(e.labels && e.labels.length) && !e.getAttribute('aria-label'))
             .map(e => e.name)"""
    )
    assert unlabeled == []
    shots(page, url.strip("/").replace("/", "-") or "home")


def test_sign_in_and_dispatch_by_keyboard(world, new_page, shots):
    demand = registered(world, category_id=world.categories["mid"].pk)
    page = new_page()
    page.goto("/login/")
    page.keyboard.type("dispatcher")  # the user name field has the focus
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/queue/")
    page.get_by_role("link", name=demand.code).click()
    form = page.locator("#action-dispatch-0 form")
    assert form.locator("select[name=lead_unit]").input_value() == str(world.cg.pk)
    form.locator("button[type=submit]").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector(".msg")
    assert "已完成：派单" in page.locator(".messages").inner_text()
    demand.refresh_from_db()
    assert demand.status == "dispatched"
    shots(page, "dispatched")


def test_the_agent_sees_a_suggestion_while_typing(world, new_page, shots):
    from linli.dispatch.services import crosswalk_set

    # the starter corpus reaches this small tree only through the installation's crosswalk
    crosswalk_set(reference_path="城乡建设", category=world.categories["top"])
    crosswalk_set(reference_path="交通运输", category=world.categories["traffic_top"])
    page = new_page()
    sign_in(page, "agent", PASSWORD)
    page.get_by_label("诉求内容").fill("小学门口早晚高峰家长车辆乱停，堵住路口，交警能不能来疏导一下")
    page.wait_for_selector("#suggestion h3")
    assert "建议分类" in page.locator("#suggestion").inner_text()
    assert (
        "建议主办单位：区交警大队" in page.locator("#suggestion").inner_text()
    )  # a city-wide catalogue line
    shots(page, "suggestion")
