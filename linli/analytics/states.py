"""Choices of the analytics app's one workflow: 每月一题 (the month's governance topic), and its transition table."""

from django.db import models


class TopicStatus(models.TextChoices):
    OPEN = "open", "推进中"
    DONE = "done", "已办结"


# action -> (allowed from, target)
TOPIC_TRANSITIONS = {
    "close": (frozenset({TopicStatus.OPEN}), TopicStatus.DONE),
    "reopen": (frozenset({TopicStatus.DONE}), TopicStatus.OPEN),
}


class TopicEventKind(models.TextChoices):
    MARKED = "marked", "定为每月一题"
    UNITS = "units", "调整牵头/协办单位"
    DEMANDS = "demands", "关联诉求"
    MEETING = "meeting", "记录联席会议"
    CLOSED = "closed", "办结"
    REOPENED = "reopened", "重新推进"
