"""Typed errors of the analytics app."""

from linli.core.errors import ValidationFailed


class BadPeriod(ValidationFailed):
    code = "analytics.bad_period"
    message_zh = "统计期有误：开始日期不能晚于结束日期"
    message_en = "The period is not valid: the start date is after the end date"


class BadScope(ValidationFailed):
    code = "analytics.bad_scope"
    message_zh = "请选择一个区域或一个单位，不能同时选择"
    message_en = "Choose an area or a unit, not both"
