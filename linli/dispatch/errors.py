from linli.core.errors import ValidationFailed


class UnknownCategory(ValidationFailed):
    code = "category.unknown"
    message_zh = "找不到该诉求分类"
    message_en = "No such category"


class BadCategoryFile(ValidationFailed):
    code = "category.bad_file"
    message_zh = "分类文件格式有误"
    message_en = "The category file is not valid"
