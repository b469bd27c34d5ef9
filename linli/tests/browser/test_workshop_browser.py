"""A community worker records a workshop delivery on a phone and sees the participant's income."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from linli.org.tests.factories import PASSWORD
from linli.tests.browser.conftest import sign_in
from linli.workshop import services as s
from linli.workshop.models import Delivery
from linli.workshop.tests.factories import shop

pytestmark = pytest.mark.django_db(transaction=True)


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_a_delivery_is_checked_and_the_income_shown(world, new_page, shots):
    w = shop(world)
    s.lot_take(actor=world.user("worker"), order_id=w.order.pk, participant_id=w.person.pk, quantity=800)
    phone = new_page(width=390, height=844)
    sign_in(phone, "worker", PASSWORD)
    phone.goto(f"/workshop/orders/{w.order.pk}/")
    assert no_horizontal_scroll(phone)
    # Too many pieces for the lot: refused, nothing recorded.
    phone.get_by_label("合格（件）", exact=True).fill("801")
    phone.get_by_role("button", name="登记验收").click()
    expect(phone.get_by_text("交货数量超过了该批次尚未验收的数量")).to_be_visible()
    assert Delivery.objects.count() == 0
    phone.get_by_label("合格（件）", exact=True).fill("600")
    phone.get_by_label("不合格（件）").fill("12")
    phone.get_by_role("button", name="登记验收").click()
    expect(phone.get_by_text("本次计件收入 210.00 元")).to_be_visible()
    assert phone.locator("#earned").inner_text() == "210.00"
    shots(phone, "delivery-checked-phone")
    phone.get_by_role("link", name="月收入").click()
    assert phone.locator("#income-total").inner_text() == "210.00"
    expect(phone.locator("#income-people").get_by_text("138****1234")).to_be_visible()
    assert no_horizontal_scroll(phone)
    shots(phone, "income-phone")
