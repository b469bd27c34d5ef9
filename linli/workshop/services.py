"""Every write of the workshop app: lock → check → update → event, in one transaction. Money in fen."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Sum

from linli.core import clock
from linli.core.daterange import check_date
from linli.core.text import clean_text, normalize_phone
from linli.org.selectors import community_get, staff_list
from linli.org.states import Role
from linli.workshop.errors import (
    BadInput,
    BadPhone,
    FirmNotFound,
    LotNotFound,
    NotAllowed,
    OrderNotFound,
    OrderNotOpen,
    OverBalance,
    OverLot,
    OverOrder,
    ParticipantNotFound,
    TransitionNotAllowed,
)
from linli.workshop.models import Delivery, Firm, Lot, Order, Participant, Payment, WorkshopEvent
from linli.workshop.permissions import is_firm, may_manage
from linli.workshop.selectors import balance
from linli.workshop.states import ORDER_TRANSITIONS, WORK_ALLOWED, EventKind, Subject

MAX_COUNT = 10_000_000
MAX_FEN = 100_000_000  # one million yuan: a typo guard, not a business rule


def _record(subject_type, subject_id, kind, *, actor=None, old=None, new=None) -> WorkshopEvent:
    return WorkshopEvent.objects.create(
        subject_type=subject_type,
        subject_id=subject_id,
        kind=kind,
        actor=actor if actor is not None and getattr(actor, "pk", None) else None,
        at=clock.now(),
        old=old or {},
        new=new or {},
    )


def _text(value, name: str, *, max_len: int, required: bool = True) -> str:
    value = clean_text(value or "")
    if required and not value:
        raise BadInput("请填写必填项", "A required field is empty", details={name: "required"})
    if len(value) > max_len:
        raise BadInput("内容过长", "The text is too long", details={name: f"at most {max_len}"})
    return value


def _count(value, name: str, *, low: int = 0, high: int = MAX_COUNT) -> int:
    if isinstance(value, bool):
        raise BadInput("应为整数", "A whole number is expected", details={name: value})
    try:
        number = int(value)
    except (TypeError, ValueError) as exc:
        raise BadInput("应为整数", "A whole number is expected", details={name: value}) from exc
    if number != value and str(number) != str(value).strip():
        raise BadInput("应为整数", "A whole number is expected", details={name: value})
    if not low <= number <= high:
        raise BadInput("数值超出范围", "The number is out of range", details={name: number})
    return number


def _manage(actor, community_id: int) -> None:
    if not may_manage(actor, community_id):
        raise NotAllowed()


# --- firms and orders -----------------------------------------------------------------------------------


def firm_create(
    *, actor, name: str, community_id: int, contact: str = "", account_id: int | None = None
) -> Firm:
    community = community_get(community_id=community_id)
    _manage(actor, community.pk)
    account = None
    if account_id is not None:
        account = staff_list().filter(pk=account_id, role=Role.PARTNER_FIRM).first()
        if account is None:
            raise BadInput(
                "企业账号须为“合作企业”角色",
                "The firm's account must have the partner-firm role",
                details={"account": account_id},
            )
    name = _text(name, "name", max_len=100)
    with transaction.atomic():
        if Firm.objects.filter(name=name).exists():
            raise BadInput("已有同名企业", "A firm of this name exists", details={"name": name})
        firm = Firm.objects.create(
            name=name,
            community=community,
            contact=_text(contact, "contact", max_len=60, required=False),
            account=account,
        )
        _record(
            Subject.FIRM,
            firm.pk,
            EventKind.CREATED,
            actor=actor,
            new={"name": name, "community": community.pk},
        )
    return firm


def order_create(
    *,
    actor,
    firm_id: int,
    item: str,
    quantity,
    unit_price_fen,
    deadline: dt.date,
    quality_standard: str = "",
    community_id: int | None = None,
) -> Order:
    """A firm posts an order for its own workshop community, or a community worker enters it for the firm."""
    firm = Firm.objects.filter(pk=firm_id).first()
    if firm is None:
        raise FirmNotFound()
    if is_firm(actor):
        if firm.account_id != actor.pk:
            raise FirmNotFound()
        community_id = firm.community_id
    community = community_get(community_id=community_id or firm.community_id)
    if not is_firm(actor):
        _manage(actor, community.pk)
    check_date(deadline, field="deadline")
    if deadline < clock.today():
        raise BadInput(
            "交货期限不能早于今天",
            "The deadline cannot be in the past",
            details={"deadline": deadline.isoformat()},
        )
    with transaction.atomic():
        order = Order.objects.create(
            firm=firm,
            community=community,
            item=_text(item, "item", max_len=100),
            quantity=_count(quantity, "quantity", low=1),
            unit_price_fen=_count(unit_price_fen, "unit_price_fen", low=1, high=MAX_FEN),
            quality_standard=_text(quality_standard, "quality_standard", max_len=2000, required=False),
            deadline=deadline,
            created_by=actor,
        )
        _record(
            Subject.ORDER,
            order.pk,
            EventKind.CREATED,
            actor=actor,
            new={
                "firm": firm.pk,
                "item": order.item,
                "quantity": order.quantity,
                "unit_price_fen": order.unit_price_fen,
                "deadline": deadline.isoformat(),
            },
        )
    return order


def order_transition(*, actor, order_id: int, action: str) -> Order:
    if action not in ORDER_TRANSITIONS:
        raise BadInput(details={"action": action})
    allowed, target = ORDER_TRANSITIONS[action]
    with transaction.atomic():
        order = Order.objects.select_for_update().filter(pk=order_id).first()
        if order is None:
            raise OrderNotFound()
        _manage(actor, order.community_id)
        if order.status not in allowed:
            raise TransitionNotAllowed(details={"status": order.status, "action": action})
        old = order.status
        order.status, order.version = target, order.version + 1
        order.save(update_fields=["status", "version"])
        _record(
            Subject.ORDER,
            order.pk,
            EventKind.TRANSITION,
            actor=actor,
            old={"status": old},
            new={"status": target},
        )
    return order


# --- participants and lots ------------------------------------------------------------------------------


def participant_register(*, actor, name: str, phone: str, community_id: int) -> Participant:
    """The participant with this phone (registered once), or a new one in this community."""
    try:
        phone = normalize_phone(phone)
    except ValueError as exc:
        raise BadPhone(details={"phone": "invalid"}) from exc
    community = community_get(community_id=community_id)
    _manage(actor, community.pk)
    with transaction.atomic():
        found = Participant.objects.select_for_update().filter(phone=phone).first()
        if found is not None:
            if not may_manage(actor, found.community_id):
                raise NotAllowed()
            return found
        participant = Participant.objects.create(
            name=_text(name, "name", max_len=40), phone=phone, community=community
        )
        _record(
            Subject.PARTICIPANT,
            participant.pk,
            EventKind.CREATED,
            actor=actor,
            new={"community": community.pk},
        )
    return participant


def lot_take(*, actor, order_id: int, participant_id: int, quantity, taken_on: dt.date | None = None) -> Lot:
    taken_on = check_date(taken_on or clock.today(), field="taken_on")
    quantity = _count(quantity, "quantity", low=1)
    with transaction.atomic():
        order = Order.objects.select_for_update().filter(pk=order_id).first()
        if order is None:
            raise OrderNotFound()
        _manage(actor, order.community_id)
        participant = Participant.objects.filter(pk=participant_id).first()
        if participant is None or not may_manage(actor, participant.community_id):
            raise ParticipantNotFound()
        if order.status not in WORK_ALLOWED:
            raise OrderNotOpen(details={"status": order.status})
        given = Lot.objects.filter(order=order).aggregate(n=Sum("quantity"))["n"] or 0
        if given + quantity > order.quantity:
            raise OverOrder(details={"left": order.quantity - given, "asked": quantity})
        lot = Lot.objects.create(order=order, participant=participant, quantity=quantity, taken_on=taken_on)
        _record(
            Subject.LOT,
            lot.pk,
            EventKind.LOT_TAKEN,
            actor=actor,
            new={
                "order": order.pk,
                "participant": participant.pk,
                "quantity": quantity,
                "taken_on": taken_on.isoformat(),
            },
        )
    return lot


def delivery_check(
    *, actor, lot_id: int, accepted, rejected=0, delivered_on: dt.date | None = None
) -> Delivery:
    """Pieces handed in and checked: accepted ones are earned at the order's unit price, rejected ones go back
    for rework (they stay in the lot). More than the lot still owes is ``workshop.over_lot``."""
    delivered_on = check_date(delivered_on or clock.today(), field="delivered_on")
    if delivered_on > clock.today():
        raise BadInput(
            "交货日期不能在将来",
            "The delivery date cannot be in the future",
            details={"delivered_on": delivered_on.isoformat()},
        )
    accepted, rejected = _count(accepted, "accepted"), _count(rejected, "rejected")
    if accepted + rejected == 0:
        raise BadInput(
            "请填写合格或不合格数量", "Give the accepted or rejected count", details={"accepted": 0}
        )
    with transaction.atomic():
        lot = Lot.objects.select_for_update().select_related("order").filter(pk=lot_id).first()
        if lot is None:
            raise LotNotFound()
        _manage(actor, lot.order.community_id)
        if lot.order.status not in WORK_ALLOWED:
            raise OrderNotOpen(details={"status": lot.order.status})
        if accepted + rejected > lot.remaining:
            raise OverLot(details={"remaining": lot.remaining, "delivered": accepted + rejected})
        price = lot.order.unit_price_fen
        delivery = Delivery.objects.create(
            lot=lot,
            delivered_on=delivered_on,
            accepted=accepted,
            rejected=rejected,
            unit_price_fen=price,
            amount_fen=accepted * price,
            checked_by=actor,
        )
        old = {"accepted": lot.accepted, "rejected": lot.rejected}
        lot.accepted, lot.rejected, lot.version = (
            lot.accepted + accepted,
            lot.rejected + rejected,
            lot.version + 1,
        )
        lot.save(update_fields=["accepted", "rejected", "version"])
        _record(
            Subject.DELIVERY,
            delivery.pk,
            EventKind.CHECKED,
            actor=actor,
            old=old,
            new={
                "lot": lot.pk,
                "accepted": accepted,
                "rejected": rejected,
                "amount_fen": delivery.amount_fen,
                "delivered_on": delivered_on.isoformat(),
            },
        )
    return delivery


# --- payments -------------------------------------------------------------------------------------------


def owed_fen(*, firm_id: int, participant_id: int) -> int:
    earned, paid = balance(firm_id=firm_id, participant_id=participant_id)
    return earned - paid


def payment_record(
    *, actor, firm_id: int, participant_id: int, amount_fen, paid_on: dt.date, note: str = ""
) -> Payment:
    """Money paid to a participant for this firm's accepted pieces; never more than is owed."""
    paid_on = check_date(paid_on, field="paid_on")
    if paid_on > clock.today():
        raise BadInput(
            "付款日期不能在将来",
            "The payment date cannot be in the future",
            details={"paid_on": paid_on.isoformat()},
        )
    amount = _count(amount_fen, "amount_fen", low=1, high=MAX_FEN)
    with transaction.atomic():
        participant = Participant.objects.select_for_update().filter(pk=participant_id).first()
        if participant is None:
            raise ParticipantNotFound()
        _manage(actor, participant.community_id)
        firm = Firm.objects.filter(pk=firm_id).first()
        if firm is None:
            raise FirmNotFound()
        owed = owed_fen(firm_id=firm.pk, participant_id=participant.pk)
        if amount > owed:
            raise OverBalance(details={"owed_fen": owed, "amount_fen": amount})
        payment = Payment.objects.create(
            firm=firm,
            participant=participant,
            amount_fen=amount,
            paid_on=paid_on,
            note=_text(note, "note", max_len=200, required=False),
            recorded_by=actor,
        )
        _record(
            Subject.PAYMENT,
            payment.pk,
            EventKind.PAID,
            actor=actor,
            new={
                "firm": firm.pk,
                "participant": participant.pk,
                "amount_fen": amount,
                "paid_on": paid_on.isoformat(),
            },
        )
    return payment
