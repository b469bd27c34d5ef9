"""The outbox: templates, per-person preferences, messages and their append-only history."""

from django.db import models

from linli.core import clock
from linli.core.events import EventBase
from linli.notify.states import Audience, ChannelKind, MessageState


class Template(models.Model):
    """The text of one kind of message; edited in the admin (placeholders in braces, e.g. {code})."""

    key = models.CharField("代码", max_length=40, unique=True)
    audience = models.CharField("对象", max_length=12, choices=Audience.choices)
    name = models.CharField("名称", max_length=60)
    body = models.TextField("内容")
    is_active = models.BooleanField("启用", default=True)
    updated_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = "消息模板"
        verbose_name_plural = "消息模板"
        ordering = ["key"]

    def __str__(self) -> str:
        return self.name


class Preference(models.Model):
    """How one staff member wants to be told: channels with their addresses, and the kinds they muted."""

    user = models.OneToOneField("org.User", on_delete=models.CASCADE, related_name="notify_preference")
    sms = models.BooleanField("短信", default=False)
    phone = models.CharField("手机号", max_length=20, blank=True)
    wechat = models.BooleanField("微信", default=False)
    wechat_openid = models.CharField("微信 OpenID", max_length=64, blank=True)
    email = models.BooleanField("电子邮件", default=True)
    webhook = models.BooleanField("Webhook", default=False)
    webhook_url = models.URLField("Webhook 地址", blank=True)
    muted = models.JSONField("不接收的消息", default=list, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "通知偏好"
        verbose_name_plural = "通知偏好"

    def __str__(self) -> str:
        return str(self.user)


class Message(models.Model):
    """One message to one recipient on one channel. ``key`` makes creating it idempotent."""

    key = models.CharField(max_length=160, unique=True)
    template_key = models.CharField("模板", max_length=40, db_index=True)
    audience = models.CharField("对象", max_length=12, choices=Audience.choices)
    channel = models.CharField("渠道", max_length=12, choices=ChannelKind.choices)
    recipient = models.CharField("接收地址", max_length=200)
    user = models.ForeignKey("org.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    demand_code = models.CharField("受理编号", max_length=20, blank=True, db_index=True)
    body = models.TextField("内容")
    state = models.CharField("状态", max_length=10, choices=MessageState.choices, default=MessageState.QUEUED)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    next_attempt_at = models.DateTimeField("下次尝试", db_index=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField("最近错误", max_length=300, blank=True)
    provider_id = models.CharField("网关编号", max_length=80, blank=True)
    created_at = models.DateTimeField("生成时间", default=clock.now)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)

    class Meta:
        verbose_name = "消息"
        verbose_name_plural = "消息发件箱"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="notify_message_due")]

    def __str__(self) -> str:
        return f"{self.template_key} → {self.recipient}"


class NotifyEvent(EventBase):
    """Every step of a message: queued, each attempt and its outcome, a manual retry."""

    message = models.ForeignKey(Message, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=16)
    detail = models.JSONField(default=dict, blank=True)

    class Meta(EventBase.Meta):
        verbose_name = "消息记录"
        verbose_name_plural = "消息记录"


class Cursor(models.Model):
    """How far the collector has read a stream of events (one row per stream)."""

    name = models.CharField(max_length=40, unique=True)
    position = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(default=clock.now)

    def __str__(self) -> str:
        return f"{self.name} @ {self.position}"
