"""Choices of the empowerment app and the assignment transition table."""

from __future__ import annotations

from django.db import models


class PostingKind(models.TextChoices):
    INSTRUCTOR = "instructor", "党建指导员"
    FIRST_SECRETARY = "first_secretary", "驻社区第一书记"


class PartnerUnit(models.TextChoices):
    """The partners of a joint school-gate patrol (护学队); every team member stands for one of them."""

    CITY_MANAGEMENT = "city_management", "城管"
    POLICE = "police", "公安"
    SCHOOL = "school", "学校"
    VOLUNTEERS = "volunteers", "社区志愿队"


class Band(models.TextChoices):
    """The time band of a day a volunteer says they are free in; a shift falls in the band its start is in."""

    MORNING = "am", "上午"
    AFTERNOON = "pm", "下午"
    EVENING = "eve", "晚上"


def band_of(start_minute: int) -> str:
    if start_minute < 12 * 60:
        return Band.MORNING
    if start_minute < 18 * 60:
        return Band.AFTERNOON
    return Band.EVENING


class AssignmentStatus(models.TextChoices):
    ASSIGNED = "assigned", "已排班"
    CHECKED_IN = "checked_in", "已签到"
    CHECKED_OUT = "checked_out", "已签退"
    NO_SHOW = "no_show", "缺勤"
    SWAPPED = "swapped", "已换班"


A = AssignmentStatus
TRANSITIONS: dict[str, set[str]] = {
    A.ASSIGNED: {A.CHECKED_IN, A.NO_SHOW, A.SWAPPED},
    A.CHECKED_IN: {A.CHECKED_OUT},
    A.CHECKED_OUT: set(),
    A.NO_SHOW: set(),
    A.SWAPPED: set(),
}
# An assignment in one of these holds the volunteer's time: the planner and manual assignment count it.
ACTIVE = (A.ASSIGNED, A.CHECKED_IN, A.CHECKED_OUT)


class SwapStatus(models.TextChoices):
    OPEN = "open", "待处理"
    DONE = "done", "已换班"
    CANCELLED = "cancelled", "已撤回"


class EventKind(models.TextChoices):
    CREATED = "created", "创建"
    CHANGED = "changed", "修改"
    PLANNED = "planned", "排班"
    ASSIGNED = "assigned", "指派"
    CHECKED_IN = "checked_in", "签到"
    CHECKED_OUT = "checked_out", "签退"
    NO_SHOW = "no_show", "缺勤"
    COVERED = "covered", "顶班"
    SWAP_REQUESTED = "swap_requested", "申请换班"
    SWAPPED = "swapped", "换班"
    SHIFTS_GENERATED = "shifts_generated", "生成班次"
