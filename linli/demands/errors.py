from linli.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed


class DemandNotFound(NotFound):
    code = "demand.not_found"
    message_zh = "诉求不存在，或无权查看"
    message_en = "No such demand, or not visible to you"


class TransitionNotAllowed(Conflict):
    code = "demand.transition_not_allowed"
    message_zh = "诉求当前状态不允许此操作（可能已被他人处理，请刷新）"
    message_en = "The demand's current status does not allow this (someone may have acted first; reload)"


class StaleVersion(Conflict):
    code = "demand.stale"
    message_zh = "诉求已被他人修改，请刷新后重试"
    message_en = "The demand was changed by someone else; reload and try again"


class NotYourAssignment(PermissionDenied):
    code = "demand.not_your_assignment"
    message_zh = "这不是本单位的派单"
    message_en = "This assignment is not your unit's"


class ActionForbidden(PermissionDenied):
    code = "demand.action_forbidden"
    message_zh = "您的角色不能执行此操作"
    message_en = "Your role may not do this"


class DuplicateExternalRef(Conflict):
    code = "demand.duplicate_external_ref"
    message_zh = "该外部编号已登记过，不能重复登记"
    message_en = "A demand with this external reference is already registered"


class RegistrationClash(Conflict):
    code = "demand.registration_clash"
    message_zh = "登记时与另一笔登记冲突，请重新提交"
    message_en = "The registration clashed with another one at the same moment; submit it again"


class ExportTooLarge(ValidationFailed):
    code = "export.too_many_rows"
    message_zh = "筛选结果超过 Excel 导出上限，请缩小筛选范围或改用 CSV 导出"
    message_en = "Too many rows for an Excel export; narrow the filters or export CSV"


class BadDemand(ValidationFailed):
    code = "demand.invalid"
    message_zh = "诉求信息不完整或有误"
    message_en = "The demand is incomplete or invalid"


class CategoryRequired(ValidationFailed):
    code = "demand.category_required"
    message_zh = "派单前须确定诉求分类"
    message_en = "Choose a category before dispatching"


class NoUnit(ValidationFailed):
    code = "demand.no_unit"
    message_zh = "派单目录中没有对应单位，请手动选择主办单位"
    message_en = "The dispatch catalogue names no unit; choose the lead unit"


class BadAssisting(ValidationFailed):
    code = "demand.bad_assisting"
    message_zh = "协办单位不能与主办单位相同，也不能重复"
    message_en = "Assisting units must differ from the lead unit and from each other"


class ReasonRequired(ValidationFailed):
    code = "demand.reason_required"
    message_zh = "请填写理由"
    message_en = "A reason is required"


class ExtensionTooLong(ValidationFailed):
    code = "demand.extension_too_long"
    message_zh = "延期天数超过允许的上限"
    message_en = "The extension is longer than allowed"


class ExtensionUsed(Conflict):
    code = "demand.extension_used"
    message_zh = "该派单已延期过一次，或已有待审批的延期申请"
    message_en = "This assignment already had its extension, or one is pending"


class ExtensionNotPending(Conflict):
    code = "demand.extension_not_pending"
    message_zh = "该延期申请已处理"
    message_en = "This extension request was already decided"


class BadMerge(ValidationFailed):
    code = "demand.bad_merge"
    message_zh = "不能合并到该诉求（主单须为另一件未办结的诉求）"
    message_en = "Cannot merge into that demand (the master must be another open demand)"


class TrackingMismatch(NotFound):
    code = "demand.tracking_not_found"
    message_zh = "受理编号或手机号后四位不正确"
    message_en = "The tracking code or the last four phone digits do not match"


class TrackingLocked(TrackingMismatch):
    """Too many wrong last-four guesses on one tracking code: the code answers nobody for a while."""

    code = "demand.tracking_locked"
    status = 429
    message_zh = (
        "这个受理编号的手机号后四位在 1 小时内已输错 10 次，为保护您的信息，网上查询已暂停 1 小时。"
        "请 1 小时后再试，仍用受理编号和手机号后四位查询；着急的话，请拨打 12345 热线，报上受理编号，由话务员帮您查询。"
    )
    message_en = (
        "The last four phone digits were entered wrongly 10 times within an hour for this tracking code, so online look-ups "
        "are paused for an hour to protect your information. Try again in an hour with the tracking code and "
        "the last four digits; if it is urgent, call the 12345 hotline and give the operator the tracking code."
    )
