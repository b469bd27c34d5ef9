"""Statuses and the allowed transitions of demands and assignments.

Each action is one service in ``linli.demands.services``. The service locks
the row, checks the table here, saves and appends an event. Nothing else
assigns a status.
"""

from django.db import models


class DemandType(models.TextChoices):
    CONSULTATION = "consultation", "咨询"
    HELP = "help", "求助"
    COMPLAINT = "complaint", "投诉"
    REPORT = "report", "举报"
    SUGGESTION = "suggestion", "建议"
    PRAISE = "praise", "表扬"


class Urgency(models.TextChoices):
    NORMAL = "normal", "一般"
    URGENT = "urgent", "紧急"


class Channel(models.TextChoices):
    HOTLINE = "hotline", "12345热线"
    WEB = "web", "网上诉求"
    NIGHT_VISIT = "night_visit", "夜访"
    WALK_IN = "walk_in", "来访"
    OPEN311 = "open311", "开放接口"
    IMPORT = "import", "批量导入"


PUBLIC_CHANNELS = (Channel.WEB, Channel.OPEN311)


class DemandStatus(models.TextChoices):
    REGISTERED = "registered", "已受理"
    DISPATCHED = "dispatched", "已派单"
    IN_PROGRESS = "in_progress", "办理中"
    RETURNED = "returned", "已退单"
    REPLIED = "replied", "已办结待回访"
    CALLED_BACK = "called_back", "已回访"
    CLOSED = "closed", "已归档"
    INVALID = "invalid", "无效"
    WITHDRAWN = "withdrawn", "已撤销"
    MERGED = "merged", "已合并"


S = DemandStatus
OPEN_STATUSES = frozenset({S.REGISTERED, S.DISPATCHED, S.IN_PROGRESS, S.RETURNED, S.REPLIED, S.CALLED_BACK})
FINAL_STATUSES = frozenset({S.CLOSED, S.INVALID, S.WITHDRAWN, S.MERGED})
HANDLING_STATUSES = frozenset({S.REGISTERED, S.DISPATCHED, S.IN_PROGRESS, S.RETURNED})

# action -> (statuses it may start from, status it leads to; None keeps the status)
DEMAND_TRANSITIONS: dict[str, tuple[frozenset[str], str | None]] = {
    "resolve_at_intake": (frozenset({S.REGISTERED}), S.CLOSED),
    "dispatch": (frozenset({S.REGISTERED}), S.DISPATCHED),
    "redispatch": (frozenset({S.RETURNED, S.DISPATCHED, S.IN_PROGRESS}), S.DISPATCHED),
    "sign_lead": (frozenset({S.DISPATCHED}), S.IN_PROGRESS),
    "sign_assisting": (frozenset({S.DISPATCHED, S.IN_PROGRESS}), None),
    "return_lead": (frozenset({S.DISPATCHED, S.IN_PROGRESS}), S.RETURNED),
    "return_assisting": (frozenset({S.DISPATCHED, S.IN_PROGRESS}), None),
    "request_return": (frozenset({S.DISPATCHED, S.IN_PROGRESS}), None),
    "decide_return": (frozenset({S.DISPATCHED, S.IN_PROGRESS}), None),
    "request_extension": (frozenset({S.IN_PROGRESS}), None),
    "decide_extension": (frozenset({S.IN_PROGRESS}), None),
    "reply_lead": (frozenset({S.IN_PROGRESS}), S.REPLIED),
    "reply_assisting": (frozenset({S.DISPATCHED, S.IN_PROGRESS}), None),
    "callback": (frozenset({S.REPLIED}), S.CALLED_BACK),
    "reopen": (frozenset({S.REPLIED, S.CALLED_BACK}), S.DISPATCHED),
    "close": (frozenset({S.REPLIED, S.CALLED_BACK}), S.CLOSED),
    "merge": (frozenset(HANDLING_STATUSES), S.MERGED),
    "mark_invalid": (frozenset({S.REGISTERED, S.DISPATCHED, S.RETURNED}), S.INVALID),
    "withdraw": (frozenset(HANDLING_STATUSES), S.WITHDRAWN),
    "escalate": (frozenset(OPEN_STATUSES), None),
    "change_category": (frozenset(HANDLING_STATUSES), None),
    # a handler's interim progress note (办理进展) while the demand is being handled
    "progress": (frozenset({S.DISPATCHED, S.IN_PROGRESS}), None),
    # another resident adds themselves to an open demand ("我也遇到") while it is still being handled
    "me_too": (frozenset(HANDLING_STATUSES), None),
    # a callback call nobody answered: recorded, counted, tried again later
    "callback_unreachable": (frozenset({S.REPLIED}), None),
}


