"""The organiser's pages: programs of their communities, one program (sessions, roster, waitlist, attendance)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from linli.core.errors import PermissionDenied
from linli.core.text import mask_phone
from linli.org.selectors import jurisdiction_list
from linli.programs import selectors as sel
from linli.programs import services as s
from linli.programs.permissions import (
    access_program,
    access_session,
    access_signup,
    can_manage_some,
    community_q,
    managed_community_ids,
    may_manage,
)
from linli.programs.states import PROGRAM_TRANSITIONS, ProgramKind, ProgramStatus
from linli.programs.views._common import (
    date_of,
    int_of,
    page_of,
    query_without_page,
    run,
    staff_page,
    time_of,
)

ACTION_LABELS = {
    "open": _l("开放报名"),
    "close": _l("截止报名"),
    "finish": _l("结束活动"),
    "cancel": _l("取消活动"),
}


def _communities(user):
    managed = managed_community_ids(user)
    qs = jurisdiction_list().filter(level__in=["community", "village"]).order_by("code")
    return qs if managed is None else qs.filter(pk__in=managed)


@staff_page()
def program_list(request):
    if request.method == "POST":
        if not can_manage_some(request.user):
            raise PermissionDenied()
        p = request.POST
        failed, program = run(
            request,
            lambda: s.program_create(
                actor=request.user,
                community_id=int_of(p.get("community"), "community"),
                title=p.get("title", ""),
                kind=p.get("kind") or ProgramKind.OTHER,
                partners=p.get("partners", ""),
                description=p.get("description", ""),
                capacity=p.get("capacity"),
                for_children=p.get("for_children") == "on",
                age_min=p.get("age_min"),
                age_max=p.get("age_max"),
            ),
            ok=_("活动已创建（草稿），添加场次后即可开放报名"),
            back=reverse("programs:list"),
        )
        return failed or redirect("programs:program", program.pk)
    status = request.GET.get("status") or None
    programs = sel.program_list(
        visible=community_q(request.user), status=status if status in ProgramStatus.values else None
    )
    return render(
        request,
        "programs/list.html",
        {
            "page": page_of(request, programs),
            "can_manage": can_manage_some(request.user),
            "communities": _communities(request.user) if can_manage_some(request.user) else [],
            "kinds": ProgramKind.choices,
            "statuses": ProgramStatus.choices,
            "status": status or "",
            "base_query": query_without_page(request),
        },
    )


@staff_page()
def program_page(request, pk: int):
    program = access_program(request.user, pk)
    detail = sel.program_detail(program=program)
    for signup in (*detail["confirmed"], *detail["waitlist"], *detail["cancelled"]):
        signup.masked_phone = mask_phone(signup.phone)
    manage = may_manage(request.user, program.community_id)
    actions = [
        (a, ACTION_LABELS[a]) for a, (allowed, _t) in PROGRAM_TRANSITIONS.items() if program.status in allowed
    ]
    return render(
        request,
        "programs/program.html",
        {"program": program, **detail, "manage": manage, "actions": actions if manage else []},
    )


@staff_page()
@require_POST
def program_do(request, pk: int, action: str):
    program = access_program(request.user, pk, for_write=True)
    run(
        request,
        lambda: s.program_transition(
            actor=request.user,
            program_id=program.pk,
            action=action,
            version=int_of(request.POST.get("version"), "version"),
        ),
        ok=_("活动状态已更新"),
        back="",
    )
    return redirect("programs:program", program.pk)


@staff_page()
@require_POST
def session_new(request, pk: int):
    program = access_program(request.user, pk, for_write=True)
    p = request.POST
    run(
        request,
        lambda: s.session_add(
            actor=request.user,
            program_id=program.pk,
            date=date_of(p.get("date"), "date"),
            starts_at=time_of(p.get("starts_at"), "starts_at"),
            ends_at=time_of(p.get("ends_at"), "ends_at"),
            place=p.get("place", ""),
        ),
        ok=_("场次已添加"),
        back="",
    )
    return redirect("programs:program", program.pk)


@staff_page()
@require_POST
def attendance(request, pk: int):
    session = access_session(request.user, pk, for_write=True)
    present = [i for i in (int_of(v, "present") for v in request.POST.getlist("present")) if i is not None]
    run(
        request,
        lambda: s.attendance_set(actor=request.user, session_id=session.pk, present_ids=present),
        ok=_("签到已保存"),
        back="",
    )
    return redirect(reverse("programs:program", args=[session.program_id]) + f"#session-{session.pk}")


@staff_page()
@require_POST
def signup_cancel(request, pk: int):
    signup = access_signup(request.user, pk, for_write=True)
    failed, result = run(
        request,
        lambda: s.signup_cancel(actor=request.user, signup_id=signup.pk),
        ok=_("报名已取消"),
        back=reverse("programs:program", args=[signup.program_id]),
    )
    if not failed and result[1]:
        names = "、".join(p.name for p in result[1])
        messages.success(request, _("候补已自动转为正式报名：%(names)s") % {"names": names})
    return redirect("programs:program", signup.program_id)
