"""Workshop pages: orders (a firm sees its own), one order (lots, delivery checks), firms, ledger, income."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from linli.core.errors import PermissionDenied
from linli.core.text import mask_phone
from linli.org.selectors import jurisdiction_list, staff_list
from linli.org.states import Role
from linli.workshop import selectors as sel
from linli.workshop import services as s
from linli.workshop.exports import statement_xlsx
from linli.workshop.permissions import (
    access_firm,
    access_lot,
    access_order,
    access_participant,
    can_manage_some,
    community_q,
    firm_q,
    is_firm,
    managed_community_ids,
    may_manage,
    order_q,
    own_firm,
)
from linli.workshop.states import ORDER_TRANSITIONS, OrderStatus
from linli.workshop.views._common import (
    date_of,
    fen_of,
    int_of,
    month_of,
    page_of,
    query_without_page,
    run,
    workshop_page,
)

ACTION_LABELS = {"close": _l("完结订单"), "reopen": _l("重新开放"), "cancel": _l("取消订单")}


def _communities(user):
    managed = managed_community_ids(user)
    qs = jurisdiction_list().filter(level__in=["community", "village"]).order_by("code")
    return qs if managed is None else qs.filter(pk__in=managed)


def _may_post(user) -> bool:
    return can_manage_some(user) or (is_firm(user) and own_firm(user) is not None)


@workshop_page
def orders(request):
    user = request.user
    if request.method == "POST":
        if not _may_post(user):
            raise PermissionDenied()
        p = request.POST
        firm_id = own_firm(user).pk if is_firm(user) else int_of(p.get("firm"), "firm")
        failed, order = run(
            request,
            lambda: s.order_create(
                actor=user,
                firm_id=firm_id,
                item=p.get("item", ""),
                quantity=p.get("quantity"),
                unit_price_fen=fen_of(p.get("unit_price"), "unit_price"),
                quality_standard=p.get("quality_standard", ""),
                deadline=date_of(p.get("deadline"), "deadline"),
                community_id=int_of(p.get("community"), "community"),
            ),
            ok=_("订单已发布"),
            back=reverse("workshop:orders"),
        )
        return failed or redirect("workshop:order", order.pk)
    status = request.GET.get("status") or None
    return render(
        request,
        "workshop/orders.html",
        {
            "page": page_of(request, sel.order_list(visible=order_q(user), status=status)),
            "base_query": query_without_page(request),
            "statuses": OrderStatus.choices,
            "status": status or "",
            "may_post": _may_post(user),
            "is_firm": is_firm(user),
            "firms": sel.firm_list(visible=firm_q(user)) if can_manage_some(user) else [],
            "communities": _communities(user) if can_manage_some(user) else [],
            "can_manage": can_manage_some(user),
        },
    )


@workshop_page
def order_page(request, pk: int):
    order = access_order(request.user, pk)
    detail = sel.order_detail(order=order)
    for lot in detail["lots"]:
        lot.masked_phone = mask_phone(lot.participant.phone)
    manage = may_manage(request.user, order.community_id)
    actions = [
        (a, ACTION_LABELS[a]) for a, (allowed, _t) in ORDER_TRANSITIONS.items() if order.status in allowed
    ]
    return render(
        request,
        "workshop/order.html",
        {
            "order": order,
            **detail,
            "manage": manage,
            "actions": actions if manage else [],
            "open_lots": [lot for lot in detail["lots"] if lot.remaining > 0],
            "participants": sel.participant_options(visible=community_q(request.user)) if manage else [],
            "communities": _communities(request.user) if manage else [],
        },
    )


@workshop_page
@require_POST
def order_do(request, pk: int, action: str):
    order = access_order(request.user, pk, for_write=True)
    run(
        request,
        lambda: s.order_transition(actor=request.user, order_id=order.pk, action=action),
        ok=_("订单状态已更新"),
        back="",
    )
    return redirect("workshop:order", order.pk)


@workshop_page
@require_POST
def lot_new(request, pk: int):
    order = access_order(request.user, pk, for_write=True)
    p = request.POST

    def take():
        participant_id = int_of(p.get("participant"), "participant")
        if participant_id is None:
            participant_id = s.participant_register(
                actor=request.user,
                name=p.get("name", ""),
                phone=p.get("phone", ""),
                community_id=int_of(p.get("community"), "community") or order.community_id,
            ).pk
        else:
            access_participant(request.user, participant_id, for_write=True)
        return s.lot_take(
            actor=request.user,
            order_id=order.pk,
            participant_id=participant_id,
            quantity=p.get("quantity"),
            taken_on=date_of(p.get("taken_on"), "taken_on", default_today=True),
        )

    run(request, take, ok=_("领料已登记"), back="")
    return redirect("workshop:order", order.pk)


@workshop_page
@require_POST
def delivery_new(request, pk: int):
    order = access_order(request.user, pk, for_write=True)
    p = request.POST
    lot_id = int_of(p.get("lot"), "lot")

    def check():
        lot = access_lot(request.user, lot_id or 0, for_write=True)
        if lot.order_id != order.pk:
            raise PermissionDenied()
        return s.delivery_check(
            actor=request.user,
            lot_id=lot.pk,
            accepted=p.get("accepted") or 0,
            rejected=p.get("rejected") or 0,
            delivered_on=date_of(p.get("delivered_on"), "delivered_on", default_today=True),
        )

    failed, delivery = run(
        request, check, ok=_("交货已验收"), back=reverse("workshop:order", args=[order.pk])
    )
    if not failed:
        messages.info(request, _("本次计件收入 %(yuan)s 元") % {"yuan": sel.yuan(delivery.amount_fen)})
    return redirect("workshop:order", order.pk)


@workshop_page
def firms(request):
    user = request.user
    if request.method == "POST":
        if not can_manage_some(user):
            raise PermissionDenied()
        p = request.POST
        failed, _firm = run(
            request,
            lambda: s.firm_create(
                actor=user,
                name=p.get("name", ""),
                community_id=int_of(p.get("community"), "community"),
                contact=p.get("contact", ""),
                account_id=int_of(p.get("account"), "account"),
            ),
            ok=_("合作企业已登记"),
            back=reverse("workshop:firms"),
        )
        return failed or redirect("workshop:firms")
    return render(
        request,
        "workshop/firms.html",
        {
            "firms": sel.firm_list(visible=firm_q(user)),
            "can_manage": can_manage_some(user),
            "communities": _communities(user) if can_manage_some(user) else [],
            "accounts": staff_list().filter(role=Role.PARTNER_FIRM, workshop_firm__isnull=True)
            if can_manage_some(user)
            else [],
            "month": month_of(request.GET.get("month")),
        },
    )


def _ledger_scope(user) -> tuple[Q, Q]:
    """Deliveries and payments this user may see in the ledger: a firm its own, staff by participant community."""
    if is_firm(user):
        return Q(lot__order__firm__account=user), Q(firm__account=user)
    return community_q(user, "lot__participant__"), community_q(user, "participant__")


@workshop_page
def ledger(request):
    user = request.user
    if request.method == "POST":
        if not can_manage_some(user):
            raise PermissionDenied()
        p = request.POST

        def pay():
            participant = access_participant(
                user, int_of(p.get("participant"), "participant") or 0, for_write=True
            )
            return s.payment_record(
                actor=user,
                firm_id=int_of(p.get("firm"), "firm") or 0,
                participant_id=participant.pk,
                amount_fen=fen_of(p.get("amount"), "amount"),
                paid_on=date_of(p.get("paid_on"), "paid_on", default_today=True),
                note=p.get("note", ""),
            )

        failed, _payment = run(request, pay, ok=_("付款已登记"), back=reverse("workshop:ledger"))
        return failed or redirect("workshop:ledger")
    deliveries, payments = _ledger_scope(user)
    return render(
        request,
        "workshop/ledger.html",
        {**sel.ledger(deliveries=deliveries, payments=payments), "can_manage": can_manage_some(user)},
    )


@workshop_page
def income(request):
    deliveries, _payments = _ledger_scope(request.user)
    month = month_of(request.GET.get("month"))
    return render(request, "workshop/income.html", sel.monthly_income(deliveries=deliveries, month=month))


@workshop_page
def statement(request, pk: int):
    firm = access_firm(request.user, pk)
    month = month_of(request.GET.get("month"))
    body = statement_xlsx(sel.firm_statement(firm=firm, month=month))
    response = HttpResponse(
        body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="statement-{firm.pk}-{month}.xlsx"'
    return response
