"""Models of the access app (准入): the catalogue, assignment requests and their tasks, plaques, certificates."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext

from linli.access.matching import why_text
from linli.access.states import (
    AppliesTo,
    CertificateList,
    EventKind,
    ItemKind,
    RequestKind,
    RequestStatus,
    TaskStatus,
    VersionStatus,
)
from linli.core.events import EventBase


class CatalogueVersion(models.Model):
    """A numbered edition of the list of work items communities may be given.

    A draft is edited (or imported) and then published by a service; from then
    on its items never change. The current catalogue is the published version
    with the latest effective date not after today.
    """

    number = models.PositiveIntegerField("版本号", unique=True)
    status = models.CharField(
        "状态", max_length=12, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    effective_from = models.DateField("生效日期", null=True, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)
    created_at = models.DateTimeField("创建时间")
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发布人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "事项清单版本"
        verbose_name_plural = "事项清单版本"
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["status"], condition=models.Q(status="draft"), name="access_one_draft_version"
            )
        ]

    def __str__(self) -> str:
        return f"第{self.number}版（{self.get_status_display()}）"


class CatalogueItem(models.Model):
    """One work item of a catalogue version; ``code`` follows the item from version to version."""

    version = models.ForeignKey(
        CatalogueVersion, verbose_name="版本", on_delete=models.CASCADE, related_name="items"
    )
    code = models.CharField("事项编号", max_length=20)
    name = models.CharField("事项名称", max_length=120)
    kind = models.CharField("类型", max_length=10, choices=ItemKind.choices)
    basis = models.CharField("政策法规依据", max_length=300, blank=True)
    department = models.ForeignKey(
        "org.Unit", verbose_name="责任部门", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    department_text = models.CharField("责任部门（文字）", max_length=100, blank=True)
    method = models.CharField("履职方式", max_length=300, blank=True)
    funding = models.CharField("经费保障（费随事转）", max_length=200, blank=True)
    applies_to = models.CharField("适用", max_length=10, choices=AppliesTo.choices, default=AppliesTo.BOTH)
    keywords = models.CharField("关键词", max_length=300, blank=True, help_text="用顿号或逗号分隔")
    description = models.TextField("事项说明", blank=True)
    effective_from = models.DateField("起始日期", null=True, blank=True)
    effective_to = models.DateField("截止日期", null=True, blank=True)

    class Meta:
        verbose_name = "清单事项"
        verbose_name_plural = "清单事项"
        ordering = ["version", "code"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="access_item_code_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def department_label(self) -> str:
        return self.department.name if self.department_id else self.department_text


class AccessRequest(models.Model):
    """A department's request to give communities a task, hang a plaque or inspect them (派发申请)."""

    kind = models.CharField("类别", max_length=12, choices=RequestKind.choices, default=RequestKind.TASK)
    department = models.ForeignKey(
        "org.Unit", verbose_name="申请部门", on_delete=models.PROTECT, related_name="+"
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="申请人", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField("事项标题", max_length=120)
    content = models.TextField("具体内容")
    deadline = models.DateField("完成期限")
    reports_required = models.CharField("需报送的材料", max_length=300, blank=True)
    inspections_planned = models.PositiveSmallIntegerField("计划检查次数", default=0)
    funded = models.BooleanField("是否随附经费", default=False)
    plaque_name = models.CharField("牌子名称", max_length=80, blank=True)
    status = models.CharField("状态", max_length=12, choices=RequestStatus.choices)
    filed_at = models.DateTimeField("提交时间")
    approval_due = models.DateTimeField("审批期限", null=True, blank=True)
    escalated_at = models.DateTimeField("超时升级时间", null=True, blank=True)
    decided_at = models.DateTimeField("决定时间", null=True, blank=True)
    item = models.ForeignKey(
        CatalogueItem,
        verbose_name="对应清单事项",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    version = models.ForeignKey(
        CatalogueVersion,
        verbose_name="比对的清单版本",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    score = models.FloatField("匹配度", default=0)
    explanation = models.JSONField("匹配说明", default=dict)

    class Meta:
        verbose_name = "派发申请"
        verbose_name_plural = "派发申请"
        ordering = ["-filed_at", "-pk"]
        indexes = [models.Index(fields=["status", "approval_due"], name="access_req_status_due")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"

    @property
    def explanation_text(self) -> str:
        """Why the gate chose its outcome, in the reader's language."""
        return why_text(self.explanation or {}, translate=gettext)


class RequestEvent(EventBase):
    """An append-only record of what happened to a request: who, when, why. Never edited."""

    request = models.ForeignKey(
        AccessRequest, verbose_name="申请", on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField("事件", max_length=20, choices=EventKind.choices)
    office = models.CharField("科室/单位", max_length=100, blank=True)
    reason = models.TextField("理由/意见", blank=True)
    data = models.JSONField("数据", default=dict, blank=True)

    class Meta(EventBase.Meta):
        verbose_name = "申请事件"
        verbose_name_plural = "申请事件"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"


class Task(models.Model):
    """What one community received from a request: in its inbox, with the rule it rests on."""

    request = models.ForeignKey(
        AccessRequest, verbose_name="申请", on_delete=models.CASCADE, related_name="tasks"
    )
    community = models.ForeignKey(
        "org.Jurisdiction", verbose_name="社区/村", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField("状态", max_length=10, choices=TaskStatus.choices)
    created_at = models.DateTimeField("下达时间")
    refused_at = models.DateTimeField("拒绝时间", null=True, blank=True)
    refusal_reason = models.TextField("拒绝理由", blank=True)
    report_note = models.TextField("报送说明", blank=True)
    reported_at = models.DateTimeField("报送时间", null=True, blank=True)

    class Meta:
        verbose_name = "社区任务"
        verbose_name_plural = "社区任务"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["request", "community"], name="access_one_task_per_community")
        ]
        indexes = [models.Index(fields=["community", "status"], name="access_task_comm_status")]

    def __str__(self) -> str:
        return f"{self.community_id}: {self.request_id}"


class PlaqueType(models.Model):
    """A plaque on the standard list a community may display (规范保留的牌子)."""

    name = models.CharField("牌子名称", max_length=80, unique=True)
    basis = models.CharField("依据", max_length=200, blank=True)

    class Meta:
        verbose_name = "规范牌子"
        verbose_name_plural = "规范牌子清单"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Plaque(models.Model):
    """A plaque hanging (or once hanging) at a community office."""

    community = models.ForeignKey(
        "org.Jurisdiction", verbose_name="社区/村", on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField("牌子名称", max_length=80)
    standard = models.ForeignKey(
        PlaqueType, verbose_name="规范牌子", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    hung_by = models.CharField("挂牌单位", max_length=100)
    hung_at = models.DateField("挂牌日期")
    request = models.ForeignKey(
        AccessRequest,
        verbose_name="挂牌申请",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    removed_at = models.DateField("摘牌日期", null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="摘牌登记人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    removal_reason = models.CharField("摘牌原因", max_length=200, blank=True)

    class Meta:
        verbose_name = "社区牌子"
        verbose_name_plural = "社区牌子"
        ordering = ["community", "removed_at", "name"]

    def __str__(self) -> str:
        return self.name


class Certificate(models.Model):
    """A certificate residents ask communities for: on the positive list, or on the negative list with where to go."""

    name = models.CharField("证明名称", max_length=80, unique=True)
    listed = models.CharField("清单", max_length=10, choices=CertificateList.choices)
    aliases = models.CharField("常见说法", max_length=300, blank=True, help_text="用顿号或逗号分隔")
    where_to_go = models.CharField("应到何处办理", max_length=300, blank=True)
    basis = models.CharField("依据", max_length=300, blank=True)
    cancelled_on = models.DateField("取消日期", null=True, blank=True, help_text="社区停止开具的日期")

    class Meta:
        verbose_name = "证明事项"
        verbose_name_plural = "证明事项清单"
        ordering = ["listed", "name"]

    def __str__(self) -> str:
        return self.name


class CertificateIssue(models.Model):
    """A certificate a community issued (counted in the burden ledger)."""

    certificate = models.ForeignKey(
        Certificate, verbose_name="证明", on_delete=models.PROTECT, related_name="+"
    )
    community = models.ForeignKey(
        "org.Jurisdiction", verbose_name="社区/村", on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField("开具时间")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="经办人", on_delete=models.PROTECT, related_name="+"
    )
    count = models.PositiveSmallIntegerField("份数", default=1)

    class Meta:
        verbose_name = "证明开具记录"
        verbose_name_plural = "证明开具记录"
        ordering = ["-issued_at"]
        indexes = [models.Index(fields=["community", "issued_at"], name="access_cert_comm_at")]

    def __str__(self) -> str:
        return f"{self.certificate_id} × {self.count}"


class CadreCount(models.Model):
    """The recorded number of community cadres (社区工作者) from a date on; the ledger divides residents by it."""

    community = models.ForeignKey(
        "org.Jurisdiction", verbose_name="社区/村", on_delete=models.PROTECT, related_name="+"
    )
    count = models.PositiveSmallIntegerField("社区工作者人数")
    as_of = models.DateField("起始日期")

    class Meta:
        verbose_name = "社区工作者人数"
        verbose_name_plural = "社区工作者人数"
        ordering = ["community", "-as_of"]
        constraints = [models.UniqueConstraint(fields=["community", "as_of"], name="access_cadre_count_once")]

    def __str__(self) -> str:
        return f"{self.count} ({self.as_of})"
