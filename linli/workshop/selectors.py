"""Every read of the workshop app: orders, the ledger, monthly income and the firm statement. Money in fen."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count, F, Q, QuerySet, Sum

from linli.core.text import mask_phone
from linli.workshop.models import Delivery, Firm, Lot, Order, Participant, Payment
from linli.workshop.states import OrderStatus


def yuan(fen: int | None) -> str:
    """12345 → "123.45" (integers only: no float ever touches money)."""
    fen = int(fen or 0)
    sign = "-" if fen < 0 else ""
    return f"{sign}{abs(fen) // 100}.{abs(fen) % 100:02d}"


def month_bounds(month: str) -> tuple[dt.date, dt.date]:
    """ "2026-07" → the first and the last local calendar day of that month (ValueError if malformed)."""
    year, number = (int(p) for p in month.split("-"))
    first = dt.date(year, number, 1)
    following = dt.date(year + (number == 12), number % 12 + 1, 1)
    return first, following - dt.timedelta(days=1)


def order_list(*, visible: Q, status: str | None = None) -> QuerySet[Order]:
    qs = (
        Order.objects.filter(visible)
        .select_related("firm", "community")
        .annotate(given=Sum("lots__quantity"), accepted_total=Sum("lots__accepted"), lot_count=Count("lots"))
    )
    if status in OrderStatus.values:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-pk")


def order_detail(*, order: Order) -> dict:
    lots = list(
        Lot.objects.filter(order=order)
        .select_related("participant", "participant__community")
        .order_by("-taken_on", "-pk")
    )
    deliveries = list(
        Delivery.objects.filter(lot__order=order)
        .select_related("lot__participant", "checked_by")
        .order_by("-delivered_on", "-pk")
    )
    given = sum(lot.quantity for lot in lots)
    accepted = sum(lot.accepted for lot in lots)
    return {
        "lots": lots,
        "deliveries": deliveries,
        "given": given,
        "left_to_give": order.quantity - given,
        "accepted": accepted,
        "earned_fen": sum(d.amount_fen for d in deliveries),
    }


def participant_options(*, visible: Q) -> QuerySet[Participant]:
    return Participant.objects.filter(visible).select_related("community").order_by("name", "pk")


def firm_list(*, visible: Q) -> QuerySet[Firm]:
    return Firm.objects.filter(visible).select_related("community").order_by("name")


def ledger(*, deliveries: Q, payments: Q) -> dict:
    """Per participant and per firm: earned (accepted × unit price), paid, still owed. Three queries."""
    earned = (
        Delivery.objects.filter(deliveries)
        .values("lot__participant_id", "lot__order__firm_id")
        .annotate(fen=Sum("amount_fen"), pieces=Sum("accepted"))
    )
    paid = (
        Payment.objects.filter(payments).values("participant_id", "firm_id").annotate(fen=Sum("amount_fen"))
    )
    pairs: dict[tuple[int, int], dict] = defaultdict(lambda: {"earned": 0, "paid": 0, "pieces": 0})
    for made in earned:
        key = (made["lot__participant_id"], made["lot__order__firm_id"])
        pairs[key]["earned"] += made["fen"] or 0
        pairs[key]["pieces"] += made["pieces"] or 0
    for payment in paid:
        pairs[(payment["participant_id"], payment["firm_id"])]["paid"] += payment["fen"] or 0
    people = {
        p.pk: p for p in Participant.objects.filter(pk__in={k[0] for k in pairs}).select_related("community")
    }
    firms = {f.pk: f for f in Firm.objects.filter(pk__in={k[1] for k in pairs})}
    by_person: dict[int, dict] = {}
    by_firm: dict[int, dict] = {}
    for (person_id, firm_id), sums in sorted(pairs.items()):
        person, firm = people[person_id], firms[firm_id]
        row: dict = by_person.setdefault(
            person_id,
            {
                "participant": person,
                "phone": mask_phone(person.phone),
                "earned": 0,
                "paid": 0,
                "pieces": 0,
                "firms": [],
            },
        )
        frow = by_firm.setdefault(firm_id, {"firm": firm, "earned": 0, "paid": 0, "people": 0})
        for target in (row, frow):
            target["earned"] += sums["earned"]
            target["paid"] += sums["paid"]
        row["pieces"] += sums["pieces"]
        row["firms"].append({"firm": firm, "owed": sums["earned"] - sums["paid"]})
        frow["people"] += 1
    for target in (*by_person.values(), *by_firm.values()):
        target["owed"] = target["earned"] - target["paid"]
    return {
        "participants": sorted(by_person.values(), key=lambda r: (-r["earned"], r["participant"].name)),
        "firms": sorted(by_firm.values(), key=lambda r: r["firm"].name),
    }


def monthly_income(*, deliveries: Q, month: str) -> dict:
    """Earned in one local calendar month (by delivery date), per participant and per community."""
    first, last = month_bounds(month)
    rows = (
        Delivery.objects.filter(deliveries, delivered_on__gte=first, delivered_on__lte=last)
        .values(
            "lot__participant_id",
            "lot__participant__name",
            "lot__participant__phone",
            community_id=F("lot__participant__community_id"),
            community_name=F("lot__participant__community__name"),
        )
        .annotate(fen=Sum("amount_fen"), pieces=Sum("accepted"))
        .order_by("-fen", "lot__participant__name")
    )
    people: list[dict] = []
    communities: dict[int, dict] = {}
    for row in rows:
        people.append(
            {
                "name": row["lot__participant__name"],
                "phone": mask_phone(row["lot__participant__phone"]),
                "community": row["community_name"],
                "fen": row["fen"] or 0,
                "pieces": row["pieces"] or 0,
            }
        )
        c = communities.setdefault(
            row["community_id"], {"community": row["community_name"], "fen": 0, "people": 0}
        )
        c["fen"] += row["fen"] or 0
        c["people"] += 1
    for c in communities.values():
        c["average_fen"] = c["fen"] // c["people"] if c["people"] else 0
    return {
        "month": month,
        "first": first,
        "last": last,
        "participants": people,
        "communities": sorted(communities.values(), key=lambda c: c["community"]),
        "total_fen": sum(p["fen"] for p in people),
    }


def firm_statement(*, firm: Firm, month: str) -> dict:
    """One firm's month: every checked delivery of its orders and every payment it made."""
    first, last = month_bounds(month)
    deliveries = list(
        Delivery.objects.filter(lot__order__firm=firm, delivered_on__gte=first, delivered_on__lte=last)
        .select_related("lot__order", "lot__participant")
        .order_by("delivered_on", "pk")
    )
    payments = list(
        Payment.objects.filter(firm=firm, paid_on__gte=first, paid_on__lte=last)
        .select_related("participant")
        .order_by("paid_on", "pk")
    )
    return {
        "firm": firm,
        "month": month,
        "deliveries": deliveries,
        "payments": payments,
        "earned_fen": sum(d.amount_fen for d in deliveries),
        "paid_fen": sum(p.amount_fen for p in payments),
    }


