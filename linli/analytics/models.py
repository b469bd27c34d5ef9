"""Rollup tables: what dashboards and reports read instead of the live demand table.

Every figure is a cohort by *registration day*: the local date (Asia/Shanghai)
on which a demand was registered. A demand's assignments and callbacks count
in that same day, whenever they happened. The job in
``linli.analytics.services`` recomputes whole days from the demand tables, so
the rows of a day are always a fresh aggregate, never an increment.

Two grains:

- day rows (``DemandDayStat``, ``AssignmentDayStat``) keep every dimension
  and are the source of truth;
- month rows (``DemandMonthStat``, ``AssignmentMonthStat``) follow the day
  rows of their month. ``DemandMonthStat`` holds one projection per scope
  (the city, a community, a lead unit) and dimension (a community's counts by
  status, a unit's counts by category, …), which stays small where a month
  of day rows with every dimension would be nearly one row per demand.

A period is read as its whole months from the month rows plus the days at
either end from the day rows, so a year for a district reads a few thousand
rows instead of a few hundred thousand.

Ids of other apps' rows (community, unit, category) are plain integers, not
foreign keys: the rollup must not block deleting or merging a unit, and it
never joins back to the live tables. ``0`` stands for "none" (no community,
no lead unit, no category) so that the unique keys also hold on every
database; a NULL never collides with another NULL in a unique index.
"""

import datetime as dt

from django.db import models

NONE_ID = 0
# The one row of RollupState the job keeps.
STATE_NAME = "demand_days"


def month_of(day: dt.date) -> dt.date:
    """The first day of the month ``day`` falls in: the key of its month rows."""
    return day.replace(day=1)


def month_end(day: dt.date) -> dt.date:
    """The last day of the month ``day`` falls in."""
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)


class DemandCounters(models.Model):
    """What is counted about a cohort of demands. Demand counters count demands; callback counters count callback rows."""

    demands = models.PositiveIntegerField("诉求数", default=0)
    finished = models.PositiveIntegerField("已办结(不含直接办结)", default=0)
    finished_on_time = models.PositiveIntegerField("按时办结", default=0)
    resolved = models.PositiveIntegerField("已解决", default=0)
    resolved_first_contact = models.PositiveIntegerField("未重办即解决", default=0)
    resolved_grassroots = models.PositiveIntegerField("在村(社区)解决", default=0)
    resolved_at_intake = models.PositiveIntegerField("直接办结", default=0)
    callbacks = models.PositiveIntegerField("回访数", default=0)
    callbacks_resolved = models.PositiveIntegerField("回访已解决", default=0)
    callbacks_rated = models.PositiveIntegerField("有满意度评价的回访", default=0)
    callbacks_satisfied = models.PositiveIntegerField("满意及基本满意", default=0)

    class Meta:
        abstract = True


COUNTERS = (
    "demands",
    "finished",
    "finished_on_time",
    "resolved",
    "resolved_first_contact",
    "resolved_grassroots",
    "resolved_at_intake",
    "callbacks",
    "callbacks_resolved",
    "callbacks_rated",
    "callbacks_satisfied",
)
CALLBACK_COUNTERS = ("callbacks", "callbacks_resolved", "callbacks_rated", "callbacks_satisfied")


class AssignmentCounters(models.Model):
    dispatched = models.PositiveIntegerField("派单数", default=0)
    signed = models.PositiveIntegerField("已签收", default=0)
    signed_on_time = models.PositiveIntegerField("按时签收", default=0)

    class Meta:
        abstract = True


ASSIGNMENT_COUNTERS = ("dispatched", "signed", "signed_on_time")


