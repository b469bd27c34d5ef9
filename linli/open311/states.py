"""Choices of the Open311 app: attribute data types (from the spec) and the states of an outbound transfer."""

from django.db import models


class Datatype(models.TextChoices):
    STRING = "string", "单行文字"
    NUMBER = "number", "数字"
    DATETIME = "datetime", "日期时间"
    TEXT = "text", "多行文字"
    SINGLEVALUELIST = "singlevaluelist", "单选"
    MULTIVALUELIST = "multivaluelist", "多选"


LIST_DATATYPES = (Datatype.SINGLEVALUELIST, Datatype.MULTIVALUELIST)


class LinkState(models.TextChoices):
    PENDING = "pending", "待发送"
    FAILED = "failed", "发送失败，将重试"
    SENT = "sent", "已发送"
    CLOSED = "closed", "对方已办结"


class LinkEventKind(models.TextChoices):
    QUEUED = "queued", "加入发送"
    SENT = "sent", "已发送"
    FAILED = "failed", "发送失败"
    REMOTE_ID = "remote_id", "取得对方编号"
    REMOTE_UPDATE = "remote_update", "对方进展"
    POLL_FAILED = "poll_failed", "查询失败"


# Statuses a GeoReport v2 request may have.
OPEN, CLOSED = "open", "closed"
