"""Each role's first page: the agent's intake form, the dispatcher's queue, a unit's inbox, a supervisor's decisions."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.core.errors import ApplicationError
from linli.demands import services as s
from linli.demands.selectors import (
    INBOX_TABS,
    dispatch_queue,
    pending_extensions,
    return_requests,
    unit_inbox,
    unit_inbox_counts,
)
from linli.demands.states import Channel, DemandStatus
from linli.demands.views.forms import DispatchForm, IntakeForm
from linli.demands.views.suggest import suggestion_for
from linli.org.states import UNIT_ROLES, Role
from linli.ui.middleware import form_error
from linli.ui.pages import map_settings, page_of, query_without_page, staff_page

INTAKE_ROLES = (Role.HOTLINE_AGENT, Role.DISPATCHER, Role.COMMUNITY_WORKER, Role.ADMIN)
DISPATCH_ROLES = (Role.DISPATCHER, Role.HOTLINE_AGENT, Role.ADMIN)
TAB_LABELS = {
    "to_sign": gettext_lazy("待签收"),
    "in_progress": gettext_lazy("办理中"),
    "due_soon": gettext_lazy("24小时内到期"),
    "overdue": gettext_lazy("已超期"),
    "returned": gettext_lazy("已退单"),
    "return_requested": gettext_lazy("退单待审"),
    "done": gettext_lazy("已办结"),
}


@staff_page(*INTAKE_ROLES)
def intake(request):
    form = IntakeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        channel = Channel.WALK_IN if request.user.role == Role.COMMUNITY_WORKER else Channel.HOTLINE
        try:
            demand = s.demand_submit(
                actor=request.user,
                answer=d["answer"] if d["resolve_now"] else None,
                channel=channel,
                demand_type=d["demand_type"],
                urgency=d["urgency"],
                text=d["text"],
                title=d["title"],
                address=d["address"],
                community_id=d["community"].pk if d["community"] else None,
                latitude=d.get("latitude"),
                longitude=d.get("longitude"),
                phone=d["phone"] or None,
                name=d["name"],
            ).demand
        except ApplicationError as exc:
            form.add_error(None, form_error(exc))
        else:
            messages.success(request, _("已受理，编号 %(code)s") % {"code": demand.code})
            if d["resolve_now"]:
                return redirect("web:intake")
            return redirect("web:demand_detail", demand.pk)
    suggestion, community = None, None
    if request.method == "POST":
        community = form.cleaned_data.get("community") if hasattr(form, "cleaned_data") else None
        suggestion = suggestion_for(
            text=request.POST.get("text", ""), community_id=community.pk if community else None
        )
    return render(
        request,
        "demands/intake.html",
        {
            "form": form,
            "suggestion": suggestion,
            "place_unknown": suggestion is not None and community is None,
            **map_settings(),
        },
        status=422 if request.method == "POST" else 200,
    )


@staff_page(*INTAKE_ROLES)
def intake_suggest(request):
    """htmx: the suggestion panel next to the intake form, refreshed as the agent types."""
    raw_community = request.GET.get("community") or ""
    suggestion = suggestion_for(
        text=request.GET.get("text", ""), community_id=int(raw_community) if raw_community.isdigit() else None
    )
    return render(
        request,
        "dispatch/partials/suggestion.html",
        {"suggestion": suggestion, "place_unknown": not raw_community.isdigit()},
    )


@staff_page(*DISPATCH_ROLES)
def queue(request):
    tab = request.GET.get("tab") if request.GET.get("tab") in ("new", "returned") else "new"
    status = DemandStatus.REGISTERED if tab == "new" else DemandStatus.RETURNED
    page = page_of(request, dispatch_queue(user=request.user, status=status))
    counts = {
        "new": dispatch_queue(user=request.user, status=DemandStatus.REGISTERED).count(),
        "returned": dispatch_queue(user=request.user, status=DemandStatus.RETURNED).count(),
    }
    context = {"page": page, "tab": tab, "counts": counts, "base_query": query_without_page(request)}
    context["batch_form"] = DispatchForm(auto_id="batch_%s")
    if request.htmx and request.htmx.target == "queue-table":
        return render(request, "demands/queue.html#queue-table", context)
    return render(request, "demands/queue.html", context)


@staff_page(*UNIT_ROLES)
def inbox(request):
    tab = request.GET.get("tab") if request.GET.get("tab") in INBOX_TABS else "to_sign"
    unit_id = request.user.unit_id
    page = page_of(request, unit_inbox(unit_id=unit_id, tab=tab))
    counts = unit_inbox_counts(unit_id=unit_id)
    tabs = [(key, TAB_LABELS[key], counts.get(key)) for key in INBOX_TABS]
    context = {
        "page": page,
        "tab": tab,
        "tabs": tabs,
        "unit": request.user.unit,
        "base_query": query_without_page(request),
    }
    if request.htmx and request.htmx.target == "inbox-body":
        return render(request, "demands/inbox.html#inbox-body", context)
    return render(request, "demands/inbox.html", context)


@staff_page(Role.UNIT_SUPERVISOR)
def approvals(request):
    unit_id = request.user.unit_id
    return render(
        request,
        "demands/approvals.html",
        {
            "extensions": list(pending_extensions(unit_id=unit_id).select_related("assignment__unit")),
            "returns": list(return_requests(unit_id=unit_id)),
            "counts": unit_inbox_counts(unit_id=unit_id),
        },
    )
