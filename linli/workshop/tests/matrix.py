"""The workshop app's part of the jurisdiction matrix (linli/tests/test_jurisdiction_matrix.py).

``build`` makes what belongs to 金榕社区 (a firm with its account, an order, a lot, a checked delivery);
``api`` and ``pages`` classify every endpoint; ``snapshot`` is every row a probe could write.
"""

from __future__ import annotations

from linli.org.services import staff_create
from linli.org.states import Role
from linli.org.tests.factories import PASSWORD
from linli.workshop import services as s
from linli.workshop.models import Delivery, Firm, Lot, Order, Participant, Payment, WorkshopEvent

P = "/api/v1/empower/workshop"
FIRM, ITEM, PERSON = "榕兴电子（矩阵）", "数据线绕线（矩阵）", "陈矩阵"


def build(world) -> tuple[dict, dict]:
    import datetime as dt

    worker = world.user("worker")
    account = staff_create(
        username="w_firm", password=PASSWORD, role=Role.PARTNER_FIRM, jurisdiction=world.community
    )
    world.users["w_firm"] = account
    firm = s.firm_create(actor=worker, name=FIRM, community_id=world.community.pk, account_id=account.pk)
    order = s.order_create(
        actor=account,
        firm_id=firm.pk,
        item=ITEM,
        quantity=1000,
        unit_price_fen=35,
        deadline=dt.date(2026, 6, 30),
    )
    person = s.participant_register(
        actor=worker, name=PERSON, phone="13822223333", community_id=world.community.pk
    )
    lot = s.lot_take(actor=worker, order_id=order.pk, participant_id=person.pk, quantity=500)
    s.delivery_check(actor=worker, lot_id=lot.pk, accepted=200, rejected=5)
    ids = {"w_firm": firm.pk, "w_order": order.pk, "w_lot": lot.pk, "w_participant": person.pk}
    return ids, {"w_firm": FIRM, "w_order": ITEM, "w_person": PERSON}


def api(D, L, W, exempt, PUBLIC) -> dict:  # noqa: N803  (the matrix's probe makers)
    return {
        f"GET {P}/orders": [L(f"{P}/orders", "w_order"), L(f"{P}/orders", "w_order", insider="w_firm")],
        f"POST {P}/orders": [
            W(
                "POST",
                f"{P}/orders",
                body={
                    "firm_id": "{w_firm}",
                    "item": "越界订单",
                    "quantity": 1,
                    "unit_price_fen": 1,
                    "deadline": "2026-06-30",
                },
            )
        ],
        f"GET {P}/orders/{{order_id}}": [
            D(f"{P}/orders/{{w_order}}", "w_person"),
            D(f"{P}/orders/{{w_order}}", "w_order", insider="w_firm"),
        ],
        f"POST {P}/orders/{{order_id}}/transition": [
            W("POST", f"{P}/orders/{{w_order}}/transition", body={"action": "close"})
        ],
        f"POST {P}/orders/{{order_id}}/lots": [
            W(
                "POST",
                f"{P}/orders/{{w_order}}/lots",
                body={"quantity": 1, "participant_id": "{w_participant}"},
            )
        ],
        f"POST {P}/lots/{{lot_id}}/deliveries": [
            W("POST", f"{P}/lots/{{w_lot}}/deliveries", body={"accepted": 1})
        ],
        f"POST {P}/payments": [
            W(
                "POST",
                f"{P}/payments",
                body={
                    "firm_id": "{w_firm}",
                    "participant_id": "{w_participant}",
                    "amount_fen": 1,
                    "paid_on": "2026-06-03",
                },
            )
        ],
        f"GET {P}/ledger": [L(f"{P}/ledger", "w_person")],
        f"GET {P}/income": [L(f"{P}/income?month=2026-06", "w_person")],
        f"GET {P}/firms": [L(f"{P}/firms", "w_firm")],
    }


def pages(D, L, W, exempt, PUBLIC) -> dict:  # noqa: N803
    return {
        "workshop/": [
            L("/workshop/", "w_order"),
            W(
                "POST",
                "/workshop/",
                form={
                    "firm": "{w_firm}",
                    "item": "越界订单",
                    "quantity": "1",
                    "unit_price": "0.01",
                    "deadline": "2026-06-30",
                },
            ),
        ],
        "workshop/orders/<int:pk>/": [D("/workshop/orders/{w_order}/", "w_person")],
        "workshop/orders/<int:pk>/do/<str:action>/": [W("POST", "/workshop/orders/{w_order}/do/close/")],
        "workshop/orders/<int:pk>/lots/": [
            W(
                "POST",
                "/workshop/orders/{w_order}/lots/",
                form={"participant": "{w_participant}", "quantity": "1"},
            )
        ],
        "workshop/orders/<int:pk>/deliveries/": [
            W("POST", "/workshop/orders/{w_order}/deliveries/", form={"lot": "{w_lot}", "accepted": "1"})
        ],
        "workshop/firms/": [
            L("/workshop/firms/", "w_firm"),
            W("POST", "/workshop/firms/", form={"name": "越界企业", "community": "{community}"}),
        ],
        "workshop/firms/<int:pk>/statement.xlsx": [
            D("/workshop/firms/{w_firm}/statement.xlsx?month=2026-06", "w_person")
        ],
        "workshop/ledger/": [
            L("/workshop/ledger/", "w_person"),
            W(
                "POST",
                "/workshop/ledger/",
                form={"participant": "{w_participant}", "firm": "{w_firm}", "amount": "0.01"},
            ),
        ],
        "workshop/income/": [L("/workshop/income/?month=2026-06", "w_person")],
    }


def snapshot() -> tuple:
    return (
        Firm.objects.count(),
        list(Order.objects.order_by("pk").values_list("pk", "status", "version")),
        list(Lot.objects.order_by("pk").values_list("pk", "accepted", "rejected")),
        Delivery.objects.count(),
        Payment.objects.count(),
        Participant.objects.count(),
        WorkshopEvent.objects.count(),
    )
