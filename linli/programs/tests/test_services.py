"""Programs: sign-up, waitlist, promotion on cancel, attendance, and the errors that change nothing."""

from __future__ import annotations

import pytest

from linli.core.errors import AppendOnly
from linli.org.services import community_group_set, staff_create, unit_create
from linli.org.states import Role
from linli.org.tests.factories import PASSWORD
from linli.programs import services as s
from linli.programs.errors import (
    BadAge,
    ChildRequired,
    NotAllowed,
    NotConfirmed,
    NotOpen,
    SignUpLocked,
    SignUpMismatch,
    TransitionNotAllowed,
)
from linli.programs.models import ProgramsEvent, SignUp
from linli.programs.selectors import signup_verify, waitlist_position
from linli.programs.tests.factories import camp, sign

pytestmark = pytest.mark.django_db


def test_signup_over_capacity_goes_to_the_waitlist_with_a_position(world):
    program = camp(world, capacity=2)
    first, second, third, fourth = (sign(program, n) for n in range(1, 5))
    assert [x.status for x in (first, second, third, fourth)] == [
        "confirmed",
        "confirmed",
        "waitlisted",
        "waitlisted",
    ]
    assert waitlist_position(third) == 1 and waitlist_position(fourth) == 2
    assert SignUp.objects.filter(program=program, status="confirmed").count() == 2


def test_cancel_promotes_the_first_on_the_waitlist_in_the_same_transaction(world):
    program = camp(world, capacity=2)
    first, _second, third, fourth = (sign(program, n) for n in range(1, 5))
    cancelled, promoted = s.signup_cancel_own(code=first.code, phone_last4=first.phone[-4:])
    assert cancelled.status == "cancelled"
    assert [p.pk for p in promoted] == [third.pk]
    third.refresh_from_db()
    fourth.refresh_from_db()
    assert third.status == "confirmed" and third.promoted_at is not None
    assert waitlist_position(fourth) == 1
    kinds = list(
        ProgramsEvent.objects.filter(subject_id=third.pk, subject_type="signup").values_list(
            "kind", flat=True
        )
    )
    assert kinds == ["waitlisted", "promoted"]
    # cancelling a waitlisted one promotes nobody; cancelling twice changes nothing
    s.signup_cancel_own(code=fourth.code, phone_last4=fourth.phone[-4:])
    again, promoted = s.signup_cancel_own(code=fourth.code, phone_last4=fourth.phone[-4:])
    assert again.status == "cancelled" and promoted == []


def test_second_signup_with_the_same_phone_is_idempotent(world):
    program = camp(world)
    signup, created = s.signup_create(
        program_id=program.pk, name="林妈妈", phone="13900001111", child_name="小林", child_age=7
    )
    again, created_again = s.signup_create(
        program_id=program.pk, name="林妈妈", phone="139 0000 1111", child_name="小林", child_age=7
    )
    assert created and not created_again and again.pk == signup.pk
    assert SignUp.objects.filter(program=program).count() == 1


def test_age_outside_the_range_is_refused_and_nothing_is_kept(world):
    program = camp(world)
    events = ProgramsEvent.objects.count()
    with pytest.raises(BadAge) as err:
        s.signup_create(
            program_id=program.pk, name="王爸爸", phone="13900002222", child_name="小王", child_age=14
        )
    assert err.value.code == "programs.bad_age"
    with pytest.raises(ChildRequired):
        s.signup_create(program_id=program.pk, name="王爸爸", phone="13900002222")
    assert SignUp.objects.count() == 0 and ProgramsEvent.objects.count() == events


def test_an_adults_program_keeps_nothing_about_children(world):
    program = s.program_create(
        actor=world.user("worker"),
        community_id=world.community.pk,
        title="法律讲座",
        capacity=50,
        kind="talk",
    )
    s.program_transition(actor=world.user("worker"), program_id=program.pk, action="open")
    signup, _ = s.signup_create(
        program_id=program.pk, name="陈伯", phone="13900003333", child_name="小陈", child_age=5
    )
    assert signup.child_name == "" and signup.child_age is None