def balance(*, firm_id: int, participant_id: int, until: dt.date | None = None) -> tuple[int, int]:
    """(earned by deliveries checked up to ``until``, paid in all), in fen, between one firm and one participant."""
    deliveries = Delivery.objects.filter(lot__order__firm_id=firm_id, lot__participant_id=participant_id)
    if until is not None:
        deliveries = deliveries.filter(delivered_on__lte=until)
    earned = deliveries.aggregate(s=Sum("amount_fen"))["s"] or 0
    paid = (
        Payment.objects.filter(firm_id=firm_id, participant_id=participant_id).aggregate(s=Sum("amount_fen"))[
            "s"
        ]
        or 0
    )
    return earned, paid


def income_figures(*, community_ids: list[int] | None, first: dt.date, last: dt.date) -> dict:
    """For the empowerment dashboard: workshop income (fen) checked in [first, last] by participants of these
    communities (None: all), the participants who earned, and the income per participant."""
    deliveries = Delivery.objects.filter(delivered_on__gte=first, delivered_on__lte=last)
    if community_ids is not None:
        deliveries = deliveries.filter(lot__participant__community_id__in=community_ids)
    total = deliveries.aggregate(s=Sum("amount_fen"))["s"] or 0
    people = deliveries.values("lot__participant_id").distinct().count()
    return {
        "income_fen": total,
        "participants": people,
        "per_participant_fen": total // people if people else 0,
    }


def income_by_community(*, community_ids: list[int] | None, first: dt.date, last: dt.date) -> dict[int, dict]:
    """``income_figures`` per community of the participants, in one grouped query."""
    deliveries = Delivery.objects.filter(delivered_on__gte=first, delivered_on__lte=last)
    if community_ids is not None:
        deliveries = deliveries.filter(lot__participant__community_id__in=community_ids)
    grouped = deliveries.values_list("lot__participant__community_id").annotate(
        fen=Sum("amount_fen"), people=Count("lot__participant_id", distinct=True)
    )
    return {cid: {"income_fen": fen or 0, "participants": people} for cid, fen, people in grouped}