class DemandDayStat(DemandCounters):
    """Demands registered on one day with one combination of community, lead unit, top category, channel, type and status.

    Lead unit and status are the demand's current ones: when a demand moves
    on, the job recomputes its registration day.
    """

    day = models.DateField("受理日")
    community_id = models.BigIntegerField("社区", default=NONE_ID)
    lead_unit_id = models.BigIntegerField("主办单位", default=NONE_ID)
    category_top_id = models.BigIntegerField("一级分类", default=NONE_ID)
    channel = models.CharField("渠道", max_length=16)
    demand_type = models.CharField("类型", max_length=16)
    status = models.CharField("状态", max_length=16)

    class Meta:
        verbose_name = "诉求日统计"
        verbose_name_plural = "诉求日统计"
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "day",
                    "community_id",
                    "lead_unit_id",
                    "category_top_id",
                    "channel",
                    "demand_type",
                    "status",
                ],
                name="demand_day_stat_unique_key",
            )
        ]
        # The unique key serves the whole city; these serve an area (its communities) and a unit.
        indexes = [
            models.Index(fields=["community_id", "day"], name="demand_day_stat_community_day"),
            models.Index(fields=["lead_unit_id", "day"], name="demand_day_stat_unit_day"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.status} ×{self.demands}"


class Scope(models.TextChoices):
    CITY = "city", "全市"
    COMMUNITY = "community", "社区"
    UNIT = "unit", "主办单位"


class Dimension(models.TextChoices):
    ALL = "all", "合计"
    STATUS = "status", "状态"
    CATEGORY = "category", "一级分类"
    CHANNEL = "channel", "渠道"
    TYPE = "type", "类型"
    COMMUNITY = "community", "社区"


class DemandMonthStat(DemandCounters):
    """One month of day rows, summed for one scope (a community, or a lead unit) and one value of one dimension.

    ``dimension="all"`` (value "") is the scope's total. Under a unit and
    under the city (``scope_id`` 0), the ``community`` dimension tells where
    the demands came from. Ids in ``value`` are written as text ("0" for none).
    """

    month = models.DateField("月份(首日)")
    scope = models.CharField("范围", max_length=10, choices=Scope.choices)
    scope_id = models.BigIntegerField("范围编号", default=NONE_ID)
    dimension = models.CharField("维度", max_length=10, choices=Dimension.choices)
    value = models.CharField("取值", max_length=24, blank=True)

    class Meta:
        verbose_name = "诉求月统计"
        verbose_name_plural = "诉求月统计"
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "scope_id", "month", "dimension", "value"],
                name="demand_month_stat_unique_key",
            ),
        ]
        indexes = [
            models.Index(fields=["month"], name="demand_month_stat_month"),
            # the dashboard's unit ranking and hotspots read one dimension over a range of months
            models.Index(fields=["scope", "dimension", "month"], name="demand_month_stat_dim_month"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.month:%Y-%m} {self.scope}#{self.scope_id} {self.dimension}={self.value} ×{self.demands}"
        )


class AssignmentDayStat(AssignmentCounters):
    """Assignments of the demands registered on one day, per community of the demand and per assigned unit."""

    day = models.DateField("受理日")
    community_id = models.BigIntegerField("社区", default=NONE_ID)
    unit_id = models.BigIntegerField("承办单位")

    class Meta:
        verbose_name = "派单日统计"
        verbose_name_plural = "派单日统计"
        constraints = [
            models.UniqueConstraint(
                fields=["day", "community_id", "unit_id"], name="assignment_day_stat_unique_key"
            )
        ]
        indexes = [
            models.Index(fields=["community_id", "day"], name="assignment_day_stat_comm_day"),
            models.Index(fields=["unit_id", "day"], name="assignment_day_stat_unit_day"),
        ]

    def __str__(self) -> str:
        return f"{self.day} unit {self.unit_id}: {self.signed_on_time}/{self.dispatched}"


