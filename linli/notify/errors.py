from linli.core.errors import ApplicationError, ValidationFailed


class ChannelMisconfigured(ApplicationError):
    code = "notify.channel_misconfigured"
    status = 503
    message_zh = "消息渠道配置有误，消息未能发出"
    message_en = "The message channel is misconfigured; the message was not sent"


class BadTemplate(ValidationFailed):
    code = "notify.bad_template"
    message_zh = "消息模板含有未知的占位符"
    message_en = "The message template has an unknown placeholder"


class BadMessageState(ApplicationError):
    code = "notify.bad_state"
    status = 409
    message_zh = "该消息当前状态不允许此操作"
    message_en = "The message is not in a state that allows this"
