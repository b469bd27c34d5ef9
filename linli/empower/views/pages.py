"""Pages of community workers, leaders and instructors: overview, registry, posting record, team and roster."""

from __future__ import annotations

import datetime as dt

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from linli.core import clock
from linli.empower import selectors as sel
from linli.empower import services as s
from linli.empower.dashboard import dashboard, dashboard_xlsx
from linli.empower.errors import BadInput
from linli.empower.models import TeamMember
from linli.empower.permissions import (
    access_assignment,
    access_posting,
    access_shift,
    access_team,
    access_term,
    can_manage,
    can_read,
    managed_community_ids,
    manages_community,
)
from linli.empower.report import patrol_weeks, posting_record
from linli.empower.roster import AT_LIMIT, NOBODY_AVAILABLE, UNIT_TOO_SMALL
from linli.empower.states import Band, PartnerUnit
from linli.empower.views._common import date_of, int_of, page_of, refuse, run, signed_in_page
from linli.org.selectors import jurisdiction_list
from linli.org.states import Role

WEEKDAYS = (
    gettext_lazy("周一"),
    gettext_lazy("周二"),
    gettext_lazy("周三"),
    gettext_lazy("周四"),
    gettext_lazy("周五"),
    gettext_lazy("周六"),
    gettext_lazy("周日"),
)


def reason_text(gap: dict) -> str:
    unit = dict(PartnerUnit.choices).get(gap["unit"], "")
    who = _("%(unit)s人员") % {"unit": _(unit)} if unit else _("人员")
    if gap["reason"] == UNIT_TOO_SMALL:
        return _("%(who)s最少%(needed)d人：队里该方成员不足") % {"who": who, "needed": gap["needed"]}
    if gap["reason"] == NOBODY_AVAILABLE:
        return _("%(who)s缺%(missing)d人：该时段只有%(free)d人有空") % {
            "who": who,
            "missing": gap["missing"],
            "free": gap["free"],
        }
    if gap["reason"] == AT_LIMIT:
        return _("%(who)s缺%(missing)d人：有空的人已排满（同时段、间隔不足或达到每周上限）") % {
            "who": who,
            "missing": gap["missing"],
        }
    return gap["reason"]


@signed_in_page
def home(request):
    user = request.user
    postings = list(sel.posting_list(user=user)[:50])
    if not can_read(user) and not postings:
        refuse()
    teams = list(sel.team_list(user=user))
    return render(
        request,
        "empower/home.html",
        {
            "postings": postings,
            "teams": teams,
            "can_manage": can_manage(user),
            "can_read": can_read(user),
            "show_dashboard": can_read(user) and user.role != Role.INSTRUCTOR,
        },
    )