class AssignmentRole(models.TextChoices):
    LEAD = "lead", "主办"
    ASSISTING = "assisting", "协办"


class AssignmentStatus(models.TextChoices):
    PENDING_SIGN = "pending_sign", "待签收"
    SIGNED = "signed", "办理中"
    RETURN_REQUESTED = "return_requested", "退单待审"
    RETURNED = "returned", "已退单"
    REPLIED = "replied", "已办结"
    CANCELLED = "cancelled", "已撤回"


A = AssignmentStatus
ACTIVE_ASSIGNMENT_STATUSES = frozenset({A.PENDING_SIGN, A.SIGNED, A.RETURN_REQUESTED})

ASSIGNMENT_TRANSITIONS: dict[str, tuple[frozenset[str], str | None]] = {
    "sign": (frozenset({A.PENDING_SIGN}), A.SIGNED),
    "request_return": (frozenset({A.PENDING_SIGN, A.SIGNED}), A.RETURN_REQUESTED),
    "return": (frozenset({A.PENDING_SIGN, A.SIGNED}), A.RETURNED),
    "approve_return": (frozenset({A.RETURN_REQUESTED}), A.RETURNED),
    # A rejected return goes back to where it was: signed if it had been signed.
    "reject_return": (frozenset({A.RETURN_REQUESTED}), None),
    "request_extension": (frozenset({A.SIGNED}), None),
    "decide_extension": (frozenset({A.SIGNED}), None),
    "reply": (frozenset({A.SIGNED}), A.REPLIED),
    "progress": (frozenset({A.SIGNED}), None),
    "cancel": (frozenset(ACTIVE_ASSIGNMENT_STATUSES), A.CANCELLED),
}


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", "待审批"
    APPROVED = "approved", "已批准"
    REJECTED = "rejected", "已驳回"


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    BASICALLY = "basically", "基本满意"
    UNSATISFIED = "unsatisfied", "不满意"


SATISFIED_LEVELS = (Satisfaction.SATISFIED, Satisfaction.BASICALLY)


class DurationUnit(models.TextChoices):
    MINUTES = "minutes", "自然分钟"
    HOURS = "hours", "自然小时"
    WORKING_HOURS = "working_hours", "工作小时"
    WORKING_DAYS = "working_days", "工作日"


class EventKind(models.TextChoices):
    REGISTERED = "registered", "受理"
    RESOLVED_AT_INTAKE = "resolved_at_intake", "直接办结"
    DISPATCHED = "dispatched", "派单"
    REDISPATCHED = "redispatched", "改派"
    SIGNED = "signed", "签收"
    RETURN_REQUESTED = "return_requested", "申请退单"
    RETURNED = "returned", "退单"
    RETURN_REJECTED = "return_rejected", "退单驳回"
    EXTENSION_REQUESTED = "extension_requested", "申请延期"
    EXTENSION_APPROVED = "extension_approved", "延期批准"
    EXTENSION_REJECTED = "extension_rejected", "延期驳回"
    REPLIED = "replied", "办结反馈"
    CALLED_BACK = "called_back", "回访"
    REOPENED = "reopened", "重办"
    CLOSED = "closed", "归档"
    MERGED = "merged", "并入主单"
    MERGED_IN = "merged_in", "合并重复件"
    INVALID = "invalid", "无效"
    WITHDRAWN = "withdrawn", "撤销"
    ESCALATED = "escalated", "督办"
    SIGN_OVERDUE = "sign_overdue", "签收超时"
    FINISH_OVERDUE = "finish_overdue", "办理超期"
    CALLBACK_OVERDUE = "callback_overdue", "回访超期"
    CATEGORY_CHANGED = "category_changed", "修改分类"
    ASSIGNMENT_CANCELLED = "assignment_cancelled", "撤回派单"
    PROGRESS = "progress", "办理进展"
    CALLBACK_UNREACHABLE = "callback_unreachable", "回访未接通"
    ME_TOO = "me_too", "我也遇到"
