"""The coordination office: the approvals queue with its countdown, and the catalogue."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linli.access import selectors
from linli.access import services as s
from linli.access.exports import catalogue_xlsx
from linli.access.states import ItemKind
from linli.access.views._shared import act, parse_date
from linli.core import clock
from linli.org.states import Role
from linli.ui.pages import page_of, staff_page

OFFICE = (Role.COORDINATION_OFFICE, Role.ADMIN)
READERS = (
    Role.COORDINATION_OFFICE,
    Role.ADMIN,
    Role.LEADER,
    Role.UNIT_HANDLER,
    Role.UNIT_SUPERVISOR,
    Role.COMMUNITY_WORKER,
)


@staff_page(*OFFICE)
def approvals(request):
    queue = list(selectors.approval_queue(user=request.user)[:200])
    for req in queue:
        req.days_left = selectors.countdown(req)
    return render(request, "access/approvals.html", {"queue": queue})


@staff_page(*READERS)
def catalogue(request, number: int | None = None):
    versions = list(selectors.version_list())
    version = (
        selectors.version_get(number=number)
        if number
        else selectors.catalogue_current() or (versions[0] if versions else None)
    )
    items = (
        page_of(
            request,
            selectors.item_list(
                version=version, kind=request.GET.get("kind") or None, q=request.GET.get("q", "").strip()
            ),
            50,
        )
        if version
        else None
    )
    return render(
        request,
        "access/catalogue.html",
        {
            "versions": versions,
            "version": version,
            "items": items,
            "kinds": ItemKind.choices,
            "may_manage": request.user.role in OFFICE,
        },
    )


@staff_page(*READERS)
def catalogue_diff(request):
    versions = list(selectors.version_list())
    diff = None
    try:
        old, new = int(request.GET.get("old", "")), int(request.GET.get("new", ""))
    except ValueError:
        old = new = None
    if old and new:
        diff = selectors.catalogue_diff(
            old=selectors.version_get(number=old), new=selectors.version_get(number=new)
        )
    return render(
        request, "access/catalogue_diff.html", {"versions": versions, "diff": diff, "old": old, "new": new}
    )


@staff_page(*READERS)
def catalogue_export(request, number: int):
    version = selectors.version_get(number=number)
    response = HttpResponse(
        catalogue_xlsx(version=version),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="catalogue-v{version.number}.xlsx"'
    return response


@require_POST
@staff_page(*OFFICE)
def catalogue_import(request):
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("请选择 XLSX 文件"))
        return redirect("access:catalogue")
    result = act(
        request, lambda: s.catalogue_import_xlsx(actor=request.user, upload=upload), ok=_("已导入到草稿版本")
    )
    if result is None:
        return redirect("access:catalogue")
    return redirect("access:catalogue_version", result[0].number)


@require_POST
@staff_page(*OFFICE)
def catalogue_publish(request, number: int):
    version = selectors.version_get(number=number)
    effective = parse_date(request.POST.get("effective_from"), clock.today())
    act(
        request,
        lambda: s.catalogue_version_publish(
            actor=request.user, version_id=version.pk, effective_from=effective
        ),
        ok=_("已发布"),
    )
    return redirect("access:catalogue_version", number)


@require_POST
@staff_page(*OFFICE)
def catalogue_draft(request):
    draft = act(
        request,
        lambda: s.catalogue_draft_create(actor=request.user, note=request.POST.get("note", "")),
        ok=_("已新建草稿版本"),
    )
    return redirect("access:catalogue_version", draft.number) if draft else redirect("access:catalogue")