@signed_in_page
def dashboard_page(request):
    user = request.user
    if not can_read(user) or user.role == Role.INSTRUCTOR:
        refuse()
    today = clock.today()
    date_to = date_of(request.GET["date_to"], "date_to") if request.GET.get("date_to") else today
    date_from = (
        date_of(request.GET["date_from"], "date_from")
        if request.GET.get("date_from")
        else date_to - dt.timedelta(days=29)
    )
    if date_from > date_to or (date_to - date_from).days > 366:
        raise BadInput(
            "时间段不对（最长一年）",
            "The period is not valid (a year at most)",
            details={"date_from": str(date_from)},
        )
    data = dashboard(user=user, date_from=date_from, date_to=date_to)
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(
            dashboard_xlsx(data),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = 'attachment; filename="empowerment.xlsx"'
        return response
    ledger = user.role in (Role.LEADER, Role.COORDINATION_OFFICE, Role.ADMIN)
    rows = data["communities"]
    chart = {
        "names": [r["name"] for r in rows],
        "series": [
            {"name": _("服务时长（小时）") + " · " + _("本期"), "data": [r["now"]["hours"] for r in rows]},
            {"name": _("服务时长（小时）") + " · " + _("上期"), "data": [r["before"]["hours"] for r in rows]},
            {
                "name": _("工坊收入（元）") + " · " + _("本期"),
                "data": [r["now"]["income"] for r in rows],
                "y": 1,
            },
            {
                "name": _("工坊收入（元）") + " · " + _("上期"),
                "data": [r["before"]["income"] for r in rows],
                "y": 1,
            },
        ],
    }
    return render(request, "empower/dashboard.html", {"data": data, "ledger": ledger, "chart": chart})


@signed_in_page
def volunteers(request):
    user = request.user
    if not can_read(user):
        refuse()
    if request.method == "POST":
        if not can_manage(user):
            refuse()
        p = request.POST
        return run(
            request,
            lambda: s.volunteer_create(
                actor=user,
                name=p.get("name", ""),
                phone_number=p.get("phone", ""),
                community_id=int_of(p.get("community"), "community") or 0,
                consent_on=date_of(p.get("consent_on") or clock.today().isoformat(), "consent_on"),
                skills=p.get("skills", ""),
                availability=p.getlist("availability"),
            ),
            ok=_("志愿者已登记"),
            back=reverse("empower:volunteers"),
        )
    q = request.GET.get("q", "").strip()
    page = page_of(request, sel.volunteer_list(user=user, q=q))
    phones = sel.phones_shown(user, page)
    rows = [{"v": v, "phone": phones[v.pk], "hours": round((v.minutes or 0) / 60, 1)} for v in page]
    managed = managed_community_ids(user)
    communities = (
        []
        if not can_manage(user)
        else [c for c in jurisdiction_list(level="community") if managed is None or c.pk in managed]
    )
    slots = [(f"{d}:{b}", f"{WEEKDAYS[d]} {_(label)}") for d in range(7) for b, label in Band.choices]
    return render(
        request,
        "empower/volunteers.html",
        {
            "page": page,
            "rows": rows,
            "q": q,
            "can_manage": can_manage(user),
            "communities": communities,
            "slots": slots,
        },
    )


@signed_in_page
def posting_page(request, pk: int):
    posting = access_posting(request.user, pk)
    return render(
        request,
        "empower/posting.html",
        {"posting": posting, "rec": posting_record(user=request.user, posting=posting)},
    )


def _week_start(request, term) -> dt.date:
    raw = request.GET.get("week")
    day = date_of(raw, "week") if raw else max(term.starts_on, min(clock.today(), term.ends_on))
    return day - dt.timedelta(days=day.weekday())


@signed_in_page
def team_page(request, pk: int):
    team = access_team(request.user, pk)
    terms = list(team.terms.all())
    term = next((t for t in terms if str(t.pk) == request.GET.get("term")), terms[0] if terms else None)
    ctx = {
        "team": team,
        "terms": terms,
        "term": term,
        "partners": sel.partner_counts(team=team),
        "templates": list(team.templates.all()),
        "hot": patrol_weeks(user=request.user, team=team),
        "can_manage": manages_community(request.user, team.community_id) and can_manage(request.user),
    }
    if term is not None:
        monday = _week_start(request, term)
        unfilled = [
            {"shift": sh, "reasons": [reason_text(g) for g in sh.gaps]}
            for sh in sel.unfilled_shifts(term=term, limit=50)
        ]
        ctx.update(
            summary=sel.roster_summary(term=term),
            spread=sel.hours_spread(term=term),
            monday=monday,
            prev_week=monday - dt.timedelta(weeks=1),
            next_week=monday + dt.timedelta(weeks=1),
            table=sel.shift_table(term=term, date_from=monday, date_to=monday + dt.timedelta(days=6)),
            unfilled=unfilled,
            swaps=list(sel.open_swaps(term=term)),
        )
    return render(request, "empower/team.html", ctx)


@signed_in_page
@require_POST
def term_plan(request, pk: int):
    term = access_term(request.user, pk, for_write=True)
    back = reverse("empower:team", args=[term.team_id]) + f"?term={term.pk}"
    return run(
        request,
        lambda: (
            s.shifts_generate(actor=request.user, term_id=term.pk),
            s.roster_plan(actor=request.user, term_id=term.pk),
        ),
        ok=_("排班完成（锁定的排班已保留）"),
        back=back,
    )


@signed_in_page
def shift_page(request, pk: int):
    shift = access_shift(request.user, pk)
    team = shift.term.team
    rows = list(shift.assignments.select_related("volunteer", "cover_for__volunteer").order_by("pk"))
    manage = manages_community(request.user, team.community_id) and can_manage(request.user)
    members = (
        list(TeamMember.objects.filter(team=team).select_related("volunteer").order_by("volunteer__name"))
        if manage
        else []
    )
    return render(
        request,
        "empower/shift.html",
        {
            "shift": shift,
            "team": team,
            "rows": rows,
            "members": members,
            "can_manage": manage,
            "reasons": [reason_text(g) for g in shift.gaps],
        },
    )


@signed_in_page
@require_POST
def shift_assign(request, pk: int):
    shift = access_shift(request.user, pk, for_write=True)
    volunteer_id = int_of(request.POST.get("volunteer"), "volunteer") or 0
    return run(
        request,
        lambda: s.assignment_add(actor=request.user, shift_id=shift.pk, volunteer_id=volunteer_id),
        ok=_("已排班并锁定"),
        back=reverse("empower:shift", args=[shift.pk]),
    )


@signed_in_page
@require_POST
def assignment_act(request, pk: int, action: str):
    row = access_assignment(request.user, pk)
    back = reverse("empower:shift", args=[row.shift_id])
    other = int_of(request.POST.get("volunteer"), "volunteer")
    if action == "swap":
        return run(
            request,
            lambda: s.assignment_swap(actor=request.user, assignment_id=row.pk, to_volunteer_id=other or 0),
            ok=_("换班完成"),
            back=back,
        )
    if action == "no-show":
        return run(
            request,
            lambda: s.assignment_no_show(actor=request.user, assignment_id=row.pk, cover_volunteer_id=other),
            ok=_("已记录缺勤"),
            back=back,
        )
    if action in ("lock", "unlock"):
        return run(
            request,
            lambda: s.assignment_lock(actor=request.user, assignment_id=row.pk, locked=action == "lock"),
            ok=_("已保存"),
            back=back,
        )
    refuse()