def test_signup_refused_unless_open(world):
    program = camp(world, open_=False)
    with pytest.raises(NotOpen):
        sign(program, 1)
    s.program_transition(actor=world.user("worker"), program_id=program.pk, action="open")
    s.program_transition(actor=world.user("worker"), program_id=program.pk, action="finish")
    with pytest.raises(TransitionNotAllowed):
        s.program_transition(actor=world.user("worker"), program_id=program.pk, action="close")


def test_wrong_digits_are_refused_and_lock_the_code(world):
    program = camp(world)
    signup = sign(program, 1)
    with pytest.raises(SignUpMismatch):
        signup_verify(code=signup.code, phone_last4="0000")
    for _ in range(8):
        with pytest.raises(SignUpMismatch):
            signup_verify(code=signup.code, phone_last4="9999")
    with pytest.raises(SignUpLocked):
        signup_verify(code=signup.code, phone_last4="9999")
    with pytest.raises(SignUpLocked):  # even the right digits, while locked
        signup_verify(code=signup.code, phone_last4=signup.phone[-4:])


def test_attendance_only_for_confirmed_signups(world):
    program = camp(world, capacity=1)
    first, waiting = sign(program, 1), sign(program, 2)
    session = program.sessions.get()
    assert s.attendance_set(actor=world.user("worker"), session_id=session.pk, present_ids=[first.pk]) == [
        first.pk
    ]
    with pytest.raises(NotConfirmed):
        s.attendance_set(
            actor=world.user("worker"), session_id=session.pk, present_ids=[first.pk, waiting.pk]
        )
    assert list(session.attendance.values_list("signup_id", flat=True)) == [first.pk]
    s.attendance_set(actor=world.user("worker"), session_id=session.pk, present_ids=[])
    assert session.attendance.count() == 0


def test_a_joint_committee_shares_programs_but_a_stranger_may_not_manage(world):
    neighbour_committee = unit_create(
        code="HJ", name="涵江村委会", kind="village_committee", jurisdiction=world.other_community
    )
    neighbour = staff_create(
        username="hj", password=PASSWORD, role=Role.COMMUNITY_WORKER, unit=neighbour_committee
    )
    program = camp(world)
    with pytest.raises(NotAllowed):
        s.program_transition(actor=neighbour, program_id=program.pk, action="close")
    with pytest.raises(NotAllowed):
        s.program_transition(actor=world.user("leader"), program_id=program.pk, action="close")
    community_group_set(name="金榕片区联合党委", community_ids=[world.community.pk, world.other_community.pk])
    assert s.program_transition(actor=neighbour, program_id=program.pk, action="close").status == "closed"


def test_events_are_append_only(world):
    camp(world)
    event = ProgramsEvent.objects.first()
    with pytest.raises(AppendOnly):
        event.delete()


def test_program_figures_for_the_dashboard(world):
    import datetime as dt

    from linli.programs.selectors import program_figures

    program = camp(world, capacity=2)
    first, second = sign(program, 1), sign(program, 2)
    sign(program, 3)  # waitlisted: not counted as signed up
    session = program.sessions.get()
    s.attendance_set(actor=world.user("worker"), session_id=session.pk, present_ids=[first.pk, second.pk])
    july = program_figures(
        community_ids=[world.community.pk], first=dt.date(2026, 7, 1), last=dt.date(2026, 7, 31)
    )
    assert july == {"programs": 1, "signed_up": 2, "attendances": 2, "people_present": 2}
    elsewhere = program_figures(
        community_ids=[world.other_community.pk], first=dt.date(2026, 7, 1), last=dt.date(2026, 7, 31)
    )
    assert elsewhere["programs"] == 0
