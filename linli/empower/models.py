"""赋能: instructors' postings, volunteers and teams, the school calendar, patrol shifts and their roster."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from linli.core import clock
from linli.core.events import EventBase
from linli.empower.states import (
    ACTIVE,
    AssignmentStatus,
    EventKind,
    PartnerUnit,
    PostingKind,
    SwapStatus,
)

USER = settings.AUTH_USER_MODEL


class Posting(models.Model):
    """A cadre posted to a community as party-building instructor or first secretary, for a period, with the
    tasks they take on (e.g. 校园周边治理). What they did is read from the other apps, not stored here."""

    kind = models.CharField("类型", max_length=20, choices=PostingKind.choices)
    cadre_name = models.CharField("姓名", max_length=40)
    user = models.ForeignKey(
        USER, verbose_name="账号", null=True, blank=True, on_delete=models.SET_NULL, related_name="postings"
    )
    rank = models.CharField("职级", max_length=40, blank=True)
    home_unit = models.ForeignKey(
        "org.Unit", verbose_name="派出单位", on_delete=models.PROTECT, related_name="+"
    )
    community = models.ForeignKey(
        "org.Jurisdiction", verbose_name="派驻社区", on_delete=models.PROTECT, related_name="+"
    )
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期", null=True, blank=True)
    tasks = models.JSONField("承担任务", default=list, blank=True)
    created_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        verbose_name = "派驻记录"
        verbose_name_plural = "派驻记录"
        ordering = ["-starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                name="posting_period",
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
            )
        ]

    def __str__(self) -> str:
        return f"{self.cadre_name}（{self.get_kind_display()}）"


class Volunteer(models.Model):
    """A registered volunteer of a community. ``availability`` lists "weekday:band" (Monday is 0)."""

    name = models.CharField("姓名", max_length=40)
    phone = models.CharField("电话", max_length=20)
    community = models.ForeignKey(
        "org.Jurisdiction", verbose_name="社区", on_delete=models.PROTECT, related_name="+"
    )
    skills = models.CharField("特长", max_length=200, blank=True)
    availability = models.JSONField("可服务时段", default=list, blank=True)
    consent_on = models.DateField("同意登记日期")
    user = models.OneToOneField(
        USER, verbose_name="账号", null=True, blank=True, on_delete=models.SET_NULL, related_name="volunteer"
    )
    is_active = models.BooleanField("在册", default=True)
    created_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        verbose_name = "志愿者"
        verbose_name_plural = "志愿者"
        ordering = ["community", "name", "pk"]
        constraints = [models.UniqueConstraint(fields=["community", "phone"], name="volunteer_phone_once")]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    """A joint team such as a school-gate patrol (护学队). ``patrol_began_on`` and ``keywords`` link it to its
    hot issue: demands of the community mentioning the keywords, counted per week before and after."""

    name = models.CharField("名称", max_length=80)
    community = models.ForeignKey(
        "org.Jurisdiction", verbose_name="社区", on_delete=models.PROTECT, related_name="+"
    )
    school = models.CharField("学校", max_length=80, blank=True)
    patrol_began_on = models.DateField("护学开始日期", null=True, blank=True)
    keywords = models.CharField("关联诉求关键词", max_length=200, blank=True)
    min_gap_minutes = models.PositiveIntegerField("两班最短间隔（分钟）", default=120)
    max_shifts_per_week = models.PositiveSmallIntegerField("每人每周最多班次", default=3)
    created_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        verbose_name = "队伍"
        verbose_name_plural = "队伍"
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def keyword_list(self) -> list[str]:
        return [k for k in self.keywords.replace("，", ",").split(",") if k.strip()]


class TeamMember(models.Model):
    """A volunteer in a team, standing for one partner unit."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="members")
    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="memberships")
    partner = models.CharField("所属方", max_length=20, choices=PartnerUnit.choices)

    class Meta:
        verbose_name = "队员"
        verbose_name_plural = "队员"
        constraints = [models.UniqueConstraint(fields=["team", "volunteer"], name="team_member_once")]

    def __str__(self) -> str:
        return f"{self.team_id}:{self.volunteer_id}"


