"""Community programs (社区公益活动): a program with sessions, residents' sign-ups with a waitlist, attendance.

A sign-up keeps the minimum about a person: a name and a phone number, and for a children's program the
child's name and age. Only the organiser (who manages the program's community) sees them; the phone is shown
masked on every page.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from linli.core import clock
from linli.core.events import EventBase
from linli.programs.states import EventKind, ProgramKind, ProgramStatus, SignUpStatus, Subject

STAFF = settings.AUTH_USER_MODEL


class Program(models.Model):
    """An activity of a community (shared with its joint committee): capacity, age range, a partner organisation."""

    community = models.ForeignKey(
        "org.Jurisdiction", verbose_name="社区", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=10, choices=ProgramKind.choices, default=ProgramKind.OTHER)
    partners = models.CharField("合办单位", max_length=200, blank=True)
    description = models.TextField("介绍", blank=True)
    capacity = models.PositiveIntegerField("名额")
    for_children = models.BooleanField("面向儿童", default=False)
    age_min = models.PositiveSmallIntegerField("最小年龄", null=True, blank=True)
    age_max = models.PositiveSmallIntegerField("最大年龄", null=True, blank=True)
    status = models.CharField(
        "状态", max_length=10, choices=ProgramStatus.choices, default=ProgramStatus.DRAFT
    )
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(STAFF, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        verbose_name = "公益活动"
        verbose_name_plural = "公益活动"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(name="program_capacity_positive", condition=models.Q(capacity__gte=1)),
            models.CheckConstraint(
                name="program_age_range",
                condition=models.Q(age_min__isnull=True)
                | models.Q(age_max__isnull=True)
                | models.Q(age_max__gte=models.F("age_min")),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Session(models.Model):
    program = models.ForeignKey(
        Program, verbose_name="活动", on_delete=models.CASCADE, related_name="sessions"
    )
    date = models.DateField("日期")
    starts_at = models.TimeField("开始")
    ends_at = models.TimeField("结束")
    place = models.CharField("地点", max_length=100)

    class Meta:
        verbose_name = "场次"
        verbose_name_plural = "场次"
        ordering = ["date", "starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                name="session_times", condition=models.Q(ends_at__gt=models.F("starts_at"))
            )
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.starts_at:%H:%M}"


class SignUp(models.Model):
    """One resident's sign-up. ``queue`` orders the waitlist (first come, first promoted)."""

    program = models.ForeignKey(
        Program, verbose_name="活动", on_delete=models.PROTECT, related_name="signups"
    )
    code = models.CharField("报名编号", max_length=12, unique=True)
    name = models.CharField("姓名", max_length=40)
    phone = models.CharField("电话", max_length=20)
    child_name = models.CharField("孩子姓名", max_length=40, blank=True)
    child_age = models.PositiveSmallIntegerField("孩子年龄", null=True, blank=True)
    status = models.CharField("状态", max_length=12, choices=SignUpStatus.choices)
    queue = models.PositiveIntegerField("排队序号")
    created_at = models.DateTimeField(default=clock.now, editable=False)
    promoted_at = models.DateTimeField("候补转正时间", null=True, blank=True)
    cancelled_at = models.DateTimeField("取消时间", null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "报名"
        verbose_name_plural = "报名"
        ordering = ["queue", "pk"]
        constraints = [
            # one active sign-up per phone and program: a second tap or a second try answers the first
            models.UniqueConstraint(
                fields=["program", "phone"],
                condition=~models.Q(status=SignUpStatus.CANCELLED),
                name="signup_one_active_per_phone",
            ),
            models.UniqueConstraint(fields=["program", "queue"], name="signup_queue_once"),
        ]
        indexes = [models.Index(fields=["program", "status", "queue"], name="signup_program_status")]

    def __str__(self) -> str:
        return self.code


class Attendance(models.Model):
    """The organiser ticked this confirmed sign-up present at this session."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    signup = models.ForeignKey(SignUp, on_delete=models.PROTECT, related_name="attendance")
    marked_by = models.ForeignKey(STAFF, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    marked_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = "签到"
        verbose_name_plural = "签到"
        constraints = [models.UniqueConstraint(fields=["session", "signup"], name="attendance_once")]

    def __str__(self) -> str:
        return f"{self.session_id}:{self.signup_id}"


class ProgramsEvent(EventBase):
    """Append-only: every change in this app leaves one row (subject, kind, actor, time, old/new values)."""

    subject_type = models.CharField(max_length=10, choices=Subject.choices)
    subject_id = models.PositiveIntegerField()
    program_id_ref = models.PositiveIntegerField("活动", db_index=True)
    kind = models.CharField("事件", max_length=16, choices=EventKind.choices)
    actor = models.ForeignKey(STAFF, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=clock.now)
    old = models.JSONField(default=dict, blank=True)
    new = models.JSONField(default=dict, blank=True)
    note = models.TextField(blank=True)

    class Meta(EventBase.Meta):
        verbose_name = "活动事件"
        verbose_name_plural = "活动事件"
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="programs_event_subject")]

    def __str__(self) -> str:
        return f"{self.subject_type}:{self.subject_id} {self.kind}"
