"""Workshop JSON endpoints under /api/v1/empower/workshop/: orders, lots, delivery checks, payments, the
ledger and monthly income. Money in fen (integers). A partner firm's account is admitted and sees its own."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from ninja import Router, Schema, Status

from linli.core import clock
from linli.core.errors import PermissionDenied
from linli.core.text import mask_phone
from linli.org.auth import BearerTokenAuth, BrowserSessionAuth
from linli.workshop import selectors as sel
from linli.workshop import services as s
from linli.workshop.errors import BadInput
from linli.workshop.permissions import (
    access_lot,
    access_order,
    access_participant,
    community_q,
    firm_q,
    is_firm,
    may_open_workshop,
    order_q,
)

router = Router(
    tags=["社区工坊 workshop"], auth=[BearerTokenAuth(empower=True), BrowserSessionAuth(empower=True)]
)


class OrderIn(Schema):
    firm_id: int
    item: str
    quantity: int
    unit_price_fen: int
    deadline: dt.date
    quality_standard: str = ""
    community_id: int | None = None


class OrderOut(Schema):
    id: int
    firm_id: int
    firm: str
    community_id: int
    community: str
    item: str
    quantity: int
    unit_price_fen: int
    quality_standard: str
    deadline: dt.date
    status: str
    given: int
    accepted: int


class LotOut(Schema):
    id: int
    participant_id: int
    participant: str
    phone: str
    community: str
    quantity: int
    taken_on: dt.date
    accepted: int
    rejected: int
    remaining: int


class DeliveryOut(Schema):
    id: int
    lot_id: int
    delivered_on: dt.date
    accepted: int
    rejected: int
    unit_price_fen: int
    amount_fen: int


class OrderDetailOut(OrderOut):
    lots: list[LotOut]
    deliveries: list[DeliveryOut]
    earned_fen: int


class WorkshopTransitionIn(Schema):
    action: str


class LotIn(Schema):
    quantity: int
    participant_id: int | None = None
    name: str = ""
    phone: str = ""
    community_id: int | None = None
    taken_on: dt.date | None = None


class DeliveryIn(Schema):
    accepted: int
    rejected: int = 0
    delivered_on: dt.date | None = None


class PaymentIn(Schema):
    firm_id: int
    participant_id: int
    amount_fen: int
    paid_on: dt.date
    note: str = ""


class PaymentOut(Schema):
    id: int
    firm_id: int
    participant_id: int
    amount_fen: int
    paid_on: dt.date


class WorkshopLedgerRowOut(Schema):
    id: int
    name: str
    earned_fen: int
    paid_fen: int
    owed_fen: int


class WorkshopLedgerOut(Schema):
    participants: list[WorkshopLedgerRowOut]
    firms: list[WorkshopLedgerRowOut]


class IncomePersonOut(Schema):
    name: str
    phone: str
    community: str
    pieces: int
    fen: int


class IncomeCommunityOut(Schema):
    community: str
    people: int
    fen: int
    average_fen: int


class IncomeOut(Schema):
    month: str
    first: dt.date
    last: dt.date
    total_fen: int
    participants: list[IncomePersonOut]
    communities: list[IncomeCommunityOut]


class FirmOut(Schema):
    id: int
    name: str
    community: str


def _admitted(user) -> None:
    if not may_open_workshop(user):
        raise PermissionDenied()


def _order(o) -> dict:
    return {
        "id": o.pk,
        "firm_id": o.firm_id,
        "firm": o.firm.name,
        "community_id": o.community_id,
        "community": o.community.name,
        "item": o.item,
        "quantity": o.quantity,
        "unit_price_fen": o.unit_price_fen,
        "quality_standard": o.quality_standard,
        "deadline": o.deadline,
        "status": o.status,
        "given": getattr(o, "given", 0) or 0,
        "accepted": getattr(o, "accepted_total", 0) or 0,
    }


def _delivery(d) -> dict:
    return {
        "id": d.pk,
        "lot_id": d.lot_id,
        "delivered_on": d.delivered_on,
        "accepted": d.accepted,
        "rejected": d.rejected,
        "unit_price_fen": d.unit_price_fen,
        "amount_fen": d.amount_fen,
    }


def _scope(user) -> tuple[Q, Q]:
    if is_firm(user):
        return Q(lot__order__firm__account=user), Q(firm__account=user)
    return community_q(user, "lot__participant__"), community_q(user, "participant__")


@router.get("/orders", response=list[OrderOut], summary="订单列表（企业账号只见本企业） / Orders")
def workshop_order_list(request, status: str | None = None):
    _admitted(request.auth)
    return [_order(o) for o in sel.order_list(visible=order_q(request.auth), status=status)]


@router.post("/orders", response={201: OrderOut}, summary="发布订单 / Post an order")
def workshop_order_create(request, body: OrderIn):
    _admitted(request.auth)
    order = s.order_create(actor=request.auth, **body.dict())
    return Status(201, _order(sel.order_list(visible=order_q(request.auth)).get(pk=order.pk)))


@router.get("/orders/{order_id}", response=OrderDetailOut, summary="订单详情：领料与验收 / An order")
def workshop_order_get(request, order_id: int):
    order = access_order(request.auth, order_id)
    d = sel.order_detail(order=order)
    lots = [
        {
            "id": lot.pk,
            "participant_id": lot.participant_id,
            "participant": lot.participant.name,
            "phone": mask_phone(lot.participant.phone),
            "community": lot.participant.community.name,
            "quantity": lot.quantity,
            "taken_on": lot.taken_on,
            "accepted": lot.accepted,
            "rejected": lot.rejected,
            "remaining": lot.remaining,
        }
        for lot in d["lots"]
    ]
    return {
        **_order(order),
        "given": d["given"],
        "accepted": d["accepted"],
        "lots": lots,
        "deliveries": [_delivery(x) for x in d["deliveries"]],
        "earned_fen": d["earned_fen"],
    }


@router.post(
    "/orders/{order_id}/transition", response=OrderOut, summary="完结/重开/取消订单 / Close, reopen, cancel"
)
def workshop_order_transition(request, order_id: int, body: WorkshopTransitionIn):
    access_order(request.auth, order_id, for_write=True)
    s.order_transition(actor=request.auth, order_id=order_id, action=body.action)
    return _order(sel.order_list(visible=order_q(request.auth)).get(pk=order_id))


@router.post("/orders/{order_id}/lots", response={201: LotOut}, summary="群众领料 / A resident takes a lot")
def workshop_lot_take(request, order_id: int, body: LotIn):
    order = access_order(request.auth, order_id, for_write=True)
    if body.participant_id is not None:
        participant = access_participant(request.auth, body.participant_id, for_write=True)
    elif body.name and body.phone:
        participant = s.participant_register(
            actor=request.auth,
            name=body.name,
            phone=body.phone,
            community_id=body.community_id or order.community_id,
        )
    else:
        raise BadInput(
            "请选择参与群众，或填写姓名和电话",
            "Give a participant, or a name and a phone",
            details={"participant_id": None},
        )
    lot = s.lot_take(
        actor=request.auth,
        order_id=order.pk,
        participant_id=participant.pk,
        quantity=body.quantity,
        taken_on=body.taken_on,
    )
    return Status(
        201,
        {
            "id": lot.pk,
            "participant_id": participant.pk,
            "participant": participant.name,
            "phone": mask_phone(participant.phone),
            "community": participant.community.name,
            "quantity": lot.quantity,
            "taken_on": lot.taken_on,
            "accepted": 0,
            "rejected": 0,
            "remaining": lot.quantity,
        },
    )


@router.post(
    "/lots/{lot_id}/deliveries",
    response={201: DeliveryOut},
    summary="交货验收（超过批次未交数量被拒绝） / Check a delivery",
)
def workshop_delivery_check(request, lot_id: int, body: DeliveryIn):
    access_lot(request.auth, lot_id, for_write=True)
    d = s.delivery_check(
        actor=request.auth,
        lot_id=lot_id,
        accepted=body.accepted,
        rejected=body.rejected,
        delivered_on=body.delivered_on,
    )
    return Status(201, _delivery(d))


@router.post("/payments", response={201: PaymentOut}, summary="登记付款（不超过应付未付） / Record a payment")
def workshop_payment_record(request, body: PaymentIn):
    access_participant(request.auth, body.participant_id, for_write=True)
    p = s.payment_record(actor=request.auth, **body.dict())
    return Status(
        201,
        {
            "id": p.pk,
            "firm_id": p.firm_id,
            "participant_id": p.participant_id,
            "amount_fen": p.amount_fen,
            "paid_on": p.paid_on,
        },
    )


@router.get("/ledger", response=WorkshopLedgerOut, summary="台账：每人、每企业应得、已付、未付 / Ledger")
def workshop_ledger(request):
    _admitted(request.auth)
    deliveries, payments = _scope(request.auth)
    book = sel.ledger(deliveries=deliveries, payments=payments)
    return {
        "participants": [
            {
                "id": r["participant"].pk,
                "name": r["participant"].name,
                "earned_fen": r["earned"],
                "paid_fen": r["paid"],
                "owed_fen": r["owed"],
            }
            for r in book["participants"]
        ],
        "firms": [
            {
                "id": r["firm"].pk,
                "name": r["firm"].name,
                "earned_fen": r["earned"],
                "paid_fen": r["paid"],
                "owed_fen": r["owed"],
            }
            for r in book["firms"]
        ],
    }


@router.get("/income", response=IncomeOut, summary="月收入：每人、每社区（本地自然月） / Monthly income")
def workshop_income(request, month: str | None = None):
    _admitted(request.auth)
    month = month or clock.today().strftime("%Y-%m")
    try:
        sel.month_bounds(month)
    except ValueError as exc:
        raise BadInput("月份格式应为 YYYY-MM", "Months are YYYY-MM", details={"month": month}) from exc
    deliveries, _payments = _scope(request.auth)
    return sel.monthly_income(deliveries=deliveries, month=month)


@router.get("/firms", response=list[FirmOut], summary="合作企业 / Partner firms")
def workshop_firm_list(request):
    _admitted(request.auth)
    return [
        {"id": f.pk, "name": f.name, "community": f.community.name}
        for f in sel.firm_list(visible=firm_q(request.auth))
    ]
