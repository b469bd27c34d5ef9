"""Typed errors of the Open311 interface. ``status`` is the HTTP status the spec asks for (400, 403, 404)."""

from linli.core.errors import ApplicationError, NotFound, PermissionDenied, ValidationFailed


class Open311BadRequest(ValidationFailed):
    code = "open311.bad_request"
    status = 400
    message_zh = "请求参数有误"
    message_en = "The request is not valid"


class UnknownService(NotFound):
    code = "open311.unknown_service"
    message_zh = "没有这个服务类型（service_code）"
    message_en = "Unknown service_code"


class UnknownJurisdiction(NotFound):
    code = "open311.unknown_jurisdiction"
    message_zh = "本系统不服务这个 jurisdiction_id"
    message_en = "Unknown jurisdiction_id"


class JurisdictionRequired(Open311BadRequest):
    code = "open311.jurisdiction_required"
    message_zh = "本系统服务多个地区，请提供 jurisdiction_id"
    message_en = "This server serves several jurisdictions; jurisdiction_id is required"


class UnknownRequest(NotFound):
    code = "open311.unknown_request"
    message_zh = "找不到这个诉求"
    message_en = "No such service request"


class UnknownToken(NotFound):
    code = "open311.unknown_token"
    message_zh = "找不到这个 token"
    message_en = "No such token"


class LocationRequired(Open311BadRequest):
    code = "open311.location_required"
    message_zh = "请提供位置：lat 和 long、address_string 或 address_id"
    message_en = "A location is required: lat and long, address_string or address_id"


class BadAttribute(Open311BadRequest):
    code = "open311.bad_attribute"
    message_zh = "补充字段（attribute）填写有误"
    message_en = "An attribute is missing or not valid"


class BadDateRange(Open311BadRequest):
    code = "open311.bad_dates"
    message_zh = "start_date 和 end_date 须为带时区的 W3C 时间，且相差不超过 90 天"
    message_en = "start_date and end_date must be W3C datetimes with a timezone, at most 90 days apart"


class BadFormat(Open311BadRequest):
    code = "open311.bad_format"
    message_zh = "只支持 json 和 xml 格式"
    message_en = "Only the json and xml formats are supported"


class BadBody(Open311BadRequest):
    code = "open311.bad_body"
    message_zh = "请求须为表单编码（application/x-www-form-urlencoded 或 multipart/form-data）"
    message_en = "The body must be form-encoded (application/x-www-form-urlencoded or multipart/form-data)"


class BodyTooLarge(ApplicationError):
    code = "open311.body_too_large"
    status = 413
    message_zh = "请求内容过大"
    message_en = "The request body is too large"


class BadApiKey(PermissionDenied):
    code = "open311.bad_api_key"
    message_zh = "api_key 无效或已吊销"
    message_en = "The api_key is missing, not valid or revoked"


class UnknownApiKey(NotFound):
    code = "open311.unknown_key"
    message_zh = "找不到这个接口密钥"
    message_en = "No such API key"


class NotAllowed(PermissionDenied):
    code = "open311.not_allowed"
    message_zh = "无权转出诉求"
    message_en = "You may not send demands to another system"


class BadEndpoint(ValidationFailed):
    code = "open311.bad_endpoint"
    message_zh = "外部接口不存在或已停用"
    message_en = "The remote endpoint does not exist or is not active"


class AlreadySent(ValidationFailed):
    code = "open311.already_sent"
    message_zh = "该诉求已转给这个外部接口"
    message_en = "This demand was already sent to that endpoint"
