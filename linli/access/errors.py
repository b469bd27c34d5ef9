"""Typed errors of the access app, with stable codes."""

from linli.core.errors import ApplicationError, Conflict, NotFound, ValidationFailed


class NoTarget(ValidationFailed):
    code = "access.no_target"
    message_zh = "请至少选择一个社区、村或片区"
    message_en = "Choose at least one community, village or area"


class DeadlinePast(ValidationFailed):
    code = "access.deadline_past"
    message_zh = "完成期限不能早于今天"
    message_en = "The deadline cannot be in the past"


class EmptyContent(ValidationFailed):
    code = "access.empty_content"
    message_zh = "请填写事项标题和具体内容"
    message_en = "Give the task a title and its content"


class BadTarget(ValidationFailed):
    code = "access.bad_target"
    message_zh = "所选地区不存在"
    message_en = "A chosen area does not exist"


class NotDepartment(ApplicationError):
    code = "access.not_department"
    status = 403
    message_zh = "只有职能部门可以提交派发申请"
    message_en = "Only departments can file assignment requests"


class RequestNotFound(NotFound):
    code = "access.request_not_found"
    message_zh = "申请不存在，或无权查看"
    message_en = "No such request, or not visible to you"


class TaskNotFound(NotFound):
    code = "access.task_not_found"
    message_zh = "任务不存在，或无权查看"
    message_en = "No such task, or not visible to you"


class ItemNotFound(NotFound):
    code = "access.item_not_found"
    message_zh = "清单事项不存在"
    message_en = "No such catalogue item"


class VersionNotFound(NotFound):
    code = "access.version_not_found"
    message_zh = "清单版本不存在"
    message_en = "No such catalogue version"


class AlreadyDecided(Conflict):
    code = "access.already_decided"
    message_zh = "该申请已有决定，不能再次审批"
    message_en = "This request has already been decided"


class TaskTransitionNotAllowed(Conflict):
    code = "access.task_transition_not_allowed"
    message_zh = "任务当前状态不允许此操作"
    message_en = "The task's current state does not allow this"


class VersionPublished(Conflict):
    code = "access.version_published"
    message_zh = "已发布的清单版本不能修改"
    message_en = "A published catalogue version cannot be changed"


class DraftExists(Conflict):
    code = "access.draft_exists"
    message_zh = "已有一个草稿版本，请先发布或在其上修改"
    message_en = "A draft version already exists"


class NoPublishedCatalogue(ApplicationError):
    code = "access.no_catalogue"
    status = 409
    message_zh = "尚未发布事项清单"
    message_en = "No catalogue version has been published"


class ReasonRequired(ValidationFailed):
    code = "access.reason_required"
    message_zh = "请填写理由"
    message_en = "A reason is required"


class ImportFailed(ValidationFailed):
    code = "access.import_failed"
    message_zh = "导入失败，未导入任何行，请按行号修改后重试"
    message_en = "Import failed; nothing was imported. Fix the rows listed and retry"


class BadPeriod(ValidationFailed):
    code = "access.bad_period"
    message_zh = "统计期间有误"
    message_en = "The period is not valid"


class PlaqueAlreadyRemoved(Conflict):
    code = "access.plaque_removed"
    message_zh = "该牌子已摘除"
    message_en = "This plaque has already been removed"


class CertificateNotIssuable(ValidationFailed):
    code = "access.certificate_not_issuable"
    message_zh = "该证明在负面清单内，社区不得开具"
    message_en = "This certificate is on the negative list; communities may not issue it"