class AssignmentMonthStat(AssignmentCounters):
    """One month of ``AssignmentDayStat`` rows per community and unit."""

    month = models.DateField("月份(首日)")
    community_id = models.BigIntegerField("社区", default=NONE_ID)
    unit_id = models.BigIntegerField("承办单位")

    class Meta:
        verbose_name = "派单月统计"
        verbose_name_plural = "派单月统计"
        constraints = [
            models.UniqueConstraint(
                fields=["month", "community_id", "unit_id"], name="assignment_month_stat_unique_key"
            ),
        ]
        indexes = [models.Index(fields=["unit_id", "month"], name="assignment_month_stat_unit")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} unit {self.unit_id}: {self.signed_on_time}/{self.dispatched}"


class RollupState(models.Model):
    """How far the rollup job has read the demand event log.

    ``last_event_id`` is the highest event id processed. ``pending_event_ids``
    holds ids below it that were not visible yet (their transaction had not
    committed, or rolled back), with the time they were first missed, so a
    slow writer's event is still picked up on a later run.
    """

    name = models.CharField(max_length=40, unique=True)
    last_event_id = models.BigIntegerField(default=0)
    pending_event_ids = models.JSONField(default=dict, blank=True)
    refreshed_at = models.DateTimeField("最近刷新", null=True, blank=True)
    rebuilt_at = models.DateTimeField("最近全量重建", null=True, blank=True)

    class Meta:
        verbose_name = "统计进度"
        verbose_name_plural = "统计进度"

    def __str__(self) -> str:
        return f"{self.name}@{self.last_event_id}"


# --- 每月一题 -----------------------------------------------------------------------------------------

STAFF = "org.User"


class MonthlyTopic(models.Model):
    """The month's governance topic (每月一题): a hot issue the coordination office takes on with named units.

    Unlike the rollup rows, a topic is a record people work on: it keeps foreign
    keys to the area, the units and the demands it links, and every change
    leaves a ``MonthlyTopicEvent``. ``demand_count_before``/``_after`` are not
    stored: the selectors count new demands on the issue around ``marked_at``.
    """

    month = models.DateField("月份")  # the first day of the month
    area = models.ForeignKey(
        "org.Jurisdiction",
        verbose_name="区域",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField("题目", max_length=120)
    place = models.CharField("地点", max_length=60, blank=True)
    terms = models.CharField("关键词", max_length=60, blank=True)
    lead_unit = models.ForeignKey(
        "org.Unit", verbose_name="牵头单位", on_delete=models.PROTECT, related_name="+"
    )
    assisting_units = models.ManyToManyField(
        "org.Unit", verbose_name="协办单位", related_name="+", blank=True
    )
    demands = models.ManyToManyField("demands.Demand", verbose_name="关联诉求", related_name="+", blank=True)
    meeting = models.CharField("联席会议", max_length=200, blank=True)
    status = models.CharField("状态", max_length=8, default="open")
    outcome = models.TextField("办理结果", blank=True)
    marked_at = models.DateTimeField("确定时间")
    marked_by = models.ForeignKey(STAFF, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "每月一题"
        verbose_name_plural = "每月一题"
        ordering = ["-month", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["month", "area"],
                condition=models.Q(area__isnull=False),
                name="topic_one_per_area_month",
            ),
            models.UniqueConstraint(
                fields=["month"], condition=models.Q(area__isnull=True), name="topic_one_citywide_per_month"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["open", "done"]), name="topic_status_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.title}"


class MonthlyTopicEvent(models.Model):
    """Append-only: every change of a monthly topic (kind, actor, time, old/new values)."""

    topic = models.ForeignKey(MonthlyTopic, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField("事件", max_length=12)
    actor = models.ForeignKey(STAFF, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField()
    old = models.JSONField(default=dict, blank=True)
    new = models.JSONField(default=dict, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        verbose_name = "每月一题事件"
        verbose_name_plural = "每月一题事件"
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.topic_id} {self.kind}"

    def get_kind_label(self) -> str:
        from linli.analytics.states import TopicEventKind

        return TopicEventKind(self.kind).label if self.kind in TopicEventKind.values else self.kind
