"""Department staff file and follow requests; everyone who may see a request reads its page."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linli.access import selectors
from linli.access import services as s
from linli.access.forms import DecisionForm, RequestForm
from linli.access.permissions import access_request, can_give_opinion, department_of, is_coordination
from linli.access.views._shared import act
from linli.core.errors import ApplicationError
from linli.org.states import Role
from linli.ui.middleware import error_message
from linli.ui.pages import page_of, staff_page

DEPARTMENT_ROLES = (Role.UNIT_HANDLER, Role.UNIT_SUPERVISOR)


@staff_page(*DEPARTMENT_ROLES)
def request_list(request):
    department = department_of(request.user)
    if department is None:
        raise Http404
    page = page_of(
        request, selectors.request_list(department_id=department.pk, status=request.GET.get("status") or None)
    )
    return render(request, "access/request_list.html", {"page": page, "department": department})


@staff_page(*DEPARTMENT_ROLES)
def request_new(request):
    if department_of(request.user) is None:
        raise Http404
    form = RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            req = s.request_file(
                actor=request.user,
                kind=d["kind"],
                title=d["title"],
                content=d["content"],
                target_ids=[int(t) for t in d["targets"]],
                deadline=d["deadline"],
                reports_required=d["reports_required"],
                inspections_planned=d["inspections_planned"] or 0,
                funded=d["funded"],
                plaque_name=d["plaque_name"],
            )
        except ApplicationError as exc:
            form.add_error(None, error_message(exc))
        else:
            messages.success(request, _("申请已提交：%(status)s") % {"status": req.get_status_display()})
            return redirect("access:request_detail", req.pk)
    return render(request, "access/request_new.html", {"form": form})


@staff_page()
def request_detail(request, request_id: int):
    req = access_request(request.user, request_id)
    return render(
        request,
        "access/request_detail.html",
        {
            "req": req,
            "events": selectors.request_events(request=req),
            "tasks": selectors.request_tasks(request=req),
            "countdown": selectors.countdown(req),
            "may_decide": is_coordination(request.user) and req.status == "pending",
            "may_opine": can_give_opinion(request.user) and req.status == "pending",
            "decision_form": DecisionForm(),
        },
    )


def _post_action(request, request_id: int, service, fields: tuple[str, ...], ok: str):
    """A POST on a request the user may see: one service call with the named form fields, then back to its page."""
    access_request(request.user, request_id)
    values = {k: request.POST.get(k, "") for k in fields}
    act(request, lambda: service(actor=request.user, request_id=request_id, **values), ok=ok)
    return redirect("access:request_detail", request_id)


@require_POST
@staff_page()
def request_decide(request, request_id: int):
    return _post_action(request, request_id, s.request_decide, ("decision", "reason"), _("已记录审批决定"))


@require_POST
@staff_page()
def request_opinion(request, request_id: int):
    return _post_action(
        request, request_id, s.request_opinion_add, ("opinion", "office"), _("已添加会签意见")
    )


@staff_page()
def home(request):
    """Each role's access page: departments their requests, the office its queue, communities their inbox."""
    role = request.user.role
    if role in (Role.COORDINATION_OFFICE, Role.ADMIN):
        return redirect("access:approvals")
    if role == Role.LEADER:
        return redirect("access:ledger")
    if role == Role.COMMUNITY_WORKER:
        return redirect("access:inbox")
    if department_of(request.user) is not None:
        return redirect("access:requests")
    return redirect("access:catalogue")
