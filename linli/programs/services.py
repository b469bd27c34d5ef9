"""Every write of the programs app: lock → check the transition table → update → event, in one transaction.

A sign-up over capacity goes to the waitlist, never over capacity: the program row is locked while seats are
counted. When a confirmed sign-up is cancelled, the first on the waitlist is promoted in the same transaction
(with its own event), so a seat is never left empty while someone waits.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import transaction
from django.db.models import Max

from linli.core import clock
from linli.core.daterange import check_date
from linli.core.text import clean_text, normalize_phone
from linli.org.selectors import community_get
from linli.programs.errors import (
    BadAge,
    BadInput,
    BadPhone,
    ChildRequired,
    NotAllowed,
    NotConfirmed,
    NotOpen,
    ProgramNotFound,
    SessionNotFound,
    SignUpNotFound,
    StaleVersion,
    TransitionNotAllowed,
)
from linli.programs.models import Attendance, Program, ProgramsEvent, Session, SignUp
from linli.programs.permissions import may_manage
from linli.programs.selectors import signup_verify
from linli.programs.states import (
    CANCEL_ALLOWED,
    PROGRAM_TRANSITIONS,
    SIGNUP_OPEN,
    SIGNUP_TRANSITIONS,
    EventKind,
    ProgramKind,
    SignUpStatus,
    Subject,
)

_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # read out on the phone: no 0/O, 1/I/L
MAX_AGE = 120


def _record(subject_type, subject_id, program_id, kind, *, actor=None, old=None, new=None) -> ProgramsEvent:
    return ProgramsEvent.objects.create(
        subject_type=subject_type,
        subject_id=subject_id,
        program_id_ref=program_id,
        kind=kind,
        actor=actor if actor is not None and getattr(actor, "pk", None) else None,
        at=clock.now(),
        old=old or {},
        new=new or {},
    )


def _text(value, name: str, *, max_len: int, required: bool = True) -> str:
    value = clean_text(value or "")
    if required and not value:
        raise BadInput("请填写必填项", "A required field is empty", details={name: "required"})
    if len(value) > max_len:
        raise BadInput("内容过长", "The text is too long", details={name: f"at most {max_len}"})
    return value


def _age(value, name: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        age = int(value)
    except (TypeError, ValueError) as exc:
        raise BadInput("年龄应为整数", "An age is a whole number", details={name: value}) from exc
    if not 0 <= age <= MAX_AGE:
        raise BadInput("年龄不在合理范围内", "The age is not plausible", details={name: age})
    return age


def _locked_program(program_id: int) -> Program:
    program = Program.objects.select_for_update().filter(pk=program_id).first()
    if program is None:
        raise ProgramNotFound()
    return program


# --- programs ------------------------------------------------------------------------------------------


def program_create(
    *,
    actor,
    community_id: int,
    title: str,
    capacity: int,
    kind: str = ProgramKind.OTHER,
    partners: str = "",
    description: str = "",
    for_children: bool = False,
    age_min=None,
    age_max=None,
) -> Program:
    community = community_get(community_id=community_id)
    if not may_manage(actor, community.pk):
        raise NotAllowed()
    if kind not in ProgramKind.values:
        raise BadInput(details={"kind": kind})
    try:
        capacity = int(capacity)
    except (TypeError, ValueError) as exc:
        raise BadInput(
            "名额应为正整数", "The capacity is a positive whole number", details={"capacity": capacity}
        ) from exc
    if not 1 <= capacity <= 100000:
        raise BadInput(
            "名额应为正整数", "The capacity is a positive whole number", details={"capacity": capacity}
        )
    age_min, age_max = _age(age_min, "age_min"), _age(age_max, "age_max")
    if age_min is not None and age_max is not None and age_max < age_min:
        raise BadInput(
            "最大年龄不能小于最小年龄", "The upper age is below the lower one", details={"age_max": age_max}
        )
    with transaction.atomic():
        program = Program.objects.create(
            community=community,
            title=_text(title, "title", max_len=100),
            kind=kind,
            partners=_text(partners, "partners", max_len=200, required=False),
            description=_text(description, "description", max_len=4000, required=False),
            capacity=capacity,
            for_children=bool(for_children),
            age_min=age_min,
            age_max=age_max,
            created_by=actor,
        )
        _record(
            Subject.PROGRAM,
            program.pk,
            program.pk,
            EventKind.CREATED,
            actor=actor,
            new={"title": program.title, "capacity": capacity, "community": community.pk},
        )
    return program


def program_transition(*, actor, program_id: int, action: str, version: int | None = None) -> Program:
    if action not in PROGRAM_TRANSITIONS:
        raise BadInput(details={"action": action})
    allowed, target = PROGRAM_TRANSITIONS[action]
    with transaction.atomic():
        program = _locked_program(program_id)
        if not may_manage(actor, program.community_id):
            raise NotAllowed()
        if version is not None and version != program.version:
            raise StaleVersion(details={"version": program.version})
        if program.status not in allowed:
            raise TransitionNotAllowed(details={"status": program.status, "action": action})
        old = program.status
        program.status, program.version = target, program.version + 1
        program.save(update_fields=["status", "version"])
        _record(
            Subject.PROGRAM,
            program.pk,
            program.pk,
            EventKind.TRANSITION,
            actor=actor,
            old={"status": old},
            new={"status": target},
        )
    return program


def session_add(
    *, actor, program_id: int, date: dt.date, starts_at: dt.time, ends_at: dt.time, place: str
) -> Session:
    check_date(date, field="date")
    if ends_at <= starts_at:
        raise BadInput(
            "结束时间应晚于开始时间",
            "The session must end after it starts",
            details={"ends_at": str(ends_at)},
        )
    with transaction.atomic():
        program = _locked_program(program_id)
        if not may_manage(actor, program.community_id):
            raise NotAllowed()
        session = Session.objects.create(
            program=program,
            date=date,
            starts_at=starts_at,
            ends_at=ends_at,
            place=_text(place, "place", max_len=100),
        )
        _record(
            Subject.SESSION,
            session.pk,
            program.pk,
            EventKind.SESSION_ADDED,
            actor=actor,
            new={"date": date.isoformat(), "starts_at": starts_at.strftime("%H:%M"), "place": session.place},
        )
    return session


# --- sign-ups ------------------------------------------------------------------------------------------


def _new_code() -> str:
    while True:
        code = "HD" + "".join(secrets.choice(_ALPHABET) for _ in range(6))
        if not SignUp.objects.filter(code=code).exists():
            return code


def signup_create(
    *, program_id: int, name: str, phone: str, child_name: str = "", child_age=None, actor=None
) -> tuple[SignUp, bool]:
    """A resident signs up (on the portal, or a worker for them). Returns (sign-up, created).

    The same phone again answers the active sign-up it already has (nothing changes). Over capacity the
    sign-up is waitlisted with the next place in the queue.
    """
    try:
        phone = normalize_phone(phone)
    except ValueError as exc:
        raise BadPhone(details={"phone": "invalid"}) from exc
    name = _text(name, "name", max_len=40)
    with transaction.atomic():
        program = _locked_program(program_id)
        if program.status not in SIGNUP_OPEN:
            raise NotOpen(details={"status": program.status})
        existing = (
            SignUp.objects.filter(program=program, phone=phone).exclude(status=SignUpStatus.CANCELLED).first()
        )
        if existing is not None:
            return existing, False
        child_name = _text(child_name, "child_name", max_len=40, required=False)
        child_age = _age(child_age, "child_age")
        if program.for_children:
            if not child_name or child_age is None:
                raise ChildRequired()
            low, high = program.age_min, program.age_max
            if (low is not None and child_age < low) or (high is not None and child_age > high):
                raise BadAge(details={"age": child_age, "age_min": low, "age_max": high})
        else:
            child_name, child_age = "", None  # nothing about children is kept for an adults' program
        confirmed = SignUp.objects.filter(program=program, status=SignUpStatus.CONFIRMED).count()
        status = SignUpStatus.CONFIRMED if confirmed < program.capacity else SignUpStatus.WAITLISTED
        queue = (SignUp.objects.filter(program=program).aggregate(m=Max("queue"))["m"] or 0) + 1
        signup = SignUp.objects.create(
            program=program,
            code=_new_code(),
            name=name,
            phone=phone,
            child_name=child_name,
            child_age=child_age,
            status=status,
            queue=queue,
        )
        kind = EventKind.SIGNED_UP if status == SignUpStatus.CONFIRMED else EventKind.WAITLISTED
        _record(
            Subject.SIGNUP, signup.pk, program.pk, kind, actor=actor, new={"status": status, "queue": queue}
        )
    return signup, True


def _promote_waiting(program: Program, *, actor=None) -> list[SignUp]:
    """Fill free seats from the head of the waitlist (the program row is locked by the caller)."""
    promoted = []
    confirmed = SignUp.objects.filter(program=program, status=SignUpStatus.CONFIRMED).count()
    allowed, target = SIGNUP_TRANSITIONS["promote"]
    while confirmed < program.capacity:
        head = (
            SignUp.objects.select_for_update()
            .filter(program=program, status__in=allowed)
            .order_by("queue", "pk")
            .first()
        )
        if head is None:
            break
        head.status, head.promoted_at, head.version = target, clock.now(), head.version + 1
        head.save(update_fields=["status", "promoted_at", "version"])
        _record(
            Subject.SIGNUP,
            head.pk,
            program.pk,
            EventKind.PROMOTED,
            actor=actor,
            old={"status": SignUpStatus.WAITLISTED},
            new={"status": target},
        )
        promoted.append(head)
        confirmed += 1
    return promoted


def _cancel(signup_id: int, *, actor=None, check=None) -> tuple[SignUp, list[SignUp]]:
    with transaction.atomic():
        program_id = SignUp.objects.filter(pk=signup_id).values_list("program_id", flat=True).first()
        if program_id is None:
            raise SignUpNotFound()
        program = _locked_program(program_id)
        if check is not None:
            check(program)
        signup = SignUp.objects.select_for_update().get(pk=signup_id)
        if program.status not in CANCEL_ALLOWED:
            raise NotOpen(details={"status": program.status})
        allowed, target = SIGNUP_TRANSITIONS["cancel"]
        if signup.status not in allowed:
            return signup, []  # cancelling twice changes nothing
        old = signup.status
        signup.status, signup.cancelled_at, signup.version = target, clock.now(), signup.version + 1
        signup.save(update_fields=["status", "cancelled_at", "version"])
        _record(
            Subject.SIGNUP,
            signup.pk,
            program.pk,
            EventKind.CANCELLED,
            actor=actor,
            old={"status": old},
            new={"status": target},
        )
        promoted = _promote_waiting(program, actor=actor) if old == SignUpStatus.CONFIRMED else []
    return signup, promoted


def signup_cancel(*, actor, signup_id: int) -> tuple[SignUp, list[SignUp]]:
    """The organiser cancels a sign-up (the resident called); the first on the waitlist moves up."""

    def check(program):
        if not may_manage(actor, program.community_id):
            raise NotAllowed()

    return _cancel(signup_id, actor=actor, check=check)


def signup_cancel_own(*, code: str, phone_last4: str) -> tuple[SignUp, list[SignUp]]:
    """The resident cancels their own sign-up with its code and the last four digits of their phone."""
    signup = signup_verify(code=code, phone_last4=phone_last4)
    return _cancel(signup.pk)


def attendance_set(*, actor, session_id: int, present_ids) -> list[int]:
    """The organiser's ticks for one session: exactly these confirmed sign-ups were there."""
    present = sorted({int(i) for i in present_ids})
    with transaction.atomic():
        program_id = Session.objects.filter(pk=session_id).values_list("program_id", flat=True).first()
        if program_id is None:
            raise SessionNotFound()
        program = _locked_program(program_id)
        if not may_manage(actor, program.community_id):
            raise NotAllowed()
        confirmed = set(
            SignUp.objects.filter(program=program, status=SignUpStatus.CONFIRMED, pk__in=present).values_list(
                "pk", flat=True
            )
        )
        wrong = [i for i in present if i not in confirmed]
        if wrong:
            raise NotConfirmed(details={"signups": wrong})
        before = sorted(Attendance.objects.filter(session_id=session_id).values_list("signup_id", flat=True))
        if before == present:
            return present
        Attendance.objects.filter(session_id=session_id).exclude(signup_id__in=present).delete()
        Attendance.objects.bulk_create(
            [
                Attendance(session_id=session_id, signup_id=i, marked_by=actor)
                for i in present
                if i not in before
            ]
        )
        _record(
            Subject.SESSION,
            session_id,
            program.pk,
            EventKind.ATTENDANCE,
            actor=actor,
            old={"present": before},
            new={"present": present},
        )
    return present
