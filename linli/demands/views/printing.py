"""The printed work order (工单): one A4 page per demand, as a print page or as a PDF, alone or in a batch.

Same access as the demand page: a demand this person may not open is not found (alone: 404; in a batch: listed
as not found on the screen, never printed). The template does not extend the staff menu.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone

from linli.core import clock
from linli.core.errors import ValidationFailed
from linli.demands.permissions import access_demand, visible_demands
from linli.demands.selectors import demand_detail, phone_for
from linli.demands.services.desk import BATCH_MAX
from linli.ui.pages import staff_page


def _order(user, demand) -> dict:
    demand = demand_detail(demand=demand)
    return {
        "demand": demand,
        "phone": phone_for(user=user, demand=demand),
        "assignments": list(demand.assignments.all()),
        "events": list(demand.events.all()),
    }


def _ids(request) -> list[int]:
    raw = request.GET.getlist("id") or request.POST.getlist("id")
    ids = list(dict.fromkeys(int(v) for v in raw if str(v).isdigit()))
    if not ids or len(ids) != len([v for v in raw if v]):
        raise ValidationFailed("请先勾选要打印的诉求", "Select the demands to print", details={"id": raw})
    if len(ids) > BATCH_MAX:
        raise ValidationFailed(
            "一次最多打印 200 件",
            "At most 200 work orders at once",
            details={"count": len(ids), "max": BATCH_MAX},
        )
    return ids


def _respond(request, context: dict, name: str):
    if request.GET.get("format") == "pdf":
        import weasyprint  # only when a PDF is asked for: a heavy import

        html = render_to_string("demands/desk/print.html", {**context, "pdf": True}, request=request)
        pdf = weasyprint.HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
        return response
    return render(request, "demands/desk/print.html", context)


@staff_page()
def demand_print(request, pk: int):
    order = _order(request.user, access_demand(request.user, pk))
    context = {"orders": [order], "missing": [], "printed_at": clock.now()}
    return _respond(request, context, f"workorder-{order['demand'].code}")


@staff_page()
def demands_print(request):
    """Selected work orders, one per page, in the order they were selected."""
    ids = _ids(request)
    found = {d.pk: d for d in visible_demands(request.user).filter(pk__in=ids)}
    orders = [_order(request.user, found[i]) for i in ids if i in found]
    context = {"orders": orders, "missing": [i for i in ids if i not in found], "printed_at": clock.now()}
    return _respond(request, context, f"workorders-{timezone.localdate(clock.now()):%Y%m%d}")
