"""Night visits (夜访): campaigns in rounds, a cadre pool, plans, visit records, coordination meetings, designations."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models

from linli.core import clock
from linli.core.events import EventBase
from linli.visits.states import ActionStatus, CadreLevel, EventKind, MeetingKind, Subject

STAFF = settings.AUTH_USER_MODEL


class Campaign(models.Model):
    """A night-visit campaign over one area (a street or a district), held in numbered rounds on set evenings."""

    name = models.CharField("名称", max_length=100)
    area = models.ForeignKey(
        "org.Jurisdiction", verbose_name="范围", on_delete=models.PROTECT, related_name="+"
    )
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    evening_start = models.TimeField("夜访开始时间", default=dt.time(19, 0))
    evening_end = models.TimeField("夜访结束时间", default=dt.time(22, 0))
    team_min = models.PositiveSmallIntegerField("每组最少人数", default=2)
    team_max = models.PositiveSmallIntegerField("每组最多人数", default=3)
    created_by = models.ForeignKey(STAFF, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        verbose_name = "夜访活动"
        verbose_name_plural = "夜访活动"
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="campaign_period", condition=models.Q(ends_on__gte=models.F("starts_on"))
            ),
            models.CheckConstraint(
                name="campaign_team_size",
                condition=models.Q(team_min__gte=2, team_max__gte=models.F("team_min")),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Round(models.Model):
    """One evening of a campaign. ``plan_gaps`` holds the last plan's uncovered communities and why."""

    campaign = models.ForeignKey(
        Campaign, verbose_name="夜访活动", on_delete=models.CASCADE, related_name="rounds"
    )
    number = models.PositiveSmallIntegerField("轮次")
    date = models.DateField("日期")
    planned_at = models.DateTimeField("排班时间", null=True, blank=True)
    plan_gaps = models.JSONField("未覆盖", default=list, blank=True)

    class Meta:
        verbose_name = "轮次"
        verbose_name_plural = "轮次"
        ordering = ["campaign", "number"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "number"], name="round_number_once"),
            models.UniqueConstraint(fields=["campaign", "date"], name="round_date_once"),
        ]

    def __str__(self) -> str:
        return f"第{self.number}轮 {self.date:%Y-%m-%d}"


class Cadre(models.Model):
    """A cadre in the pool: level, unit and home area; optionally the staff account they sign in with."""

    name = models.CharField("姓名", max_length=40)
    level = models.CharField("层级", max_length=10, choices=CadreLevel.choices)
    unit = models.ForeignKey(
        "org.Unit", verbose_name="单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    home_area = models.ForeignKey(
        "org.Jurisdiction",
        verbose_name="常住区域",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    user = models.OneToOneField(
        STAFF, verbose_name="工作账号", null=True, blank=True, on_delete=models.SET_NULL, related_name="cadre"
    )
    is_active = models.BooleanField("在册", default=True)

    class Meta:
        verbose_name = "夜访干部"
        verbose_name_plural = "夜访干部"
        ordering = ["level", "name", "pk"]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_level_display()}）"


class CadreUnavailable(models.Model):
    cadre = models.ForeignKey(Cadre, on_delete=models.CASCADE, related_name="unavailable")
    date = models.DateField("日期")
    reason = models.CharField("原因", max_length=100, blank=True)

    class Meta:
        verbose_name = "不能参加的日期"
        verbose_name_plural = "不能参加的日期"
        constraints = [models.UniqueConstraint(fields=["cadre", "date"], name="cadre_unavailable_once")]

    def __str__(self) -> str:
        return f"{self.cadre_id} {self.date}"


class PlanAssignment(models.Model):
    """A cadre assigned to a community for one round. Locked rows were set by hand and survive a re-plan."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="assignments")
    community = models.ForeignKey(
        "org.Jurisdiction", verbose_name="社区/村", on_delete=models.PROTECT, related_name="+"
    )
    cadre = models.ForeignKey(
        Cadre, verbose_name="干部", on_delete=models.PROTECT, related_name="assignments"
    )
    locked = models.BooleanField("手工锁定", default=False)

    class Meta:
        verbose_name = "排班"
        verbose_name_plural = "排班"
        ordering = ["round", "community", "cadre__level", "pk"]
        constraints = [models.UniqueConstraint(fields=["round", "cadre"], name="plan_cadre_once_per_round")]

    def __str__(self) -> str:
        return f"{self.round_id}/{self.community_id}/{self.cadre_id}"


class Visit(models.Model):
    """What a team recorded at one community on one evening. ``client_token`` makes a resubmitted form harmless."""

    round = models.ForeignKey(Round, verbose_name="轮次", on_delete=models.PROTECT, related_name="visits")
    community = models.ForeignKey(
        "org.Jurisdiction", verbose_name="社区/村", on_delete=models.PROTECT, related_name="+"
    )
    client_token = models.UUIDField("提交令牌", unique=True)
    team = models.ManyToManyField(Cadre, verbose_name="走访干部", related_name="visits", blank=True)
    arrived_at = models.DateTimeField("到达时间")
    left_at = models.DateTimeField("离开时间", null=True, blank=True)
    residents_met = models.PositiveIntegerField("接待群众", default=0)
    riders_met = models.PositiveIntegerField("接待骑手", default=0)
    property_staff_met = models.PositiveIntegerField("物业人员", default=0)
    met_notes = models.TextField("接待情况", blank=True)
    recorded_by = models.ForeignKey(STAFF, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        verbose_name = "走访记录"
        verbose_name_plural = "走访记录"
        ordering = ["-arrived_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="visit_left_after_arrival",
                condition=models.Q(left_at__isnull=True) | models.Q(left_at__gte=models.F("arrived_at")),
            )
        ]

    def __str__(self) -> str:
        return f"{self.arrived_at:%Y-%m-%d} 走访"


class VisitIssue(models.Model):
    """An issue heard on a visit; it lives on as a night-visit demand in the closed loop. One visit per demand."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="issues")
    demand = models.OneToOneField("demands.Demand", on_delete=models.PROTECT, related_name="+")
    solved_on_spot = models.BooleanField("当场解决", default=False)
    linked = models.BooleanField("关联已有诉求", default=False)
    created_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        verbose_name = "走访问题"
        verbose_name_plural = "走访问题"
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"走访问题 {self.demand_id}"


