"""Programs pages: the resident's sign-up and return on the portal, the organiser's roster and attendance."""

from __future__ import annotations

import pytest
from django.test import Client

from linli.programs.models import Attendance, SignUp
from linli.programs.tests.factories import camp, sign

pytestmark = pytest.mark.django_db


def _post_signup(client, program, n, age=8):
    return client.post(
        f"/portal/programs/{program.pk}/",
        {"name": f"家长{n}", "phone": f"1390000{n:04d}", "child_name": f"孩子{n}", "child_age": str(age)},
    )


def test_a_resident_signs_up_on_the_portal_and_is_waitlisted_when_full(world):
    program = camp(world, capacity=1)
    client = Client()
    listing = client.get("/portal/programs/")
    assert listing.status_code == 200 and program.title in listing.content.decode()
    first = _post_signup(client, program, 1)
    assert first.status_code == 200 and "报名成功" in first.content.decode()
    second = _post_signup(Client(), program, 2)
    assert "候补第 1 位" in second.content.decode()
    again = _post_signup(Client(), program, 2)
    assert "已经报过名" in again.content.decode()
    assert SignUp.objects.filter(program=program).count() == 2


def test_a_bad_age_is_refused_with_the_code_and_the_typed_values_kept(world):
    program = camp(world)
    response = _post_signup(Client(), program, 3, age=15)
    body = response.content.decode()
    assert response.status_code == 422 and 'data-code="programs.bad_age"' in body and "家长3" in body
    assert SignUp.objects.count() == 0


def test_coming_back_shows_the_promotion_after_someone_cancels(world):
    program = camp(world, capacity=1)
    first, waiting = sign(program, 1), sign(program, 2)
    cancel = Client().post(
        "/portal/programs/mine/", {"code": first.code, "phone_last4": first.phone[-4:], "cancel": "1"}
    )
    assert "报名已取消" in cancel.content.decode()
    back = Client().post("/portal/programs/mine/", {"code": waiting.code, "phone_last4": waiting.phone[-4:]})
    body = back.content.decode()
    assert 'id="promoted"' in body and "从候补转为正式报名" in body
    wrong = Client().post("/portal/programs/mine/", {"code": waiting.code, "phone_last4": "0000"})
    assert wrong.status_code == 404 and "孩子2" not in wrong.content.decode()


def test_the_organiser_sees_the_roster_masked_and_ticks_attendance(world):
    program = camp(world, capacity=1)
    first, waiting = sign(program, 1), sign(program, 2)
    client = Client()
    client.force_login(world.user("worker"))
    page = client.get(f"/programs/{program.pk}/").content.decode()
    assert "139****0001" in page and "13900000001" not in page and "孩子2" in page
    session = program.sessions.get()
    client.post(f"/programs/sessions/{session.pk}/attendance/", {"present": [first.pk]})
    assert list(Attendance.objects.values_list("signup_id", flat=True)) == [first.pk]
    client.post(f"/programs/signups/{first.pk}/cancel/")
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"


def test_a_leader_reads_but_cannot_change_and_a_volunteer_gets_nothing(world):
    program = camp(world)
    leader = Client()
    leader.force_login(world.user("leader"))
    assert leader.get(f"/programs/{program.pk}/").status_code == 200
    assert leader.post(f"/programs/{program.pk}/do/close/").status_code == 403
    program.refresh_from_db()
    assert program.status == "open"
    from linli.org.services import staff_create
    from linli.org.tests.factories import PASSWORD

    volunteer = staff_create(username="v1", password=PASSWORD, role="volunteer", jurisdiction=world.community)
    client = Client()
    client.force_login(volunteer)
    assert client.get(f"/programs/{program.pk}/").status_code == 403
    assert client.get("/programs/").status_code == 403


def test_sign_ups_from_one_address_are_rate_limited_and_the_honeypot_blocks_bots(world, settings):
    settings.LINLI_PUBLIC_RATE_LIMITS = {"programs_signup": (2, 600)}
    program = camp(world, capacity=10)
    client = Client()
    assert _post_signup(client, program, 1).status_code == 200
    assert _post_signup(client, program, 2).status_code == 200
    third = _post_signup(client, program, 3)
    assert third.status_code == 429 and 'data-code="programs.rate_limited"' in third.content.decode()
    assert SignUp.objects.count() == 2
    settings.LINLI_PUBLIC_RATE_LIMITS = {}
    bot = Client().post(
        f"/portal/programs/{program.pk}/",
        {
            "name": "机器",
            "phone": "13900009999",
            "child_name": "x",
            "child_age": "8",
            "website": "http://spam",
        },
    )
    assert bot.status_code == 400 and SignUp.objects.count() == 2


def test_a_joint_committee_worker_sees_the_groups_programs(world):
    from linli.org.services import community_group_set, staff_create, unit_create
    from linli.org.tests.factories import PASSWORD

    program = camp(world)
    committee = unit_create(
        code="HJ", name="涵江村委会", kind="village_committee", jurisdiction=world.other_community
    )
    neighbour = staff_create(username="hj", password=PASSWORD, role="community_worker", unit=committee)
    client = Client()
    client.force_login(neighbour)
    assert program.title not in client.get("/programs/").content.decode()
    assert client.get(f"/programs/{program.pk}/").status_code == 404
    community_group_set(name="金榕片区联合党委", community_ids=[world.community.pk, world.other_community.pk])
    assert program.title in client.get("/programs/").content.decode()
    assert client.get(f"/programs/{program.pk}/").status_code == 200
