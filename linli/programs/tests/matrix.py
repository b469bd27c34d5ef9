"""The programs app's part of the jurisdiction matrix (linli/tests/test_jurisdiction_matrix.py).

``build`` makes what belongs to 金榕社区 (a children's camp, full, with a waitlist); ``api`` and ``pages``
classify every endpoint with the matrix's own probe makers; ``snapshot`` is every row a probe could write.
"""

from __future__ import annotations

import datetime as dt

from linli.programs import services as s
from linli.programs.models import Attendance, Program, ProgramsEvent, Session, SignUp

TITLE = "暑期爱心托管班（矩阵）"
P = "/api/v1/empower/programs"


def build(world) -> tuple[dict, dict]:
    worker = world.user("worker")
    program = s.program_create(
        actor=worker,
        community_id=world.community.pk,
        title=TITLE,
        kind="camp",
        capacity=1,
        for_children=True,
        age_min=6,
        age_max=12,
        partners="区总工会",
    )
    session = s.session_add(
        actor=worker,
        program_id=program.pk,
        date=dt.date(2026, 7, 13),
        starts_at=dt.time(8, 30),
        ends_at=dt.time(11, 30),
        place="党群服务中心",
    )
    s.program_transition(actor=worker, program_id=program.pk, action="open")
    first, _ = s.signup_create(
        program_id=program.pk, name="林妈妈", phone="13911110001", child_name="林小雨", child_age=8
    )
    s.signup_create(
        program_id=program.pk, name="王爸爸", phone="13911110002", child_name="王小川", child_age=9
    )
    ids = {"p_program": program.pk, "p_session": session.pk, "p_signup": first.pk}
    return ids, {"p_program": TITLE, "p_child": "林小雨"}


def api(D, L, W, exempt, PUBLIC) -> dict:  # noqa: N803  (the matrix's probe makers)
    return {
        f"GET {P}/programs": [L(f"{P}/programs", "p_program")],
        f"POST {P}/programs": [
            W(
                "POST",
                f"{P}/programs",
                body={"community_id": "{community}", "title": "越界活动", "capacity": 5},
            )
        ],
        f"GET {P}/programs/{{program_id}}": [D(f"{P}/programs/{{p_program}}", "p_child")],
        f"POST {P}/programs/{{program_id}}/transition": [
            W("POST", f"{P}/programs/{{p_program}}/transition", body={"action": "close"})
        ],
        f"POST {P}/programs/{{program_id}}/sessions": [
            W(
                "POST",
                f"{P}/programs/{{p_program}}/sessions",
                body={"date": "2026-07-20", "starts_at": "09:00", "ends_at": "10:00", "place": "越界"},
            )
        ],
        f"POST {P}/sessions/{{session_id}}/attendance": [
            W("POST", f"{P}/sessions/{{p_session}}/attendance", body={"present": ["{p_signup}"]})
        ],
        f"POST {P}/signups/{{signup_id}}/cancel": [W("POST", f"{P}/signups/{{p_signup}}/cancel")],
        f"POST {P}/public/programs/{{program_id}}/signups": PUBLIC,
        f"POST {P}/public/signups/lookup": PUBLIC,
        f"POST {P}/public/signups/cancel": PUBLIC,
    }


def pages(D, L, W, exempt, PUBLIC) -> dict:  # noqa: N803
    return {
        "programs/": [
            L("/programs/", "p_program"),
            W("POST", "/programs/", form={"community": "{community}", "title": "越界活动", "capacity": "5"}),
        ],
        "programs/<int:pk>/": [D("/programs/{p_program}/", "p_child")],
        "programs/<int:pk>/do/<str:action>/": [W("POST", "/programs/{p_program}/do/close/")],
        "programs/<int:pk>/sessions/": [
            W(
                "POST",
                "/programs/{p_program}/sessions/",
                form={"date": "2026-07-20", "starts_at": "09:00", "ends_at": "10:00", "place": "越界"},
            )
        ],
        "programs/sessions/<int:pk>/attendance/": [
            W("POST", "/programs/sessions/{p_session}/attendance/", form={"present": "{p_signup}"})
        ],
        "programs/signups/<int:pk>/cancel/": [W("POST", "/programs/signups/{p_signup}/cancel/")],
        "portal/programs/": PUBLIC,
        "portal/programs/<int:pk>/": PUBLIC,
        "portal/programs/mine/": exempt(
            "a resident's own sign-up, behind its code and the last four phone digits"
        ),
    }


def snapshot() -> tuple:
    return (
        list(Program.objects.order_by("pk").values_list("pk", "status", "version")),
        Session.objects.count(),
        list(SignUp.objects.order_by("pk").values_list("pk", "status")),
        Attendance.objects.count(),
        ProgramsEvent.objects.count(),
    )
