"""Choices of the programs app and its transition tables (program, sign-up)."""

from django.db import models


class ProgramKind(models.TextChoices):
    CAMP = "camp", "托管营"
    CLASS = "class", "兴趣课堂"
    TALK = "talk", "讲座"
    OTHER = "other", "其他活动"


class ProgramStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    OPEN = "open", "报名中"
    CLOSED = "closed", "报名截止"
    FINISHED = "finished", "已结束"
    CANCELLED = "cancelled", "已取消"


# action -> (allowed from, target)
PROGRAM_TRANSITIONS = {
    "open": (frozenset({ProgramStatus.DRAFT, ProgramStatus.CLOSED}), ProgramStatus.OPEN),
    "close": (frozenset({ProgramStatus.OPEN}), ProgramStatus.CLOSED),
    "finish": (frozenset({ProgramStatus.OPEN, ProgramStatus.CLOSED}), ProgramStatus.FINISHED),
    "cancel": (
        frozenset({ProgramStatus.DRAFT, ProgramStatus.OPEN, ProgramStatus.CLOSED}),
        ProgramStatus.CANCELLED,
    ),
}

# Residents may sign up, and cancel their own sign-up, while these hold.
SIGNUP_OPEN = frozenset({ProgramStatus.OPEN})
CANCEL_ALLOWED = frozenset({ProgramStatus.OPEN, ProgramStatus.CLOSED})


class SignUpStatus(models.TextChoices):
    CONFIRMED = "confirmed", "已报名"
    WAITLISTED = "waitlisted", "候补"
    CANCELLED = "cancelled", "已取消"


ACTIVE_SIGNUP = frozenset({SignUpStatus.CONFIRMED, SignUpStatus.WAITLISTED})

SIGNUP_TRANSITIONS = {
    "cancel": (frozenset({SignUpStatus.CONFIRMED, SignUpStatus.WAITLISTED}), SignUpStatus.CANCELLED),
    "promote": (frozenset({SignUpStatus.WAITLISTED}), SignUpStatus.CONFIRMED),
}


class Subject(models.TextChoices):
    PROGRAM = "program", "活动"
    SESSION = "session", "场次"
    SIGNUP = "signup", "报名"


class EventKind(models.TextChoices):
    CREATED = "created", "创建"
    TRANSITION = "transition", "状态变更"
    SESSION_ADDED = "session_added", "新增场次"
    SIGNED_UP = "signed_up", "报名"
    WAITLISTED = "waitlisted", "候补"
    CANCELLED = "cancelled", "取消报名"
    PROMOTED = "promoted", "候补转正"
    ATTENDANCE = "attendance", "签到"
