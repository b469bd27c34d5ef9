"""Typed errors of the programs app; codes are stable (``programs.*``)."""

from linli.core.errors import ApplicationError, Conflict, NotFound, ValidationFailed


class BadInput(ValidationFailed):
    code = "programs.invalid"
    message_zh = "输入有误"
    message_en = "The input is not valid"


class ProgramNotFound(NotFound):
    code = "programs.program_not_found"
    message_zh = "活动不存在，或无权查看"
    message_en = "No such program, or not visible to you"


class SessionNotFound(NotFound):
    code = "programs.session_not_found"
    message_zh = "场次不存在，或无权查看"
    message_en = "No such session, or not visible to you"


class SignUpNotFound(NotFound):
    code = "programs.signup_not_found"
    message_zh = "报名记录不存在，或无权查看"
    message_en = "No such sign-up, or not visible to you"


class SignUpMismatch(NotFound):
    code = "programs.signup_mismatch"
    message_zh = "报名编号或手机号后四位不正确"
    message_en = "The sign-up code or the last four phone digits do not match"


class SignUpLocked(SignUpMismatch):
    code = "programs.signup_locked"
    status = 429
    message_zh = (
        "这个报名编号的手机号后四位输错次数过多，为保护您的信息，查询已暂停 1 小时，请稍后再试或联系社区。"
    )
    message_en = (
        "The last four phone digits were entered wrongly too often for this sign-up code; look-ups are paused "
        "for an hour. Try again later or contact the community."
    )


class NotAllowed(ApplicationError):
    code = "programs.not_allowed"
    status = 403
    message_zh = "无权执行此操作"
    message_en = "You may not do this"


class BadAge(BadInput):
    code = "programs.bad_age"
    message_zh = "孩子的年龄不在本活动的年龄范围内"
    message_en = "The child's age is outside the program's age range"


class ChildRequired(BadInput):
    code = "programs.child_required"
    message_zh = "本活动面向儿童，请填写孩子的姓名和年龄"
    message_en = "This program is for children: give the child's name and age"


class BadPhone(BadInput):
    code = "programs.bad_phone"
    message_zh = "请填写正确的手机号"
    message_en = "Give a valid phone number"


class NotOpen(Conflict):
    code = "programs.not_open"
    message_zh = "该活动当前不接受报名或取消"
    message_en = "The program does not take sign-ups or cancellations now"


class TransitionNotAllowed(Conflict):
    code = "programs.transition_not_allowed"
    message_zh = "当前状态下不能执行此操作"
    message_en = "This action is not allowed in the current state"


class NotConfirmed(Conflict):
    code = "programs.not_confirmed"
    message_zh = "只有正式报名（非候补、未取消）的人才能签到"
    message_en = "Only confirmed sign-ups (not waitlisted or cancelled) can be marked present"


class StaleVersion(Conflict):
    code = "programs.stale"
