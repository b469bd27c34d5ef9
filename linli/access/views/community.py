"""The community's side: the task inbox, refusing and reporting, plaques, certificates issued."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linli.access import selectors
from linli.access import services as s
from linli.access.permissions import access_task, community_id_of
from linli.access.services.community import TASK_SUBJECT, refusal_rule
from linli.access.states import CertificateList
from linli.access.views._shared import act, parse_date
from linli.core import clock
from linli.core.errors import AttachmentNotFound
from linli.core.files import attachment_response
from linli.core.selectors import attachment_list
from linli.org.selectors import jurisdiction_get, unit_list
from linli.org.states import Role
from linli.ui.pages import page_of, staff_page

WORKER = (Role.COMMUNITY_WORKER,)


def _community(request) -> int:
    community_id = community_id_of(request.user)
    if community_id is None:
        raise Http404
    return community_id


@staff_page(*WORKER)
def inbox(request):
    community_id = _community(request)
    tab = request.GET.get("tab", "open")
    page = page_of(request, selectors.task_inbox(community_id=community_id, tab=tab))
    departments = unit_list().exclude(kind__in=["community_committee", "village_committee"]).order_by("code")
    return render(
        request,
        "access/inbox.html",
        {
            "page": page,
            "tab": tab,
            "community": jurisdiction_get(jurisdiction_id=community_id),
            "departments": departments,
        },
    )


@staff_page()
def task_detail(request, task_id: int):
    task = access_task(request.user, task_id)
    return render(
        request,
        "access/task_detail.html",
        {
            "task": task,
            "rule": refusal_rule(task) if task.status == "awaiting" else "",
            "files": attachment_list(subject_type=TASK_SUBJECT, subject_id=task.pk),
            "mine": community_id_of(request.user) == task.community_id,
        },
    )


@staff_page()
def task_file(request, task_id: int, file_id: int):
    """A report file of the task, for whoever may see the task (its community, the filing department, overseers)."""
    task = access_task(request.user, task_id)
    row = attachment_list(subject_type=TASK_SUBJECT, subject_id=task.pk).filter(pk=file_id).first()
    if row is None:
        raise AttachmentNotFound()
    return attachment_response(row, download=request.GET.get("download") == "1")


@require_POST
@staff_page(*WORKER)
def task_refuse(request, task_id: int):
    access_task(request.user, task_id)
    act(
        request,
        lambda: s.task_refuse(actor=request.user, task_id=task_id, reason=request.POST.get("reason", "")),
        ok=_("已拒绝，并已告知派发部门"),
    )
    return redirect("access:task_detail", task_id)


@require_POST
@staff_page(*WORKER)
def task_report(request, task_id: int):
    access_task(request.user, task_id)
    uploads = request.FILES.getlist("files")
    act(
        request,
        lambda: s.task_report(
            actor=request.user, task_id=task_id, note=request.POST.get("note", ""), uploads=uploads
        ),
        ok=_("已报送"),
    )
    return redirect("access:task_detail", task_id)


@require_POST
@staff_page(*WORKER)
def task_outside(request):
    try:
        department_id = int(request.POST.get("department", ""))
    except ValueError:
        department_id = 0
    task = act(
        request,
        lambda: s.task_outside_record(
            actor=request.user,
            department_id=department_id,
            title=request.POST.get("title", ""),
            content=request.POST.get("content", ""),
        ),
        ok=_("已登记，可一键拒绝"),
    )
    return redirect("access:task_detail", task.pk) if task else redirect("access:inbox")


@staff_page(*WORKER)
def plaques(request):
    community_id = _community(request)
    if request.method == "POST":
        if request.POST.get("plaque"):
            act(
                request,
                lambda: s.plaque_remove(
                    actor=request.user,
                    plaque_id=int(request.POST["plaque"]),
                    reason=request.POST.get("reason", ""),
                ),
                ok=_("已登记摘牌"),
            )
        else:
            act(
                request,
                lambda: s.plaque_hang(
                    actor=request.user,
                    community_id=community_id,
                    name=request.POST.get("name", ""),
                    hung_by=request.POST.get("hung_by", ""),
                    hung_at=parse_date(request.POST.get("hung_at"), clock.today()),
                ),
                ok=_("已登记"),
            )
        return redirect("access:plaques")
    return render(
        request,
        "access/plaques.html",
        {
            "current": selectors.plaque_list(community_id=community_id, current=True),
            "removed": selectors.plaque_list(community_id=community_id, current=False),
            "standard": selectors.plaque_type_list(),
        },
    )


@staff_page(*WORKER)
def certificates(request):
    community_id = _community(request)
    if request.method == "POST":
        try:
            cert_id, count = int(request.POST.get("certificate", "")), int(request.POST.get("count", "1"))
        except ValueError:
            cert_id, count = 0, 0
        act(
            request,
            lambda: s.certificate_issue_record(actor=request.user, certificate_id=cert_id, count=count),
            ok=_("已登记"),
        )
        return redirect("access:certificates")
    return render(
        request,
        "access/certificates.html",
        {
            "positive": selectors.certificate_list(listed=CertificateList.POSITIVE),
            "negative": selectors.certificate_list(listed=CertificateList.NEGATIVE),
            "issues": page_of(request, selectors.certificate_issues(community_id=community_id)),
        },
    )
