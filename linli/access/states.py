"""Choices and transition tables of the access app (准入)."""

from django.db import models


class ItemKind(models.TextChoices):
    DUTY = "duty", "依法履职"
    ASSIST = "assist", "协助"
    NEGATIVE = "negative", "负面清单"


class AppliesTo(models.TextChoices):
    BOTH = "both", "村和社区"
    COMMUNITY = "community", "社区"
    VILLAGE = "village", "村"


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"


class RequestKind(models.TextChoices):
    TASK = "task", "工作任务"
    PLAQUE = "plaque", "挂牌"
    INSPECTION = "inspection", "检查考核"


class RequestStatus(models.TextChoices):
    PENDING = "pending", "待协调办审批"
    ADMITTED = "admitted", "已准入"
    REFUSED = "refused", "负面清单拒绝"
    APPROVED = "approved", "审批同意"
    REJECTED = "rejected", "审批不同意"
    OUTSIDE = "outside", "清单外派发"


class Decision(models.TextChoices):
    APPROVE_ONCE = "approve_once", "临时同意（仅本次）"
    APPROVE_LIST = "approve_list", "同意并纳入清单"
    REJECT = "reject", "不同意"


class TaskStatus(models.TextChoices):
    AWAITING = "awaiting", "未经准入"
    ADMITTED = "admitted", "已准入"
    REPORTED = "reported", "已报送"
    REFUSED = "refused", "社区已拒绝"
    WITHDRAWN = "withdrawn", "已撤回"


# action -> (statuses it may start from, status it leads to; None keeps the status). Checked by
# ``core.transitions.transition_target`` in the services; a forbidden start raises the error named here.
# Requests (access.already_decided): the coordination office decides, reviewers add opinions and the sweep
# escalates only while a request awaits approval. Filing sets the first status (admitted, refused, pending
# or outside) from the gate's outcome; that is not a transition.
REQUEST_TRANSITIONS: dict[str, tuple[frozenset[str], str | None]] = {
    Decision.APPROVE_ONCE: (frozenset({RequestStatus.PENDING}), RequestStatus.APPROVED),
    Decision.APPROVE_LIST: (frozenset({RequestStatus.PENDING}), RequestStatus.APPROVED),
    Decision.REJECT: (frozenset({RequestStatus.PENDING}), RequestStatus.REJECTED),
    "opinion": (frozenset({RequestStatus.PENDING}), None),
    "escalate": (frozenset({RequestStatus.PENDING}), None),
}

# Tasks (access.task_transition_not_allowed): a task awaiting approval is admitted or withdrawn with its
# request's decision, or refused by its community; an admitted task is reported on, again and again.
TASK_TRANSITIONS: dict[str, tuple[frozenset[str], str | None]] = {
    "admit": (frozenset({TaskStatus.AWAITING}), TaskStatus.ADMITTED),
    "withdraw": (frozenset({TaskStatus.AWAITING}), TaskStatus.WITHDRAWN),
    "refuse": (frozenset({TaskStatus.AWAITING}), TaskStatus.REFUSED),
    "report": (frozenset({TaskStatus.ADMITTED, TaskStatus.REPORTED}), TaskStatus.REPORTED),
}


class EventKind(models.TextChoices):
    FILED = "filed", "提交申请"
    ADMITTED = "admitted", "自动准入"
    REFUSED = "refused", "负面清单拒绝"
    PENDING = "pending", "转协调办审批"
    OPINION = "opinion", "会签意见"
    APPROVED_ONCE = "approve_once", "临时同意"
    APPROVED_LIST = "approve_list", "同意并纳入清单"
    REJECTED = "reject", "不同意"
    ESCALATED = "escalated", "审批超时升级"
    COMMUNITY_REFUSED = "community_refused", "社区拒绝"
    REPORTED = "reported", "社区报送"


class CertificateList(models.TextChoices):
    POSITIVE = "positive", "社区可开具"
    NEGATIVE = "negative", "社区不得开具"


APPROVAL_WORKING_DAYS = 15
