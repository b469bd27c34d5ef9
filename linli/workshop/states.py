"""Choices of the workshop app and the order transition table."""

from django.db import models


class OrderStatus(models.TextChoices):
    OPEN = "open", "进行中"
    CLOSED = "closed", "已完结"
    CANCELLED = "cancelled", "已取消"


# action -> (allowed from, target)
ORDER_TRANSITIONS = {
    "close": (frozenset({OrderStatus.OPEN}), OrderStatus.CLOSED),
    "reopen": (frozenset({OrderStatus.CLOSED}), OrderStatus.OPEN),
    "cancel": (frozenset({OrderStatus.OPEN}), OrderStatus.CANCELLED),
}

# Lots are taken, and deliveries checked, while the order is open.
WORK_ALLOWED = frozenset({OrderStatus.OPEN})


class Subject(models.TextChoices):
    FIRM = "firm", "合作企业"
    ORDER = "order", "订单"
    PARTICIPANT = "participant", "参与群众"
    LOT = "lot", "领料"
    DELIVERY = "delivery", "交货验收"
    PAYMENT = "payment", "付款"


class EventKind(models.TextChoices):
    CREATED = "created", "创建"
    TRANSITION = "transition", "状态变更"
    LOT_TAKEN = "lot_taken", "领取"
    CHECKED = "checked", "验收"
    PAID = "paid", "付款"