class Term(models.Model):
    """A school term: school days are the working days of ``core.calendar`` (holidays, 调休) inside it,
    minus the breaks entered for it."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="terms")
    name = models.CharField("名称", max_length=60)
    starts_on = models.DateField("开学日期")
    ends_on = models.DateField("结束日期")
    planned_at = models.DateTimeField("排班时间", null=True, blank=True)

    class Meta:
        verbose_name = "学期"
        verbose_name_plural = "学期"
        ordering = ["-starts_on", "pk"]
        constraints = [
            models.CheckConstraint(name="term_period", condition=models.Q(ends_on__gte=models.F("starts_on")))
        ]

    def __str__(self) -> str:
        return self.name


class TermBreak(models.Model):
    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="breaks")
    name = models.CharField("名称", max_length=60)
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")

    class Meta:
        verbose_name = "假期"
        verbose_name_plural = "假期"
        constraints = [
            models.CheckConstraint(
                name="break_period", condition=models.Q(ends_on__gte=models.F("starts_on"))
            )
        ]

    def __str__(self) -> str:
        return self.name


class ShiftTemplate(models.Model):
    """A recurring shift at a gate: time, weekdays (Monday is 0), total size and the minimum per partner."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="templates")
    gate = models.CharField("岗点", max_length=60)
    start = models.TimeField("开始时间")
    end = models.TimeField("结束时间")
    weekdays = models.JSONField("星期", default=list)
    size = models.PositiveSmallIntegerField("每班人数")
    minimums = models.JSONField("各方最少人数", default=dict, blank=True)

    class Meta:
        verbose_name = "班次模板"
        verbose_name_plural = "班次模板"
        ordering = ["gate", "start", "pk"]
        constraints = [
            models.CheckConstraint(name="template_times", condition=models.Q(end__gt=models.F("start")))
        ]

    def __str__(self) -> str:
        return f"{self.gate} {self.start:%H:%M}–{self.end:%H:%M}"


class Shift(models.Model):
    """One shift of a term on one school day. ``gaps`` holds the last plan's explanation when unfilled."""

    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="shifts")
    template = models.ForeignKey(ShiftTemplate, on_delete=models.PROTECT, related_name="shifts")
    date = models.DateField("日期")
    gaps = models.JSONField("未排满原因", default=list, blank=True)

    class Meta:
        verbose_name = "班次"
        verbose_name_plural = "班次"
        ordering = ["date", "template__start", "pk"]
        constraints = [models.UniqueConstraint(fields=["template", "date"], name="shift_once_a_day")]

    def __str__(self) -> str:
        return f"{self.date} {self.template}"


class Assignment(models.Model):
    """A volunteer on a shift. Locked rows were set by hand and are inputs of a re-plan; ``cover_for`` is the
    no-show or swapped-out assignment this one replaces."""

    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="assignments")
    volunteer = models.ForeignKey(Volunteer, on_delete=models.PROTECT, related_name="assignments")
    partner = models.CharField("所属方", max_length=20, choices=PartnerUnit.choices)
    status = models.CharField(
        "状态", max_length=20, choices=AssignmentStatus.choices, default=AssignmentStatus.ASSIGNED
    )
    locked = models.BooleanField("锁定", default=False)
    cover_for = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="covers"
    )
    checked_in_at = models.DateTimeField("签到时间", null=True, blank=True)
    checked_out_at = models.DateTimeField("签退时间", null=True, blank=True)
    minutes = models.PositiveIntegerField("服务时长（分钟）", default=0)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "排班"
        verbose_name_plural = "排班"
        ordering = ["shift", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["shift", "volunteer"],
                condition=models.Q(status__in=ACTIVE),
                name="assignment_active_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.shift_id}:{self.volunteer_id}"


class SwapRequest(models.Model):
    """A volunteer asks to hand a shift over; a community worker finds the replacement."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="swap_requests")
    reason = models.CharField("原因", max_length=200, blank=True)
    status = models.CharField("状态", max_length=12, choices=SwapStatus.choices, default=SwapStatus.OPEN)
    created_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        verbose_name = "换班申请"
        verbose_name_plural = "换班申请"
        constraints = [
            models.UniqueConstraint(
                fields=["assignment"], condition=models.Q(status="open"), name="swap_open_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id}:{self.status}"


class EmpowerEvent(EventBase):
    """Append-only: every change of the empowerment app."""

    subject_type = models.CharField(max_length=20)
    subject_id = models.PositiveBigIntegerField()
    kind = models.CharField(max_length=24, choices=EventKind.choices)
    actor = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=clock.now)
    old = models.JSONField(default=dict, blank=True)
    new = models.JSONField(default=dict, blank=True)
    note = models.CharField(max_length=200, blank=True)

    class Meta(EventBase.Meta):
        verbose_name = "赋能记录"
        verbose_name_plural = "赋能记录"
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="empower_event_subject")]
