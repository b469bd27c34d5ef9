"""赋能 in a real browser: a volunteer checks in on a 390 px phone (twice: nothing changes the second time);
a community worker plans the roster and hands a shift over to another member."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from playwright.sync_api import expect

from linli.empower import services as s
from linli.empower.models import Assignment, EmpowerEvent, Shift
from linli.empower.tests import factories as f
from linli.org.tests.factories import PASSWORD
from linli.tests.browser.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)
TERM = (dt.date(2026, 11, 16), dt.date(2026, 12, 18))  # the clock stands on Friday 2026-11-20 (below)


@pytest.fixture(autouse=True)
def _friday_afternoon():
    """A school day of the term, whatever instant the suite runs at (the night runs stand on New Year's Eve)."""
    with time_machine.travel("2026-11-20T15:00:00+08:00", tick=True):
        yield


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_volunteer_checks_in_on_a_phone(world, new_page, shots):
    team, term = f.team(world, term_dates=TERM)
    own = f.volunteer(world, "林晓燕", account="v_lin")
    s.team_member_add(actor=world.user("worker"), team_id=team.pk, volunteer_id=own.pk, partner="volunteers")
    afternoon = team.templates.order_by("-start").first()
    shift = s.shift_add(
        actor=world.user("worker"), term_id=term.pk, template_id=afternoon.pk, date=dt.date(2026, 11, 20)
    )
    mine = s.assignment_add(actor=world.user("worker"), shift_id=shift.pk, volunteer_id=own.pk)

    phone = new_page(width=390, height=844)
    sign_in(phone, "v_lin", PASSWORD)
    assert phone.url.endswith("/empower/me/")  # a volunteer lands on their own page
    expect(phone.get_by_text("金榕小学东门")).to_be_visible()
    assert no_horizontal_scroll(phone)
    shots(phone, "my-shifts")
    form = phone.locator(f'form[action="/empower/me/{mine.pk}/check-in/"]')
    form.get_by_role("button", name="签到").click()
    expect(phone.get_by_text("签到成功")).to_be_visible()
    # A second tap (a stale page or a double tap) changes nothing and says so.
    answer = phone.evaluate(
        """url => fetch(url, {method: 'POST', headers: {'X-CSRFToken': document.cookie.match(/csrftoken=([^;]+)/)[1]}})
              .then(r => r.text())""",
        f"/empower/me/{mine.pk}/check-in/",
    )
    assert "已经签到过了，无需重复签到" in answer
    phone.reload()
    expect(phone.get_by_role("button", name="签退")).to_be_visible()
    assert no_horizontal_scroll(phone)
    shots(phone, "checked-in")
    assert Assignment.objects.get(pk=mine.pk).status == "checked_in"
    assert EmpowerEvent.objects.filter(subject_id=mine.pk, kind="checked_in").count() == 1


def test_worker_plans_the_roster_and_swaps_a_shift(world, new_page, shots):
    team, term = f.team(world, term_dates=TERM)
    desk = new_page()
    sign_in(desk, "worker", PASSWORD)
    desk.goto(f"/empower/teams/{team.pk}/?term={term.pk}")
    desk.get_by_role("button", name="自动排班").click()
    expect(desk.get_by_text("排班完成（锁定的排班已保留）")).to_be_visible()
    summary = desk.locator("#summary").inner_text()
    shifts = Shift.objects.filter(term=term).count()
    assert f"班次 {shifts} 个" in summary and "未排满 0 个班次" in summary
    shots(desk, "roster-planned")
    first = (
        Assignment.objects.filter(
            shift__term=term, shift__date=dt.date(2026, 11, 20), shift__template__start=dt.time(16, 30)
        )
        .order_by("pk")
        .first()
    )
    today = desk.locator("#week tbody tr").filter(has_text="2026-11-20")
    today.locator("a").filter(has_text="16:30").click()  # this afternoon: the first planned shift
    assert desk.locator("h1").inner_text().endswith("2026-11-20 16:30–17:30")
    on_shift = set(Assignment.objects.filter(shift=first.shift).values_list("volunteer_id", flat=True))
    other = next(m for m in team.members.select_related("volunteer") if m.volunteer_id not in on_shift)
    desk.locator(f"#sw-{first.pk}").select_option(str(other.volunteer_id))
    desk.locator(f"#sw-{first.pk}").locator("xpath=..").get_by_role("button", name="换班").click()
    expect(desk.get_by_text("换班完成")).to_be_visible()
    expect(desk.locator("#people strong").get_by_text(other.volunteer.name, exact=True)).to_be_visible()
    shots(desk, "swapped")
    assert Assignment.objects.get(pk=first.pk).status == "swapped"
    assert Assignment.objects.filter(
        shift=first.shift, volunteer_id=other.volunteer_id, cover_for=first
    ).exists()
