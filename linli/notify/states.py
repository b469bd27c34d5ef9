"""Message states, the templates the product sends, and the retry schedule."""

from __future__ import annotations

import datetime as dt

from django.db import models


class MessageState(models.TextChoices):
    QUEUED = "queued", "待发送"
    SENDING = "sending", "发送中"
    SENT = "sent", "已发送"
    RETRY = "retry", "待重试"
    GAVE_UP = "gave_up", "发送失败"
    SKIPPED = "skipped", "未发送"


class ChannelKind(models.TextChoices):
    SMS = "sms", "短信"
    WECHAT = "wechat", "微信模板消息"
    EMAIL = "email", "电子邮件"
    WEBHOOK = "webhook", "Webhook"


class Audience(models.TextChoices):
    RESIDENT = "resident", "群众"
    STAFF = "staff", "工作人员"


# (action → allowed from-states → to-state): the one transition idiom of the house.
MESSAGE_TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "claim": (
        frozenset({MessageState.QUEUED, MessageState.RETRY, MessageState.SENDING}),
        MessageState.SENDING,
    ),
    "sent": (frozenset({MessageState.SENDING}), MessageState.SENT),
    "retry": (frozenset({MessageState.SENDING}), MessageState.RETRY),
    "give_up": (frozenset({MessageState.SENDING}), MessageState.GAVE_UP),
    "skip": (
        frozenset({MessageState.SENDING, MessageState.QUEUED, MessageState.RETRY}),
        MessageState.SKIPPED,
    ),
    "retry_now": (frozenset({MessageState.GAVE_UP, MessageState.RETRY}), MessageState.QUEUED),
}

# Waits after the 1st, 2nd, … failed attempt; after the last one the message is given up (and stays visible).
BACKOFF = (
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=2),
    dt.timedelta(hours=6),
)
# A message claimed by a sender that died is taken again after this long.
CLAIM_TIMEOUT = dt.timedelta(minutes=10)

# Default texts of every template (the admin edits them; these fill a fresh installation).
# Placeholders: {code} {link} {unit} {due} {note} {kind} {decision}
DEFAULT_TEMPLATES: dict[str, tuple[str, str, str]] = {
    # key: (audience, name, body)
    "resident.registered": (
        Audience.RESIDENT,
        "群众：诉求已受理",
        "【邻里】您的诉求已受理，受理编号{code}。凭编号和手机号后四位可查询办理进度：{link}",
    ),
    "resident.replied": (
        Audience.RESIDENT,
        "群众：办结答复与评价",
        "【邻里】您的诉求{code}已由{unit}办结答复：{note}。请对办理结果评价：{link}",
    ),
    "resident.reopened": (
        Audience.RESIDENT,
        "群众：诉求重新办理",
        "【邻里】您的诉求{code}已重新交办，我们会继续办理并再次答复您。查询进度：{link}",
    ),
    "resident.me_too": (
        Audience.RESIDENT,
        "群众：我也遇到",
        "【邻里】您已附议诉求{code}（同一问题不再重复立案），办结后会通知您。查询进度：{link}",
    ),
    "staff.due_soon": (
        Audience.STAFF,
        "工作人员：24小时内到期",
        "诉求{code}将于{due}到期，请及时办理并答复。{link}",
    ),
    "staff.overdue": (
        Audience.STAFF,
        "工作人员：已超期",
        "诉求{code}{kind}，请尽快处理。{link}",
    ),
    "staff.escalated": (
        Audience.STAFF,
        "工作人员：督办",
        "诉求{code}被督办：{note}。{link}",
    ),
    "staff.return_decided": (
        Audience.STAFF,
        "工作人员：退单申请有结果",
        "诉求{code}的退单申请{decision}。{link}",
    ),
}
PLACEHOLDERS = frozenset({"code", "link", "unit", "due", "note", "kind", "decision"})
