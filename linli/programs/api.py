"""Programs JSON endpoints under /api/v1/empower/programs/: programs, sessions, roster, attendance; and the
residents' two public calls (sign up; look up or cancel with the code and the last four phone digits)."""

from __future__ import annotations

import datetime as dt

from ninja import Router, Schema, Status

from linli.core.ratelimit import PerAddressLimit
from linli.core.text import mask_phone
from linli.programs import selectors as sel
from linli.programs import services as s
from linli.programs.errors import ProgramNotFound
from linli.programs.permissions import access_program, access_session, access_signup, community_q

router = Router(tags=["公益活动 programs"])


class ProgramIn(Schema):
    community_id: int
    title: str
    capacity: int
    kind: str = "other"
    partners: str = ""
    description: str = ""
    for_children: bool = False
    age_min: int | None = None
    age_max: int | None = None


class ProgramOut(Schema):
    id: int
    title: str
    kind: str
    community_id: int
    community: str
    partners: str
    capacity: int
    for_children: bool
    age_min: int | None
    age_max: int | None
    status: str
    version: int
    confirmed: int
    waiting: int


class SessionIn(Schema):
    date: dt.date
    starts_at: dt.time
    ends_at: dt.time
    place: str


class SessionOut(Schema):
    id: int
    date: dt.date
    starts_at: str
    ends_at: str
    place: str
    present: list[int]


class SignUpOut(Schema):
    id: int
    code: str
    name: str
    phone: str
    child_name: str
    child_age: int | None
    status: str
    waitlist_position: int | None
    promoted_at: dt.datetime | None


class ProgramDetailOut(ProgramOut):
    sessions: list[SessionOut]
    confirmed_signups: list[SignUpOut]
    waitlist: list[SignUpOut]


class ProgramTransitionIn(Schema):
    action: str
    version: int | None = None


class AttendanceIn(Schema):
    present: list[int]


class AttendanceOut(Schema):
    session_id: int
    present: list[int]


class CancelOut(Schema):
    signup: SignUpOut
    promoted: list[SignUpOut]


class PublicSignUpIn(Schema):
    name: str
    phone: str
    child_name: str = ""
    child_age: int | None = None


class PublicLookupIn(Schema):
    code: str
    phone_last4: str


class PublicSignUpOut(Schema):
    code: str
    program: str
    status: str
    waitlist_position: int | None
    promoted: bool
    created: bool = False


def _program(p, *, confirmed: int | None = None, waiting: int | None = None) -> dict:
    return {
        "id": p.pk,
        "title": p.title,
        "kind": p.kind,
        "community_id": p.community_id,
        "community": p.community.name,
        "partners": p.partners,
        "capacity": p.capacity,
        "for_children": p.for_children,
        "age_min": p.age_min,
        "age_max": p.age_max,
        "status": p.status,
        "version": p.version,
        "confirmed": getattr(p, "confirmed", confirmed) or 0,
        "waiting": getattr(p, "waiting", waiting) or 0,
    }


def _signup(x, position: int | None = None) -> dict:
    return {
        "id": x.pk,
        "code": x.code,
        "name": x.name,
        "phone": mask_phone(x.phone),
        "child_name": x.child_name,
        "child_age": x.child_age,
        "status": x.status,
        "waitlist_position": position,
        "promoted_at": x.promoted_at,
    }


def _public(x, *, created: bool = False) -> dict:
    return {
        "code": x.code,
        "program": x.program.title,
        "status": x.status,
        "waitlist_position": sel.waitlist_position(x),
        "promoted": x.promoted_at is not None,
        "created": created,
    }


@router.get("/programs", response=list[ProgramOut], summary="活动列表 / Programs")
def programs_program_list(request, status: str | None = None):
    return [_program(p) for p in sel.program_list(visible=community_q(request.auth), status=status)]


@router.post("/programs", response={201: ProgramOut}, summary="新建活动（草稿） / Create a program (draft)")
def programs_program_create(request, body: ProgramIn):
    program = s.program_create(actor=request.auth, **body.dict())
    return Status(201, _program(access_program(request.auth, program.pk)))


