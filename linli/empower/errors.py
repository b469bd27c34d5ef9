"""Typed errors of the empowerment app; codes are stable (``empower.*``)."""

from linli.core.errors import ApplicationError, Conflict, NotFound, ValidationFailed


class BadInput(ValidationFailed):
    code = "empower.invalid"
    message_zh = "输入有误"
    message_en = "The input is not valid"


class NotAllowed(ApplicationError):
    code = "empower.not_allowed"
    status = 403
    message_zh = "无权执行此操作"
    message_en = "You may not do this"


class PostingNotFound(NotFound):
    code = "empower.posting_not_found"
    message_zh = "派驻记录不存在，或无权查看"
    message_en = "No such posting, or not visible to you"


class VolunteerNotFound(NotFound):
    code = "empower.volunteer_not_found"
    message_zh = "志愿者不存在，或无权查看"
    message_en = "No such volunteer, or not visible to you"


class TeamNotFound(NotFound):
    code = "empower.team_not_found"
    message_zh = "队伍不存在，或无权查看"
    message_en = "No such team, or not visible to you"


class TermNotFound(NotFound):
    code = "empower.term_not_found"
    message_zh = "学期不存在，或无权查看"
    message_en = "No such term, or not visible to you"


class ShiftNotFound(NotFound):
    code = "empower.shift_not_found"
    message_zh = "班次不存在，或无权查看"
    message_en = "No such shift, or not visible to you"


class AssignmentNotFound(NotFound):
    code = "empower.assignment_not_found"
    message_zh = "排班不存在，或无权查看"
    message_en = "No such assignment, or not visible to you"


class NotSchoolDay(BadInput):
    code = "empower.not_school_day"
    message_zh = "该日期不是本学期的上学日"
    message_en = "That date is not a school day of the term"


class DoubleBooked(Conflict):
    code = "empower.double_booked"
    message_zh = "该志愿者在这个时段已有排班，或与前一班间隔不足"
    message_en = "The volunteer already has a shift at that time, or too close to it"


class NotInTeam(BadInput):
    code = "empower.not_in_team"
    message_zh = "该志愿者不是这支队伍的成员"
    message_en = "The volunteer is not a member of this team"


class TransitionNotAllowed(Conflict):
    code = "empower.transition_not_allowed"
    message_zh = "当前状态下不能执行此操作"
    message_en = "This cannot be done in the current state"


class NotShiftDay(BadInput):
    code = "empower.not_shift_day"
    message_zh = "只能在当班当天签到、签退"
    message_en = "Check-in and check-out are only possible on the day of the shift"
