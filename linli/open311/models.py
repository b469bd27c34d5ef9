"""Open311 GeoReport v2: integration keys, per-category attributes, submissions and outbound transfers.

The app only maps the GeoReport protocol onto Linli; demands are registered,
screened and handled by the demands and dispatch apps.
"""

from django.db import models
from django.db.models import Q

from linli.open311.states import Datatype, LinkEventKind, LinkState


class ApiKey(models.Model):
    """One key per integration (a 311 app, a neighbouring system). Only the SHA-256 of the secret is stored."""

    name = models.CharField("用途", max_length=80)
    prefix = models.CharField("前缀", max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)

    class Meta:
        verbose_name = "Open311 接口密钥"
        verbose_name_plural = "Open311 接口密钥"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class ServiceAttribute(models.Model):
    """An extra field a client fills in for one category (a GeoReport service definition attribute)."""

    category = models.ForeignKey(
        "dispatch.Category", verbose_name="分类", on_delete=models.CASCADE, related_name="+"
    )
    code = models.SlugField("编码", max_length=40)
    description = models.CharField("问题", max_length=200)
    datatype = models.CharField("类型", max_length=16, choices=Datatype.choices, default=Datatype.STRING)
    datatype_description = models.CharField("填写说明", max_length=200, blank=True)
    required = models.BooleanField("必填", default=False)
    order = models.PositiveSmallIntegerField("顺序", default=1)

    class Meta:
        verbose_name = "Open311 补充字段"
        verbose_name_plural = "Open311 补充字段"
        ordering = ["category_id", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["category", "code"], name="open311_attribute_code_once"),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.description}"


class AttributeValue(models.Model):
    """One allowed answer of a single- or multi-value attribute."""

    attribute = models.ForeignKey(ServiceAttribute, on_delete=models.CASCADE, related_name="values")
    key = models.CharField("值", max_length=40)
    name = models.CharField("显示名", max_length=100)

    class Meta:
        verbose_name = "可选值"
        verbose_name_plural = "可选值"
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["attribute", "key"], name="open311_value_key_once")]

    def __str__(self) -> str:
        return self.name


class Submission(models.Model):
    """A request that arrived through Open311: the demand it became and what only the integration knows.

    ``token`` answers ``GET tokens/<token>``; contact fields (email, device,
    account) are kept for the staff and never shown in the public output.
    """

    api_key = models.ForeignKey(ApiKey, verbose_name="接口密钥", on_delete=models.PROTECT, related_name="+")
    demand = models.OneToOneField(
        "demands.Demand", verbose_name="诉求", on_delete=models.PROTECT, related_name="+"
    )
    token = models.CharField(max_length=32, unique=True)
    service_code = models.CharField("服务编码", max_length=20)
    attributes = models.JSONField("补充字段", default=dict, blank=True)
    media_url = models.URLField("图片链接", max_length=500, blank=True)
    email = models.EmailField("邮箱", blank=True)
    device_id = models.CharField("设备", max_length=100, blank=True)
    account_id = models.CharField("账号", max_length=100, blank=True)
    created_at = models.DateTimeField("提交时间", auto_now_add=True)

    class Meta:
        verbose_name = "Open311 来件"
        verbose_name_plural = "Open311 来件"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.token


class RemoteEndpoint(models.Model):
    """Another GeoReport v2 server (e.g. a county system) that chosen demands are sent to.

    The key must be sent as written, so it is stored as given; only administrators see this table.
    """

    name = models.CharField("名称", max_length=80, unique=True)
    base_url = models.URLField("接口地址", help_text="如 https://county.example/open311/v2/")
    api_key = models.CharField("对方分配的 api_key", max_length=200)
    jurisdiction_id = models.CharField("对方 jurisdiction_id", max_length=40, blank=True)
    default_service_code = models.CharField("默认服务编码", max_length=40, blank=True)
    service_codes = models.JSONField(
        "分类编码对照",
        default=dict,
        blank=True,
        help_text='本地分类编码 → 对方 service_code，如 {"C111": "017"}',
    )
    active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "Open311 外部接口"
        verbose_name_plural = "Open311 外部接口"

    def __str__(self) -> str:
        return self.name


class OutboundLink(models.Model):
    """One demand sent to one remote endpoint, and what that endpoint says about it since."""

    endpoint = models.ForeignKey(
        RemoteEndpoint, verbose_name="外部接口", on_delete=models.PROTECT, related_name="links"
    )
    demand = models.ForeignKey(
        "demands.Demand", verbose_name="诉求", on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField("状态", max_length=12, choices=LinkState.choices, default=LinkState.PENDING)
    created_by = models.ForeignKey(
        "org.User", verbose_name="发起人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("发起时间", auto_now_add=True)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    next_attempt_at = models.DateTimeField("下次尝试", null=True, blank=True)
    last_error = models.CharField("最近错误", max_length=300, blank=True)
    remote_token = models.CharField("对方 token", max_length=100, blank=True)
    remote_request_id = models.CharField("对方编号", max_length=100, blank=True)
    remote_status = models.CharField("对方状态", max_length=20, blank=True)
    remote_status_notes = models.TextField("对方说明", blank=True)
    remote_updated_at = models.DateTimeField("对方更新时间", null=True, blank=True)
    polled_at = models.DateTimeField("最近查询", null=True, blank=True)

    class Meta:
        verbose_name = "Open311 转出"
        verbose_name_plural = "Open311 转出"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["endpoint", "demand"], name="open311_link_once_per_endpoint"),
            models.UniqueConstraint(
                fields=["endpoint", "remote_request_id"],
                condition=~Q(remote_request_id=""),
                name="open311_remote_id_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.endpoint} ← {self.demand_id}"


class OutboundEvent(models.Model):
    """Append-only history of a transfer: sent, failed (with the error), the remote's id and each change."""

    link = models.ForeignKey(OutboundLink, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField("时间")
    kind = models.CharField("事件", max_length=16, choices=LinkEventKind.choices)
    detail = models.JSONField("内容", default=dict, blank=True)

    class Meta:
        verbose_name = "转出记录"
        verbose_name_plural = "转出记录"
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"