class Meeting(models.Model):
    """A coordination meeting (协调会/联席会议) of the units a problem belongs to, with who else came."""

    kind = models.CharField(
        "类型", max_length=16, choices=MeetingKind.choices, default=MeetingKind.COORDINATION
    )
    topic = models.CharField("议题", max_length=120)
    held_at = models.DateTimeField("时间")
    place = models.CharField("地点", max_length=100, blank=True)
    community = models.ForeignKey(
        "org.Jurisdiction",
        verbose_name="社区/村",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    campaign = models.ForeignKey(
        Campaign,
        verbose_name="夜访活动",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meetings",
    )
    convened_by = models.ForeignKey(
        "org.Unit", verbose_name="召集单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    units = models.ManyToManyField("org.Unit", verbose_name="参会单位", related_name="+", blank=True)
    representatives = models.TextField(
        "其他参会代表", blank=True, help_text="群众、骑手、企业等代表，每行一位"
    )
    decisions = models.TextField("议定事项", blank=True)
    created_by = models.ForeignKey(STAFF, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        verbose_name = "协调会"
        verbose_name_plural = "协调会"
        ordering = ["-held_at", "-pk"]

    def __str__(self) -> str:
        return self.topic


class MeetingDemand(models.Model):
    """A demand referred to a meeting because it needs several units."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="referrals")
    demand = models.ForeignKey("demands.Demand", on_delete=models.PROTECT, related_name="+")
    note = models.CharField("说明", max_length=200, blank=True)
    referred_by = models.ForeignKey(STAFF, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    referred_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        verbose_name = "提交协调会的诉求"
        verbose_name_plural = "提交协调会的诉求"
        constraints = [models.UniqueConstraint(fields=["meeting", "demand"], name="meeting_demand_once")]

    def __str__(self) -> str:
        return f"{self.meeting_id}/{self.demand_id}"


class ActionItem(models.Model):
    """A task agreed at a meeting, owned by one unit with a deadline; tracked like an assignment."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="action_items")
    text = models.CharField("事项", max_length=300)
    owner_unit = models.ForeignKey(
        "org.Unit", verbose_name="责任单位", on_delete=models.PROTECT, related_name="+"
    )
    deadline = models.DateField("完成时限")
    status = models.CharField("状态", max_length=8, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    done_at = models.DateTimeField("完成时间", null=True, blank=True)
    done_note = models.TextField("完成情况", blank=True)
    demands = models.ManyToManyField("demands.Demand", verbose_name="关联诉求", related_name="+", blank=True)
    created_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        verbose_name = "协调会事项"
        verbose_name_plural = "协调会事项"
        ordering = ["deadline", "pk"]
        indexes = [models.Index(fields=["owner_unit", "status"], name="action_owner_status")]

    def __str__(self) -> str:
        return self.text

    def is_overdue(self, today: dt.date | None = None) -> bool:
        today = today or clock.today()
        return self.status == ActionStatus.OPEN and self.deadline < today


class Designation(models.Model):
    """A model title given to a compound, e.g. 骑手友好示范小区."""

    compound = models.CharField("小区", max_length=80)
    community = models.ForeignKey(
        "org.Jurisdiction", verbose_name="社区/村", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField("称号", max_length=60)
    designated_on = models.DateField("命名日期")
    by_unit = models.ForeignKey(
        "org.Unit", verbose_name="命名单位", on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField("命名理由")
    meeting = models.ForeignKey(
        Meeting,
        verbose_name="相关协调会",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="designations",
    )
    created_by = models.ForeignKey(STAFF, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "示范命名"
        verbose_name_plural = "示范命名"
        ordering = ["-designated_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["community", "compound", "title"], name="designation_once")
        ]

    def __str__(self) -> str:
        return f"{self.compound} · {self.title}"


class VisitsEvent(EventBase):
    """Append-only: every change in this app leaves one row (subject, kind, actor, time, old/new values)."""

    subject_type = models.CharField(max_length=16, choices=Subject.choices)
    subject_id = models.PositiveIntegerField()
    kind = models.CharField("事件", max_length=20, choices=EventKind.choices)
    old = models.JSONField(default=dict, blank=True)
    new = models.JSONField(default=dict, blank=True)
    note = models.TextField(blank=True)

    class Meta(EventBase.Meta):
        verbose_name = "夜访事件"
        verbose_name_plural = "夜访事件"
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="visits_event_subject")]

    def __str__(self) -> str:
        return f"{self.subject_type}:{self.subject_id} {self.kind}"
