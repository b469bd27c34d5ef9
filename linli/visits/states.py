"""Choices of the visits app and the one transition table (action items)."""

from django.db import models


class CadreLevel(models.TextChoices):
    CITY = "city", "市级"
    DISTRICT = "district", "区级"
    STREET = "street", "镇街级"


# A team "mixes levels": at least one of these with at least one street-level cadre.
SENIOR_LEVELS = frozenset({CadreLevel.CITY, CadreLevel.DISTRICT})


class MeetingKind(models.TextChoices):
    COORDINATION = "coordination", "协调会"
    JOINT = "joint", "联席会议"


class ActionStatus(models.TextChoices):
    OPEN = "open", "办理中"
    DONE = "done", "已完成"


# action -> (statuses it may start from, status it leads to), checked by ``core.transitions.transition_target``
# in the services; a forbidden start is ``visits.transition_not_allowed``.
ACTION_ITEM_TRANSITIONS: dict[str, tuple[frozenset[str], str | None]] = {
    "complete": (frozenset({ActionStatus.OPEN}), ActionStatus.DONE),
    "reopen": (frozenset({ActionStatus.DONE}), ActionStatus.OPEN),
}


class Subject(models.TextChoices):
    CAMPAIGN = "campaign", "夜访活动"
    ROUND = "round", "轮次"
    CADRE = "cadre", "干部"
    VISIT = "visit", "走访记录"
    MEETING = "meeting", "协调会"
    ACTION_ITEM = "action_item", "协调会事项"
    DESIGNATION = "designation", "示范命名"


class EventKind(models.TextChoices):
    CREATED = "created", "创建"
    CHANGED = "changed", "修改"
    PLANNED = "planned", "排班"
    LOCKED = "locked", "手工锁定"
    UNLOCKED = "unlocked", "取消锁定"
    UNAVAILABLE = "unavailable", "登记不能参加"
    ISSUE_RAISED = "issue_raised", "记录问题"
    ISSUE_LINKED = "issue_linked", "关联诉求"
    DEMAND_REFERRED = "demand_referred", "提交协调会"
    ACTION_ADDED = "action_added", "新增事项"
    COMPLETED = "completed", "完成"
    REOPENED = "reopened", "重新办理"
    DEMAND_LINKED = "demand_linked", "关联诉求"