@router.get(
    "/programs/{program_id}", response=ProgramDetailOut, summary="活动详情：场次、名单、候补 / A program"
)
def programs_program_get(request, program_id: int):
    program = access_program(request.auth, program_id)
    d = sel.program_detail(program=program)
    return {
        **_program(program, confirmed=len(d["confirmed"]), waiting=len(d["waitlist"])),
        "sessions": [
            {
                "id": x.pk,
                "date": x.date,
                "starts_at": x.starts_at.strftime("%H:%M"),
                "ends_at": x.ends_at.strftime("%H:%M"),
                "place": x.place,
                "present": sorted(x.present_ids),
            }
            for x in d["sessions"]
        ],
        "confirmed_signups": [_signup(x) for x in d["confirmed"]],
        "waitlist": [_signup(x, x.position) for x in d["waitlist"]],
    }


@router.post(
    "/programs/{program_id}/transition",
    response=ProgramOut,
    summary="开放/截止/结束/取消 / Open, close, finish, cancel",
)
def programs_program_transition(request, program_id: int, body: ProgramTransitionIn):
    access_program(request.auth, program_id, for_write=True)
    s.program_transition(actor=request.auth, program_id=program_id, action=body.action, version=body.version)
    return _program(sel.program_list(visible=community_q(request.auth)).get(pk=program_id))


@router.post(
    "/programs/{program_id}/sessions", response={201: SessionOut}, summary="添加场次 / Add a session"
)
def programs_session_add(request, program_id: int, body: SessionIn):
    access_program(request.auth, program_id, for_write=True)
    x = s.session_add(actor=request.auth, program_id=program_id, **body.dict())
    return Status(
        201,
        {
            "id": x.pk,
            "date": x.date,
            "starts_at": x.starts_at.strftime("%H:%M"),
            "ends_at": x.ends_at.strftime("%H:%M"),
            "place": x.place,
            "present": [],
        },
    )


@router.post(
    "/sessions/{session_id}/attendance",
    response=AttendanceOut,
    summary="签到（勾选到场的正式报名） / Attendance",
)
def programs_attendance_set(request, session_id: int, body: AttendanceIn):
    access_session(request.auth, session_id, for_write=True)
    present = s.attendance_set(actor=request.auth, session_id=session_id, present_ids=body.present)
    return {"session_id": session_id, "present": present}


@router.post(
    "/signups/{signup_id}/cancel",
    response=CancelOut,
    summary="代居民取消报名（候补自动递补） / Cancel a sign-up",
)
def programs_signup_cancel(request, signup_id: int):
    access_signup(request.auth, signup_id, for_write=True)
    signup, promoted = s.signup_cancel(actor=request.auth, signup_id=signup_id)
    return {"signup": _signup(signup), "promoted": [_signup(p) for p in promoted]}


@router.post(
    "/public/programs/{program_id}/signups",
    response={200: PublicSignUpOut, 201: PublicSignUpOut},
    auth=None,
    throttle=PerAddressLimit("programs_signup", (20, 600)),
    summary="居民报名（满员进入候补；同一手机号重复报名返回原报名） / A resident signs up",
)
def programs_public_signup(request, program_id: int, body: PublicSignUpIn):
    if sel.public_program_get(program_id=program_id) is None:
        raise ProgramNotFound()
    signup, created = s.signup_create(program_id=program_id, **body.dict())
    return Status(201 if created else 200, _public(signup, created=created))


@router.post(
    "/public/signups/lookup",
    response=PublicSignUpOut,
    auth=None,
    throttle=PerAddressLimit("programs_mine", (30, 60)),
    summary="凭报名编号和手机号后四位查看报名 / Look up a sign-up",
)
def programs_public_lookup(request, body: PublicLookupIn):
    return _public(sel.signup_verify(code=body.code, phone_last4=body.phone_last4))


@router.post(
    "/public/signups/cancel",
    response=PublicSignUpOut,
    auth=None,
    throttle=PerAddressLimit("programs_mine", (30, 60)),
    summary="凭报名编号和手机号后四位取消报名 / Cancel my sign-up",
)
def programs_public_cancel(request, body: PublicLookupIn):
    signup, _promoted = s.signup_cancel_own(code=body.code, phone_last4=body.phone_last4)
    return _public(signup)
