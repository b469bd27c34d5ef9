"""Campaigns, rounds and the plan, the cadre pool: pages for planners."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linli.core.errors import PermissionDenied
from linli.org.selectors import jurisdiction_list, unit_list
from linli.ui.pages import page_of, staff_page
from linli.visits import selectors as sel
from linli.visits import services as s
from linli.visits.permissions import access_campaign, access_round, can_plan, can_read_report, can_record
from linli.visits.report import campaign_report, campaign_report_xlsx
from linli.visits.states import CadreLevel
from linli.visits.views._common import date_of, int_of, may_open_actions, run, time_of, visit_visible


def _planner(request):
    if not can_plan(request.user):
        raise PermissionDenied()


@staff_page()
def home(request):
    """Planners see their campaigns; cadres and community workers see the evenings they can record."""
    context = {
        "campaigns": sel.campaign_list(user=request.user) if can_read_report(request.user) else [],
        "may_open_actions": may_open_actions(request.user),
        "rounds": sel.recordable_rounds(user=request.user) if can_record(request.user) else [],
        "can_plan": can_plan(request.user),
        "areas": jurisdiction_list().filter(level__in=["district", "street"]).order_by("code")
        if can_plan(request.user)
        else [],
    }
    return render(request, "visits/home.html", context)


@require_POST
@staff_page()
def campaign_new(request):
    _planner(request)
    p = request.POST
    failed, campaign = run(
        request,
        lambda: s.campaign_create(
            actor=request.user,
            name=p.get("name", ""),
            area_id=int_of(p.get("area"), "area"),
            starts_on=date_of(p.get("starts_on"), "starts_on"),
            ends_on=date_of(p.get("ends_on"), "ends_on"),
            evening_start=time_of(p.get("evening_start") or "19:00", "evening_start"),
            evening_end=time_of(p.get("evening_end") or "22:00", "evening_end"),
            team_min=int_of(p.get("team_min"), "team_min") or 2,
            team_max=int_of(p.get("team_max"), "team_max") or 3,
        ),
        ok=_("夜访活动已创建"),
        back=reverse("visits:home"),
    )
    return failed or redirect("visits:campaign", campaign.pk)


@staff_page()
def campaign_page(request, pk: int):
    campaign = access_campaign(request.user, pk)
    return render(
        request,
        "visits/campaign.html",
        {
            "campaign": campaign,
            "rounds": sel.round_list(campaign=campaign),
            "can_plan": can_plan(request.user),
        },
    )


@require_POST
@staff_page()
def round_new(request, pk: int):
    back = reverse("visits:campaign", args=[pk])
    failed, _row = run(
        request,
        lambda: s.round_add(
            actor=request.user, campaign_id=pk, date=date_of(request.POST.get("date"), "date")
        ),
        ok=_("轮次已添加"),
        back=back,
    )
    return failed or redirect(back)


@staff_page()
def round_page(request, pk: int):
    row = access_round(request.user, pk)
    return render(
        request,
        "visits/round.html",
        {
            "round": row,
            "campaign": row.campaign,
            "table": sel.round_plan_table(round_=row),
            "visits": (visits := list(sel.visit_list(round_=row))),
            "visible_visits": {v.pk for v in visits if visit_visible(request.user, v)},
            "cadres": sel.cadre_list(active_only=True),
            "can_plan": can_plan(request.user),
            "can_record": can_record(request.user),
        },
    )


@require_POST
@staff_page()
def round_replan(request, pk: int):
    back = reverse("visits:round", args=[pk])
    failed, _row = run(
        request, lambda: s.round_plan(actor=request.user, round_id=pk), ok=_("已排班"), back=back
    )
    return failed or redirect(back)


@require_POST
@staff_page()
def round_lock(request, pk: int):
    back = reverse("visits:round", args=[pk])
    p = request.POST
    if p.get("unlock"):
        call = lambda: s.plan_assignment_unlock(  # noqa: E731
            actor=request.user, round_id=pk, assignment_id=int_of(p.get("unlock"), "unlock")
        )
    else:
        call = lambda: s.plan_assignment_lock(  # noqa: E731
            actor=request.user,
            round_id=pk,
            community_id=int_of(p.get("community"), "community"),
            cadre_id=int_of(p.get("cadre"), "cadre"),
        )
    failed, _r = run(request, call, ok=_("排班已调整，重新排班时保留锁定"), back=back)
    return failed or redirect(back)


@staff_page()
def cadres(request):
    _planner(request)
    if request.method == "POST":
        p = request.POST
        if p.get("cadre"):
            call = lambda: s.cadre_unavailable_add(  # noqa: E731
                actor=request.user,
                cadre_id=int_of(p.get("cadre"), "cadre"),
                date=date_of(p.get("date"), "date"),
                reason=p.get("reason", ""),
            )
        else:
            call = lambda: s.cadre_create(  # noqa: E731
                actor=request.user,
                name=p.get("name", ""),
                level=p.get("level", ""),
                unit_id=int_of(p.get("unit"), "unit"),
                home_area_id=int_of(p.get("home_area"), "home_area"),
            )
        failed, _r = run(request, call, ok=_("已保存"), back=reverse("visits:cadres"))
        return failed or redirect("visits:cadres")
    return render(
        request,
        "visits/cadres.html",
        {
            "page": page_of(
                request, sel.cadre_list(user=request.user).order_by("level", "name", "pk"), size=50
            ),
            "levels": CadreLevel.choices,
            "units": unit_list(),
            "areas": jurisdiction_list().exclude(level="city").order_by("code"),
        },
    )


@staff_page()
def report(request, pk: int):
    campaign = access_campaign(request.user, pk)
    if not can_read_report(request.user):
        raise PermissionDenied()
    data = campaign_report(campaign=campaign)
    return render(
        request, "visits/report.html", {"campaign": campaign, "report": data, "chart": _chart(data)}
    )


def _chart(data: dict) -> dict:
    return {
        "levels": [{"name": r["level"], "value": r["count"]} for r in data["cadres_by_level"]],
        "rounds": data["rounds"],
        "units": data["open_by_unit"],
        "texts": {"visits": _("走访次数"), "issues": _("收集问题"), "communities": _("覆盖村(社区)")},
    }


@staff_page()
def report_xlsx(request, pk: int):
    campaign = access_campaign(request.user, pk)
    if not can_read_report(request.user):
        raise PermissionDenied()
    body = campaign_report_xlsx(campaign=campaign, report=campaign_report(campaign=campaign))
    response = HttpResponse(
        body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="visits-report-{campaign.pk}.xlsx"'
    return response
