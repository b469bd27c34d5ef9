from linli.core.errors import ApplicationError, ValidationFailed


class BadPhone(ValidationFailed):
    code = "resident.bad_phone"
    message_zh = "电话号码格式不正确"
    message_en = "The phone number is not valid"


class BadJurisdiction(ValidationFailed):
    code = "org.bad_jurisdiction"
    message_zh = "行政区划层级不正确"
    message_en = "The jurisdiction does not fit in the tree here"


class UnknownJurisdiction(ValidationFailed):
    code = "org.unknown_jurisdiction"
    message_zh = "找不到该社区/行政区划"
    message_en = "No such community or jurisdiction"


class UnknownUnit(ValidationFailed):
    code = "org.unknown_unit"
    message_zh = "找不到该单位，或单位已停用"
    message_en = "No such unit, or the unit is inactive"


class BadToken(ApplicationError):
    code = "auth.bad_token"
    status = 401
    message_zh = "接口令牌无效或已吊销"
    message_en = "The API token is invalid or revoked"


class BadCommunityGroup(ValidationFailed):
    code = "org.bad_community_group"
    message_zh = "片区联合党委须由两个及以上社区组成，且每个社区只能属于一个片区"
    message_en = "A joint committee needs two or more communities, each in no other group"


class BadBoundaries(ValidationFailed):
    code = "org.bad_boundaries"
    message_zh = "边界文件无法导入：须为 GeoJSON FeatureCollection，每个要素带行政区划代码（code）和多边形"
    message_en = "The boundary file cannot be imported: a GeoJSON FeatureCollection whose features carry a jurisdiction code and a polygon"
