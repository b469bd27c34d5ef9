"""The demand list: filters, sorting, paging, saved filters, and the same filtered list as an XLSX or CSV file."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from linli.core import clock
from linli.core.errors import NotFound, ValidationFailed
from linli.demands.desk_selectors import saved_filter_list
from linli.demands.errors import ExportTooLarge
from linli.demands.exports import csv_chunks, export_xlsx
from linli.demands.selectors import DemandFilters
from linli.demands.selectors import demand_list as select_demands
from linli.demands.services.export_jobs import BACKGROUND_EXPORT_ROWS, export_job_start
from linli.demands.services.saved_filters import saved_filter_delete, saved_filter_save
from linli.demands.views.forms import FilterForm
from linli.ui.pages import PAGE_SIZE, query_without_page, staff_page

XLSX_MAX_ROWS = 100_000
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A keyword search counts at most this many rows ("1000+ 条"): the page never counts the whole table.
KEYWORD_COUNT_CAP = 1000


class CappedPaginator(Paginator):
    """Counts at most ``cap`` + 1 rows; ``capped`` tells the page to say "1000+"."""

    def __init__(self, *args, cap: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.cap = cap

    @cached_property
    def _seen(self) -> int:
        """Rows up to ``cap`` + 1, unordered (a count need not sort), in one query."""
        return self.object_list.order_by().values("pk")[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._seen, self.cap)

    @cached_property
    def capped(self) -> bool:
        return self._seen > self.cap


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


def _page(request, demands, keyword: bool):
    if keyword:
        paginator = CappedPaginator(demands, PAGE_SIZE, cap=KEYWORD_COUNT_CAP)
    else:
        paginator = Paginator(demands, PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))


@staff_page()
def demand_list(request):
    """Bad filters are reported next to their fields and the list stays empty until they are fixed."""
    form = FilterForm(request.GET)
    valid = form.is_valid()
    filters = _filters(form) if valid else DemandFilters(status=["__none__"])
    demands = select_demands(user=request.user, filters=filters)
    page = _page(request, demands, keyword=bool(filters.q))
    context = {"form": form, "page": page, "base_query": query_without_page(request), "valid": valid}
    context["issue_ids"] = len(filters.ids)
    context["capped"] = getattr(page.paginator, "capped", False)
    context["page_numbers"] = list(
        page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    )
    context["ellipsis"] = Paginator.ELLIPSIS
    context["saved_filters"] = list(saved_filter_list(user=request.user))
    context["background_rows"] = BACKGROUND_EXPORT_ROWS
    if request.htmx and request.htmx.target == "results":
        return render(request, "demands/demand_list.html#results", context)
    return render(request, "demands/demand_list.html", context, status=200 if valid else 422)


def _export_query(request):
    """The list's filters; ticked rows (``id`` repeated) narrow the export to them."""
    data = (request.POST if request.method == "POST" else request.GET).copy()
    ticked = data.getlist("id")
    if ticked:
        if any(not v.isdigit() for v in ticked):
            raise ValidationFailed("诉求编号有误", "Bad demand id", details={"id": ticked})
        data.setlist("id", [])
        data["ids"] = ",".join(ticked)
    return data


@require_http_methods(["GET", "POST"])
@staff_page()
def demand_export(request, fmt: str):
    """GET: the file itself (an XLSX over 5,000 rows becomes a background job); POST: a background job."""
    if fmt not in ("csv", "xlsx"):
        raise NotFound(details={"format": fmt})
    form = FilterForm(_export_query(request))
    if not form.is_valid():
        raise ValidationFailed(details={k: [str(e) for e in v] for k, v in form.errors.items()})
    filters = _filters(form)
    demands = select_demands(user=request.user, filters=filters)
    background = request.method == "POST"
    if fmt == "xlsx" or background:
        rows = demands.count()
        if rows > BACKGROUND_EXPORT_ROWS or background:
            # too big to build inside the request: made in the background, downloaded from 我的导出
            export_job_start(user=request.user, filters=filters, fmt=fmt)
            messages.success(
                request, _("共 %(rows)s 条，已转为后台导出，完成后在“我的导出”下载。") % {"rows": rows}
            )
            return redirect("web:exports")
        if rows > XLSX_MAX_ROWS:
            raise ExportTooLarge(details={"rows": rows, "max_rows": XLSX_MAX_ROWS})
    if fmt == "xlsx":
        response = HttpResponse(export_xlsx(demands, user=request.user), content_type=XLSX_TYPE)
    else:
        response = StreamingHttpResponse(
            csv_chunks(demands, user=request.user), content_type="text/csv; charset=utf-8"
        )
    response["Content-Disposition"] = (
        f'attachment; filename="demands-{timezone.localdate(clock.now()):%Y%m%d}.{fmt}"'
    )
    return response


@require_POST
@staff_page()
def saved_filter_add(request):
    saved = saved_filter_save(
        user=request.user, name=request.POST.get("name", ""), query=request.POST.get("query", "")
    )
    messages.success(request, _("已保存常用筛选：%(name)s") % {"name": saved.name})
    return redirect(f"{reverse('web:demand_list')}?{saved.query}")


@require_POST
@staff_page()
def saved_filter_remove(request, filter_id: int):
    saved_filter_delete(user=request.user, filter_id=filter_id)
    messages.success(request, _("已删除常用筛选"))
    return redirect("web:demand_list")
