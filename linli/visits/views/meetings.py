"""Coordination meetings, referring a demand, 协调会事项 for the owner units, designations."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linli.core.errors import PermissionDenied
from linli.demands.selectors import demand_visible_get
from linli.org.selectors import jurisdiction_list, unit_list
from linli.ui.pages import page_of, staff_page
from linli.visits import selectors as sel
from linli.visits import services as s
from linli.visits.permissions import access_meeting, area_plannable, can_plan, can_refer
from linli.visits.states import ActionStatus, MeetingKind, Subject
from linli.visits.views._common import (
    date_of,
    ids_of,
    int_of,
    may_open_actions,
    moment,
    run,
    visible_demand_ids,
    visible_meeting_ids,
)


@staff_page()
def meetings(request):
    if request.method == "POST":
        if not can_plan(request.user):
            raise PermissionDenied()
        p = request.POST
        failed, meeting = run(
            request,
            lambda: s.meeting_create(
                actor=request.user,
                topic=p.get("topic", ""),
                kind=p.get("kind") or MeetingKind.COORDINATION,
                held_at=moment(date_of(p.get("date"), "date"), p.get("time") or "15:00", "time"),
                place=p.get("place", ""),
                community_id=int_of(p.get("community"), "community"),
                convened_by_id=int_of(p.get("convened_by"), "convened_by"),
                unit_ids=ids_of(p.getlist("units"), "units"),
                representatives=p.get("representatives", ""),
                decisions=p.get("decisions", ""),
            ),
            ok=_("协调会已登记"),
            back=reverse("visits:meetings"),
        )
        if failed:
            return failed
        demand_id = int_of(p.get("demand"), "demand")
        if demand_id:
            run(
                request,
                lambda: s.meeting_refer_demand(
                    actor=request.user, meeting_id=meeting.pk, demand_id=demand_id
                ),
                ok=_("诉求已提交协调会"),
                back="",
            )
        return redirect("visits:meeting", meeting.pk)
    return render(
        request,
        "visits/meetings.html",
        {
            "page": page_of(request, sel.meeting_list(user=request.user)),
            "can_plan": can_plan(request.user),
            "may_open_actions": may_open_actions(request.user),
            "kinds": MeetingKind.choices,
            "units": unit_list(),
            "communities": jurisdiction_list().filter(level__in=["community", "village"]).order_by("code"),
            "demand_id": request.GET.get("demand", ""),
        },
    )


@staff_page()
def meeting_page(request, pk: int):
    meeting = access_meeting(request.user, pk)
    context = sel.meeting_detail(meeting=meeting)
    context.update(
        can_plan=can_plan(request.user),
        visible_demands=visible_demand_ids(
            request.user,
            [d.pk for i in context.get("items", []) for d in i.demands.all()]
            + [r.demand_id for r in context.get("referrals", [])],
        ),
        units_all=unit_list(),
        events=sel.events_of(subject_type=Subject.MEETING, subject_id=meeting.pk),
    )
    return render(request, "visits/meeting.html", context)


@require_POST
@staff_page()
def meeting_edit(request, pk: int):
    back = reverse("visits:meeting", args=[pk])
    p = request.POST
    if p.get("form") == "item":
        call = lambda: s.action_item_add(  # noqa: E731
            actor=request.user,
            meeting_id=pk,
            text_=p.get("text", ""),
            owner_unit_id=int_of(p.get("owner_unit"), "owner_unit"),
            deadline=date_of(p.get("deadline"), "deadline"),
            demand_ids=ids_of(p.get("demands", "").replace("，", ",").split(","), "demands"),
        )
    elif p.get("form") == "demand":
        call = lambda: s.action_item_demand_create(  # noqa: E731
            actor=request.user, item_id=int_of(p.get("item"), "item"), text_=p.get("text", "")
        )
    else:
        call = lambda: s.meeting_update(  # noqa: E731
            actor=request.user,
            meeting_id=pk,
            decisions=p.get("decisions", ""),
            representatives=p.get("representatives"),
        )
    failed, _r = run(request, call, ok=_("已保存"), back=back)
    return failed or redirect(back)


@staff_page()
def refer(request, demand_id: int):
    """From the demand page: send a demand that needs several units to a meeting (an existing one or a new one)."""
    if not can_refer(request.user):
        raise PermissionDenied()
    demand = demand_visible_get(user=request.user, demand_id=demand_id)
    if request.method == "POST":
        back = reverse("visits:refer", args=[demand_id])
        meeting_id = int_of(request.POST.get("meeting"), "meeting")
        failed, _r = run(
            request,
            lambda: s.meeting_refer_demand(
                actor=request.user,
                meeting_id=meeting_id,
                demand_id=demand.pk,
                note=request.POST.get("note", ""),
            ),
            ok=_("诉求已提交协调会"),
            back=back,
        )
        return failed or redirect("visits:meeting", meeting_id)
    return render(
        request,
        "visits/refer.html",
        {
            "demand": demand,
            "meetings": sel.open_meetings(user=request.user),
            "can_plan": can_plan(request.user),
        },
    )


@staff_page()
def action_items(request):
    """协调会事项: the items a unit owns (planners see every unit's), overdue ones marked."""
    if request.method == "POST":
        p = request.POST
        item_id = int_of(p.get("item"), "item")
        if p.get("reopen"):
            call = lambda: s.action_item_reopen(actor=request.user, item_id=item_id, note=p.get("note", ""))  # noqa: E731
        else:
            call = lambda: s.action_item_complete(actor=request.user, item_id=item_id, note=p.get("note", ""))  # noqa: E731
        failed, _r = run(request, call, ok=_("已更新"), back=reverse("visits:actions"))
        return failed or redirect("visits:actions")
    status = request.GET.get("status", "")
    status = status if status in ActionStatus.values else ""
    if not (can_plan(request.user) or request.user.unit_id):
        raise PermissionDenied()
    page = page_of(request, sel.action_item_list(user=request.user, status=status))
    return render(
        request,
        "visits/action_items.html",
        {
            "page": page,
            "visible_meetings": visible_meeting_ids(request.user, {i.meeting for i in page}),
            "visible_demands": visible_demand_ids(
                request.user, [d.pk for i in page for d in i.demands.all()]
            ),
            "status": status,
            "today": sel.today(),
            "can_plan": can_plan(request.user),
        },
    )


@staff_page()
def designations(request):
    if request.method == "POST":
        p = request.POST
        failed, _r = run(
            request,
            lambda: s.designation_create(
                actor=request.user,
                compound=p.get("compound", ""),
                community_id=int_of(p.get("community"), "community"),
                title=p.get("title", ""),
                designated_on=date_of(p.get("designated_on"), "designated_on"),
                by_unit_id=int_of(p.get("by_unit"), "by_unit"),
                reason=p.get("reason", ""),
                meeting_id=int_of(p.get("meeting"), "meeting"),
            ),
            ok=_("已登记"),
            back=reverse("visits:designations"),
        )
        return failed or redirect("visits:designations")
    page = page_of(request, sel.designation_list(user=request.user))
    return render(
        request,
        "visits/designations.html",
        {
            "page": page,
            "visible_meetings": visible_meeting_ids(request.user, {d.meeting for d in page if d.meeting_id}),
            "can_plan": can_plan(request.user),
            "units": unit_list(),
            "communities": [
                c
                for c in jurisdiction_list().filter(level__in=["community", "village"]).order_by("code")
                if area_plannable(request.user, c)
            ],
            "meetings": sel.open_meetings(user=request.user),
        },
    )
