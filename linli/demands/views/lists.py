"""The demand list: filters, sorting, paging, and the same filtered list as an XLSX or CSV file."""

from __future__ import annotations

from django.http import HttpResponse, StreamingHttpResponse
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils import timezone

from linli.core import clock
from linli.core.errors import NotFound, ValidationFailed
from linli.demands.errors import ExportTooLarge
from linli.demands.exports import csv_chunks, export_xlsx
from linli.demands.selectors import DemandFilters
from linli.demands.selectors import demand_list as select_demands
from linli.demands.services.export_jobs import BACKGROUND_EXPORT_ROWS, export_job_start
from linli.demands.views.forms import FilterForm
from linli.ui.pages import page_of, query_without_page, staff_page

XLSX_MAX_ROWS = 100_000
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filters(form: FilterForm) -> DemandFilters:
    d = form.cleaned_data
    overdue = {"yes": True, "no": False}.get(d.get("overdue") or "")
    return DemandFilters(
        status=d.get("status") or [],
        unit_id=d["unit"].pk if d.get("unit") else None,
        category_id=d["category"].pk if d.get("category") else None,
        community_id=d["community"].pk if d.get("community") else None,
        channel=[d["channel"]] if d.get("channel") else [],
        date_from=d.get("date_from"),
        date_to=d.get("date_to"),
        overdue=overdue,
        q=d.get("q") or "",
        sort=d.get("sort") or "-registered_at",
        ids=d.get("ids") or [],
    )


@staff_page()
def demand_list(request):
    """Bad filters are reported next to their fields and the list stays empty until they are fixed."""
    form = FilterForm(request.GET)
    valid = form.is_valid()
    filters = _filters(form) if valid else DemandFilters(status=["__none__"])
    demands = select_demands(user=request.user, filters=filters)
    page = page_of(request, demands)
    context = {"form": form, "page": page, "base_query": query_without_page(request), "valid": valid}
    context["issue_ids"] = len(filters.ids)
    if request.htmx and request.htmx.target == "results":
        return render(request, "demands/demand_list.html#results", context)
    return render(request, "demands/demand_list.html", context, status=200 if valid else 422)


@staff_page()
def demand_export(request, fmt: str):
    if fmt not in ("csv", "xlsx"):
        raise NotFound(details={"format": fmt})
    form = FilterForm(request.GET)
    if not form.is_valid():
        raise ValidationFailed(details={k: [str(e) for e in v] for k, v in form.errors.items()})
    filters = _filters(form)
    demands = select_demands(user=request.user, filters=filters)
    if fmt == "xlsx" or request.GET.get("background") == "1":
        rows = demands.count()
        if rows > BACKGROUND_EXPORT_ROWS or request.GET.get("background") == "1":
            # too big to build inside the request: made in the background, downloaded from 我的导出
            export_job_start(user=request.user, filters=filters, fmt=fmt)
            messages.success(
                request, _("共 %(rows)s 条，已转为后台导出，完成后在“我的导出”下载。") % {"rows": rows}
            )
            return redirect("web:exports")
    if fmt == "xlsx":
        if rows > XLSX_MAX_ROWS:
            raise ExportTooLarge(details={"rows": rows, "max_rows": XLSX_MAX_ROWS})
        response = HttpResponse(export_xlsx(demands, user=request.user), content_type=XLSX_TYPE)
    else:
        response = StreamingHttpResponse(
            csv_chunks(demands, user=request.user), content_type="text/csv; charset=utf-8"
        )
    response["Content-Disposition"] = (
        f'attachment; filename="demands-{timezone.localdate(clock.now()):%Y%m%d}.{fmt}"'
    )
    return response
