from django.db import models
from django.db.models import Q

from linli.core.events import EventBase
from linli.demands.states import (
    ACTIVE_ASSIGNMENT_STATUSES,
    AssignmentRole,
    AssignmentStatus,
    Channel,
    DemandStatus,
    DemandType,
    DurationUnit,
    EventKind,
    ExtensionStatus,
    Satisfaction,
    Urgency,
)


class DeadlinePolicy(models.Model):
    """How long a unit has to sign and to finish a demand of one type and urgency.

    Seeded with the defaults of the brief; a city edits the rows in the admin.
    """

    demand_type = models.CharField("诉求类型", max_length=16, choices=DemandType.choices)
    urgency = models.CharField("紧急程度", max_length=8, choices=Urgency.choices)
    sign_amount = models.PositiveIntegerField("签收时限")
    sign_unit = models.CharField("签收时限单位", max_length=16, choices=DurationUnit.choices)
    finish_amount = models.PositiveIntegerField("办结时限")
    finish_unit = models.CharField("办结时限单位", max_length=16, choices=DurationUnit.choices)
    max_extension_days = models.PositiveIntegerField("最长延期(工作日)", default=15)
    callback_days = models.PositiveIntegerField("回访时限(工作日)", default=2)

    class Meta:
        verbose_name = "办理时限"
        verbose_name_plural = "办理时限"
        constraints = [
            models.UniqueConstraint(fields=["demand_type", "urgency"], name="deadline_policy_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_demand_type_display()}/{self.get_urgency_display()}"


class Demand(models.Model):
    """One resident demand (诉求, 工单) from registration to archive.

    ``lead_unit`` and the deadline fields mirror the current lead assignment so
    inboxes, sweeps and metrics read one row. ``version`` goes up with every
    transition, for optimistic checks by clients that send it back.
    """

    code = models.CharField("受理编号", max_length=20, unique=True)
    demand_type = models.CharField("诉求类型", max_length=16, choices=DemandType.choices)
    urgency = models.CharField("紧急程度", max_length=8, choices=Urgency.choices, default=Urgency.NORMAL)
    channel = models.CharField("来源渠道", max_length=16, choices=Channel.choices)
    title = models.CharField("标题", max_length=120, blank=True)
    text = models.TextField("诉求内容")
    address = models.CharField("地址", max_length=200, blank=True)
    community = models.ForeignKey(
        "org.Jurisdiction",
        verbose_name="所属社区",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    area_path = models.CharField(max_length=255, blank=True, db_index=True, editable=False)
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    category = models.ForeignKey(
        "dispatch.Category",
        verbose_name="分类",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    category_top = models.ForeignKey(
        "dispatch.Category", null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    complainant = models.ForeignKey(
        "org.Resident",
        verbose_name="诉求人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="demands",
    )
    status = models.CharField(
        "状态", max_length=16, choices=DemandStatus.choices, default=DemandStatus.REGISTERED
    )
    version = models.PositiveIntegerField(default=1)
    external_ref = models.CharField("外部编号", max_length=64, blank=True)

    registered_at = models.DateTimeField("受理时间", db_index=True)
    registered_by = models.ForeignKey(
        "org.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lead_unit = models.ForeignKey(
        "org.Unit", verbose_name="主办单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    dispatched_at = models.DateTimeField(null=True, blank=True)
    sign_due = models.DateTimeField("签收时限", null=True, blank=True)
    finish_due = models.DateTimeField("办结时限", null=True, blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    reply_text = models.TextField("办理结果", blank=True)
    finished_on_time = models.BooleanField(null=True)
    callback_due = models.DateTimeField("回访时限", null=True, blank=True)
    called_back_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    resolved = models.BooleanField("是否解决", null=True)
    resolved_at_intake = models.BooleanField(default=False)
    resolved_by_grassroots = models.BooleanField(null=True)
    satisfaction = models.CharField("满意度", max_length=12, choices=Satisfaction.choices, blank=True)
    reopen_count = models.PositiveSmallIntegerField(default=0)
    return_count = models.PositiveSmallIntegerField(default=0)
    is_overdue = models.BooleanField("已超期", default=False)
    callback_overdue_at = models.DateTimeField(null=True, blank=True)
    escalation_count = models.PositiveSmallIntegerField(default=0)
    escalated_at = models.DateTimeField(null=True, blank=True)
    # Set at registration on public channels by the dispatch app's screening; a person decides.
    junk = models.BooleanField("疑似无效", default=False)
    junk_reason = models.CharField("疑似无效原因", max_length=200, blank=True)
    # Residents who said "我也遇到" on the map (DemandSupporter rows); a database default, so bulk loaders that
    # do not know the column still work.
    supporters = models.PositiveIntegerField("附议人数", default=0, db_default=0)
    master = models.ForeignKey(
        "self",
        verbose_name="主单",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duplicates",
    )

    class Meta:
        verbose_name = "诉求"
        verbose_name_plural = "诉求"
        indexes = [
            models.Index(fields=["status", "registered_at"], name="demand_status_reg"),
            models.Index(fields=["community", "registered_at"], name="demand_community_reg"),
            models.Index(fields=["lead_unit", "status"], name="demand_lead_status"),
            models.Index(fields=["complainant", "registered_at"], name="demand_complainant_reg"),
            # The map's "nearby open demands": a box of latitude × longitude.
            models.Index(fields=["latitude", "longitude"], name="demand_position"),
            # A leader's list: one status inside an area subtree (area_path LIKE 'x/%' on PostgreSQL).
            models.Index(
                fields=["status", "area_path"],
                opclasses=["text_ops", "varchar_pattern_ops"],
                name="demand_status_area",
            ),
            # The dashboard's overdue list: open overdue demands by deadline (a small partial index).
            models.Index(
                fields=["finish_due"],
                include=["area_path"],
                condition=Q(is_overdue=True, status__in=["dispatched", "in_progress", "returned"]),
                name="demand_overdue_open",
            ),
        ]
        constraints = [
            # A hotline system's order number (or an import's 受理编号) is registered once per channel,
            # even when two imports of the same file run at the same time.
            models.UniqueConstraint(
                fields=["channel", "external_ref"],
                condition=~Q(external_ref=""),
                name="demand_external_ref_once",
            ),
            models.CheckConstraint(
                name="demand_merged_has_master",
                condition=~Q(status=DemandStatus.MERGED) | Q(master__isnull=False),
            ),
            models.CheckConstraint(name="demand_not_own_master", condition=~Q(master=models.F("pk"))),
            models.CheckConstraint(
                name="demand_satisfaction_known",
                condition=Q(satisfaction__in=[""] + [s.value for s in Satisfaction]),
            ),
        ]

    def __str__(self) -> str:
        return self.code


class Assignment(models.Model):
    """One unit's share of a demand: the lead unit (主办) or an assisting unit (协办), with its own deadlines."""

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey("org.Unit", verbose_name="承办单位", on_delete=models.PROTECT, related_name="+")
    role = models.CharField("角色", max_length=10, choices=AssignmentRole.choices)
    status = models.CharField(
        "状态", max_length=20, choices=AssignmentStatus.choices, default=AssignmentStatus.PENDING_SIGN
    )
    dispatched_at = models.DateTimeField()
    dispatched_by = models.ForeignKey(
        "org.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sign_due = models.DateTimeField()
    finish_due = models.DateTimeField()
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey(
        "org.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    signed_on_time = models.BooleanField(null=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    reply_text = models.TextField(blank=True)
    return_reason = models.TextField(blank=True)
    instructions = models.TextField("派单意见", blank=True)
    sign_overdue_at = models.DateTimeField(null=True, blank=True)
    finish_overdue_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "派单"
        verbose_name_plural = "派单"
        indexes = [
            models.Index(fields=["unit", "status", "finish_due"], name="assignment_inbox"),
            models.Index(fields=["status", "sign_due"], name="assignment_sign_sweep"),
            models.Index(fields=["status", "finish_due"], name="assignment_finish_sweep"),
            # the inbox's overdue and due-soon tabs read their first page in deadline order
            # instead of sorting the unit's whole backlog (bench/README.md, web pages at scale)
            models.Index(
                fields=["unit", "finish_due", "id"],
                condition=Q(status__in=sorted(ACTIVE_ASSIGNMENT_STATUSES)),
                name="assignment_inbox_active",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["demand"],
                condition=Q(role=AssignmentRole.LEAD, status__in=sorted(ACTIVE_ASSIGNMENT_STATUSES)),
                name="assignment_one_active_lead",
            ),
            models.UniqueConstraint(
                fields=["demand", "unit"],
                condition=Q(status__in=sorted(ACTIVE_ASSIGNMENT_STATUSES)),
                name="assignment_one_active_per_unit",
            ),
            models.CheckConstraint(
                name="assignment_sign_before_finish", condition=Q(sign_due__lte=models.F("finish_due"))
            ),
        ]

    def __str__(self) -> str:
        return f"{self.demand_id}/{self.unit_id}/{self.role}"


class Extension(models.Model):
    """A request to extend an assignment's finish deadline, decided by the unit's supervisor. One approval per assignment."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="extensions")
    days = models.PositiveSmallIntegerField("延期工作日")
    reason = models.TextField("理由")
    status = models.CharField(max_length=10, choices=ExtensionStatus.choices, default=ExtensionStatus.PENDING)
    requested_by = models.ForeignKey("org.User", null=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        "org.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    old_due = models.DateTimeField()
    new_due = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "延期申请"
        verbose_name_plural = "延期申请"
        constraints = [
            models.UniqueConstraint(
                fields=["assignment"],
                condition=Q(status=ExtensionStatus.PENDING),
                name="extension_one_pending",
            ),
            models.UniqueConstraint(
                fields=["assignment"],
                condition=Q(status=ExtensionStatus.APPROVED),
                name="extension_one_approved",
            ),
            models.CheckConstraint(name="extension_days_positive", condition=Q(days__gte=1)),
        ]

    def __str__(self) -> str:
        return f"延期{self.days}个工作日（{self.get_status_display()}）"


class Callback(models.Model):
    """The call to the resident after a reply: was it resolved, how satisfied are they."""

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="callbacks")
    at = models.DateTimeField()
    by = models.ForeignKey("org.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    resolved = models.BooleanField("是否解决")
    satisfaction = models.CharField("满意度", max_length=12, choices=Satisfaction.choices, blank=True)
    note = models.TextField("回访记录", blank=True)
    on_time = models.BooleanField(null=True)

    class Meta:
        verbose_name = "回访"
        verbose_name_plural = "回访"
        indexes = [models.Index(fields=["demand", "at"], name="callback_demand_at")]

    def __str__(self) -> str:
        return f"回访：{'已解决' if self.resolved else '未解决'} {self.get_satisfaction_display()}"


class DemandEvent(EventBase):
    """Append-only record of every change to a demand: who, when, what, old and new values.

    ``actor`` and ``at`` are redeclared as they were before the shared base (no verbose names, an index on
    ``at``) so that adopting it changed no column and needed no migration.
    """

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="events")
    assignment = models.ForeignKey(
        Assignment, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(max_length=24, choices=EventKind.choices)
    # PROTECT: a person who acted stays on record (deactivate the account instead of deleting it)
    actor = models.ForeignKey("org.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(db_index=True)
    old = models.JSONField(default=dict, blank=True)
    new = models.JSONField(default=dict, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        verbose_name = "诉求事件"
        verbose_name_plural = "诉求事件"
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["demand", "at"], name="event_demand_at")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"


class DemandSupporter(models.Model):
    """A resident who added themselves to an existing demand ("我也遇到") instead of filing a new one."""

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="supporter_rows")
    resident = models.ForeignKey("org.Resident", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    channel = models.CharField(max_length=16, default="web")

    class Meta:
        verbose_name = "附议群众"
        verbose_name_plural = "附议群众"
        constraints = [models.UniqueConstraint(fields=["demand", "resident"], name="supporter_once")]

    def __str__(self) -> str:
        return f"{self.demand} + {self.resident}"


class ExportJob(models.Model):
    """A large export (over ``BACKGROUND_EXPORT_ROWS``) made in the background; its file is for its owner only."""

    STATES = [("queued", "排队中"), ("running", "生成中"), ("done", "已完成"), ("failed", "失败")]

    user = models.ForeignKey("org.User", on_delete=models.CASCADE, related_name="+")
    fmt = models.CharField("格式", max_length=8)
    filters = models.JSONField("筛选条件", default=dict)
    state = models.CharField("状态", max_length=10, choices=STATES, default="queued")
    total = models.PositiveIntegerField("总行数", default=0)
    done_rows = models.PositiveIntegerField("已完成行数", default=0)
    file = models.FileField(upload_to="exports/%Y/%m/", max_length=200, blank=True)
    error = models.CharField("错误", max_length=300, blank=True)
    created_at = models.DateTimeField("提交时间")
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "后台导出"
        verbose_name_plural = "后台导出"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "created_at"], name="export_job_state")]

    def __str__(self) -> str:
        return f"{self.user} {self.fmt} {self.get_state_display()}"


class SavedFilter(models.Model):
    """A person's saved query of the demand list (常用筛选): a name and the list's query string."""

    user = models.ForeignKey("org.User", on_delete=models.CASCADE, related_name="+")
    name = models.CharField("名称", max_length=40)
    query = models.CharField("筛选条件", max_length=2000)
    created_at = models.DateTimeField("保存时间")

    class Meta:
        verbose_name = "常用筛选"
        verbose_name_plural = "常用筛选"
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["user", "name"], name="saved_filter_unique_name")]

    def __str__(self) -> str:
        return self.name
