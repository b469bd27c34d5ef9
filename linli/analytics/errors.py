"""Typed errors of the analytics app."""

from linli.core.errors import ApplicationError, NotFound, PermissionDenied, ValidationFailed


class BadPeriod(ValidationFailed):
    code = "analytics.bad_period"
    message_zh = "统计期有误：开始日期不能晚于结束日期"
    message_en = "The period is not valid: the start date is after the end date"


class BadScope(ValidationFailed):
    code = "analytics.bad_scope"
    message_zh = "请选择一个区域或一个单位，不能同时选择"
    message_en = "Choose an area or a unit, not both"


class TopicNotFound(NotFound):
    code = "topic.not_found"
    message_zh = "未找到该每月一题，或无权查看"
    message_en = "No such monthly topic, or it is not visible to you"


class TopicNotAllowed(PermissionDenied):
    code = "topic.not_allowed"
    message_zh = "只有协调机制办公室可以设定和推进每月一题"
    message_en = "Only the coordination office may set and track the monthly topic"


class TopicExists(ApplicationError):
    code = "topic.exists"
    status = 409
    message_zh = "该区域本月已确定每月一题"
    message_en = "This area already has a topic for this month"


class TopicTransition(ApplicationError):
    code = "topic.transition_not_allowed"
    status = 409
    message_zh = "每月一题当前状态不允许此操作"
    message_en = "The topic's status does not allow this"


class BadTopic(ValidationFailed):
    code = "topic.invalid"
    message_zh = "每月一题填写有误"
    message_en = "The monthly topic is not filled in correctly"
