"""Community workshop (社区工坊): partner firms' piecework orders, residents' lots, checked deliveries, payments.

Money is in fen (integers) everywhere. What a participant earned is the accepted count of a delivery times
the order's unit price, fixed on the delivery row when it is checked; what they were paid is the payment rows.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from linli.core import clock
from linli.core.events import EventBase
from linli.workshop.states import EventKind, OrderStatus, Subject

STAFF = settings.AUTH_USER_MODEL


class Firm(models.Model):
    """A partner firm; ``account`` is its sign-in (role partner_firm), which sees its own orders only."""

    name = models.CharField("企业名称", max_length=100, unique=True)
    contact = models.CharField("联系人", max_length=60, blank=True)
    community = models.ForeignKey(
        "org.Jurisdiction", verbose_name="合作社区", on_delete=models.PROTECT, related_name="+"
    )
    account = models.OneToOneField(
        STAFF,
        verbose_name="企业账号",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="workshop_firm",
    )
    created_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        verbose_name = "合作企业"
        verbose_name_plural = "合作企业"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Order(models.Model):
    firm = models.ForeignKey(Firm, verbose_name="企业", on_delete=models.PROTECT, related_name="orders")
    community = models.ForeignKey(
        "org.Jurisdiction", verbose_name="工坊社区", on_delete=models.PROTECT, related_name="+"
    )
    item = models.CharField("加工品", max_length=100)
    quantity = models.PositiveIntegerField("数量（件）")
    unit_price_fen = models.PositiveIntegerField("单价（分）")
    quality_standard = models.TextField("质量标准", blank=True)
    deadline = models.DateField("交货期限")
    status = models.CharField("状态", max_length=10, choices=OrderStatus.choices, default=OrderStatus.OPEN)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(STAFF, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        verbose_name = "加工订单"
        verbose_name_plural = "加工订单"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(name="order_quantity_positive", condition=models.Q(quantity__gte=1)),
            models.CheckConstraint(name="order_price_positive", condition=models.Q(unit_price_fen__gte=1)),
        ]

    def __str__(self) -> str:
        return self.item


class Participant(models.Model):
    """A resident who takes piecework: name, phone (shown masked), community."""

    name = models.CharField("姓名", max_length=40)
    phone = models.CharField("电话", max_length=20, unique=True)
    community = models.ForeignKey(
        "org.Jurisdiction", verbose_name="社区", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        verbose_name = "参与群众"
        verbose_name_plural = "参与群众"
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class Lot(models.Model):
    order = models.ForeignKey(Order, verbose_name="订单", on_delete=models.PROTECT, related_name="lots")
    participant = models.ForeignKey(
        Participant, verbose_name="参与群众", on_delete=models.PROTECT, related_name="lots"
    )
    quantity = models.PositiveIntegerField("领取数量（件）")
    taken_on = models.DateField("领取日期")
    accepted = models.PositiveIntegerField("已验收合格（件）", default=0)
    rejected = models.PositiveIntegerField("已退回返工（件）", default=0)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        verbose_name = "领料批次"
        verbose_name_plural = "领料批次"
        ordering = ["-taken_on", "-pk"]
        constraints = [
            models.CheckConstraint(name="lot_quantity_positive", condition=models.Q(quantity__gte=1)),
            models.CheckConstraint(
                name="lot_accepted_within", condition=models.Q(accepted__lte=models.F("quantity"))
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order_id}/{self.participant_id} ×{self.quantity}"

    @property
    def remaining(self) -> int:
        return self.quantity - self.accepted


class Delivery(models.Model):
    """One checked delivery of a lot: pieces accepted (paid) and rejected (back for rework)."""

    lot = models.ForeignKey(Lot, verbose_name="批次", on_delete=models.PROTECT, related_name="deliveries")
    delivered_on = models.DateField("交货日期")
    accepted = models.PositiveIntegerField("合格（件）")
    rejected = models.PositiveIntegerField("不合格（件）", default=0)
    unit_price_fen = models.PositiveIntegerField("单价（分）")
    amount_fen = models.PositiveIntegerField("金额（分）")
    checked_by = models.ForeignKey(STAFF, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        verbose_name = "交货验收"
        verbose_name_plural = "交货验收"
        ordering = ["-delivered_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="delivery_amount",
                condition=models.Q(amount_fen=models.F("accepted") * models.F("unit_price_fen")),
            ),
            models.CheckConstraint(
                name="delivery_not_empty", condition=models.Q(accepted__gte=1) | models.Q(rejected__gte=1)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.delivered_on} ✓{self.accepted} ✗{self.rejected}"


class Payment(models.Model):
    """Money paid to a participant for a firm's work (recorded as paid, with the date)."""

    firm = models.ForeignKey(Firm, verbose_name="企业", on_delete=models.PROTECT, related_name="payments")
    participant = models.ForeignKey(
        Participant, verbose_name="参与群众", on_delete=models.PROTECT, related_name="payments"
    )
    amount_fen = models.PositiveIntegerField("金额（分）")
    paid_on = models.DateField("付款日期")
    note = models.CharField("备注", max_length=200, blank=True)
    recorded_by = models.ForeignKey(STAFF, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        verbose_name = "付款"
        verbose_name_plural = "付款"
        ordering = ["-paid_on", "-pk"]
        constraints = [models.CheckConstraint(name="payment_positive", condition=models.Q(amount_fen__gte=1))]

    def __str__(self) -> str:
        return f"{self.paid_on} {self.amount_fen}"


class WorkshopEvent(EventBase):
    """Append-only: every change in this app leaves one row (subject, kind, actor, time, old/new values)."""

    subject_type = models.CharField(max_length=12, choices=Subject.choices)
    subject_id = models.PositiveIntegerField()
    kind = models.CharField("事件", max_length=12, choices=EventKind.choices)
    actor = models.ForeignKey(STAFF, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=clock.now)
    old = models.JSONField(default=dict, blank=True)
    new = models.JSONField(default=dict, blank=True)
    note = models.TextField(blank=True)

    class Meta(EventBase.Meta):
        verbose_name = "工坊事件"
        verbose_name_plural = "工坊事件"
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="workshop_event_subject")]

    def __str__(self) -> str:
        return f"{self.subject_type}:{self.subject_id} {self.kind}"
