"""A resident signs a child up on a phone, lands on the waitlist, and is promoted when another family cancels."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from linli.programs.models import SignUp
from linli.programs.tests.factories import camp, sign

pytestmark = pytest.mark.django_db(transaction=True)


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_a_child_is_signed_up_on_a_phone_waitlisted_and_promoted_when_someone_cancels(world, new_page, shots):
    program = camp(world, capacity=1)
    first = sign(program, 1)  # another family took the only seat
    phone = new_page(width=390, height=844)
    phone.goto("/portal/programs/")
    phone.get_by_role("link", name=program.title).click()
    assert no_horizontal_scroll(phone)
    phone.get_by_label("您的姓名").fill("黄丽清")
    phone.get_by_label("手机号").fill("13905912345")
    phone.get_by_label("孩子姓名").fill("黄小满")
    phone.get_by_label("孩子年龄").fill("15")
    phone.get_by_role("button", name="提交报名").click()
    # Too old for the camp: refused, what was typed is still there.
    expect(phone.locator('[data-code="programs.bad_age"]')).to_be_visible()
    assert phone.get_by_label("孩子姓名").input_value() == "黄小满"
    phone.get_by_label("孩子年龄").fill("9")
    phone.get_by_role("button", name="提交报名").click()
    assert phone.locator("#signup-status").get_attribute("data-status") == "waitlisted"
    expect(phone.get_by_text("候补第 1 位")).to_be_visible()
    code = phone.locator("#signup-code").inner_text()
    assert no_horizontal_scroll(phone)
    shots(phone, "waitlisted-phone")
    # The other family cancels on their own phone.
    other = new_page(width=390, height=844)
    other.goto("/portal/programs/mine/")
    other.get_by_label("报名编号").fill(first.code)
    other.get_by_label("手机号后四位").fill(first.phone[-4:])
    other.get_by_role("button", name="查看").click()
    other.get_by_role("button", name="取消报名").click()
    expect(other.get_by_text("报名已取消。")).to_be_visible()
    # Coming back the next day on a fresh browser: code and the last four digits.
    later = new_page(width=390, height=844)
    later.goto("/portal/programs/mine/")
    later.get_by_label("报名编号").fill(code)
    later.get_by_label("手机号后四位").fill("2345")
    later.get_by_role("button", name="查看").click()
    expect(later.locator("#promoted")).to_be_visible()
    assert later.locator("#signup-status").get_attribute("data-status") == "confirmed"
    assert no_horizontal_scroll(later)
    shots(later, "promoted-phone")
    assert SignUp.objects.get(code=code).status == "confirmed"
