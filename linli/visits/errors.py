"""Typed errors of the visits app; codes are stable (``visits.*``)."""

from linli.core.errors import ApplicationError, Conflict, NotFound, ValidationFailed


class BadInput(ValidationFailed):
    code = "visits.invalid"
    message_zh = "输入有误"
    message_en = "The input is not valid"


class CampaignNotFound(NotFound):
    code = "visits.campaign_not_found"
    message_zh = "夜访活动不存在，或无权查看"
    message_en = "No such campaign, or not visible to you"


class RoundNotFound(NotFound):
    code = "visits.round_not_found"
    message_zh = "轮次不存在，或无权查看"
    message_en = "No such round, or not visible to you"


class CadreNotFound(NotFound):
    code = "visits.cadre_not_found"
    message_zh = "干部不存在"
    message_en = "No such cadre"


class VisitNotFound(NotFound):
    code = "visits.visit_not_found"
    message_zh = "走访记录不存在，或无权查看"
    message_en = "No such visit, or not visible to you"


class MeetingNotFound(NotFound):
    code = "visits.meeting_not_found"
    message_zh = "协调会不存在，或无权查看"
    message_en = "No such meeting, or not visible to you"


class ActionItemNotFound(NotFound):
    code = "visits.action_item_not_found"
    message_zh = "协调会事项不存在，或无权查看"
    message_en = "No such action item, or not visible to you"


class NotAllowed(ApplicationError):
    code = "visits.not_allowed"
    status = 403
    message_zh = "无权执行此操作"
    message_en = "You may not do this"


class OutsideArea(BadInput):
    code = "visits.outside_area"
    message_zh = "该社区/村不在本次夜访活动的范围内"
    message_en = "The community is outside the campaign's area"


class BeforeEvening(BadInput):
    code = "visits.before_evening_hours"
    message_zh = "夜访须在活动规定的晚间时段开始"
    message_en = "A night visit must start within the campaign's evening hours"


class VisitInFuture(BadInput):
    code = "visits.visit_in_future"
    message_zh = "不能登记尚未发生的走访：该轮次或到达、离开时间还在将来"
    message_en = "A visit cannot be recorded before it happens: the round or the times are in the future"


class BadTimes(BadInput):
    code = "visits.bad_times"
    message_zh = "离开时间不能早于到达时间"
    message_en = "The team cannot leave before it arrived"


class TransitionNotAllowed(Conflict):
    code = "visits.transition_not_allowed"
    message_zh = "当前状态下不能执行此操作"
    message_en = "This action is not allowed in the current state"


class AlreadyAssigned(Conflict):
    code = "visits.cadre_already_assigned"
    message_zh = "该干部本轮已被锁定在其他社区"
    message_en = "The cadre is already locked to another community in this round"


class DemandAlreadyLinked(Conflict):
    code = "visits.demand_already_linked"
    message_zh = "该诉求已关联到另一次走访"
    message_en = "The demand is already linked to another visit"
